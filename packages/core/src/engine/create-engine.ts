import { z } from 'zod';
import {
  type AgentDefinition,
  type AgentDefinitionInput,
  defineAgent,
} from '../definition/define-agent';
import { type AgentSyncReport, syncAgent } from '../definition/sync-agent';
import type { ParleyEvent } from '../domain/event';
import { maximumMessageLength } from '../domain/event';
import { ParleyError } from '../errors/parley-error';
import { createInMemoryEventBus } from '../event-bus/in-memory-event-bus';
import type { ChatModel } from '../ports/chat-model';
import { type Clock, systemClock } from '../ports/clock';
import type { Embedder } from '../ports/embedder';
import type { EventBus } from '../ports/event-bus';
import type { SessionRepository, Store, WorkspaceStore } from '../ports/store';
import { createOfflineEmbedder } from '../retrieval/offline-embedder';
import { parseInput } from '../store/parse-input';
import type { ToolDefinition } from '../tools/tool';
import { createAgentCatalogCache } from './agent-catalog';
import { type EngineLogger, silentLogger } from './engine-logger';
import type { MatchingSettings } from './match-guidelines';
import { runTurn, type TurnDependencies, type TurnOutcome } from './run-turn';

/** Options of {@link createEngine}. */
export interface EngineOptions {
  store: Store;
  /**
   * The language model. Without one (`null` or absent) the engine runs with no LLM at all:
   * guidelines matched by retrieval, replies only from canned responses (strict mode).
   */
  model?: ChatModel | null;
  /** Retrieval's embedder; default the offline embedder (no network). */
  embedder?: Embedder;
  /** The typed tools the agents may call, by name. */
  tools?: readonly ToolDefinition[];
  /** Where turns announce their events and listen for cancellation; default in-process. */
  eventBus?: EventBus;
  clock?: Clock;
  logger?: EngineLogger;
  /** Retrieval and judgement sizes; see {@link MatchingSettings}. */
  matching?: Partial<MatchingSettings>;
  /** Messages and tool events a turn reads back; default 30. */
  historyLimit?: number;
  /** What strict mode says when no canned reply fits. */
  fallbackReply?: string;
}

/** A customer message as posted. */
export const customerMessageInputSchema = z.object({
  text: z.string().trim().min(1).max(maximumMessageLength),
  clientMessageId: z.string().min(1).max(128).optional(),
});
export type CustomerMessageInput = z.input<typeof customerMessageInputSchema>;

/** A human operator's message, posted while the session is in manual mode (or any time). */
export const humanMessageInputSchema = customerMessageInputSchema.extend({
  participantName: z.string().trim().min(1).max(200).optional(),
});
export type HumanMessageInput = z.input<typeof humanMessageInputSchema>;

/** The outcome of posting a customer message. */
export interface PostedMessage {
  event: ParleyEvent;
  /** True when the session already held a message with this `clientMessageId`: nothing new happened. */
  duplicate: boolean;
  /** The turn the message started; `null` for a duplicate or a session in manual mode. */
  turn: Promise<TurnOutcome> | null;
}

/** The sessions of a workspace, as the engine serves them. */
export interface EngineSessions extends Omit<SessionRepository, 'setTurnState' | 'lockTurn'> {
  /**
   * Appends the customer's message and starts a turn, cancelling the one in flight (on any
   * instance). A repeated `clientMessageId` returns the first message and starts nothing.
   */
  postCustomerMessage(sessionId: string, message: CustomerMessageInput): Promise<PostedMessage>;
  /** Appends a human operator's message; runs no turn. */
  postHumanMessage(sessionId: string, message: HumanMessageInput): Promise<ParleyEvent>;
  /**
   * Runs the turn again for the latest customer message (after an error, say). Resolves once
   * the turn is queued; await `turn` for its outcome.
   */
  retry(sessionId: string): Promise<{ turn: Promise<TurnOutcome> }>;
  /** Stops the turn in flight, wherever it runs; it ends with a `cancelled` status. */
  cancel(sessionId: string): Promise<void>;
  /**
   * Ends a turn nobody runs any more: the process running it died, or the database went away
   * before it could record its end. Such a turn's last status is not final while its lock is
   * free (the lock goes with the process or connection that held it). Appends a retryable
   * `error` status under that turn's trace and returns it; `null` when a turn runs or none is
   * open. Watchers of a silent turn call it (the HTTP stream does).
   */
  settleAbandonedTurn(sessionId: string): Promise<ParleyEvent | null>;
}

/** Statuses that end a turn. */
const finalStatuses = new Set(['ready', 'error', 'cancelled']);

/** One workspace's records and conversations, through the engine. */
export interface WorkspaceEngine extends Omit<WorkspaceStore, 'sessions'> {
  readonly sessions: EngineSessions;
}

/** Parley's engine: the management API and the turns of every conversation. */
export interface Engine {
  forWorkspace(workspaceId: string): WorkspaceEngine;
  /**
   * Creates or updates an agent from its definition in code, idempotently: run it on every
   * deploy. Its tools are registered with the engine too.
   */
  sync(
    workspaceId: string,
    definition: AgentDefinition | AgentDefinitionInput,
  ): Promise<AgentSyncReport>;
  /** The tools the engine can run, by name. */
  readonly tools: ReadonlyMap<string, ToolDefinition>;
  /** The store the engine reads and writes (for layers above it, e.g. the HTTP handler). */
  readonly store: Store;
  /** The bus its turns announce events and deltas on. */
  readonly eventBus: EventBus;
  /** The model, or `null` when the engine runs without one. */
  readonly model: ChatModel | null;
  /** Turns running in this process. */
  readonly turnsInFlight: number;
  /** Cancels the turns in flight and waits for them to end. Does not close the store or bus. */
  close(): Promise<void>;
}

const defaultMatching: MatchingSettings = {
  retrievedGuidelines: 20,
  guidelinesPerJudgement: 24,
  retrievedJourneys: 5,
  retrievedCannedResponses: 8,
  retrievedTerms: 5,
  minimumScoreWithoutModel: 0.25,
};

/**
 * Creates the engine. Turns of one session are serialized by the store's turn lock (an
 * advisory lock on PostgreSQL), so several engine instances on one database never run two
 * turns of a session at once; a newer customer message cancels the turn it supersedes
 * through the event bus, wherever that turn runs.
 */
export function createEngine(options: EngineOptions): Engine {
  const store = options.store;
  const bus = options.eventBus ?? createInMemoryEventBus();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const embedder = options.embedder ?? createOfflineEmbedder();
  const tools = new Map<string, ToolDefinition>();
  /** Refuses a second, different tool under a name already taken. */
  const checkRegistrable = (definition: ToolDefinition) => {
    const existing = tools.get(definition.name);
    if (existing && existing !== definition) {
      throw new ParleyError(
        'conflict',
        `Another tool named "${definition.name}" is already registered`,
      );
    }
  };
  const register = (definition: ToolDefinition) => {
    checkRegistrable(definition);
    tools.set(definition.name, definition);
  };
  for (const definition of options.tools ?? []) register(definition);

  const dependencies: TurnDependencies = {
    model: options.model ?? null,
    embedder,
    catalogs: createAgentCatalogCache(embedder),
    tools,
    bus,
    clock,
    logger,
    settings: {
      ...defaultMatching,
      ...options.matching,
      historyLimit: options.historyLimit ?? 30,
      fallbackReply: options.fallbackReply ?? "I'm sorry, I can't help with that here.",
      minimumCannedScore:
        options.matching?.minimumScoreWithoutModel ?? defaultMatching.minimumScoreWithoutModel,
    },
  };

  const inFlight = new Map<AbortController, Promise<TurnOutcome>>();
  let closing = false;

  /** Queues a turn for the session: it waits for the lock, then runs unless superseded. */
  function startTurn(
    workspace: WorkspaceStore,
    sessionId: string,
    triggerOffset: number,
  ): Promise<TurnOutcome> {
    if (closing) throw new ParleyError('not_ready', 'The engine is closing');
    const controller = new AbortController();
    const traceId = globalThis.crypto.randomUUID();
    const turn = (async (): Promise<TurnOutcome> => {
      const unsubscribe = await bus.subscribe(sessionId, (message) => {
        if (
          message.type === 'turn-cancel' &&
          message.workspaceId === workspace.workspaceId &&
          (message.beforeOffset === undefined || triggerOffset < message.beforeOffset)
        ) {
          controller.abort(new ParleyError('cancelled', 'The turn was cancelled'));
        }
      });
      let release: (() => Promise<void>) | undefined;
      try {
        // Superseded while subscribing: no need to queue for the lock at all.
        if (controller.signal.aborted) {
          return { status: 'skipped', traceId, reason: 'superseded before it started' };
        }
        release = await workspace.sessions.lockTurn(sessionId);
        if (controller.signal.aborted)
          return { status: 'skipped', traceId, reason: 'superseded before it started' };
        const snapshot = await workspace.sessions.readTurnSnapshot(sessionId, {
          historyLimit: dependencies.settings.historyLimit,
        });
        const newestCustomerOffset =
          snapshot.history
            .filter((event) => event.kind === 'message' && event.source === 'customer')
            .at(-1)?.offset ?? -1;
        if (newestCustomerOffset > triggerOffset) {
          return {
            status: 'skipped',
            traceId,
            reason: 'a newer customer message has its own turn',
          };
        }
        if (snapshot.session.mode === 'manual') {
          return { status: 'skipped', traceId, reason: 'the session is in manual mode' };
        }
        return await runTurn(dependencies, {
          workspace,
          snapshot,
          traceId,
          signal: controller.signal,
        });
      } finally {
        await unsubscribe().catch(() => undefined);
        await release?.();
        inFlight.delete(controller);
      }
    })();
    inFlight.set(controller, turn);
    return turn;
  }

  function sessionsOf(workspace: WorkspaceStore): EngineSessions {
    const { setTurnState: _setTurnState, lockTurn: _lockTurn, ...records } = workspace.sessions;
    return {
      ...records,

      async postCustomerMessage(sessionId, message) {
        const input = parseInput(customerMessageInputSchema, message, 'customer message');
        const session = await workspace.sessions.get(sessionId);
        if (session.status === 'closed') throw new ParleyError('conflict', 'The session is closed');
        let event: ParleyEvent;
        try {
          [event] = (await workspace.events.append(sessionId, [
            { kind: 'message', source: 'customer', data: input },
          ])) as [ParleyEvent];
        } catch (error) {
          const existing =
            ParleyError.isInstance(error) && error.code === 'conflict' && input.clientMessageId
              ? await workspace.events.findByClientMessageId(sessionId, input.clientMessageId)
              : null;
          if (!existing) throw error;
          return { event: existing, duplicate: true, turn: null };
        }
        await bus.publish({
          type: 'events-appended',
          workspaceId: workspace.workspaceId,
          sessionId,
          lastOffset: event.offset,
        });
        await bus.publish({
          type: 'turn-cancel',
          workspaceId: workspace.workspaceId,
          sessionId,
          beforeOffset: event.offset,
        });
        const turn =
          session.mode === 'manual' ? null : startTurn(workspace, sessionId, event.offset);
        return { event, duplicate: false, turn };
      },

      async postHumanMessage(sessionId, message) {
        const input = parseInput(humanMessageInputSchema, message, 'human message');
        const [event] = (await workspace.events.append(sessionId, [
          { kind: 'message', source: 'human_agent', data: input },
        ])) as [ParleyEvent];
        await bus.publish({
          type: 'events-appended',
          workspaceId: workspace.workspaceId,
          sessionId,
          lastOffset: event.offset,
        });
        return event;
      },

      async retry(sessionId) {
        const latest = await workspace.events.listLatest(sessionId, {
          kinds: ['message'],
          limit: 10,
        });
        const trigger = latest.filter((event) => event.source === 'customer').at(-1);
        if (!trigger)
          throw new ParleyError('conflict', 'The session has no customer message to answer');
        // No cancel here: a turn still running for this message finishes first (the lock
        // orders them), then this one runs it again.
        return { turn: startTurn(workspace, sessionId, trigger.offset) };
      },

      async cancel(sessionId) {
        await workspace.sessions.get(sessionId);
        await bus.publish({ type: 'turn-cancel', workspaceId: workspace.workspaceId, sessionId });
      },

      async settleAbandonedTurn(sessionId) {
        const release = await workspace.sessions.tryLockTurn(sessionId);
        if (!release) return null;
        try {
          const [latest] = await workspace.events.listLatest(sessionId, {
            kinds: ['status'],
            limit: 1,
          });
          if (latest?.kind !== 'status' || finalStatuses.has(latest.data.status)) return null;
          const [event] = (await workspace.events.append(sessionId, [
            {
              kind: 'status',
              source: 'ai_agent',
              traceId: latest.traceId,
              data: {
                status: 'error',
                error: {
                  code: 'internal',
                  reason: 'turn_abandoned',
                  message: 'The reply stopped before it was finished; try again',
                  retryable: true,
                },
              },
            },
          ])) as [ParleyEvent];
          logger.error('abandoned turn ended', { sessionId, traceId: latest.traceId });
          await bus.publish({
            type: 'events-appended',
            workspaceId: workspace.workspaceId,
            sessionId,
            lastOffset: event.offset,
          });
          return event;
        } finally {
          await release();
        }
      },
    };
  }

  return {
    tools,
    store,
    eventBus: bus,
    model: dependencies.model,
    get turnsInFlight() {
      return inFlight.size;
    },
    forWorkspace(workspaceId) {
      const workspace = store.forWorkspace(workspaceId);
      return { ...workspace, sessions: sessionsOf(workspace) };
    },
    async sync(workspaceId, definition) {
      const defined = defineAgent(definition);
      // Conflicts first, so nothing is written; tools join only once the sync has landed.
      for (const definitionTool of defined.tools) checkRegistrable(definitionTool);
      const report = await syncAgent(store, workspaceId, defined);
      for (const definitionTool of defined.tools) register(definitionTool);
      return report;
    },
    async close() {
      closing = true;
      for (const controller of inFlight.keys())
        controller.abort(new ParleyError('cancelled', 'The engine is closing'));
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
