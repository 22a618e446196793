import type { CannedResponse } from '../domain/canned-response';
import type { Guideline } from '../domain/guideline';
import type { Journey, JourneyState } from '../domain/journey';
import type { Term } from '../domain/term';
import type { Tool } from '../domain/tool';
import { type RelationshipStep, resolveRelationships } from '../matching/resolve-relationships';
import { extractArguments } from '../tools/extract-arguments';
import { argumentEvidence, argumentEvidenceWeight, toolsWithIds } from './argument-evidence';
import {
  freeTextAnswers,
  freeTextAnswersKey,
  freeTextParametersOf,
  journeyOwnWords,
} from './free-text-answers';
import { glossaryQuery } from './glossary-query';
import { journeyRoutes } from './journey-routes';
import { conditionSolved, problemSolved } from './problem-solved';
import {
  type ActiveJourneyView,
  buildJudgementMessages,
  type GuidelineCandidate,
  type Judgement,
  judgementSchema,
} from './prompts/judgement-prompt';
import { smallTalkQueries } from './small-talk';
import { asksForMissing } from './step-asks-for';
import { transitionPredicateHolds } from './transition-predicate-holds';
import type { TurnContext } from './turn-context';
import type { TurnModel } from './turn-model';
import { unknownThingAskedFor } from './unknown-thing-asked-for';
import { conditionExpects, yesOrNo } from './yes-or-no';

/** Where the conversation stands in a journey after this message. */
export interface JourneyPosition {
  journey: Journey;
  state: JourneyState;
  /** True when this message started the journey. */
  started: boolean;
}

/** What guideline matching decided for a turn. */
export interface MatchOutcome {
  /** Guidelines retrieved and shown to the judgement, with their retrieval scores. */
  candidates: Array<{ guideline: Guideline; score: number }>;
  /** Guidelines that apply now, after relationships, not counting those already carried out. */
  applied: Guideline[];
  /** Guidelines that apply but were carried out earlier: not repeated. */
  alreadyApplied: Guideline[];
  disambiguation: { observation: Guideline; options: Guideline[] } | null;
  relationshipSteps: RelationshipStep[];
  journey: JourneyPosition | null;
  /** The prepared reply chosen, in canned modes. */
  cannedResponse: CannedResponse | null;
  /** Glossary terms relevant to the conversation. */
  terms: Term[];
  /** The message asked something else inside a journey: the reply answers it, the journey waits. */
  sideQuestion: boolean;
}

/** How matching is tuned. */
export interface MatchingSettings {
  /** Guidelines retrieved per query before judgement. */
  retrievedGuidelines: number;
  /** At most this many guidelines per judgement call; more are judged in parallel calls. */
  guidelinesPerJudgement: number;
  /** Journeys and canned responses retrieved as candidates. */
  retrievedJourneys: number;
  retrievedCannedResponses: number;
  retrievedTerms: number;
  /**
   * Without a model: the least retrieval score that counts as a match inside a journey (a
   * side question, a way on) and for canned replies.
   */
  minimumScoreWithoutModel: number;
  /**
   * Without a model, outside a journey: the least score of the best guideline or journey
   * for it to be taken, when it is also `acceptanceMarginWithoutModel` ahead of the
   * runner-up; a score above the agent's calibrated confident level needs no margin.
   */
  minimumAcceptedScoreWithoutModel: number;
  acceptanceMarginWithoutModel: number;
}

/** The matching stage's inputs. */
export interface MatchingInput {
  context: TurnContext;
  /** `null`: no language model, decisions by retrieval alone (strict canned mode). */
  model: TurnModel | null;
  /** Whether a canned reply may be used (the agent's or a candidate guideline's mode). */
  offerCannedResponses: boolean;
  settings: MatchingSettings;
}

function currentJourney(context: TurnContext): { journey: Journey; state: JourneyState } | null {
  const position = context.session.turnState.journey;
  if (!position) return null;
  const journey = context.catalog.journeys.get(position.journeyId);
  const state = journey?.states.find((candidate) => candidate.key === position.stateKey);
  if (!journey || !state || state.kind === 'end') return null;
  return { journey, state };
}

function nextStatesOf(journey: Journey, state: JourneyState) {
  return journey.transitions
    .filter((transition) => transition.fromStateId === state.id)
    .map((transition) => ({
      stateKey: transition.to,
      condition: transition.condition,
      action:
        journey.states.find((candidate) => candidate.id === transition.toStateId)?.action ?? null,
    }));
}

function initialPosition(journey: Journey): JourneyPosition | null {
  const state = journey.states.find((candidate) => candidate.key === journey.initialState);
  return state ? { journey, state, started: true } : null;
}

/** Fewer words than this, and a message leans on what came before ("yes please", "the blue one"). */
const shortMessageWords = 6;

/** Without a model, a message of fewer words than this that matches nothing may be a follow-up. */
const followUpWords = 10;

/** Without a model: the share of a short message's score read with the message before it. */
const followUpShare = 0.85;

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * What a message leaning on the one before looks like: it opens (after an "ok" or "oh") with
 * "and", "also", "what about", "how about", corrects it ("I meant", "instead"), or points
 * back ("that", "it", "those"…). "Tell me a joke" does not.
 */
const followUpShape =
  /^\s*(?:(?:ok|okay|oh|ah|right|hmm|well)\b[,\s]*)?(and|also|plus|so|then|what about|how about|same)\b|\b(it|its|that|this|they|them|those|these|there|one|ones|instead|i meant|typo)\b/i;

/**
 * The query texts of retrieval: the latest message and, when it is too short to stand on its
 * own, the last few lines for context. One search per query, so context costs a search only
 * when it is needed.
 */
function queriesOf(context: TurnContext): string[] {
  const latest = context.latestCustomerMessage;
  const words = latest.split(/\s+/).filter(Boolean).length;
  if (latest.trim().length > 0 && words >= shortMessageWords) return [latest];
  const window = context.conversation
    .slice(-4)
    .map((line) => line.text)
    .join('\n');
  return [latest, window].filter(
    (query, index, all) => query.trim().length > 0 && all.indexOf(query) === index,
  );
}

async function searchAll(
  search: (query: string, k: number) => Promise<Array<{ itemId: string; score: number }>>,
  queries: readonly string[],
  k: number,
): Promise<Map<string, number>> {
  const scores = new Map<string, number>();
  for (const hits of await Promise.all(queries.map((query) => search(query, k)))) {
    for (const hit of hits)
      scores.set(hit.itemId, Math.max(scores.get(hit.itemId) ?? 0, hit.score));
  }
  return scores;
}

/**
 * Matching: retrieves the guidelines closest to the conversation (plus pinned ones and those
 * of the journey in progress), lets one structured model call per batch judge which apply —
 * the journey step and the canned reply are decided in the same call — and resolves
 * relationships in code. Without a model, the best retrieval hit above a threshold applies.
 */
export async function matchGuidelines(input: MatchingInput): Promise<MatchOutcome> {
  const { context, model, settings } = input;
  const { catalog } = context;
  // Without a model nothing weighs the context window against the latest message, so the
  // latest message alone decides: an earlier topic must not answer a new question.
  // Small talk ("hiya", "sound, ta") is also searched as the plain words of what it does.
  // Synonyms from the glossary are searched in the agent's own words too ("a hold" → "a
  // reservation").
  const inOwnWords = model ? null : glossaryQuery(context.latestCustomerMessage, catalog.terms);
  const queries = model
    ? queriesOf(context)
    : [
        ...queriesOf(context).slice(0, 1),
        ...(inOwnWords ? [inOwnWords] : []),
        ...smallTalkQueries(context.latestCustomerMessage),
      ];
  const active = currentJourney(context);

  const [guidelineScores, journeyScores, termScores, cannedScores] = await Promise.all([
    searchAll(
      (query, k) => catalog.guidelineRetriever.search(query, k),
      queries,
      settings.retrievedGuidelines,
    ),
    active
      ? Promise.resolve(new Map<string, number>())
      : searchAll(
          (query, k) => catalog.journeyRetriever.search(query, k),
          queries,
          settings.retrievedJourneys,
        ),
    searchAll(
      (query, k) => catalog.termRetriever.search(query, k),
      queries.slice(0, 1),
      settings.retrievedTerms,
    ),
    input.offerCannedResponses
      ? searchAll(
          (query, k) => catalog.cannedResponseRetriever.search(query, k),
          queries,
          settings.retrievedCannedResponses,
        )
      : Promise.resolve(new Map<string, number>()),
  ]);

  // Without a model, a short message shaped like a follow-up ("and how much is that per
  // night?", "when will it be back?") is searched again together with the customer's message
  // before it. Matching nothing on its own, it takes the pair's scores; else, outside a
  // journey, each guideline keeps the better of its own score and a share of the pair's, so
  // a clear new topic still wins on its own words.
  const previousMessage = context.earlierCustomerMessages[0];
  let pairScores: Map<string, number> | null = null;
  const nothingMatched =
    Math.max(0, ...guidelineScores.values()) < settings.minimumScoreWithoutModel;
  if (
    !model &&
    previousMessage &&
    words(context.latestCustomerMessage) < followUpWords &&
    followUpShape.test(context.latestCustomerMessage) &&
    (nothingMatched || !active)
  ) {
    const share = nothingMatched ? 1 : followUpShare;
    const followUp = await searchAll(
      (query, k) => catalog.guidelineRetriever.search(query, k),
      [`${previousMessage}\n${context.latestCustomerMessage}`],
      settings.retrievedGuidelines,
    );
    if (nothingMatched) guidelineScores.clear();
    for (const [id, score] of followUp)
      guidelineScores.set(id, Math.max(guidelineScores.get(id) ?? 0, share * score));
    pairScores = followUp;
  }

  // Pinned guidelines are always considered; a journey's own guidelines only while it runs.
  for (const guideline of catalog.guidelines.values()) {
    const scopedToActive = active?.journey.guidelineIds.includes(guideline.id) ?? false;
    const pinned = guideline.pinned && !catalog.journeyScopedGuidelineIds.has(guideline.id);
    if ((pinned || scopedToActive) && !guidelineScores.has(guideline.id))
      guidelineScores.set(guideline.id, 0);
  }
  const candidates = [...guidelineScores]
    .map(([id, score]) => ({ guideline: catalog.guidelines.get(id), score }))
    .filter(
      (candidate): candidate is { guideline: Guideline; score: number } =>
        candidate.guideline !== undefined,
    )
    .sort(
      (left, right) =>
        right.score - left.score || left.guideline.id.localeCompare(right.guideline.id),
    );

  const terms = selectTerms(context, termScores);
  const appliedBefore = new Set(context.session.turnState.appliedGuidelineIds ?? []);
  const journeyCandidates = [...journeyScores.keys()]
    .map((id) => catalog.journeys.get(id))
    .filter((journey): journey is Journey => journey !== undefined);
  const cannedCandidates = [...cannedScores.keys()]
    .map((id) => catalog.cannedResponses.find((response) => response.id === id))
    .filter((response): response is CannedResponse => response !== undefined);

  const decision = model
    ? await judgeWithModel(model, context, {
        candidates,
        appliedBefore,
        active,
        journeyCandidates,
        cannedCandidates,
        terms,
        settings,
      })
    : await decideByRetrieval(context, {
        pairScores,
        candidates,
        active,
        journeyScores,
        cannedScores,
        settings,
      });

  const resolution = resolveRelationships(decision.matchedIds, catalog.relationships);
  const byId = (id: string) => catalog.guidelines.get(id);
  const present = (guideline: Guideline | undefined): guideline is Guideline =>
    guideline !== undefined;
  const appliedIds = resolution.applied.filter((id) => !decision.alreadyAppliedIds.has(id));
  return {
    candidates,
    applied: appliedIds.map(byId).filter(present),
    alreadyApplied: resolution.applied
      .filter((id) => decision.alreadyAppliedIds.has(id))
      .map(byId)
      .filter(present),
    disambiguation: resolution.disambiguation
      ? {
          observation: byId(resolution.disambiguation.observationId) as Guideline,
          options: resolution.disambiguation.candidateIds.map(byId).filter(present),
        }
      : null,
    relationshipSteps: resolution.steps,
    journey: decision.journey,
    cannedResponse: decision.cannedResponse,
    terms,
    sideQuestion: decision.sideQuestion ?? false,
  };
}

function selectTerms(context: TurnContext, termScores: Map<string, number>): Term[] {
  const text = context.conversation
    .slice(-4)
    .map((line) => line.text)
    .join(' ')
    .toLowerCase();
  // A term named in the conversation is always relevant, whatever retrieval says.
  const mentioned = (term: Term) =>
    [term.name, ...term.synonyms].some((name) =>
      new RegExp(`\\b${escapeRegExp(name.toLowerCase())}\\b`).test(text),
    );
  return context.catalog.terms.filter(
    (term) => mentioned(term) || (termScores.get(term.id) ?? 0) > 0.1,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Decision {
  matchedIds: string[];
  alreadyAppliedIds: Set<string>;
  journey: JourneyPosition | null;
  cannedResponse: CannedResponse | null;
  /** Without a model: the message was a side question inside the journey, which keeps its step. */
  sideQuestion?: boolean;
}

async function judgeWithModel(
  model: TurnModel,
  context: TurnContext,
  input: {
    candidates: Array<{ guideline: Guideline; score: number }>;
    appliedBefore: Set<string>;
    active: { journey: Journey; state: JourneyState } | null;
    journeyCandidates: Journey[];
    cannedCandidates: CannedResponse[];
    terms: Term[];
    settings: MatchingSettings;
  },
): Promise<Decision> {
  const { catalog } = context;
  const shown: GuidelineCandidate[] = input.candidates.map((candidate, index) => ({
    shortId: `g${index + 1}`,
    guideline: candidate.guideline,
    appliedBefore: input.appliedBefore.has(candidate.guideline.id),
  }));
  const activeView: ActiveJourneyView | null = input.active
    ? {
        shortId: 'j1',
        ...input.active,
        next: nextStatesOf(input.active.journey, input.active.state),
      }
    : null;
  const journeyViews = input.journeyCandidates.map((journey, index) => ({
    shortId: `j${index + 1}`,
    journey,
  }));
  const cannedViews = input.cannedCandidates.map((response, index) => ({
    shortId: `c${index + 1}`,
    response,
  }));

  // Batches are judged in parallel; the journey and canned reply are decided by the first.
  const batches: GuidelineCandidate[][] = [];
  for (
    let start = 0;
    start < shown.length || batches.length === 0;
    start += input.settings.guidelinesPerJudgement
  ) {
    batches.push(shown.slice(start, start + input.settings.guidelinesPerJudgement));
  }
  const judgements = await Promise.all(
    batches.map(async (batch, index) => {
      const first = index === 0;
      const result = await model.generateObject({
        purpose: 'guideline_judgement',
        schemaName: 'guideline_judgement',
        schema: judgementSchema,
        signal: context.signal,
        temperature: 0,
        messages: buildJudgementMessages({
          agentName: catalog.agent.name,
          agentDescription: catalog.agent.description,
          conversation: context.conversation,
          candidates: batch,
          activeJourney: first ? activeView : null,
          journeyCandidates: first ? journeyViews : [],
          cannedCandidates: first ? cannedViews : [],
          terms: input.terms,
        }),
      });
      return result.object as Judgement;
    }),
  );

  const byShortId = new Map(shown.map((candidate) => [candidate.shortId, candidate.guideline.id]));
  const matchedIds: string[] = [];
  const alreadyAppliedIds = new Set<string>();
  for (const judgement of judgements) {
    for (const verdict of judgement.guidelines) {
      const id = byShortId.get(verdict.id);
      if (!id || !verdict.applies) continue;
      matchedIds.push(id);
      if (verdict.alreadyApplied) alreadyAppliedIds.add(id);
    }
  }
  const first = judgements[0] as Judgement;
  return {
    matchedIds,
    alreadyAppliedIds,
    journey: journeyFromJudgement(first, activeView, journeyViews),
    cannedResponse:
      cannedViews.find((view) => view.shortId === first.cannedResponse)?.response ?? null,
  };
}

function journeyFromJudgement(
  judgement: Judgement,
  active: ActiveJourneyView | null,
  candidates: ReadonlyArray<{ shortId: string; journey: Journey }>,
): JourneyPosition | null {
  if (active) {
    if (judgement.journey.id !== active.shortId) return null;
    const allowed = new Set([active.state.key, ...active.next.map((option) => option.stateKey)]);
    const key =
      judgement.journey.nextState && allowed.has(judgement.journey.nextState)
        ? judgement.journey.nextState
        : active.state.key;
    const state = active.journey.states.find((candidate) => candidate.key === key) ?? active.state;
    return { journey: active.journey, state, started: false };
  }
  const chosen = candidates.find((candidate) => candidate.shortId === judgement.journey.id);
  return chosen ? initialPosition(chosen.journey) : null;
}

async function decideByRetrieval(
  context: TurnContext,
  input: {
    candidates: Array<{ guideline: Guideline; score: number }>;
    active: { journey: Journey; state: JourneyState } | null;
    journeyScores: Map<string, number>;
    cannedScores: Map<string, number>;
    settings: MatchingSettings;
    /** A follow-up's scores read with the message before it, when it was read so. */
    pairScores: Map<string, number> | null;
  },
): Promise<Decision> {
  const threshold = input.settings.minimumScoreWithoutModel;
  if (!input.active) weighArgumentEvidence(context, input);
  const best = input.candidates.find((candidate) => candidate.score > 0);

  let journey: JourneyPosition | null = null;
  let sideQuestion = false;
  if (input.active) {
    journey = { ...input.active, started: false };
    // A tool step that could not run (an argument was missing) is tried again with this
    // message; a chat step was answered, or interrupted by a side question.
    if (input.active.state.kind === 'chat') {
      const step = await answerToChatStep(context, input.active, best, threshold);
      sideQuestion = step.sideQuestion;
      if (step.next) journey = positionAt(input.active.journey, step.next) ?? journey;
    }
  }
  // A journey that this message ended (its step's one way on leads to the end) leaves the
  // message to be answered as any other: "thanks, bye" after the booking is confirmed.
  const ended = journey?.state.kind === 'end';
  if (input.active && !ended) {
    // Inside a journey a guideline applies only as the answer to a side question: a message
    // that answers the step must not also run the guideline's tools.
    return {
      matchedIds: sideQuestion && best ? [best.guideline.id] : [],
      alreadyAppliedIds: new Set(),
      journey,
      cannedResponse: null,
      sideQuestion,
    };
  }
  // The journey this message ended stays in the outcome, at its end.
  const finished = ended ? journey : null;
  const nothingApplies = () => ({
    matchedIds: [],
    alreadyAppliedIds: new Set<string>(),
    journey: finished,
    cannedResponse: null,
    sideQuestion: false,
  });
  // Outside a journey, guidelines and journeys compete on one scale (one index), and the
  // best is accepted by the agent's calibrated acceptance: clearly high, or high enough and
  // clearly ahead of the runner-up.
  // "do you do botox?": a question whether the service has a thing it never speaks of is
  // for the fallback, whatever other words it shares.
  // One that gives an argument of the agent's tools ("do you have lessons in chemistry on
  // dvd?") may be asking for a title, a name: a value no text of the agent's holds.
  if (
    unknownThingAskedFor(context.latestCustomerMessage, context.catalog.vocabulary) !== null &&
    !givesAnyToolArgument(context)
  )
    return nothingApplies();
  const requestBonus = asksToAct(context.latestCustomerMessage) ? requestToActBonus : 0;
  const ranked = [
    ...input.candidates.map((candidate) => ({
      kind: 'guideline' as const,
      id: candidate.guideline.id,
      score: candidate.score,
    })),
    ...[...input.journeyScores].map(([id, score]) => ({
      kind: 'journey' as const,
      id,
      score: score + requestBonus,
    })),
  ].sort((left, right) => right.score - left.score);
  const acceptance = await context.catalog.acceptance();
  // A guideline whose tool waited for an argument the reply asked for, given now ("M14 5RQ"
  // after "which postcode?"), applies again, whatever the words of the message.
  const awaited = awaitedGuidelinesAnswered(context);
  if (awaited.length > 0) {
    const lifted = Math.max(acceptance.confident, ranked[0]?.score ?? 0) + argumentEvidenceWeight;
    ranked.unshift(...awaited.map((id) => ({ kind: 'guideline' as const, id, score: lifted })));
  }
  const acceptable = (list: typeof ranked) => {
    const [first, second] = list;
    return first !== undefined &&
      (first.score >= acceptance.confident ||
        (first.score >= acceptance.minimum &&
          first.score - (second?.score ?? 0) >= acceptance.margin))
      ? first
      : undefined;
  };
  // A follow-up that on its own words fits several guidelines alike ("what hours are they
  // around?" after asking for a person) is decided by the pair it makes with the message
  // before, when the pair is clear; else it stays with the guideline the last turn answered
  // ("and yoghurt pots?" after "where do pizza boxes go?").
  const previous = context.session.turnState.previousGuidelineId;
  const top =
    acceptable(ranked) ??
    (input.pairScores
      ? acceptable(
          [...input.pairScores]
            .map(([id, score]) => ({ kind: 'guideline' as const, id, score }))
            .sort((left, right) => right.score - left.score),
        )
      : undefined) ??
    (input.pairScores && previous && context.catalog.guidelines.has(previous)
      ? { kind: 'guideline' as const, id: previous, score: 0 }
      : undefined);
  if (!top) return nothingApplies();
  if (top.kind === 'journey') {
    const started = context.catalog.journeys.get(top.id);
    journey = started
      ? await entryPosition(context, started, Math.max(threshold, top.score))
      : null;
  }
  return {
    matchedIds: journey?.started ? [] : [top.id],
    alreadyAppliedIds: new Set(),
    journey,
    cannedResponse: null,
    sideQuestion: false,
  };
}

/**
 * The guidelines whose tool the last turn ran or left waiting for an argument (see
 * `SessionTurnState.toolGuidelines`) that the latest message takes up again: it gives an
 * argument of that tool, and, when the tool did run, it reads as a follow-up ("what about
 * NG2 6AG then?") or is little more than the argument.
 */
function awaitedGuidelinesAnswered(context: TurnContext): string[] {
  const { catalog } = context;
  const message = context.latestCustomerMessage;
  const followingUp = words(message) < followUpWords && followUpShape.test(message);
  return (context.session.turnState.toolGuidelines ?? []).flatMap(({ guidelineId, awaiting }) => {
    if (!catalog.guidelines.has(guidelineId)) return [];
    const takenUp = toolsWithIds(
      catalog.tools,
      catalog.guidelineToolIds.get(guidelineId) ?? [],
    ).some((tool) => {
      const { arguments: given } = extractArguments({
        schema: tool.parameters as Record<string, unknown>,
        text: message,
        now: context.now,
      });
      const count = Object.keys(given).length;
      return count > 0 && (awaiting || followingUp || words(message) <= count + 1);
    });
    return takenUp ? [guidelineId] : [];
  });
}

/** Intents this close to the best one are weighed again with {@link argumentEvidence}. */
const evidenceWindow = 0.1;

/**
 * Without a model, outside a journey: the guidelines and journeys close to the best one
 * gain what the message gives of their tools' arguments, so "can I book teeth whitening?"
 * (a treatment, the booking journey's argument) goes to the booking rather than to the
 * prices guideline that shares the word "whitening". Candidates are sorted again.
 */
function weighArgumentEvidence(
  context: TurnContext,
  input: {
    candidates: Array<{ guideline: Guideline; score: number }>;
    journeyScores: Map<string, number>;
  },
): void {
  const { catalog } = context;
  const top = Math.max(
    0,
    ...input.candidates.map((candidate) => candidate.score),
    ...input.journeyScores.values(),
  );
  const toolsOf = (ids: readonly (string | null | undefined)[]) => toolsWithIds(catalog.tools, ids);
  const evidence = (tools: Tool[], alsoGiven?: ReadonlySet<string>) =>
    argumentEvidenceWeight *
    argumentEvidence(tools, context.latestCustomerMessage, context.now, alsoGiven);
  for (const candidate of input.candidates) {
    if (candidate.score < top - evidenceWindow) continue;
    candidate.score += evidence(
      toolsOf(catalog.guidelineToolIds.get(candidate.guideline.id) ?? []),
    );
  }
  // A question asking about something ("how much do you charge for a scale and polish?")
  // names what a journey would take without asking for it to be done.
  const asking = asksAboutSomethingElse(context.latestCustomerMessage);
  for (const [journeyId, score] of input.journeyScores) {
    const journey = catalog.journeys.get(journeyId);
    if (!journey || asking || score < top - evidenceWindow) continue;
    const tools = toolsOf(journey.states.map((state) => state.toolId));
    // "reserve wolf hall" gives the title, which no extraction reads.
    const named = freeTextAnswers({
      stepActions: journey.states.flatMap((state) =>
        state.kind === 'chat' && state.action ? [state.action] : [],
      ),
      schemas: tools.map((tool) => tool.parameters),
      message: context.latestCustomerMessage,
      now: context.now,
      plainAnswers: false,
      knownTexts: journeyOwnWords(
        journey,
        tools.map((tool) => ({ description: tool.description, schema: tool.parameters })),
        catalog.terms,
      ),
    });
    input.journeyScores.set(journeyId, score + evidence(tools, new Set(Object.keys(named))));
  }
  input.candidates.sort(
    (left, right) =>
      right.score - left.score || left.guideline.id.localeCompare(right.guideline.id),
  );
}

/** Whether the message gives an argument of any tool of the agent's guidelines and journeys. */
function givesAnyToolArgument(context: TurnContext): boolean {
  const { catalog } = context;
  const toolIds = new Set([
    ...[...catalog.guidelineToolIds.values()].flat(),
    ...[...catalog.journeys.values()].flatMap((journey) =>
      journey.states.flatMap((state) => (state.toolId ? [state.toolId] : [])),
    ),
  ]);
  return toolsWithIds(catalog.tools, [...toolIds]).some(
    (tool) =>
      Object.keys(
        extractArguments({
          schema: tool.parameters as Record<string, unknown>,
          text: context.latestCustomerMessage,
          now: context.now,
        }).arguments,
      ).length > 0,
  );
}

/** What a journey gains over guidelines when the message asks the agent to do something. */
const requestToActBonus = 0.05;

/**
 * Whether a message asks the agent to do something ("can you renew my books please", "I'd
 * like to reserve a book", "can I extend my loans"), rather than asks about something ("how many times can I renew?"):
 * journeys act, and a guideline of the same words ("renew") mostly informs. "Can you recommend
 * / tell me / explain…" asks for words, not an act.
 */
function asksToAct(message: string): boolean {
  return /(?:^(?:\W*(?:hi|hello|hey|hiya|morning|ok|okay|right|so)\b[\s,!.]*)?|[,.;!?]\s+)(?:(?:can|could|would|will) you\b(?! (?:recommend|suggest|advise|tell|explain|help))|(?:can|could|may) i (?:please )?[a-z]+ (?:my|them|it|these|those)\b)|\b(?:i'?d like to|i would like to|i want to|i need to|i wanna|please (?!tell|explain))|\bfor me\b/i.test(
    message.replace(/[’]/g, "'"),
  );
}

/** How much better a guideline must fit than every way on for a message to be a side question. */
const sideQuestionMargin = 0.05;

/**
 * Without a model, what the customer's message to a journey's chat step does. Ways on whose
 * `when` fails on the journey's remembered tool results are out. A message that fits a
 * guideline (one not of this journey) clearly better than any remaining way on is a side
 * question: answered, the journey keeping its step. Otherwise the only way on is followed,
 * or among several the one whose condition fits best; with none close enough the step
 * stays, to be asked again.
 */
async function answerToChatStep(
  context: TurnContext,
  active: { journey: Journey; state: JourneyState },
  best: { guideline: Guideline; score: number } | undefined,
  threshold: number,
): Promise<{ next: string | null; sideQuestion: boolean }> {
  const memory = context.session.turnState.journey?.memory ?? {};
  const exits = active.journey.transitions.filter(
    (transition) => transition.fromStateId === active.state.id,
  );
  const verdicts = exits.map((transition) => transitionPredicateHolds(transition.when, memory));
  const holding = exits.find((_, index) => verdicts[index] === true);
  const options = exits.filter((_, index) => verdicts[index] !== false);
  const withConditions = options.filter((option) => option.condition);
  const fits = new Map<string, number>();
  if (withConditions.length > 0) {
    const retriever = await context.catalog.retrieverOver(
      withConditions.map((option) => ({
        id: option.to,
        revision: `condition:${option.condition ?? ''}`,
        texts: [option.condition ?? ''],
      })),
    );
    for (const hit of await retriever.search(context.latestCustomerMessage, withConditions.length))
      fits.set(hit.itemId, hit.score);
  }
  // A way on towards a tool step whose arguments the message gives is answered, whatever the
  // words of its condition ("LC-101" answers "ask for the rental reference", "the week one"
  // answers "which pass?" on the way to the quote).
  // Among those, a way back to a tool the journey already ran comes first: a new value
  // ("actually make it the sofa instead") asks again what was asked before, and never acts
  // (books, buys) on what the customer has not seen.
  const routes = journeyRoutes(active.journey, active.state, maximumStepsAhead);
  // A step asking for a free-text argument is answered by the message itself.
  const journeyTools = toolsWithIds(
    context.catalog.tools,
    active.journey.states.map((state) => (state.kind === 'tool' ? state.toolId : null)),
  );
  const freeText = freeTextAnswers({
    stepActions: [active.state.action ?? ''],
    schemas: journeyTools.map((tool) => tool.parameters),
    message: context.latestCustomerMessage,
    now: context.now,
    plainAnswers: true,
    knownTexts: journeyOwnWords(
      active.journey,
      journeyTools.map((tool) => ({ description: tool.description, schema: tool.parameters })),
      context.catalog.terms,
    ),
  });
  // A question about something else ("what time is docklands open till on saturdays?" while
  // it asks for the branch) names a value without choosing it.
  const askingElse = asksAboutSomethingElse(context.latestCustomerMessage);
  for (const option of askingElse ? [] : options) {
    const toolIds = routes
      .filter((route) => route.firstStep.id === option.toStateId)
      .map((route) => route.toolState.toolId);
    const given = toolIds.flatMap((toolId) => {
      const tool = toolId ? context.catalog.tools.get(toolId) : undefined;
      if (!tool) return [];
      const extraction = extractArguments({
        schema: tool.parameters as Record<string, unknown>,
        text: context.latestCustomerMessage,
        now: context.now,
      });
      const answered =
        Object.keys(extraction.arguments).length > 0 ||
        freeTextParametersOf(tool.parameters).some((name) => name in freeText);
      if (!answered) return [];
      // Not while this step's own question stays open: "the dvd" at "which title?" gives the
      // format, and the title is still to ask.
      const known = extractArguments({
        schema: tool.parameters as Record<string, unknown>,
        text: context.latestCustomerMessage,
        earlierTexts: context.earlierCustomerMessages,
        now: context.now,
      });
      const remembered = (memory[freeTextAnswersKey] ?? {}) as Record<string, unknown>;
      const open = known.missing.filter((name) => !(name in freeText) && !(name in remembered));
      const stepStillAsks =
        open.length > 0 &&
        asksForMissing(
          active.state.action ?? '',
          tool.parameters,
          open,
          Object.keys(known.arguments),
        );
      return stepStillAsks ? [] : [tool.name];
    });
    if (given.length === 0) continue;
    const ranBefore = given.some((name) => name in memory) ? rerunPreference : 0;
    // Above every condition's fit; two such ways on are told apart by their conditions.
    fits.set(option.to, 1 + ranBefore + (fits.get(option.to) ?? 0));
  }
  // A last step whose one way on, unconditional, leads to the end: whatever the customer
  // says next, the journey is over.
  const only = options.length === 1 ? (options[0] as (typeof options)[number]) : null;
  if (
    only &&
    !only.condition &&
    !only.when &&
    active.journey.states.find((state) => state.id === only.toStateId)?.kind === 'end'
  )
    return { next: only.to, sideQuestion: false };
  // A plain yes or no rules out the ways on that expect the opposite, and takes the one that
  // expects it ("yep that works" → book it) unless the message also gives what another way
  // on's tool needs ("no, can you do the 25th?" → check that day).
  const answer = yesOrNo(context.latestCustomerMessage);
  if (answer) {
    for (const option of options) {
      const expects = option.condition ? conditionExpects(option.condition) : null;
      if (expects && expects !== answer) fits.delete(option.to);
    }
  }
  const answersATool = [...fits.values()].some((fit) => fit >= 1);
  const expecting = answer
    ? options.filter((option) => option.condition && conditionExpects(option.condition) === answer)
    : [];
  // "sorry no, it's the gas meter, not the electric": a no that gives a value of the journey's
  // tools corrects what was said, and refuses nothing; the step is asked again.
  // Whether the message gives any argument of the journey's tools, read once.
  let valueGiven: boolean | undefined;
  const givesJourneyValue = () => {
    valueGiven ??= argumentEvidence(journeyTools, context.latestCustomerMessage, context.now) > 0;
    return valueGiven;
  };
  if (answer === 'no' && !answersATool && !askingElse && givesJourneyValue())
    return { next: null, sideQuestion: false };
  if (expecting.length === 1 && !answersATool)
    return { next: (expecting[0] as { to: string }).to, sideQuestion: false };
  // The same for a troubleshooting step: "restarted it, no difference at all" is the way on
  // for a problem that stays, though it shares "restart" with the one for a problem solved.
  const solved = problemSolved(context.latestCustomerMessage);
  const solvedBy = (option: (typeof options)[number]) =>
    option.condition ? conditionSolved(option.condition) : null;
  if (solved)
    for (const option of options) {
      const expects = solvedBy(option);
      if (expects && expects !== solved) fits.delete(option.to);
    }
  const expectingSolved = solved ? options.filter((option) => solvedBy(option) === solved) : [];
  if (expectingSolved.length === 1 && !answersATool)
    return { next: (expectingSolved[0] as { to: string }).to, sideQuestion: false };
  const bestFit = Math.max(0, ...fits.values());
  const ownGuideline = best ? active.journey.guidelineIds.includes(best.guideline.id) : false;
  // A message that gives what one of the journey's tools needs, not known yet, goes on with
  // the journey ("a check-up on the 23rd" while it asks for the treatment), whatever guideline
  // shares its words.
  const givesJourneyArguments = () => !askingElse && (answersATool || givesJourneyValue());
  if (
    best &&
    !ownGuideline &&
    best.score >= threshold &&
    best.score > bestFit + sideQuestionMargin &&
    !givesJourneyArguments()
  )
    return { next: null, sideQuestion: true };
  if (holding) return { next: holding.to, sideQuestion: false };
  // The only way on is taken whatever the words, unless the step asks for an argument of a
  // tool ahead and the message gives none ("ok docklands then" is no card number): then its
  // condition must fit, as among several.
  if (options.length === 1 && (answersATool || !asksForToolArgument(context, active, routes)))
    return { next: (options[0] as { to: string }).to, sideQuestion: false };
  const [fit] = [...fits].sort((left, right) => right[1] - left[1]);
  return { next: fit && fit[1] >= threshold ? fit[0] : null, sideQuestion: false };
}

/**
 * Whether a journey's chat step asks for an argument of a tool on its way on that the
 * conversation has not given yet ("Ask for their library card number", the card number
 * unknown).
 */
function asksForToolArgument(
  context: TurnContext,
  active: { journey: Journey; state: JourneyState },
  routes: ReturnType<typeof journeyRoutes>,
): boolean {
  const action = active.state.action ?? '';
  if (!action) return false;
  return routes.some((route) => {
    const tool = route.toolState.toolId
      ? context.catalog.tools.get(route.toolState.toolId)
      : undefined;
    if (!tool) return false;
    const extraction = extractArguments({
      schema: tool.parameters as Record<string, unknown>,
      text: context.latestCustomerMessage,
      earlierTexts: context.earlierCustomerMessages,
      now: context.now,
    });
    return (
      extraction.missing.length > 0 &&
      asksForMissing(action, tool.parameters, extraction.missing, Object.keys(extraction.arguments))
    );
  });
}

/**
 * Whether a message asks about something rather than answers: a question opening with "what",
 * "when", "where", "why", "how" or "who" ("what time is docklands open?"), not "what about" /
 * "how about", which offer a value.
 */
function asksAboutSomethingElse(message: string): boolean {
  return /^\W*(?:(?:ok|okay|oh|and|so|also|sorry|but)\b[\s,]*)*(?:what|when|where|why|how|who)\b(?!\s+about\b)/i.test(
    message,
  );
}

/** What a way back to a tool the journey already ran gains when the message gives its arguments. */
const rerunPreference = 0.5;

/** How many chat steps a way on towards a tool step may pass (the current one included). */
const maximumStepsAhead = 7;

/**
 * Without a model, where a journey starts: at its first step, or past it when the message
 * already answers that step in words its way on names ("I've restarted the router and it's
 * still slow" skips "ask them to restart the router"). Only a way on whose condition fits
 * counts, and better than `threshold` (the journey's own score, at least): a message that
 * only says what started the journey ("my broadband is slow") is asked the first step.
 */
async function entryPosition(
  context: TurnContext,
  journey: Journey,
  threshold: number,
): Promise<JourneyPosition | null> {
  const initial = initialPosition(journey);
  if (initial?.state.kind !== 'chat') return initial;
  const exits = journey.transitions.filter(
    (transition) => transition.fromStateId === initial.state.id && transition.condition,
  );
  if (exits.length === 0) return initial;
  const retriever = await context.catalog.retrieverOver(
    exits.map((exit) => ({
      id: exit.to,
      revision: `condition:${exit.condition ?? ''}`,
      texts: [exit.condition ?? ''],
    })),
  );
  const [fit] = await retriever.search(context.latestCustomerMessage, 1);
  if (!fit || fit.score < threshold) return initial;
  const next = positionAt(journey, fit.itemId);
  return next ? { ...next, started: true } : initial;
}

function positionAt(journey: Journey, stateKey: string): JourneyPosition | null {
  const state = journey.states.find((candidate) => candidate.key === stateKey);
  return state ? { journey, state, started: false } : null;
}
