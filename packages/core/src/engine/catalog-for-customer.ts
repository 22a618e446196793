import type { Guideline } from '../domain/guideline';
import type { Journey } from '../domain/journey';
import { type AgentCatalog, cannedIntentKey, intentItemId } from './agent-catalog';
import type { TextRetriever } from './text-retriever';

/**
 * True when a guideline or journey is for a customer carrying `customerTags`: it names no
 * customer tag (it is for everyone), or at least one of the customer's.
 */
export function isForCustomer(
  record: { readonly customerTags: readonly string[] },
  customerTags: readonly string[],
): boolean {
  return (
    record.customerTags.length === 0 ||
    record.customerTags.some((tag) => customerTags.includes(tag))
  );
}

/** What a catalog holds that is scoped by customer tag, and the views already made of it. */
interface CatalogScoping {
  guidelines: Guideline[];
  journeys: Journey[];
  views: Map<string, Promise<AgentCatalog>>;
}

/** Views kept per catalog: one per set of hidden records, so a few customer tag mixes. */
const maximumViewsPerCatalog = 64;

const scopings = new WeakMap<AgentCatalog, CatalogScoping>();

function scopingOf(catalog: AgentCatalog): CatalogScoping {
  let scoping = scopings.get(catalog);
  if (!scoping) {
    scoping = {
      guidelines: [...catalog.guidelines.values()].filter(
        (guideline) => guideline.customerTags.length > 0,
      ),
      journeys: [...catalog.journeys.values()].filter((journey) => journey.customerTags.length > 0),
      views: new Map(),
    };
    scopings.set(catalog, scoping);
  }
  return scoping;
}

/** A retriever that never finds the hidden ids, as if they were not indexed. */
function withoutItems(
  retriever: TextRetriever,
  hidden: ReadonlySet<string>,
  indexedHidden: number,
): TextRetriever {
  return {
    size: Math.max(0, retriever.size - indexedHidden),
    search(query, k, filter) {
      return retriever.search(
        query,
        k,
        (itemId) => !hidden.has(itemId) && (filter?.(itemId) ?? true),
      );
    },
  };
}

/**
 * The catalog as one customer's turn sees it: without the guidelines and journeys scoped to
 * customer tags the customer does not carry (see {@link isForCustomer}). They are left out
 * before matching, so they are never retrieved, judged, applied nor explained: out of the
 * guideline and journey maps, the retrieval indexes (filtered, their scores otherwise
 * unchanged) and the relationships (an entailment, priority or disambiguation towards a
 * hidden guideline goes; a dependency on one stays, and is unmet). A journey the session was
 * in ends when it is hidden. The canned responses that answer a hidden guideline or a hidden
 * journey's step (as {@link AgentCatalog.cannedResponseIntents} pairs them) go too, so the
 * reply of a guideline the customer may not have is not sent for words close to it either.
 * The catalog itself is returned when nothing is hidden, and views are kept with the
 * catalog, so a turn pays for this only on agents that scope by tag.
 */
export function catalogForCustomer(
  catalog: AgentCatalog,
  customerTags: readonly string[],
): Promise<AgentCatalog> {
  const scoping = scopingOf(catalog);
  const hiddenGuidelines = scoping.guidelines
    .filter((guideline) => !isForCustomer(guideline, customerTags))
    .map((guideline) => guideline.id);
  const hiddenJourneys = scoping.journeys
    .filter((journey) => !isForCustomer(journey, customerTags))
    .map((journey) => journey.id);
  if (hiddenGuidelines.length === 0 && hiddenJourneys.length === 0) {
    return Promise.resolve(catalog);
  }

  const key = `${hiddenGuidelines.join(',')}|${hiddenJourneys.join(',')}`;
  let view = scoping.views.get(key);
  if (!view) {
    if (scoping.views.size >= maximumViewsPerCatalog) scoping.views.clear();
    view = buildView(catalog, hiddenGuidelines, hiddenJourneys);
    // A view that failed to build is built again by the next turn.
    view.catch(() => scoping.views.delete(key));
    scoping.views.set(key, view);
  }
  return view;
}

/** The intent keys of what is hidden: its guidelines and its journeys' chat steps. */
function hiddenIntentKeys(catalog: AgentCatalog, guidelineIds: string[], journeyIds: string[]) {
  return new Set([
    ...guidelineIds.map((guidelineId) => cannedIntentKey({ guidelineId })),
    ...journeyIds.flatMap((journeyId) =>
      (catalog.journeys.get(journeyId)?.states ?? [])
        .filter((state) => state.kind === 'chat')
        .map((state) => cannedIntentKey({ journeyId, stateKey: state.key })),
    ),
  ]);
}

async function buildView(
  catalog: AgentCatalog,
  hiddenGuidelines: string[],
  hiddenJourneys: string[],
): Promise<AgentCatalog> {
  const guidelineIds = new Set(hiddenGuidelines);
  const journeyIds = new Set(hiddenJourneys);
  // Journey-scoped guidelines are not in the guideline index: they do not count off its size.
  const indexedGuidelines = hiddenGuidelines.filter(
    (id) => !catalog.journeyScopedGuidelineIds.has(id),
  ).length;
  const intentIds = new Set([
    ...hiddenGuidelines.map((id) => intentItemId('guideline', id)),
    ...hiddenJourneys.map((id) => intentItemId('journey', id)),
  ]);
  const view: AgentCatalog = {
    ...catalog,
    guidelines: new Map([...catalog.guidelines].filter(([id]) => !guidelineIds.has(id))),
    journeys: new Map([...catalog.journeys].filter(([id]) => !journeyIds.has(id))),
    relationships: catalog.relationships.filter(
      (relationship) =>
        !guidelineIds.has(relationship.sourceGuidelineId) &&
        (!guidelineIds.has(relationship.targetGuidelineId) || relationship.kind === 'dependency'),
    ),
    intentRetriever: withoutItems(
      catalog.intentRetriever,
      intentIds,
      indexedGuidelines + hiddenJourneys.length,
    ),
    guidelineRetriever: withoutItems(catalog.guidelineRetriever, guidelineIds, indexedGuidelines),
    journeyRetriever: withoutItems(catalog.journeyRetriever, journeyIds, hiddenJourneys.length),
  };
  if (catalog.cannedResponses.length === 0) return view;
  const hiddenIntents = hiddenIntentKeys(catalog, hiddenGuidelines, hiddenJourneys);
  const intentOf = await catalog.cannedResponseIntents();
  const hiddenResponses = new Set(
    catalog.cannedResponses
      .filter((response) => hiddenIntents.has(intentOf.get(response.id) ?? ''))
      .map((response) => response.id),
  );
  if (hiddenResponses.size === 0) return view;
  return {
    ...view,
    cannedResponses: catalog.cannedResponses.filter(
      (response) => !hiddenResponses.has(response.id),
    ),
    cannedResponseRetriever: withoutItems(
      catalog.cannedResponseRetriever,
      hiddenResponses,
      hiddenResponses.size,
    ),
  };
}
