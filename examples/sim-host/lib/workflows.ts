/**
 * @module The host's workflows, as Parley's agents run them: Sim's own
 * `POST /api/workflows/:id/execute` with a workspace API key (`createSimWorkflowExecutor`). An
 * agent's workflow links (`POST /api/parley/v1/agents/:id/workflows`) then become tools its
 * guidelines call and reactions to its sessions' events.
 */
import type { WorkflowExecutor } from '@parley/core';
import { createSimWorkflowExecutor } from './sim-workflow-executor';

/**
 * The executor when `SIM_WORKFLOWS_URL` (the origin serving the execute route: this app in a
 * Sim deployment, the test's workflow server in the example's end-to-end run) and
 * `SIM_WORKFLOWS_API_KEY` are set, else `undefined`: workflow links are then stored and
 * nothing runs them. One key for every workspace: a multi-workspace deployment would look each
 * workspace's key up in `api_key` instead.
 */
export const workflowExecutor: WorkflowExecutor | undefined =
  process.env.SIM_WORKFLOWS_URL && process.env.SIM_WORKFLOWS_API_KEY
    ? createSimWorkflowExecutor({
        baseUrl: process.env.SIM_WORKFLOWS_URL,
        apiKey: process.env.SIM_WORKFLOWS_API_KEY,
      })
    : undefined;
