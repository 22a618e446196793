import type { ParleyEvent, ToolCall } from '../../domain/event';
import type { WorkspaceEngine } from '../../engine/create-engine';
import type { TurnExplanation } from '../../engine/run-turn';

/** What one turn did, read back from the store. */
export interface ObservedTurn {
  /** How the turn ended: its final status, or `skipped` when none ran. */
  status: 'ready' | 'error' | 'cancelled' | 'skipped';
  /** Absent when the turn failed before it could explain itself. */
  explanation: TurnExplanation | null;
  /** Why the turn ended in `error`, was cancelled or did not run. */
  problem: string | null;
  reply: string;
  toolCalls: ToolCall[];
}

const finalStatuses = new Set(['ready', 'error', 'cancelled']);

/**
 * Posts the customer's message, waits for its turn, and reads the turn's events back from the
 * store (by the turn's trace id): what the evaluation compares with its expectations. Not part
 * of the public entry.
 */
export async function driveTurn(
  workspace: WorkspaceEngine,
  sessionId: string,
  text: string,
): Promise<ObservedTurn> {
  const posted = await workspace.sessions.postCustomerMessage(sessionId, { text });
  if (!posted.turn) {
    return {
      status: 'skipped',
      explanation: null,
      problem: 'no turn ran (the session is in manual mode)',
      reply: '',
      toolCalls: [],
    };
  }
  const outcome = await posted.turn;
  if (outcome.status === 'skipped') {
    return {
      status: 'skipped',
      explanation: null,
      problem: `no turn ran (${outcome.reason})`,
      reply: '',
      toolCalls: [],
    };
  }
  const events: ParleyEvent[] = [];
  for (let after = posted.event.offset; ; ) {
    const page = await workspace.events.list(sessionId, { after, limit: 1000 });
    events.push(...page.filter((event) => event.traceId === outcome.traceId));
    if (page.length < 1000) break;
    after = (page.at(-1) as ParleyEvent).offset;
  }
  const final = events
    .filter((event) => event.kind === 'status' && finalStatuses.has(event.data.status))
    .at(-1);
  // A preamble ("Let me look that up") is a holding line sent before the reply, not the reply.
  const reply = events.find(
    (event) =>
      event.kind === 'message' && event.source === 'ai_agent' && event.data.preamble !== true,
  );
  const toolCalls = events.flatMap((event) => (event.kind === 'tool' ? event.data.calls : []));
  const data = final?.kind === 'status' ? final.data : null;
  const status = data?.status ?? (outcome.status === 'ready' ? 'ready' : outcome.status);
  const error = data?.error ?? (outcome.status === 'error' ? outcome.error : null) ?? null;
  return {
    status: status === 'ready' || status === 'error' || status === 'cancelled' ? status : 'error',
    explanation: (data?.explanation as TurnExplanation | undefined) ?? null,
    problem:
      status === 'cancelled'
        ? 'the turn was cancelled'
        : error
          ? `the turn ended in error (${error.code}: ${error.message})`
          : status === 'ready'
            ? null
            : 'the turn ended without a status',
    reply: reply?.kind === 'message' ? reply.data.text : '',
    toolCalls,
  };
}
