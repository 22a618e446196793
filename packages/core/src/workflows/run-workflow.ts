import type { AgentWorkflow } from '../domain/agent-workflow';
import type { JsonValue } from '../domain/common';
import type { SessionWorkflow, WorkflowRunTrigger } from '../domain/session-workflow';
import { withinDeadline } from '../engine/within-deadline';
import type { Clock } from '../ports/clock';
import type { WorkspaceStore } from '../ports/store';
import type { WorkflowExecutor } from '../ports/workflow-executor';

/** The largest output a run keeps (JSON characters): beyond it the run counts as failed. */
export const maximumWorkflowOutputLength = 100_000;

/** How a workflow run ended, as the engine records it and a tool call reports it. */
export type WorkflowRunOutcome =
  | { status: 'succeeded'; output: JsonValue; run: SessionWorkflow }
  | { status: 'failed'; error: { code: string; message: string }; run: SessionWorkflow };

/**
 * Runs one of an agent's workflows for a session through the host's executor, within the
 * link's deadline, and records it in `session_workflow` from start to end. Never rejects once
 * the start is recorded: a failing, slow or cancelled workflow is a `failed` outcome with a
 * code (`workflow_failed`, `workflow_timeout`, `workflow_cancelled`,
 * `workflow_output_invalid`), so the conversation goes on. Only the start's write may throw.
 */
export async function runWorkflow(input: {
  workspace: WorkspaceStore;
  executor: WorkflowExecutor;
  link: AgentWorkflow;
  sessionId: string;
  trigger: WorkflowRunTrigger;
  input: Record<string, JsonValue>;
  signal: AbortSignal;
  clock: Clock;
}): Promise<WorkflowRunOutcome> {
  const { workspace, link } = input;
  const run = await workspace.sessionWorkflows.start({
    sessionId: input.sessionId,
    agentWorkflowId: link.id,
    workflowId: link.workflowId,
    trigger: input.trigger,
    input: input.input,
  });
  const started = performance.now();
  const outcome = await withinDeadline({
    signal: input.signal,
    clock: input.clock,
    timeoutMs: link.timeoutMs,
    work: (signal) =>
      input.executor.execute({
        workflowId: link.workflowId,
        input: input.input,
        workspaceId: workspace.workspaceId,
        agentId: link.agentId,
        sessionId: input.sessionId,
        trigger: input.trigger,
        signal,
      }),
  });
  const durationMs = Math.round(performance.now() - started);
  let ended:
    | { status: 'succeeded'; output: JsonValue; executionId: string | null }
    | { status: 'failed'; error: { code: string; message: string }; executionId: string | null };
  if (outcome.status === 'done') {
    const output = jsonOutputOf(outcome.value?.output);
    const executionId =
      typeof outcome.value?.executionId === 'string'
        ? outcome.value.executionId.slice(0, 200)
        : null;
    ended =
      output === undefined
        ? {
            status: 'failed',
            error: {
              code: 'workflow_output_invalid',
              message: `The workflow's output is not JSON of at most ${maximumWorkflowOutputLength} characters`,
            },
            executionId,
          }
        : { status: 'succeeded', output, executionId };
  } else {
    ended = { status: 'failed', error: failureOf(outcome, link.timeoutMs), executionId: null };
  }
  let recorded = run;
  try {
    recorded = await workspace.sessionWorkflows.finish(run.id, {
      status: ended.status,
      output: ended.status === 'succeeded' ? ended.output : null,
      error: ended.status === 'failed' ? ended.error : null,
      executionId: ended.executionId,
      durationMs,
    });
  } catch {
    // The run happened whatever its record says: the outcome still reaches the caller, and
    // the record stays `running` (what a reader sees of a run whose end was not written).
  }
  return ended.status === 'succeeded'
    ? { status: 'succeeded', output: ended.output, run: recorded }
    : { status: 'failed', error: ended.error, run: recorded };
}

/** A workflow's output as stored JSON, or `undefined` when it is not JSON or too long. */
function jsonOutputOf(output: unknown): JsonValue | undefined {
  if (output === undefined) return null;
  try {
    const text = JSON.stringify(output);
    if (text === undefined || text.length > maximumWorkflowOutputLength) return undefined;
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/** The recorded error of a run that did not succeed. */
function failureOf(
  outcome: { status: 'failed'; error: unknown } | { status: 'timeout' } | { status: 'aborted' },
  timeoutMs: number,
): { code: string; message: string } {
  if (outcome.status === 'timeout') {
    return { code: 'workflow_timeout', message: `The workflow took longer than ${timeoutMs} ms` };
  }
  if (outcome.status === 'aborted') {
    return { code: 'workflow_cancelled', message: 'The run was cancelled before it ended' };
  }
  const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  return { code: 'workflow_failed', message: message.slice(0, 500) || 'The workflow failed' };
}
