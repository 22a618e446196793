import type { AgentWorkflow, WorkflowTrigger } from '../domain/agent-workflow';
import type { JsonValue } from '../domain/common';
import type { ToolCall } from '../domain/event';
import { readAllPages } from '../domain/read-all-pages';
import type { Session } from '../domain/session';
import type { SessionWorkflow } from '../domain/session-workflow';
import type { EngineLogger } from '../engine/engine-logger';
import type { Clock } from '../ports/clock';
import type { EventBus } from '../ports/event-bus';
import type { WorkspaceStore } from '../ports/store';
import type { WorkflowExecutor } from '../ports/workflow-executor';
import { runWorkflow, type WorkflowRunOutcome } from './run-workflow';

/** Runs an agent's workflows when its sessions start, are handed to a person, or close. */
export interface SessionReactions {
  /**
   * Runs every enabled workflow of the session's agent whose triggers include `trigger`, at
   * once, each recorded in `session_workflow` and appended to the session as a `tool` event
   * (source `system`). Resolves with the runs once all have ended; never rejects (a failure
   * is logged, and recorded where the database allows).
   */
  react(
    workspace: WorkspaceStore,
    session: Session,
    trigger: WorkflowTrigger,
  ): Promise<SessionWorkflow[]>;
  /** Reactions still running in this process. */
  readonly inFlight: number;
  /** Cancels the reactions in flight and waits for them to end. */
  close(): Promise<void>;
}

/** The name a reaction's tool event carries: the link's tool name, else `workflow:<id>`. */
function callNameOf(link: AgentWorkflow): string {
  return (link.toolName ?? `workflow:${link.workflowId}`).slice(0, 64);
}

/**
 * What a reaction's workflow receives: the event and the session's facts. The customer's
 * messages are not in it; a workflow that needs more reads it through Parley's routes.
 */
function reactionInputOf(session: Session, trigger: WorkflowTrigger): Record<string, JsonValue> {
  return {
    trigger,
    sessionId: session.id,
    agentId: session.agentId,
    customerId: session.customerId,
    status: session.status,
    mode: session.mode,
    title: session.title,
    labels: [...session.labels],
    metadata: session.metadata,
  };
}

/** See {@link SessionReactions}. */
export function createSessionReactions(input: {
  executor: WorkflowExecutor;
  bus: EventBus;
  clock: Clock;
  logger: EngineLogger;
}): SessionReactions {
  const { executor, bus, clock, logger } = input;
  const running = new Set<Promise<unknown>>();
  const controller = new AbortController();

  async function reactWith(
    workspace: WorkspaceStore,
    session: Session,
    trigger: WorkflowTrigger,
    link: AgentWorkflow,
  ): Promise<SessionWorkflow | null> {
    const workflowInput = reactionInputOf(session, trigger);
    let outcome: WorkflowRunOutcome;
    try {
      outcome = await runWorkflow({
        workspace,
        executor,
        link,
        sessionId: session.id,
        trigger,
        input: workflowInput,
        signal: controller.signal,
        clock,
      });
    } catch (error) {
      logger.warn('could not record a workflow run', {
        sessionId: session.id,
        workflowId: link.workflowId,
        trigger,
        error: error instanceof Error ? error.name : typeof error,
      });
      return null;
    }
    if (outcome.status === 'failed') {
      logger.warn('workflow run failed', {
        sessionId: session.id,
        workflowId: link.workflowId,
        trigger,
        code: outcome.error.code,
      });
    }
    const call: ToolCall = {
      toolName: callNameOf(link),
      arguments: workflowInput,
      ...(outcome.status === 'succeeded' ? { result: outcome.output } : { error: outcome.error }),
    };
    try {
      const [event] = await workspace.events.append(session.id, [
        { kind: 'tool', source: 'system', data: { calls: [call] } },
      ]);
      if (event) {
        await bus
          .publish({
            type: 'events-appended',
            workspaceId: workspace.workspaceId,
            sessionId: session.id,
            lastOffset: event.offset,
          })
          .catch(() => undefined);
      }
    } catch (error) {
      // A session deleted meanwhile, or a database that failed: the run's record stays.
      logger.warn('could not append a workflow run to its session', {
        sessionId: session.id,
        workflowId: link.workflowId,
        error: error instanceof Error ? error.name : typeof error,
      });
    }
    return outcome.run;
  }

  async function react(
    workspace: WorkspaceStore,
    session: Session,
    trigger: WorkflowTrigger,
  ): Promise<SessionWorkflow[]> {
    let links: AgentWorkflow[];
    try {
      links = await readAllPages((page) =>
        workspace.agentWorkflows.list({ ...page, agentId: session.agentId }),
      );
    } catch (error) {
      logger.warn('could not read the workflows of a session event', {
        sessionId: session.id,
        trigger,
        error: error instanceof Error ? error.name : typeof error,
      });
      return [];
    }
    const triggered = links.filter((link) => link.enabled && link.triggers.includes(trigger));
    const runs = await Promise.all(
      triggered.map((link) => reactWith(workspace, session, trigger, link)),
    );
    return runs.filter((run): run is SessionWorkflow => run !== null);
  }

  return {
    react(workspace, session, trigger) {
      const reaction = react(workspace, session, trigger);
      running.add(reaction);
      void reaction.finally(() => running.delete(reaction));
      return reaction;
    },
    get inFlight() {
      return running.size;
    },
    async close() {
      controller.abort();
      await Promise.allSettled([...running]);
    },
  };
}
