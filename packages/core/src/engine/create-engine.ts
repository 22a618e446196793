import { z } from 'zod';
import {
  type AgentDefinition,
  type AgentDefinitionInput,
  defineAgent,
} from '../definition/define-agent';
import { type AgentSyncReport, syncAgent } from '../definition/sync-agent';
import type { WorkflowTrigger } from '../domain/agent-workflow';
import type { ParleyEvent } from '../domain/event';
import { maximumMessageLength } from '../domain/event';
import type { Session } from '../domain/session';
import type { SessionWorkflow } from '../domain/session-workflow';
import { ParleyError, toParleyError } from '../errors/parley-error';
import { createInMemoryEventBus } from '../event-bus/in-memory-event-bus';
import type { ChatModel } from '../ports/chat-model';
import { type Clock, systemClock } from '../ports/clock';
import type { Embedder } from '../ports/embedder';
import type { EventBus } from '../ports/event-bus';
import type { Retriever } from '../ports/retriever';
import type { SessionRepository, Store, WorkspaceStore } from '../ports/store';
import type { ToolProvider } from '../ports/tool-provider';
import type { WorkflowExecutor } from '../ports/workflow-executor';
import { createOfflineEmbedder } from '../retrieval/offline-embedder';
import { parseInput } from '../store/parse-input';
import type { ToolDefinition } from '../tools/tool';
import { createToolHealth, type ToolHealthEntry } from '../tools/tool-health';
import { createToolRateLimiter } from '../tools/tool-rate-limiter';
import { createSessionReactions } from '../workflows/session-reactions';
import { createWorkflowToolProvider } from '../workflows/workflow-tools';
import { createAgentCatalogCache } from './agent-catalog';
import { type AgentPerformanceEntry, createAgentPerformance } from './agent-performance';
import { type EngineLogger, silentLogger } from './engine-logger';
import type { MatchingSettings } from './match-guidelines';
import { type ModerationOptions, moderationSettingsOf } from './moderate-message';
import { type PreambleOptions, preambleSettingsOf } from './preamble-stage';
import { createProvidedTools, type ToolProvisionOptions } from './provided-tools';
import { type RetrievalOptions, retrievalSettingsOf } from './retrieve-knowledge';
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
  /**
   * Matching on meaning as well as words: a second embedder (a neural one, such as
   * `createUniversalSentenceEncoderEmbedder` of `@parley/core/universal-sentence-encoder`)
   * whose scores are fused with the first's for guidelines, journeys, terms and canned
   * responses. `weight` is the semantic share of the fused score (default 0.5).
   */
  semanticEmbedder?: Embedder | { embedder: Embedder; weight?: number };
  /** The typed tools the agents may call, by name. */
  tools?: readonly ToolDefinition[];
  /**
   * Where agents find knowledge (a host's knowledge base through `createPgvectorRetriever` of
   * `@parley/core/pgvector`, a search service…), by `id`. An agent, a guideline or a journey
   * state names the ones it draws on in `retrieverIds` (`retrievers` in `defineAgent`). Every
   * attached retriever starts with the turn, beside guideline matching; the turn keeps the
   * passages of the agent's retrievers, of the guidelines that apply and of the journey state
   * it reaches, and aborts the others. Passages reach the model's prompt (cited as `[1]`) and
   * canned templates (`{{passage.text}}`, `{{passage.title}}`, `{{passages.1.url}}`); the
   * reply's message event lists their sources, the `ready` explanation the passages.
   */
  retrievers?: readonly Retriever[];
  /** Retrieval's deadline and size; see {@link RetrievalOptions}. */
  retrieval?: RetrievalOptions;
  /**
   * Tools resolved at run time (a host's user-made tools, an MCP server's through
   * `createMcpToolProvider` of `@parley/core/mcp`): each turn asks every provider for the
   * agent's tools beside the engine's own `tools` (which win a name both have), kept per agent
   * while its catalog revision stays and for `toolProvision.cacheMs`. A provided tool runs
   * where the agent's guidelines, journey states or variables name it, like any other.
   */
  toolProviders?: readonly ToolProvider[];
  /** The run-time tools' cache and deadline; see {@link ToolProvisionOptions}. */
  toolProvision?: ToolProvisionOptions;
  /**
   * Runs the host's workflows (the example Sim host's calls its execute route). With it, an
   * agent's workflow links (`agentWorkflows`) take effect: those with a `toolName` become
   * tools (provided like `toolProviders`' ones), those with `triggers` run when a session
   * starts, is handed to a person (its mode turns `manual`) or closes. Every run is recorded
   * in `sessionWorkflows`. Without it, the links are stored and nothing runs them.
   */
  workflowExecutor?: WorkflowExecutor;
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
  /**
   * How a turn that cannot start is retried: its lock, its bus subscription or its first read
   * failed (the database away for a moment, say). It tries again with a growing delay for
   * `retryForMs` (default 5 minutes; delays from 200 ms up to 5 s), then records a retryable
   * `error` status for the message (or, with the database still away, leaves that to the
   * watchers that call `settleAbandonedTurn`), so no customer message is left without an
   * outcome.
   */
  turnStart?: { retryForMs?: number; retryDelayMs?: { initial?: number; maximum?: number } };
  /**
   * A short holding message (`data.preamble: true`) a turn sends before its reply when it is
   * about to run tools, or when its reply has not begun after `afterMilliseconds` (default
   * 1500, on the engine's clock): the agent's canned responses tagged `preamble`, or with a
   * model and none of those, a default line. It never delays the reply. Default enabled.
   */
  preamble?: PreambleOptions;
  /**
   * Input moderation: every customer message is checked by `moderator` in parallel with
   * matching. A flagged one gets `flaggedReply` (no tools run) and a `moderation` custom
   * event; a censored one reaches the model censored. A moderator that fails or outlasts
   * `timeoutMs` (default 5 s) is logged and the turn goes on unmoderated. Default: none.
   */
  moderation?: ModerationOptions;
}

/** Default share of the semantic embedder's score in a fused retrieval score. */
const defaultSemanticWeight = 0.5;

function semanticRetrieval(
  options: EngineOptions,
): { embedder: Embedder; weight: number } | undefined {
  const semantic = options.semanticEmbedder;
  if (!semantic) return undefined;
  const { embedder, weight = defaultSemanticWeight } =
    'embed' in semantic ? { embedder: semantic, weight: undefined } : semantic;
  if (!Number.isFinite(weight) || weight < 0 || weight > 1)
    throw new ParleyError('validation_failed', 'semanticEmbedder.weight must be from 0 to 1', {
      details: { weight },
    });
  return { embedder, weight };
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
  /** The author's user id in the host (see `MessageEventData.participantId`). */
  participantId: z.string().min(1).max(128).optional(),
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
   * Runs the agent's workflows triggered by a session event (see
   * `EngineOptions.workflowExecutor`) and resolves with their runs once they end; `[]`
   * without an executor. `create` (`session_started`) and `update` (`handoff_requested` when
   * the mode turns `manual`, `session_closed` when the status turns `closed`) call it
   * themselves without waiting; a layer that writes sessions through the store directly (in
   * a transaction of its own, say) calls it after committing.
   */
  react(sessionId: string, trigger: WorkflowTrigger): Promise<SessionWorkflow[]>;
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
   * `error` status under that turn's trace (reason `turn_abandoned`) and returns it. A customer
   * message that no turn ever started for (its process died first, or it could not start)
   * ends the same way, with reason `turn_not_started`. `null` when a turn runs, when nothing
   * is open, and in manual mode (there a person answers). Watchers of a silent session call it
   * (the HTTP stream does).
   */
  settleAbandonedTurn(sessionId: string): Promise<ParleyEvent | null>;
}

/** Statuses that end a turn. */
const finalStatuses = new Set(['ready', 'error', 'cancelled']);

/** Failures a turn's start cannot get past by trying again: the session is gone or invalid. */
const permanentStartFailures = new Set(['not_found', 'validation_failed', 'forbidden']);

/** What a message whose turn never started ends with. */
const turnNotStartedError = {
  code: 'database_failed',
  reason: 'turn_not_started',
  message: 'Your message was kept, but no reply could be started; try again',
  retryable: true,
} as const;

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
  /**
   * How each tool has fared in this process: calls, failures, timeouts, rate-limit refusals,
   * latency p50 and p95 over its recent calls (variable refreshes included).
   */
  toolHealth(): ToolHealthEntry[];
  /**
   * How each agent's turns have gone in this process (of one workspace, or all): turns,
   * errors by code, response time and time to first token p50/p95, session success rate,
   * model calls and tokens.
   */
  agentPerformance(workspaceId?: string): AgentPerformanceEntry[];
  /** The store the engine reads and writes (for layers above it, e.g. the HTTP handler). */
  readonly store: Store;
  /** The bus its turns announce events and deltas on. */
  readonly eventBus: EventBus;
  /** The model, or `null` when the engine runs without one. */
  readonly model: ChatModel | null;
  /** Turns running in this process. */
  readonly turnsInFlight: number;
  /**
   * Turns that failed to start at least once since the engine was created (each is retried,
   * then ends with an `error` status if it still cannot start): a counter for metrics.
   */
  readonly turnStartFailures: number;
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
  minimumAcceptedScoreWithoutModel: 0.2,
  acceptanceMarginWithoutModel: 0.04,
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

  const matching = { ...defaultMatching, ...options.matching };
  const toolHealth = createToolHealth();
  const agentPerformance = createAgentPerformance();
  const dependencies: TurnDependencies = {
    model: options.model ?? null,
    catalogs: createAgentCatalogCache({
      embedder,
      semantic: semanticRetrieval(options),
      acceptance: {
        minimum: matching.minimumAcceptedScoreWithoutModel,
        margin: matching.acceptanceMarginWithoutModel,
      },
    }),
    tools,
    providedTools: createProvidedTools({
      registry: tools,
      providers: [
        ...(options.toolProviders ?? []),
        ...(options.workflowExecutor
          ? [createWorkflowToolProvider({ store, executor: options.workflowExecutor, clock })]
          : []),
      ],
      options: options.toolProvision,
      clock,
      logger,
    }),
    bus,
    clock,
    logger,
    retrieval: retrievalSettingsOf(options.retrievers, options.retrieval),
    toolRuns: { health: toolHealth, rateLimiter: createToolRateLimiter() },
    settings: {
      ...matching,
      historyLimit: options.historyLimit ?? 30,
      fallbackReply: options.fallbackReply ?? "I'm sorry, I can't help with that here.",
      minimumCannedScore:
        options.matching?.minimumScoreWithoutModel ?? defaultMatching.minimumScoreWithoutModel,
      preamble: preambleSettingsOf(options.preamble),
      moderation: moderationSettingsOf(options.moderation),
    },
  };

  const reactions = options.workflowExecutor
    ? createSessionReactions({ executor: options.workflowExecutor, bus, clock, logger })
    : null;

  const inFlight = new Map<AbortController, Promise<TurnOutcome>>();
  let closing = false;
  let turnStartFailures = 0;
  const turnStart = {
    retryForMs: options.turnStart?.retryForMs ?? 5 * 60_000,
    initialDelayMs: options.turnStart?.retryDelayMs?.initial ?? 200,
    maximumDelayMs: options.turnStart?.retryDelayMs?.maximum ?? 5_000,
  };

  /**
   * One try at a turn: subscribe to cancellation, wait for the lock, read the snapshot, run.
   * Throws only before the turn ran (nothing recorded yet), so the caller may try again. A try
   * after a failed one (`afterFailure`) first looks whether a watcher settled the message while
   * it waited (a `turn_not_started` status after `knownOffset`, the newest status the
   * requester knew of): then the turn is no longer wanted. The first try never has to: the
   * watchers leave a message alone for seconds, and never while its turn holds the lock.
   */
  async function tryTurn(
    workspace: WorkspaceStore,
    sessionId: string,
    trigger: { triggerOffset: number; knownOffset: number },
    traceId: string,
    controller: AbortController,
    afterFailure: boolean,
  ): Promise<TurnOutcome> {
    const unsubscribe = await bus.subscribe(sessionId, (message) => {
      if (
        message.type === 'turn-cancel' &&
        message.workspaceId === workspace.workspaceId &&
        (message.beforeOffset === undefined || trigger.triggerOffset < message.beforeOffset)
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
      if (newestCustomerOffset > trigger.triggerOffset) {
        return {
          status: 'skipped',
          traceId,
          reason: 'a newer customer message has its own turn',
        };
      }
      if (snapshot.session.mode === 'manual') {
        return { status: 'skipped', traceId, reason: 'the session is in manual mode' };
      }
      if (afterFailure) {
        const [latest] = await workspace.events.listLatest(sessionId, {
          kinds: ['status'],
          limit: 1,
        });
        if (
          latest?.kind === 'status' &&
          latest.offset > trigger.knownOffset &&
          latest.data.error?.reason === turnNotStartedError.reason
        ) {
          return { status: 'skipped', traceId, reason: 'the message was settled while it waited' };
        }
      }
      const started = performance.now();
      let firstTokenMs: number | null = null;
      const outcome = await runTurn(dependencies, {
        workspace,
        snapshot,
        traceId,
        signal: controller.signal,
        onFirstToken: () => {
          firstTokenMs = performance.now() - started;
        },
      });
      agentPerformance.record({
        workspaceId: workspace.workspaceId,
        agentId: snapshot.session.agentId,
        sessionId,
        outcome,
        durationMs: performance.now() - started,
        firstTokenMs,
        endedAt: dependencies.clock.now(),
      });
      return outcome;
    } finally {
      await unsubscribe().catch(() => undefined);
      await release?.();
    }
  }

  /**
   * Records that a message's turn could not start: a retryable `error` status under the
   * turn's trace, taken under the session's lock and only while nothing happened to the
   * session after `knownOffset`. One try: a database still away fails it too, and then the
   * watchers (`settleAbandonedTurn`) settle the message once it answers again.
   */
  async function settleUnstartedTurn(
    workspace: WorkspaceStore,
    sessionId: string,
    trigger: { triggerOffset: number; knownOffset: number },
    traceId: string,
  ): Promise<void> {
    try {
      const release = await workspace.sessions.tryLockTurn(sessionId);
      // Someone runs a turn of this session: its statuses follow, this message's fate with them.
      if (!release) return;
      try {
        const [latest] = await workspace.events.listLatest(sessionId, { limit: 1 });
        if (!latest || latest.offset > Math.max(trigger.triggerOffset, trigger.knownOffset)) return;
        await appendErrorStatus(workspace, sessionId, traceId, { ...turnNotStartedError });
      } finally {
        await release();
      }
    } catch (error) {
      logger.error('could not record that a turn did not start', {
        sessionId,
        traceId,
        error: String(error),
      });
    }
  }

  /**
   * Appends one `error` status under `traceId` and announces it: how a turn or a message that
   * nobody else will end is settled.
   */
  async function appendErrorStatus(
    workspace: WorkspaceStore,
    sessionId: string,
    traceId: string,
    error: { code: string; reason: string; message: string; retryable: boolean },
  ): Promise<ParleyEvent> {
    const [event] = (await workspace.events.append(sessionId, [
      { kind: 'status', source: 'ai_agent', traceId, data: { status: 'error', error } },
    ])) as [ParleyEvent];
    await publishQuietly({
      type: 'events-appended',
      workspaceId: workspace.workspaceId,
      sessionId,
      lastOffset: event.offset,
    });
    return event;
  }

  /** Publishes a hint; a bus that fails loses it (streams read the store on the next one). */
  async function publishQuietly(message: Parameters<EventBus['publish']>[0]): Promise<void> {
    try {
      await bus.publish(message);
    } catch (error) {
      logger.warn('could not publish on the event bus', {
        sessionId: message.sessionId,
        type: message.type,
        error: String(error),
      });
    }
  }

  /**
   * Queues a turn for the session: it waits for the lock, then runs unless superseded. A turn
   * that cannot start (the database away: the lock, the bus or the first read failed) is
   * logged with its trace id, counted, and tried again with backoff; if it still cannot start
   * after `turnStart.retryForMs`, its message ends with a retryable `error` status. The
   * returned promise never rejects.
   */
  function startTurn(
    workspace: WorkspaceStore,
    sessionId: string,
    trigger: { triggerOffset: number; knownOffset: number },
  ): Promise<TurnOutcome> {
    if (closing) throw new ParleyError('not_ready', 'The engine is closing');
    const controller = new AbortController();
    const traceId = globalThis.crypto.randomUUID();
    const turn = (async (): Promise<TurnOutcome> => {
      const startedAt = Date.now();
      let delay = turnStart.initialDelayMs;
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            return await tryTurn(workspace, sessionId, trigger, traceId, controller, attempt > 1);
          } catch (caught) {
            if (controller.signal.aborted) {
              return { status: 'skipped', traceId, reason: 'superseded before it started' };
            }
            const error = toParleyError(caught);
            if (attempt === 1) turnStartFailures += 1;
            const giveUp =
              permanentStartFailures.has(error.code) ||
              Date.now() - startedAt >= turnStart.retryForMs;
            logger.error(giveUp ? 'turn could not start' : 'turn could not start; trying again', {
              sessionId,
              traceId,
              attempt,
              code: error.code,
              reason: error.reason,
              error: String(error.cause ?? error.message),
            });
            if (giveUp) {
              if (error.code !== 'not_found') {
                await settleUnstartedTurn(workspace, sessionId, trigger, traceId);
              }
              return { status: 'error', traceId, error };
            }
            await pause(delay, controller.signal);
            delay = Math.min(delay * 2, turnStart.maximumDelayMs);
          }
        }
      } finally {
        inFlight.delete(controller);
      }
    })();
    inFlight.set(controller, turn);
    return turn;
  }

  function sessionsOf(workspace: WorkspaceStore): EngineSessions {
    const { setTurnState: _setTurnState, lockTurn: _lockTurn, ...records } = workspace.sessions;
    /** Starts the reactions to a session event without waiting for them. */
    const reactLater = (session: Session, trigger: WorkflowTrigger) => {
      void reactions?.react(workspace, session, trigger);
    };
    return {
      ...records,

      async create(input) {
        const session = await records.create(input);
        reactLater(session, 'session_started');
        return session;
      },

      async update(sessionId, patch) {
        const before = reactions ? await records.get(sessionId) : null;
        const session = await records.update(sessionId, patch);
        if (before && before.mode !== 'manual' && session.mode === 'manual') {
          reactLater(session, 'handoff_requested');
        }
        if (before && before.status !== 'closed' && session.status === 'closed') {
          reactLater(session, 'session_closed');
        }
        return session;
      },

      async react(sessionId, trigger) {
        if (!reactions) return [];
        return reactions.react(workspace, await records.get(sessionId), trigger);
      },

      async postCustomerMessage(sessionId, message) {
        const input = parseInput(customerMessageInputSchema, message, 'customer message');
        // Refused before it is stored: a message kept by an engine that cannot answer it would
        // wait for a watcher to settle it.
        if (closing)
          throw new ParleyError('not_ready', 'The engine is closing', { retryable: true });
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
        // The message is stored: from here on nothing may keep its turn from starting. A bus
        // that fails loses these hints only (streams catch up from the store; a turn it did
        // not cancel ends before this one takes the lock).
        await publishQuietly({
          type: 'events-appended',
          workspaceId: workspace.workspaceId,
          sessionId,
          lastOffset: event.offset,
        });
        await publishQuietly({
          type: 'turn-cancel',
          workspaceId: workspace.workspaceId,
          sessionId,
          beforeOffset: event.offset,
        });
        const turn =
          session.mode === 'manual'
            ? null
            : startTurn(workspace, sessionId, {
                triggerOffset: event.offset,
                knownOffset: event.offset,
              });
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
          kinds: ['message', 'status'],
          limit: 20,
        });
        const trigger = latest
          .filter((event) => event.kind === 'message' && event.source === 'customer')
          .at(-1);
        if (!trigger)
          throw new ParleyError('conflict', 'The session has no customer message to answer');
        const knownStatus = latest.filter((event) => event.kind === 'status').at(-1);
        // No cancel here: a turn still running for this message finishes first (the lock
        // orders them), then this one runs it again.
        return {
          turn: startTurn(workspace, sessionId, {
            triggerOffset: trigger.offset,
            knownOffset: Math.max(trigger.offset, knownStatus?.offset ?? -1),
          }),
        };
      },

      async cancel(sessionId) {
        await workspace.sessions.get(sessionId);
        await bus.publish({ type: 'turn-cancel', workspaceId: workspace.workspaceId, sessionId });
      },

      async settleAbandonedTurn(sessionId) {
        const release = await workspace.sessions.tryLockTurn(sessionId);
        if (!release) return null;
        try {
          const latest = await workspace.events.listLatest(sessionId, {
            kinds: ['message', 'status'],
            limit: 20,
          });
          const lastStatus = latest.filter((event) => event.kind === 'status').at(-1);
          const lastCustomerMessage = latest
            .filter((event) => event.kind === 'message' && event.source === 'customer')
            .at(-1);
          const open = lastStatus?.kind === 'status' && !finalStatuses.has(lastStatus.data.status);
          const unanswered =
            lastCustomerMessage !== undefined &&
            lastCustomerMessage.offset > (lastStatus?.offset ?? -1);
          if (!open && !unanswered) return null;
          // In manual mode a person answers: a message waiting for them is no failure.
          if (!open && (await workspace.sessions.get(sessionId)).mode === 'manual') return null;
          const traceId = open ? lastStatus.traceId : globalThis.crypto.randomUUID();
          const error = open
            ? {
                code: 'internal',
                reason: 'turn_abandoned',
                message: 'The reply stopped before it was finished; try again',
                retryable: true,
              }
            : { ...turnNotStartedError };
          const event = await appendErrorStatus(workspace, sessionId, traceId, error);
          logger.error(open ? 'abandoned turn ended' : 'unanswered message settled', {
            sessionId,
            traceId,
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
    toolHealth: () => toolHealth.snapshot(),
    agentPerformance: (workspaceId) => agentPerformance.snapshot(workspaceId),
    store,
    eventBus: bus,
    model: dependencies.model,
    get turnsInFlight() {
      return inFlight.size;
    },
    get turnStartFailures() {
      return turnStartFailures;
    },
    forWorkspace(workspaceId) {
      const workspace = store.forWorkspace(workspaceId);
      return { ...workspace, sessions: sessionsOf(workspace) };
    },
    async sync(workspaceId, definition) {
      const defined = defineAgent(definition);
      // Conflicts first, so nothing is written; tools join only once the sync has landed.
      for (const definitionTool of defined.tools) checkRegistrable(definitionTool);
      checkRetrieversKnown(defined, dependencies.retrieval.retrievers);
      const report = await syncAgent(store, workspaceId, defined);
      for (const definitionTool of defined.tools) register(definitionTool);
      return report;
    },
    async close() {
      closing = true;
      for (const controller of inFlight.keys())
        controller.abort(new ParleyError('cancelled', 'The engine is closing'));
      await Promise.allSettled([...inFlight.values(), reactions?.close()]);
    },
  };
}

/**
 * Refuses a definition that names retrievers the engine was not given (a typo would otherwise
 * only show as an `unknown` retriever in each turn's explanation), naming each path.
 */
function checkRetrieversKnown(
  definition: AgentDefinition,
  retrievers: ReadonlyMap<string, unknown>,
): void {
  const named: Array<{ path: string; id: string }> = [
    ...definition.retrievers.map((id, index) => ({ path: `retrievers.${index}`, id })),
    ...definition.guidelines.flatMap((guideline, guidelineIndex) =>
      guideline.retrievers.map((id, index) => ({
        path: `guidelines.${guidelineIndex}.retrievers.${index}`,
        id,
      })),
    ),
    ...definition.journeys.flatMap((journey, journeyIndex) =>
      journey.states.flatMap((state, stateIndex) =>
        state.retrievers.map((id, index) => ({
          path: `journeys.${journeyIndex}.states.${stateIndex}.retrievers.${index}`,
          id,
        })),
      ),
    ),
  ];
  const unknown = named.filter((entry) => !retrievers.has(entry.id));
  if (unknown.length === 0) return;
  const known = [...retrievers.keys()];
  throw new ParleyError(
    'validation_failed',
    `Invalid agent definition: ${unknown
      .map((entry) => `${entry.path}: unknown retriever "${entry.id}"`)
      .join(
        '; ',
      )} (the engine's retrievers: ${known.length > 0 ? known.join(', ') : 'none; pass them as createEngine({ retrievers })'})`,
    {
      details: {
        issues: unknown.map((entry) => ({
          path: entry.path,
          message: `unknown retriever "${entry.id}"`,
        })),
      },
    },
  );
}

/** Waits `milliseconds`, or less when `signal` aborts. */
function pause(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, milliseconds);
    signal.addEventListener('abort', done, { once: true });
  });
}
