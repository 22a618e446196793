import { templateSearchText } from '../composition/template-search-text';
import type { Agent } from '../domain/agent';
import { type CannedResponse, isPreamble } from '../domain/canned-response';
import type { Guideline } from '../domain/guideline';
import type { Journey } from '../domain/journey';
import { readAllPages } from '../domain/read-all-pages';
import type { Relationship } from '../domain/relationship';
import type { Term } from '../domain/term';
import type { Tool } from '../domain/tool';
import type { Variable } from '../domain/variable';
import type { Embedder } from '../ports/embedder';
import type { WorkspaceStore } from '../ports/store';
import { type Acceptance, calibrateAcceptance } from './calibrate-acceptance';
import { conditionInCustomerWords } from './condition-in-customer-words';
import { showsPassages } from './knowledge-sources';
import { identifierPatternsOf, maskIdentifiers } from './mask-identifiers';
import { rememberQueryVectors } from './remember-query-vectors';
import { type SmallTalkAct, smallTalkIntentAct, smallTalkReplyAct } from './small-talk';
import {
  buildTextRetriever,
  type RetrievalItem,
  type TextRetriever,
  type VectorCache,
} from './text-retriever';
import { vocabularyOf } from './unknown-thing-asked-for';

/**
 * Everything an agent's turns read that changes only when someone edits the agent: loaded
 * once, kept while the store's catalog revision stays the same, with retrieval indexes
 * built over it.
 */
export interface AgentCatalog {
  readonly revision: string;
  readonly agent: Agent;
  /** Enabled, live guidelines by id. */
  readonly guidelines: ReadonlyMap<string, Guideline>;
  /** Tool ids attached to each guideline. */
  readonly guidelineToolIds: ReadonlyMap<string, readonly string[]>;
  readonly relationships: readonly Relationship[];
  /** Enabled journeys by id. */
  readonly journeys: ReadonlyMap<string, Journey>;
  /** Guidelines scoped to a journey: considered only while that journey is active. */
  readonly journeyScopedGuidelineIds: ReadonlySet<string>;
  readonly terms: readonly Term[];
  /** The canned responses a reply may be: every one but the preambles. */
  readonly cannedResponses: readonly CannedResponse[];
  /**
   * Canned responses tagged `preamble`: holding lines sent before a slow reply, never a reply
   * themselves, so neither indexed nor offered to matching and composition.
   */
  readonly preambles: readonly CannedResponse[];
  readonly variables: readonly Variable[];
  /** Every live tool of the workspace, by id. */
  readonly tools: ReadonlyMap<string, Tool>;
  /** The host's knowledge bases linked to the agent (`agent_knowledge_base`), for retrievers. */
  readonly knowledgeBaseIds: readonly string[];
  /**
   * Every retriever id attached to the agent, its guidelines or its journeys' states, in
   * precedence order: the agent's first (they serve every turn), then guidelines', then states'.
   */
  readonly retrieverIds: readonly string[];
  /** Whether any canned response shows retrieved passages (`{{passage.text}}`). */
  readonly cannedResponsesShowPassages: boolean;
  /**
   * Standalone guidelines, by condition and example messages, and journeys, by title and
   * trigger conditions, in one index: their scores are comparable, so a journey and a
   * guideline sharing words are ranked by the same measure. Item ids are prefixed:
   * {@link intentItemId}.
   */
  readonly intentRetriever: TextRetriever;
  /** Standalone guidelines alone (a filtered view of the intent index, same scores). */
  readonly guidelineRetriever: TextRetriever;
  /** Journeys alone (a filtered view of the intent index, same scores). */
  readonly journeyRetriever: TextRetriever;
  readonly termRetriever: TextRetriever;
  readonly cannedResponseRetriever: TextRetriever;
  /**
   * A retriever over a few texts known only during a turn (a step's transition conditions),
   * with the engine's embedders; vectors are kept by text across turns.
   */
  retrieverOver(items: readonly RetrievalItem[]): Promise<TextRetriever>;
  /**
   * Without a model: for each canned response, the intent it answers best, among every
   * guideline's action and every journey chat step's action ({@link cannedIntentKey}).
   * A generic reply ("Hello! I can help with hours, prices…") is close to many intents but
   * belongs to one; the reply chosen for an intent is first one that belongs to it. Computed
   * on first use, then kept with the catalog.
   */
  cannedResponseIntents(): Promise<ReadonlyMap<string, string>>;
  /**
   * The small talk each guideline's examples are (greetings, thanks, goodbyes), by intent key
   * ({@link cannedIntentKey}); a guideline about anything else is absent.
   */
  readonly smallTalkIntents: ReadonlyMap<string, SmallTalkAct>;
  /**
   * The stems of every word the agent's own texts use (guidelines, journeys, canned
   * responses, glossary, its tools and variables), for {@link unknownThingAskedFor}.
   */
  readonly vocabulary: ReadonlySet<string>;
  /**
   * Without a model, when the best guideline or journey is taken: at `confident` or above;
   * or at `minimum` or above and `margin` ahead of the runner-up. `confident` is calibrated
   * on the agent's own examples (see {@link calibrateAcceptance}); computed on first use.
   */
  acceptance(): Promise<Acceptance>;
}

/** The key of an intent a canned response may answer: a guideline or a journey's chat step. */
export function cannedIntentKey(
  intent: { guidelineId: string } | { journeyId: string; stateKey: string },
): string {
  return 'guidelineId' in intent
    ? `guideline:${intent.guidelineId}`
    : `state:${intent.journeyId}:${intent.stateKey}`;
}

/** Whether an intent key ({@link cannedIntentKey}) names a journey's chat step. */
export function isJourneyStepIntent(intentKey: string | undefined): boolean {
  return intentKey?.startsWith('state:') ?? false;
}

/** The live guideline an intent key names ({@link cannedIntentKey}), if it names one. */
export function guidelineOfIntent(
  catalog: Pick<AgentCatalog, 'guidelines'>,
  intentKey: string | undefined,
): string | undefined {
  if (!intentKey?.startsWith('guideline:')) return undefined;
  const guidelineId = intentKey.slice('guideline:'.length);
  return catalog.guidelines.has(guidelineId) ? guidelineId : undefined;
}

/** What the engine matches with: the lexical embedder and, optionally, a semantic one fused with it. */
export interface CatalogEmbedders {
  embedder: Embedder;
  semantic?: { embedder: Embedder; weight: number };
  /** The least score and the margin of acceptance without a model (see {@link Acceptance}). */
  acceptance: { minimum: number; margin: number };
}

/** What a reply's opening adds to its pairing with the small talk it answers (scores are near 0.1 to 0.3). */
const smallTalkPairingBonus = 1;

/** The id of a guideline or a journey in {@link AgentCatalog.intentRetriever}. */
export function intentItemId(kind: 'guideline' | 'journey', id: string): string {
  return `${kind}:${id}`;
}

/** Conditions, each also in the customer's words when that differs, then the examples. */
function withCustomerWords(conditions: readonly string[], examples: readonly string[]): string[] {
  const rewritten = conditions
    .map(conditionInCustomerWords)
    .filter((text, index) => text !== conditions[index]);
  return [...conditions, ...rewritten, ...examples];
}

/** The action of a journey's first step, when it is a chat step (what it asks first). */
function journeyOpeningWords(journey: Journey): string[] {
  const initial = journey.states.find((state) => state.key === journey.initialState);
  return initial?.kind === 'chat' && initial.action ? [initial.action] : [];
}

/** A template's first sentence: up to its first `.`, `!` or `?` followed by a space, or all of it. */
/**
 * A reply's sentences, each also indexed with it: a long reply (a bin guide, a price list)
 * answers a question about one thing it names by one sentence, which the whole, naming
 * everything, is far from. A one-sentence reply has nothing more to index.
 */
function sentencesOf(template: string): string[] {
  const sentences = template.split(/(?<=[.!?])\s+/).filter((sentence) => sentence.trim());
  return sentences.length > 1 ? sentences : [];
}

function firstSentenceOf(template: string): string {
  const end = template.search(/[.!?](\s|$)/);
  return end < 0 ? template : template.slice(0, end + 1);
}

/** A view of the intent index holding one kind, with its own ids. */
function viewOf(
  intents: TextRetriever,
  kind: 'guideline' | 'journey',
  size: number,
): TextRetriever {
  const prefix = `${kind}:`;
  return {
    size,
    async search(query, k, filter) {
      if (size === 0) return [];
      const hits = await intents.search(query, k, (itemId) =>
        itemId.startsWith(prefix) ? (filter?.(itemId.slice(prefix.length)) ?? true) : false,
      );
      return hits.map((hit) => ({ itemId: hit.itemId.slice(prefix.length), score: hit.score }));
    },
  };
}

/** Most texts kept by {@link AgentCatalog.retrieverOver} per agent before it starts again. */
const transientCacheLimit = 2_000;

interface RetrieverCaches {
  intents: VectorCache;
  terms: VectorCache;
  cannedResponses: VectorCache;
  transient: VectorCache;
}

async function loadAgentCatalog(
  workspace: WorkspaceStore,
  agentId: string,
  revision: string,
  embedders: CatalogEmbedders,
  caches: RetrieverCaches,
): Promise<AgentCatalog> {
  const { embedder } = embedders;
  const [
    agent,
    guidelines,
    toolLinks,
    relationships,
    journeys,
    terms,
    allCannedResponses,
    variables,
    tools,
    attachedTools,
    knowledgeBases,
  ] = await Promise.all([
    workspace.agents.get(agentId),
    workspace.guidelines.listAll(agentId, { enabledOnly: true }),
    workspace.guidelines.listToolLinks(agentId),
    readAllPages((page) => workspace.relationships.list({ ...page, agentId })),
    readAllPages((page) => workspace.journeys.list({ ...page, agentId })),
    readAllPages((page) => workspace.terms.list({ ...page, agentId })),
    readAllPages((page) => workspace.cannedResponses.list({ ...page, agentId })),
    readAllPages((page) => workspace.variables.list({ ...page, agentId })),
    readAllPages((page) => workspace.tools.list(page)),
    workspace.agents.listTools(agentId),
    workspace.agents.listKnowledgeBases(agentId),
  ]);
  // The meaning side reads texts without the identifiers this agent's tools take (attached to
  // it, its guidelines or its journeys' steps): another agent's tools change nothing here.
  const agentToolIds = new Set([
    ...attachedTools.map((tool) => tool.id),
    ...toolLinks.map((link) => link.toolId),
    ...journeys.flatMap((journey) => journey.states.map((state) => state.toolId ?? '')),
  ]);
  const semantic = embedders.semantic && {
    ...embedders.semantic,
    embedder: maskIdentifiers(
      embedders.semantic.embedder,
      tools
        .filter((tool) => agentToolIds.has(tool.id))
        .flatMap((tool) => identifierPatternsOf(tool.parameters)),
    ),
  };
  const guidelineById = new Map(guidelines.map((guideline) => [guideline.id, guideline]));
  const enabledJourneys = journeys.filter((journey) => journey.enabled);
  const journeyScoped = new Set(enabledJourneys.flatMap((journey) => journey.guidelineIds));
  const guidelineToolIds = new Map<string, string[]>();
  for (const link of toolLinks) {
    guidelineToolIds.set(link.guidelineId, [
      ...(guidelineToolIds.get(link.guidelineId) ?? []),
      link.toolId,
    ]);
  }

  const cannedResponses = allCannedResponses.filter((response) => !isPreamble(response));
  const toolNames = new Set(tools.map((tool) => tool.name));
  const standalone = guidelines.filter((guideline) => !journeyScoped.has(guideline.id));
  const [intentRetriever, termRetriever, cannedResponseRetriever] = await Promise.all([
    buildTextRetriever(
      embedder,
      [
        ...standalone.map((guideline) => ({
          id: intentItemId('guideline', guideline.id),
          revision: `${guideline.id}:${guideline.version}`,
          texts: withCustomerWords([guideline.condition], guideline.examples),
        })),
        ...enabledJourneys.map((journey) => ({
          id: intentItemId('journey', journey.id),
          revision: `${journey.id}:${journey.updatedAt.getTime()}`,
          // The first step's question says what the journey is about ("which treatment:
          // check-up, hygiene, whitening or filling?"), as a guideline's examples do.
          texts: withCustomerWords(
            [journey.title, ...journey.conditions],
            journeyOpeningWords(journey),
          ),
        })),
      ],
      caches.intents,
      semantic,
    ),
    buildTextRetriever(
      embedder,
      terms.map((term) => ({
        id: term.id,
        revision: `${term.id}:${term.updatedAt.getTime()}`,
        texts: [term.name, ...term.synonyms, term.description],
      })),
      caches.terms,
      semantic,
    ),
    buildTextRetriever(
      embedder,
      cannedResponses.map((response) => ({
        id: response.id,
        revision: `${response.id}:${response.updatedAt.getTime()}`,
        texts: [response.template, ...sentencesOf(response.template)].map((text) =>
          templateSearchText(text, toolNames),
        ),
      })),
      caches.cannedResponses,
      semantic,
    ),
  ]);

  const vocabulary = vocabularyOf([
    agent.name,
    agent.description ?? '',
    ...guidelines.flatMap((guideline) => [
      guideline.condition,
      guideline.action ?? '',
      ...guideline.examples,
    ]),
    ...enabledJourneys.flatMap((journey) => [
      journey.title,
      journey.description,
      ...journey.conditions,
      ...journey.states.map((state) => state.action ?? ''),
      ...journey.transitions.map((transition) => transition.condition ?? ''),
    ]),
    ...allCannedResponses.map((response) => response.template),
    ...terms.flatMap((term) => [term.name, term.description, ...term.synonyms]),
    ...tools
      .filter((tool) => agentToolIds.has(tool.id))
      .flatMap((tool) => [tool.name, tool.description, JSON.stringify(tool.parameters)]),
    ...variables.flatMap((variable) => [
      variable.name,
      variable.description ?? '',
      JSON.stringify(variable.defaultValue ?? null),
    ]),
  ]);
  const intentActs = new Map<string, SmallTalkAct>();
  for (const guideline of guidelines) {
    const act = smallTalkIntentAct(guideline.examples);
    if (act) intentActs.set(cannedIntentKey({ guidelineId: guideline.id }), act);
  }
  let cannedIntents: Promise<ReadonlyMap<string, string>> | undefined;
  const computeCannedIntents = async () => {
    const intents = [
      ...guidelines.map((guideline) => ({
        key: cannedIntentKey({ guidelineId: guideline.id }),
        text: [guideline.condition, guideline.action ?? '', ...guideline.examples].join('\n'),
      })),
      ...enabledJourneys.flatMap((journey) =>
        journey.states
          .filter((state) => state.kind === 'chat' && state.action)
          .map((state) => ({
            key: cannedIntentKey({ journeyId: journey.id, stateKey: state.key }),
            text: `${journey.title}\n${state.action ?? ''}`,
          })),
      ),
    ];
    // A reply's first sentence says what it is about ("Moving home? …", "Hi, and welcome…"),
    // where the rest may name every topic: a reply scores the better of the two.
    const openings = await buildTextRetriever(
      embedder,
      cannedResponses.map((response) => {
        const opening = firstSentenceOf(response.template);
        return {
          id: response.id,
          revision: `opening:${opening}`,
          texts: [templateSearchText(opening, toolNames)],
        };
      }),
      caches.transient,
      semantic,
      { keepOtherVectors: true },
    );
    const searchedBy = (retriever: TextRetriever) =>
      Promise.all(intents.map((intent) => retriever.search(intent.text, retriever.size)));
    const [wholes, firsts] = await Promise.all([
      searchedBy(cannedResponseRetriever),
      searchedBy(openings),
    ]);
    const raw = wholes.flatMap((hits, index) => {
      const openingScores = new Map((firsts[index] ?? []).map((hit) => [hit.itemId, hit.score]));
      return hits.map((hit) => ({
        responseId: hit.itemId,
        intent: (intents[index] as { key: string }).key,
        score: Math.max(hit.score, openingScores.get(hit.itemId) ?? 0),
      }));
    });
    // Each score less the mean of its reply's and of its intent's scores: a generic reply
    // ("I can help with hours, prices…") is close to every intent, and that says nothing.
    const meanOf = (key: (pair: (typeof raw)[number]) => string) => {
      const sums = new Map<string, { total: number; count: number }>();
      for (const pair of raw) {
        const entry = sums.get(key(pair)) ?? { total: 0, count: 0 };
        entry.total += pair.score;
        entry.count += 1;
        sums.set(key(pair), entry);
      }
      return (name: string) => {
        const entry = sums.get(name);
        return entry ? entry.total / entry.count : 0;
      };
    };
    // A reply and the small talk it answers always pair, however few words they share.
    const replyActs = new Map(
      cannedResponses.map((response) => [response.id, smallTalkReplyAct(response.template)]),
    );
    const present = new Set(raw.map((pair) => `${pair.responseId} ${pair.intent}`));
    for (const [responseId, act] of replyActs)
      for (const [intent, intentAct] of intentActs)
        if (act && act === intentAct && !present.has(`${responseId} ${intent}`))
          raw.push({ responseId, intent, score: 0 });
    const replyMean = meanOf((pair) => pair.responseId);
    const intentMean = meanOf((pair) => pair.intent);
    // A greeting reply ("Hi, and welcome! I can help with…") names every topic, so by words
    // it fits them all; by its opening it is the greeting's, and goodbyes the same.
    const pairs = raw
      .map((pair) => {
        const act = replyActs.get(pair.responseId);
        const matchesAct = act !== null && act !== undefined && intentActs.get(pair.intent) === act;
        return {
          ...pair,
          score:
            pair.score -
            (replyMean(pair.responseId) + intentMean(pair.intent)) / 2 +
            (matchesAct ? smallTalkPairingBonus : 0),
        };
      })
      .sort((left, right) => right.score - left.score);
    // Best pairs first, each intent and reply taken once: a generic reply close to many
    // intents loses each to the reply that fits it better, and keeps the one left to it.
    // Replies beyond the intents' number (one step, two outcomes) take their closest intent.
    const intentOf = new Map<string, string>();
    const taken = new Set<string>();
    for (const pair of pairs) {
      if (intentOf.has(pair.responseId) || taken.has(pair.intent)) continue;
      intentOf.set(pair.responseId, pair.intent);
      taken.add(pair.intent);
    }
    const scores = new Map<string, Map<string, number>>();
    for (const pair of pairs) {
      const ofReply = scores.get(pair.responseId) ?? new Map<string, number>();
      ofReply.set(pair.intent, pair.score);
      scores.set(pair.responseId, ofReply);
    }
    improveBySwaps(intentOf, scores);
    for (const pair of pairs)
      if (!intentOf.has(pair.responseId)) intentOf.set(pair.responseId, pair.intent);
    return intentOf;
  };

  let acceptance: Promise<Acceptance> | undefined;

  return {
    revision,
    agent,
    guidelines: guidelineById,
    guidelineToolIds,
    relationships: relationships.filter(
      (relationship) =>
        guidelineById.has(relationship.sourceGuidelineId) &&
        guidelineById.has(relationship.targetGuidelineId),
    ),
    journeys: new Map(enabledJourneys.map((journey) => [journey.id, journey])),
    journeyScopedGuidelineIds: journeyScoped,
    terms,
    cannedResponses,
    preambles: allCannedResponses.filter(isPreamble),
    variables,
    tools: new Map(tools.map((tool) => [tool.id, tool])),
    knowledgeBaseIds: knowledgeBases.map((link) => link.knowledgeBaseId),
    retrieverIds: [
      ...new Set([
        ...agent.retrieverIds,
        ...guidelines.flatMap((guideline) => guideline.retrieverIds),
        ...enabledJourneys.flatMap((journey) =>
          journey.states.flatMap((state) => state.retrieverIds),
        ),
      ]),
    ],
    cannedResponsesShowPassages: cannedResponses.some(showsPassages),
    intentRetriever,
    guidelineRetriever: viewOf(intentRetriever, 'guideline', standalone.length),
    journeyRetriever: viewOf(intentRetriever, 'journey', enabledJourneys.length),
    termRetriever,
    cannedResponseRetriever,
    async retrieverOver(items) {
      if (caches.transient.size > transientCacheLimit) caches.transient.clear();
      return buildTextRetriever(embedder, items, caches.transient, semantic, {
        keepOtherVectors: true,
      });
    },
    cannedResponseIntents() {
      cannedIntents ??= computeCannedIntents();
      return cannedIntents;
    },
    smallTalkIntents: intentActs,
    vocabulary,
    acceptance() {
      acceptance ??= calibrateAcceptance(
        intentRetriever,
        standalone.map((guideline) => ({
          id: intentItemId('guideline', guideline.id),
          examples: guideline.examples,
        })),
        embedders.acceptance,
      );
      return acceptance;
    },
  };
}

/** Keeps each agent's catalog while its revision holds; one rebuild at a time per agent. */
export interface AgentCatalogCache {
  /**
   * The agent's catalog as of now: one revision query when it is cached and current, none
   * when the caller already read the revision (a turn snapshot carries it).
   */
  get(workspace: WorkspaceStore, agentId: string, knownRevision?: string): Promise<AgentCatalog>;
}

/** Creates the cache the engine shares across turns. */
export function createAgentCatalogCache(given: CatalogEmbedders): AgentCatalogCache {
  // Neural embedders encode a turn's message once for all its searches.
  const embedders: CatalogEmbedders = {
    ...given,
    ...(given.semantic
      ? { semantic: { ...given.semantic, embedder: rememberQueryVectors(given.semantic.embedder) } }
      : {}),
  };
  const entries = new Map<
    string,
    { catalog?: AgentCatalog; building?: Promise<AgentCatalog>; caches: RetrieverCaches }
  >();
  return {
    async get(workspace, agentId, knownRevision) {
      const key = `${workspace.workspaceId}:${agentId}`;
      const revision = knownRevision ?? (await workspace.agents.catalogRevision(agentId));
      let entry = entries.get(key);
      if (!entry) {
        entry = {
          caches: {
            intents: new Map(),
            terms: new Map(),
            cannedResponses: new Map(),
            transient: new Map(),
          },
        };
        entries.set(key, entry);
      }
      if (entry.catalog?.revision === revision) return entry.catalog;
      const current = entry;
      if (current.building) {
        const built = await current.building;
        if (built.revision === revision) return built;
      }
      current.building = loadAgentCatalog(workspace, agentId, revision, embedders, current.caches);
      try {
        current.catalog = await current.building;
        return current.catalog;
      } finally {
        current.building = undefined;
      }
    },
  };
}

/** How many times the swaps are tried over every two pairs, at most. */
const maximumSwapPasses = 4;

/**
 * Swaps the intents of two replies wherever the two swapped pairs score more together: best
 * first can give a reply that names every topic ("Hi, I can help with outages, plans and
 * moving home") the intent that a reply about one topic ("Moving home? …") fits better, and
 * leave that one the greeting. Changes `intentOf` in place; `scores` by reply, then intent.
 */
function improveBySwaps(
  intentOf: Map<string, string>,
  scores: ReadonlyMap<string, ReadonlyMap<string, number>>,
): void {
  const score = (responseId: string, intent: string) =>
    scores.get(responseId)?.get(intent) ?? Number.NEGATIVE_INFINITY;
  const replies = [...intentOf.keys()];
  for (let pass = 0; pass < maximumSwapPasses; pass += 1) {
    let swapped = false;
    for (let left = 0; left < replies.length; left += 1) {
      for (let right = left + 1; right < replies.length; right += 1) {
        const first = replies[left] as string;
        const second = replies[right] as string;
        const firstIntent = intentOf.get(first) as string;
        const secondIntent = intentOf.get(second) as string;
        const now = score(first, firstIntent) + score(second, secondIntent);
        const after = score(first, secondIntent) + score(second, firstIntent);
        if (after > now + 1e-9) {
          intentOf.set(first, secondIntent);
          intentOf.set(second, firstIntent);
          swapped = true;
        }
      }
    }
    if (!swapped) return;
  }
}
