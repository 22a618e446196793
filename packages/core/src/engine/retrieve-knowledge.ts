import { identifierSchema } from '../domain/common';
import { messageSourceSchema, type ParleyEvent } from '../domain/event';
import type { Session } from '../domain/session';
import { ParleyError } from '../errors/parley-error';
import type { Clock } from '../ports/clock';
import type { Passage, PassageSource, Retriever } from '../ports/retriever';
import type { AgentCatalog } from './agent-catalog';
import type { EngineLogger } from './engine-logger';
import { withinDeadline } from './within-deadline';

/** Options of knowledge retrieval (`EngineOptions.retrieval`). */
export interface RetrievalOptions {
  /**
   * How long a retriever may take (on the engine's clock) before the turn goes on without
   * its passages; default 3000 ms.
   */
  timeoutMs?: number;
  /** The most passages one turn uses, across its retrievers; default 6. */
  maximumPassages?: number;
}

/** How turns retrieve knowledge; see `EngineOptions.retrievers`. Not part of the public entry. */
export interface RetrievalSettings {
  retrievers: ReadonlyMap<string, Retriever>;
  timeoutMs: number;
  maximumPassages: number;
}

/** A passage as a turn uses it: with the retriever that found it. */
export interface RetrievedPassage extends Passage {
  retrieverId: string;
}

/** How one retriever's search went, as the turn's explanation tells it. */
export interface RetrieverOutcome {
  retrieverId: string;
  /**
   * `found` (it answered, `passages` long), `failed` (it threw or answered malformed
   * passages), `timeout` (it outlasted the deadline), `aborted` (the turn did not need it:
   * nothing it is attached to applied), `unknown` (attached, but not among the engine's
   * retrievers).
   */
  status: 'found' | 'failed' | 'timeout' | 'aborted' | 'unknown';
  passages: number;
}

/** What the turn retrieved for its reply. */
export interface RetrievedKnowledge {
  /** Most relevant first, at most `maximumPassages`. */
  passages: RetrievedPassage[];
  /** Every retriever attached anywhere in the catalog, with how its search went. */
  outcomes: RetrieverOutcome[];
}

/** Knowledge retrieval started with a turn; see {@link startKnowledgeRetrieval}. */
export interface KnowledgeRetrieval {
  /**
   * Aborts the searches of retrievers none of `retrieverIds` names: once matching knows what
   * applies, those attached only to guidelines that did not are not waited for.
   */
  keepOnly(retrieverIds: ReadonlySet<string>): void;
  /**
   * Waits for the retrievers `retrieverIds` names (in that order of precedence) and aborts
   * every other. Never rejects: a failed or late retriever only loses its passages.
   */
  collect(retrieverIds: readonly string[]): Promise<RetrievedKnowledge>;
  /** Aborts every search (the turn failed, or its message was flagged). */
  abort(): void;
}

const defaultTimeoutMs = 3000;
const defaultMaximumPassages = 6;
/** A passage's text, as a reply may quote it, is cut beyond this. */
const maximumPassageLength = 4000;
/** A latest message of fewer words is searched with the customer's message before it. */
const followUpWords = 4;
/** Messages a retriever receives as the conversation. */
const conversationWindow = 10;

/** Checks the engine's retrievers and options, and fills in the defaults. */
export function retrievalSettingsOf(
  retrievers: readonly Retriever[] | undefined,
  options: RetrievalOptions | undefined,
): RetrievalSettings {
  const byId = new Map<string, Retriever>();
  for (const [index, retriever] of (retrievers ?? []).entries()) {
    if (typeof retriever?.retrieve !== 'function') {
      throw new ParleyError('validation_failed', `\`retrievers[${index}]\` must be a Retriever`, {
        details: { option: `retrievers.${index}` },
      });
    }
    if (!identifierSchema.safeParse(retriever.id).success) {
      throw new ParleyError(
        'validation_failed',
        `\`retrievers[${index}].id\` must start with a letter and hold only letters, digits, "_" or "-" (at most 64); got ${JSON.stringify(retriever.id)}`,
        { details: { option: `retrievers.${index}.id` } },
      );
    }
    if (byId.has(retriever.id)) {
      throw new ParleyError('conflict', `Two retrievers have the id "${retriever.id}"`, {
        details: { option: 'retrievers' },
      });
    }
    byId.set(retriever.id, retriever);
  }
  const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ParleyError('validation_failed', '`retrieval.timeoutMs` must be more than 0', {
      details: { option: 'retrieval.timeoutMs', timeoutMs },
    });
  }
  const maximumPassages = options?.maximumPassages ?? defaultMaximumPassages;
  if (!Number.isInteger(maximumPassages) || maximumPassages < 1 || maximumPassages > 20) {
    throw new ParleyError(
      'validation_failed',
      '`retrieval.maximumPassages` must be a whole number from 1 to 20',
      { details: { option: 'retrieval.maximumPassages', maximumPassages } },
    );
  }
  return { retrievers: byId, timeoutMs, maximumPassages };
}

/**
 * The text retrievers search: the customer's latest message, after the one before it when the
 * latest is a short follow-up ("and for two nights?"), which means little alone.
 */
export function retrievalQuery(latest: string, earlierCustomerMessages: readonly string[]): string {
  const words = latest.trim().split(/\s+/).filter(Boolean).length;
  const before = earlierCustomerMessages[0];
  return words < followUpWords && before ? `${before}\n${latest}` : latest;
}

type Search =
  | { status: 'found'; passages: RetrievedPassage[] }
  | { status: 'failed' | 'timeout' | 'aborted' };

/**
 * Starts, at once and side by side, the search of every retriever the catalog attaches to
 * the agent, a guideline or a journey state, so retrieval runs beside guideline matching and
 * adds no step before the reply of its own. Each search has its own deadline and abort: the
 * turn keeps the passages of the retrievers whose attachment applies ({@link
 * KnowledgeRetrieval.collect}) and aborts the rest. Without attached retrievers it does
 * nothing.
 */
export function startKnowledgeRetrieval(input: {
  settings: RetrievalSettings;
  catalog: AgentCatalog;
  session: Session;
  history: readonly ParleyEvent[];
  latestCustomerMessage: string;
  earlierCustomerMessages: readonly string[];
  signal: AbortSignal;
  clock: Clock;
  logger: EngineLogger;
  traceId: string;
}): KnowledgeRetrieval {
  const { settings, catalog, logger } = input;
  const attached = catalog.retrieverIds;
  const searches = new Map<string, { controller: AbortController; result: Promise<Search> }>();
  const unknown = attached.filter((id) => !settings.retrievers.has(id));
  if (unknown.length > 0) {
    logger.warn('attached retrievers are not among the engine retrievers', {
      agentId: catalog.agent.id,
      retrieverIds: unknown,
      traceId: input.traceId,
    });
  }
  const query = retrievalQuery(input.latestCustomerMessage, input.earlierCustomerMessages);
  if (query.trim() !== '' && !input.signal.aborted) {
    const conversation = input.history
      .filter((event) => event.kind === 'message')
      .slice(-conversationWindow)
      .map((event) => ({ source: event.source, text: event.data.text }));
    for (const id of attached) {
      const retriever = settings.retrievers.get(id);
      if (!retriever) continue;
      const controller = new AbortController();
      searches.set(id, {
        controller,
        result: search(retriever, controller, {
          query,
          conversation,
          catalog,
          session: input.session,
          settings,
          signal: input.signal,
          clock: input.clock,
          logger,
          traceId: input.traceId,
        }),
      });
    }
  }

  const abortAll = (keep: ReadonlySet<string>) => {
    for (const [id, running] of searches) {
      if (!keep.has(id)) running.controller.abort();
    }
  };

  return {
    keepOnly: abortAll,
    abort: () => abortAll(new Set()),
    async collect(retrieverIds) {
      const wanted = [...new Set(retrieverIds)];
      abortAll(new Set(wanted));
      const results = new Map<string, Search>();
      await Promise.all(
        [...searches].map(async ([id, running]) => {
          results.set(id, await running.result);
        }),
      );
      const outcomes: RetrieverOutcome[] = attached.map((retrieverId) => {
        const result = results.get(retrieverId);
        if (!result) return { retrieverId, status: 'unknown', passages: 0 };
        return result.status === 'found'
          ? { retrieverId, status: 'found', passages: result.passages.length }
          : { retrieverId, status: result.status, passages: 0 };
      });
      const lists = wanted.flatMap((id) => {
        const result = results.get(id);
        return result?.status === 'found' ? [result.passages] : [];
      });
      return { passages: interleave(lists, settings.maximumPassages), outcomes };
    },
  };
}

/**
 * One retriever's search, within the deadline. Never rejects: an error, a timeout, an abort
 * and malformed passages each end as a status, logged without the customer's text.
 */
async function search(
  retriever: Retriever,
  controller: AbortController,
  input: {
    query: string;
    conversation: Array<{ source: ParleyEvent['source']; text: string }>;
    catalog: AgentCatalog;
    session: Session;
    settings: RetrievalSettings;
    signal: AbortSignal;
    clock: Clock;
    logger: EngineLogger;
    traceId: string;
  },
): Promise<Search> {
  const log = { retrieverId: retriever.id, traceId: input.traceId };
  const outcome = await withinDeadline({
    signal: input.signal,
    clock: input.clock,
    timeoutMs: input.settings.timeoutMs,
    controller,
    work: async (signal) => {
      const passages = await retriever.retrieve({
        query: input.query,
        conversation: input.conversation,
        agent: input.catalog.agent,
        session: input.session,
        knowledgeBaseIds: input.catalog.knowledgeBaseIds,
        limit: input.settings.maximumPassages,
        signal,
      });
      if (!Array.isArray(passages)) throw new TypeError('the retriever returned no array');
      const kept = passages.flatMap((passage) => checkedPassage(passage, retriever.id));
      if (kept.length < passages.length) {
        input.logger.warn('retriever returned malformed passages', {
          ...log,
          dropped: passages.length - kept.length,
        });
      }
      return kept.slice(0, input.settings.maximumPassages);
    },
  });
  switch (outcome.status) {
    case 'done':
      return { status: 'found', passages: outcome.value };
    case 'aborted':
      return { status: 'aborted' };
    case 'timeout':
      input.logger.warn('retriever timed out', log);
      return { status: 'timeout' };
    case 'failed':
      input.logger.warn('retriever failed', {
        ...log,
        error: outcome.error instanceof Error ? outcome.error.name : typeof outcome.error,
      });
      return { status: 'failed' };
  }
}

/** A passage as the port promises it, its text cut to size; none when it is not one. */
function checkedPassage(value: unknown, retrieverId: string): RetrievedPassage[] {
  if (typeof value !== 'object' || value === null) return [];
  const { id, text, score, source } = value as Partial<Passage>;
  if (typeof id !== 'string' || id === '' || typeof text !== 'string' || text.trim() === '') {
    return [];
  }
  if (typeof score !== 'number' || !Number.isFinite(score)) return [];
  if (typeof source !== 'object' || source === null) return [];
  const title = typeof source.title === 'string' ? source.title.trim().slice(0, 500) : '';
  if (title === '') return [];
  const checkedSource: PassageSource = { title };
  // The message event's own rule for a source's address: http or https, at most 2000.
  if (
    typeof source.url === 'string' &&
    messageSourceSchema.shape.url.safeParse(source.url).success
  ) {
    checkedSource.url = source.url;
  }
  if (typeof source.documentId === 'string' && source.documentId !== '') {
    checkedSource.documentId = source.documentId.slice(0, 200);
  }
  return [
    {
      id: id.slice(0, 200),
      text: text.trim().slice(0, maximumPassageLength),
      score,
      source: checkedSource,
      retrieverId,
    },
  ];
}

/**
 * Merges ranked lists whose scores are on different scales: the first of each, then the
 * second of each, and so on, the lists in precedence order; a passage already taken (same
 * retriever and id) is skipped.
 */
function interleave(lists: readonly RetrievedPassage[][], limit: number): RetrievedPassage[] {
  const merged: RetrievedPassage[] = [];
  const seen = new Set<string>();
  const longest = Math.max(0, ...lists.map((list) => list.length));
  for (let rank = 0; rank < longest && merged.length < limit; rank += 1) {
    for (const list of lists) {
      const passage = list[rank];
      if (!passage) continue;
      const key = `${passage.retrieverId}\u0000${passage.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      merged.push(passage);
      if (merged.length === limit) break;
    }
  }
  return merged;
}
