import type { Agent } from '../domain/agent';
import type { EventSource } from '../domain/event';
import type { Session } from '../domain/session';

/** Where a {@link Passage} comes from: what a reply cites and the widget links to. */
export interface PassageSource {
  /** A human-readable name: a document's title or file name, a page's heading. */
  title: string;
  /** Where a reader can open the source (http or https); absent when there is none. */
  url?: string;
  /** The source document's id in the retriever's own store (e.g. Sim's `document.id`). */
  documentId?: string;
}

/** One piece of knowledge a {@link Retriever} found for a turn. */
export interface Passage {
  /** Stable within the retriever (e.g. the chunk's row id): explanations and citations name it. */
  id: string;
  /** The passage itself, as the reply may quote or summarise it. */
  text: string;
  /** Higher is more relevant. On the retriever's own scale; passages of one retriever compare. */
  score: number;
  source: PassageSource;
}

/** What a {@link Retriever} is asked for in one turn. */
export interface RetrievalRequest {
  /**
   * The text to search for: the customer's latest message (with the one before it when the
   * latest is a short follow-up, so "and how much is that?" is searched with its subject).
   */
  query: string;
  /** The recent messages of the conversation, oldest first, for retrievers that read context. */
  conversation: ReadonlyArray<{ source: EventSource; text: string }>;
  agent: Agent;
  session: Session;
  /** The knowledge bases linked to the agent (`agent_knowledge_base`), for retrievers that filter by them. */
  knowledgeBaseIds: readonly string[];
  /** How many passages the turn will use at most; a retriever may return fewer. */
  limit: number;
  /**
   * Aborts the search: the turn was cancelled, or the retriever is no longer needed (its
   * guideline did not apply). Retrievers pass it to their database or HTTP calls.
   */
  signal: AbortSignal;
}

/**
 * Finds passages of knowledge for a turn: a host's knowledge base (pgvector over its chunk
 * table, `createPgvectorRetriever`), a search service, a fixed list. Attached by `id` to an
 * agent (every turn), a guideline or a journey state (used only in turns where the guideline
 * applies or the journey is at that state). The engine starts every attached retriever when
 * the turn starts, beside guideline matching, so retrieval adds no sequential step before the
 * first token; it aborts those whose guideline did not apply. A retriever that fails or
 * outlasts its deadline is logged and the turn goes on without its passages.
 */
export interface Retriever {
  /** Names the retriever where agents attach it and in explanations, e.g. `help-center`. */
  readonly id: string;
  /** Returns passages, most relevant first. Rejects on failure; honours `signal`. */
  retrieve(request: RetrievalRequest): Promise<Passage[]>;
}
