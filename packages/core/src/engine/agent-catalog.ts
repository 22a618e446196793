import { fieldPattern } from '../composition/render-template';
import type { Agent } from '../domain/agent';
import type { CannedResponse } from '../domain/canned-response';
import type { Guideline } from '../domain/guideline';
import type { Journey } from '../domain/journey';
import { readAllPages } from '../domain/read-all-pages';
import type { Relationship } from '../domain/relationship';
import type { Term } from '../domain/term';
import type { Tool } from '../domain/tool';
import type { Variable } from '../domain/variable';
import type { Embedder } from '../ports/embedder';
import type { WorkspaceStore } from '../ports/store';
import { buildTextRetriever, type TextRetriever, type VectorCache } from './text-retriever';

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
  readonly cannedResponses: readonly CannedResponse[];
  readonly variables: readonly Variable[];
  /** Every live tool of the workspace, by id. */
  readonly tools: ReadonlyMap<string, Tool>;
  /** Standalone guidelines, by condition and example messages. */
  readonly guidelineRetriever: TextRetriever;
  /** Journeys, by their trigger conditions. */
  readonly journeyRetriever: TextRetriever;
  readonly termRetriever: TextRetriever;
  readonly cannedResponseRetriever: TextRetriever;
}

interface RetrieverCaches {
  guidelines: VectorCache;
  journeys: VectorCache;
  terms: VectorCache;
  cannedResponses: VectorCache;
}

async function loadAgentCatalog(
  workspace: WorkspaceStore,
  agentId: string,
  revision: string,
  embedder: Embedder,
  caches: RetrieverCaches,
): Promise<AgentCatalog> {
  const [
    agent,
    guidelines,
    toolLinks,
    relationships,
    journeys,
    terms,
    cannedResponses,
    variables,
    tools,
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
  ]);
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

  const [guidelineRetriever, journeyRetriever, termRetriever, cannedResponseRetriever] =
    await Promise.all([
      buildTextRetriever(
        embedder,
        guidelines
          .filter((guideline) => !journeyScoped.has(guideline.id))
          .map((guideline) => ({
            id: guideline.id,
            revision: `${guideline.id}:${guideline.version}`,
            texts: [guideline.condition, ...guideline.examples],
          })),
        caches.guidelines,
      ),
      buildTextRetriever(
        embedder,
        enabledJourneys.map((journey) => ({
          id: journey.id,
          revision: `${journey.id}:${journey.updatedAt.getTime()}`,
          texts: [journey.title, ...journey.conditions],
        })),
        caches.journeys,
      ),
      buildTextRetriever(
        embedder,
        terms.map((term) => ({
          id: term.id,
          revision: `${term.id}:${term.updatedAt.getTime()}`,
          texts: [term.name, ...term.synonyms, term.description],
        })),
        caches.terms,
      ),
      buildTextRetriever(
        embedder,
        cannedResponses.map((response) => ({
          id: response.id,
          revision: `${response.id}:${response.updatedAt.getTime()}`,
          // Placeholders are not words the customer says: `{{booking.reference}}` must not
          // pull a template towards messages that happen to say "booking".
          texts: [response.template.replace(fieldPattern, ' ')],
        })),
        caches.cannedResponses,
      ),
    ]);

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
    variables,
    tools: new Map(tools.map((tool) => [tool.id, tool])),
    guidelineRetriever,
    journeyRetriever,
    termRetriever,
    cannedResponseRetriever,
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
export function createAgentCatalogCache(embedder: Embedder): AgentCatalogCache {
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
            guidelines: new Map(),
            journeys: new Map(),
            terms: new Map(),
            cannedResponses: new Map(),
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
      current.building = loadAgentCatalog(workspace, agentId, revision, embedder, current.caches);
      try {
        current.catalog = await current.building;
        return current.catalog;
      } finally {
        current.building = undefined;
      }
    },
  };
}
