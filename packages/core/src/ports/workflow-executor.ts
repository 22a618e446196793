import type { JsonValue } from '../domain/common';
import type { WorkflowRunTrigger } from '../domain/session-workflow';

export type { WorkflowRunTrigger };

/** What a {@link WorkflowExecutor} is asked to run. */
export interface WorkflowExecutionRequest {
  /** The host's workflow id (Sim's `workflow.id`), as the agent's workflow link names it. */
  workflowId: string;
  /**
   * The workflow's input: the tool call's arguments, or for a session event the session's
   * facts (`{ trigger, sessionId, agentId, customerId, … }`).
   */
  input: Record<string, JsonValue>;
  workspaceId: string;
  agentId: string;
  sessionId: string;
  trigger: WorkflowRunTrigger;
  /** Aborted when the turn is cancelled or the run's deadline passes: pass it to the HTTP call. */
  signal: AbortSignal;
}

/** What a workflow gave back. */
export interface WorkflowExecution {
  /** The workflow's result (Sim's final `data`): a tool call's result, recorded with the run. */
  output: JsonValue;
  /** The host's id of this execution, when it has one (recorded, for its own logs). */
  executionId?: string;
}

/**
 * Runs a host's workflows: the example Sim host calls its `POST /api/workflows/:id/execute`
 * with a workspace key and reads the `data:` frames it streams. The engine calls it for an
 * agent's workflow links (`agent_workflow`), as tools and on session events, with a deadline,
 * and records every run in `session_workflow` and as a `tool` event of the session. A run that
 * fails throws; the engine records the failure and the conversation goes on.
 */
export interface WorkflowExecutor {
  execute(request: WorkflowExecutionRequest): Promise<WorkflowExecution>;
}
