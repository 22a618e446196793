import type { CompositionMode, JsonValue } from '../domain/common';
import type { ParleyEvent } from '../domain/event';
import type { Guideline } from '../domain/guideline';
import type { SessionTurnState } from '../domain/session';
import { ParleyError, toParleyError } from '../errors/parley-error';
import type { ChatModel } from '../ports/chat-model';
import type { Clock } from '../ports/clock';
import type { EventBus } from '../ports/event-bus';
import type { TurnSnapshot, WorkspaceStore } from '../ports/store';
import type { RunToolOptions } from '../tools/run-tool';
import type { ToolDefinition } from '../tools/tool';
import { type AgentCatalogCache, guidelineOfIntent } from './agent-catalog';
import { catalogForCustomer } from './catalog-for-customer';
import type { PreambleReason } from './choose-preamble';
import { type ComposedReply, composeReply } from './compose-reply';
import type { EngineLogger } from './engine-logger';
import { labelsFromMatches } from './labels-from-matches';
import { type MatchingSettings, type MatchOutcome, matchGuidelines } from './match-guidelines';
import { type ModerationCheck, type ModerationSettings, moderateMessage } from './moderate-message';
import { type PreambleSettings, startPreamble } from './preamble-stage';
import type { ProvidedTools } from './provided-tools';
import {
  type KnowledgeRetrieval,
  type RetrievalSettings,
  type RetrieverOutcome,
  startKnowledgeRetrieval,
} from './retrieve-knowledge';
import { runToolStage, type ToolStageOutcome } from './run-tool-stage';
import { loadTurnContext, withCensoredMessage } from './turn-context';
import { createTurnModel, type ModelUsage } from './turn-model';
import { createTurnRecorder } from './turn-recorder';

/** How a turn ended. */
export type TurnOutcome =
  | {
      status: 'ready';
      traceId: string;
      message: ParleyEvent;
      explanation: TurnExplanation;
      /** A tool failed: the customer was told, and the turn is marked as an error they can retry. */
      toolFailure: ParleyError | null;
    }
  | { status: 'error'; traceId: string; error: ParleyError }
  | { status: 'cancelled'; traceId: string }
  | { status: 'skipped'; traceId: string; reason: string };

/** Why the agent said what it said: carried by the `ready` event. */
export interface TurnExplanation {
  guidelines: Array<{ id: string; condition: string; action: string | null }>;
  alreadyApplied: string[];
  candidates: Array<{ id: string; score: number }>;
  relationshipSteps: Array<{ guidelineId: string; change: string; because: string }>;
  disambiguation: { observationId: string; optionIds: string[] } | null;
  journey: { journeyId: string; title: string; state: string; started: boolean } | null;
  tools: Array<{ toolName: string; ok: boolean }>;
  /**
   * Labels this turn gave the session: those of the guidelines that apply and of the journey
   * it is in (the session keeps every label it had). Empty when they carry none.
   */
  labels: string[];
  composition: { mode: CompositionMode; cannedResponseId: string | null; usedFallback: boolean };
  model: ModelUsage;
  /**
   * The retrieved passages the reply drew on (shown by its template, or given to the model,
   * `cited` when its text cites their source), and how each attached retriever's search went.
   */
  knowledge: {
    passages: Array<{
      id: string;
      retrieverId: string;
      score: number;
      source: { title: string; url?: string; documentId?: string };
      cited: boolean;
    }>;
    retrievers: RetrieverOutcome[];
  };
  /** The holding line sent before the reply, and why; `null` when none was. */
  preamble: { reason: PreambleReason; cannedResponseId: string | null } | null;
  /**
   * What input moderation found: `passed`, `censored` (the model read the censored text),
   * `flagged` (the configured reply was sent, no tools ran) or `failed` (answered
   * unmoderated); `null` without a moderator.
   */
  moderation: {
    status: 'passed' | 'censored' | 'flagged' | 'failed';
    moderator: string;
    categories: string[];
  } | null;
}

/** What every turn shares: the engine's parts. */
export interface TurnDependencies {
  model: ChatModel | null;
  catalogs: AgentCatalogCache;
  tools: ReadonlyMap<string, ToolDefinition>;
  /** The registry with the tools the engine's providers give an agent at run time. */
  providedTools: ProvidedTools;
  bus: EventBus;
  clock: Clock;
  logger: EngineLogger;
  /** The engine's retrievers and how long they may take. */
  retrieval: RetrievalSettings;
  /** The engine's tool health and rate limits. */
  toolRuns: RunToolOptions;
  settings: MatchingSettings & {
    historyLimit: number;
    fallbackReply: string;
    minimumCannedScore: number;
    preamble: PreambleSettings;
    /** `null`: messages are not moderated. */
    moderation: ModerationSettings | null;
  };
}

const strictness: Record<CompositionMode, number> = { fluid: 0, canned_fluid: 1, canned_strict: 2 };

/** The strictest mode among the agent's and the applied guidelines'. */
function effectiveMode(agentMode: CompositionMode, applied: readonly Guideline[]): CompositionMode {
  let mode = agentMode;
  for (const guideline of applied) {
    if (guideline.compositionMode && strictness[guideline.compositionMode] > strictness[mode]) {
      mode = guideline.compositionMode;
    }
  }
  return mode;
}

/**
 * Runs one turn of a session that is already locked: acknowledged → processing (context,
 * guideline matching, tool calls) → typing → deltas → message → ready, each stage recorded as
 * an event under one trace. A failure ends the turn with an `error` status carrying its code
 * and whether a retry can help; an abort ends it with `cancelled`. The customer's message is
 * never touched.
 */
export async function runTurn(
  dependencies: TurnDependencies,
  request: {
    workspace: WorkspaceStore;
    /** Read under the turn lock, right before the turn. */
    snapshot: TurnSnapshot;
    traceId: string;
    signal: AbortSignal;
    /** Called once, when the reply's first token is sent (for the time-to-first-token figure). */
    onFirstToken?: () => void;
  },
): Promise<TurnOutcome> {
  const { workspace, snapshot, traceId, signal } = request;
  const { session } = snapshot;
  const sessionId = session.id;
  const recorder = createTurnRecorder({ workspace, bus: dependencies.bus, sessionId, traceId });
  const model = dependencies.model ? createTurnModel(dependencies.model) : null;
  const { settings } = dependencies;
  const loadingCatalog = dependencies.catalogs.get(
    workspace,
    session.agentId,
    snapshot.catalogRevision,
  );
  // Awaited below; this keeps a failed load from counting as unhandled meanwhile.
  loadingCatalog.catch(() => undefined);
  // The agent's run-time tools, asked for as soon as the agent is known (cached by revision).
  const loadingTools = loadingCatalog.then((catalog) =>
    dependencies.providedTools.resolve({
      workspaceId: workspace.workspaceId,
      agent: catalog.agent,
      revision: snapshot.catalogRevision,
      signal,
    }),
  );
  loadingTools.catch(() => undefined);
  // Runs beside every stage below until the reply begins: a holding line for a slow turn.
  const preamble = startPreamble({
    settings: settings.preamble,
    catalog: loadingCatalog,
    history: snapshot.history,
    hasModel: model !== null,
    recorder,
    clock: dependencies.clock,
    logger: dependencies.logger,
    signal,
  });
  let retrieval: KnowledgeRetrieval | null = null;
  try {
    // Loading the context is a read or two: its stage is announced with matching's.
    await recorder.append([
      { kind: 'status', source: 'ai_agent', data: { status: 'acknowledged' } },
      {
        kind: 'status',
        source: 'ai_agent',
        data: { status: 'processing', stage: 'guideline_matching' },
      },
    ]);
    // Preambles are kept apart in the catalog: matching and composition never see them.
    const registry = await loadingTools;
    const loaded = await loadTurnContext({
      workspace,
      catalog: await loadingCatalog,
      session,
      history: snapshot.history,
      tools: registry,
      toolRuns: dependencies.toolRuns,
      signal,
      now: dependencies.clock.now(),
      logger: dependencies.logger,
    });
    // Guidelines and journeys scoped to customer tags this customer lacks are out of the
    // turn from here on, before anything is retrieved.
    const catalog = await catalogForCustomer(loaded.catalog, loaded.customer?.tags ?? []);
    const context = catalog === loaded.catalog ? loaded : { ...loaded, catalog };
    signal.throwIfAborted();
    // Every attached retriever starts now, beside matching; those whose guideline does not
    // apply are aborted once matching says so.
    retrieval = startKnowledgeRetrieval({
      settings: dependencies.retrieval,
      catalog,
      session,
      history: snapshot.history,
      latestCustomerMessage: context.latestCustomerMessage,
      earlierCustomerMessages: context.earlierCustomerMessages,
      signal,
      clock: dependencies.clock,
      logger: dependencies.logger,
      traceId,
    });

    const offerCanned =
      catalog.cannedResponses.length > 0 &&
      (catalog.agent.compositionMode !== 'fluid' ||
        model === null ||
        [...catalog.guidelines.values()].some(
          (guideline) => guideline.compositionMode && guideline.compositionMode !== 'fluid',
        ));
    // Moderation runs beside matching; a flagged message sets aside what matching found.
    const [matched, moderation] = await Promise.all([
      matchGuidelines({
        context,
        model,
        offerCannedResponses: offerCanned,
        settings,
      }),
      moderateMessage({
        settings: settings.moderation,
        text: context.latestCustomerMessage,
        signal,
        clock: dependencies.clock,
        logger: dependencies.logger,
        traceId,
      }),
    ]);
    signal.throwIfAborted();
    const verdict = moderation.status === 'checked' ? moderation.verdict : null;
    const flagged = verdict?.flagged === true;
    const censored = verdict !== null && verdict.censoredText !== context.latestCustomerMessage;
    if (verdict && (flagged || censored)) {
      await recorder.append([
        {
          kind: 'custom',
          source: 'system',
          data: {
            type: 'moderation',
            payload: {
              flagged,
              censored,
              categories: verdict.categories,
              moderator: settings.moderation?.moderator.id ?? null,
            },
          },
        },
      ]);
    }
    const match = flagged ? setAside(matched) : matched;
    const agentRetrieverIds = flagged ? [] : catalog.agent.retrieverIds;
    const guidelineRetrieverIds = match.applied.flatMap((guideline) => guideline.retrieverIds);
    retrieval.keepOnly(
      new Set([
        ...agentRetrieverIds,
        ...guidelineRetrieverIds,
        ...(match.journey?.journey.states.flatMap((state) => state.retrieverIds) ?? []),
      ]),
    );
    // The model reads the message as censored; the stored message stays as written.
    const modelContext =
      verdict && censored && !flagged
        ? withCensoredMessage(context, verdict.censoredText)
        : context;

    const tools: ToolStageOutcome = flagged
      ? { runs: [], missingArguments: [], journey: null, journeyMemory: {} }
      : await runToolStage({
          context: modelContext,
          model,
          recorder,
          registry,
          toolRuns: dependencies.toolRuns,
          applied: match.applied,
          journey: match.journey,
          onStart: async () => {
            preamble.toolsWillRun();
            await recorder.status({ status: 'processing', stage: 'tool_calls' });
          },
          minimumScore: settings.minimumScoreWithoutModel,
        });
    signal.throwIfAborted();

    const mode =
      model === null
        ? 'canned_strict'
        : effectiveMode(catalog.agent.compositionMode, match.applied);
    // The journey's state after the tool stage, then the applied guidelines, then the agent:
    // the more specific attachment's passages come first. A reply that can only be canned
    // and has no template showing passages does not wait for them.
    const knowledge = await retrieval.collect(
      (mode === 'canned_strict' || model === null) && !catalog.cannedResponsesShowPassages
        ? []
        : [
            ...(tools.journey?.state.retrieverIds ?? []),
            ...guidelineRetrieverIds,
            ...agentRetrieverIds,
          ],
    );
    signal.throwIfAborted();
    const messageId = globalThis.crypto.randomUUID();
    let typing = false;
    const onDelta = async (text: string) => {
      signal.throwIfAborted();
      if (!typing) {
        typing = true;
        request.onFirstToken?.();
        // The reply has begun: it needs no preamble any more.
        preamble.stop();
        recorder.statusInBackground({ status: 'typing' });
      }
      await recorder.delta(messageId, text);
    };
    const reply =
      flagged && settings.moderation
        ? await sendFixedReply(settings.moderation.flaggedReply, mode, onDelta)
        : await composeReply({
            context: modelContext,
            model,
            mode,
            match,
            tools,
            journey: tools.journey,
            fallbackReply: settings.fallbackReply,
            minimumCannedScore: settings.minimumCannedScore,
            onDelta,
            passages: knowledge.passages,
          });
    preamble.stop();
    signal.throwIfAborted();

    const journeyAfter = tools.journey && tools.journey.state.kind !== 'end' ? tools.journey : null;
    // A flagged message applied nothing (matching was set aside), so it labels nothing.
    const labels = labelsFromMatches(
      [...match.applied, ...match.alreadyApplied],
      tools.journey?.journey ?? match.journey?.journey ?? null,
    );
    const toolFailure = tools.runs.find((run) => !run.ok);
    const explanation: TurnExplanation = {
      guidelines: match.applied.map((guideline) => ({
        id: guideline.id,
        condition: guideline.condition,
        action: guideline.action,
      })),
      alreadyApplied: match.alreadyApplied.map((guideline) => guideline.id),
      candidates: match.candidates.map((candidate) => ({
        id: candidate.guideline.id,
        score: Math.round(candidate.score * 1000) / 1000,
      })),
      relationshipSteps: match.relationshipSteps,
      disambiguation: match.disambiguation
        ? {
            observationId: match.disambiguation.observation.id,
            optionIds: match.disambiguation.options.map((guideline) => guideline.id),
          }
        : null,
      journey: tools.journey
        ? {
            journeyId: tools.journey.journey.id,
            title: tools.journey.journey.title,
            state: tools.journey.state.key,
            started: tools.journey.started,
          }
        : null,
      tools: tools.runs.map((run) => ({ toolName: run.toolName, ok: run.ok })),
      labels,
      composition: {
        mode: reply.mode,
        cannedResponseId: reply.cannedResponseId,
        usedFallback: reply.usedFallback,
      },
      model: model?.usage ?? { calls: 0, promptTokens: 0, completionTokens: 0, purposes: [] },
      knowledge: {
        passages: reply.usedPassages.map((passage) => ({
          id: passage.id,
          retrieverId: passage.retrieverId,
          score: Math.round(passage.score * 1000) / 1000,
          source: passage.source,
          cited: passage.cited,
        })),
        retrievers: knowledge.outcomes,
      },
      preamble: preamble.sent,
      moderation: explainModeration(moderation, settings.moderation, censored),
    };
    // The status reaches the customer's client: it names the tool and keeps the tool's own
    // message (in the tool event, for operators) out.
    const failure = toolFailure
      ? new ParleyError('tool_failed', `The ${toolFailure.toolName} tool failed`, {
          retryable: toolFailure.retryable,
        })
      : null;
    const applied = new Set(session.turnState.appliedGuidelineIds ?? []);
    for (const guideline of [...match.applied, ...match.alreadyApplied]) applied.add(guideline.id);
    // Without a model, outside a journey: the guideline this turn answered, for a follow-up to
    // stay with, and the guidelines whose tool ran or waits for an argument asked for. A model
    // reads the conversation itself, so a turn with one neither needs these nor pays for the
    // reply pairing they read.
    const keepsFollowUpState = model === null && !journeyAfter;
    const replyIntent =
      keepsFollowUpState && reply.cannedResponseId
        ? (await catalog.cannedResponseIntents()).get(reply.cannedResponseId)
        : undefined;
    const previousGuidelineId = !keepsFollowUpState
      ? null
      : (match.applied[0]?.id ?? guidelineOfIntent(catalog, replyIntent) ?? null);
    const waitingTools = new Set(tools.missingArguments.map((entry) => entry.tool.name));
    const ranTools = new Set(tools.runs.map((run) => run.toolName));
    const toolGuidelines = !keepsFollowUpState
      ? []
      : match.applied.flatMap((guideline) => {
          const names = (catalog.guidelineToolIds.get(guideline.id) ?? []).map(
            (toolId) => catalog.tools.get(toolId)?.name ?? '',
          );
          const awaiting = names.some((name) => waitingTools.has(name));
          return awaiting || names.some((name) => ranTools.has(name))
            ? [{ guidelineId: guideline.id, awaiting }]
            : [];
        });
    // What the next turn needs, written in the same statement as the reply and its status
    // (the labels too, so a turn that fails before its end labels nothing). A flagged
    // message changes nothing of it: a journey in progress waits where it was.
    const turnState: SessionTurnState | undefined = flagged
      ? undefined
      : {
          journey: journeyAfter
            ? {
                journeyId: journeyAfter.journey.id,
                stateKey: journeyAfter.state.key,
                ...(Object.keys(tools.journeyMemory).length > 0
                  ? { memory: tools.journeyMemory as Record<string, JsonValue> }
                  : {}),
              }
            : null,
          appliedGuidelineIds: [...applied].slice(-1000),
          ...(toolGuidelines.length > 0 ? { toolGuidelines: toolGuidelines.slice(0, 20) } : {}),
          ...(previousGuidelineId ? { previousGuidelineId } : {}),
        };
    const [message] = await recorder.append(
      [
        {
          id: messageId,
          kind: 'message',
          source: 'ai_agent',
          data: {
            text: reply.text,
            ...(reply.sources.length > 0 ? { sources: reply.sources.slice(0, 20) } : {}),
          },
        },
        failure
          ? {
              kind: 'status',
              source: 'ai_agent',
              data: {
                status: 'error',
                error: {
                  code: failure.code,
                  message: failure.message,
                  retryable: failure.retryable,
                },
                explanation: { ...explanation },
              },
            }
          : {
              kind: 'status',
              source: 'ai_agent',
              data: { status: 'ready', explanation: { ...explanation } },
            },
      ],
      {
        ...(turnState ? { turnState } : {}),
        ...(labels.length > 0 ? { addLabels: labels } : {}),
      },
    );
    return {
      status: 'ready',
      traceId,
      message: message as ParleyEvent,
      explanation,
      toolFailure: failure,
    };
  } catch (caught) {
    preamble.stop();
    retrieval?.abort();
    const error = toParleyError(caught);
    if (signal.aborted || error.code === 'cancelled') {
      await recorder.status({ status: 'cancelled' }).catch((recordError) => {
        dependencies.logger.error('could not record a cancelled turn', {
          sessionId,
          error: String(recordError),
        });
      });
      return { status: 'cancelled', traceId };
    }
    dependencies.logger.error('turn failed', {
      sessionId,
      traceId,
      code: error.code,
      reason: error.reason,
    });
    await recorder
      .status({
        status: 'error',
        error: {
          code: error.code,
          ...(error.reason ? { reason: error.reason } : {}),
          message: error.message.slice(0, 2000),
          retryable: error.retryable,
        },
      })
      .catch((recordError) => {
        dependencies.logger.error('could not record a failed turn', {
          sessionId,
          error: String(recordError),
        });
      });
    return { status: 'error', traceId, error };
  }
}

/** What matching found, set aside for a flagged message: nothing applies, nothing moves. */
function setAside(match: MatchOutcome): MatchOutcome {
  return {
    ...match,
    applied: [],
    alreadyApplied: [],
    disambiguation: null,
    relationshipSteps: [],
    journey: null,
    cannedResponse: null,
    sideQuestion: false,
  };
}

/** Streams a reply fixed in advance (the reply to a flagged message) as one delta. */
async function sendFixedReply(
  text: string,
  mode: CompositionMode,
  onDelta: (text: string) => Promise<void>,
): Promise<ComposedReply> {
  await onDelta(text);
  return { text, mode, cannedResponseId: null, usedFallback: false, usedPassages: [], sources: [] };
}

/** The explanation's account of moderation. */
function explainModeration(
  check: ModerationCheck,
  settings: ModerationSettings | null,
  censored: boolean,
): TurnExplanation['moderation'] {
  if (!settings || check.status === 'skipped') return null;
  const moderator = settings.moderator.id;
  if (check.status === 'failed') return { status: 'failed', moderator, categories: [] };
  const status = check.verdict.flagged ? 'flagged' : censored ? 'censored' : 'passed';
  return { status, moderator, categories: check.verdict.categories };
}
