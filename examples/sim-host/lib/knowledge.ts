/**
 * @module The host's knowledge bases, as Parley's agents search them: the chunks of Sim's
 * `embedding` table, filtered by the knowledge bases linked to the agent
 * (`POST /api/parley/v1/agents/:id/knowledge-bases`), through `createPgvectorRetriever`.
 */
import type { Retriever } from '@parley/core';
import { createPgvectorRetriever } from '@parley/core/pgvector';
import { db } from '../db';
import { embedder } from './embeddings';

/**
 * The `knowledge` retriever (agents name it in `retrieverIds`), or none without an embedder:
 * a question must be embedded by the model the chunks were (see `lib/embeddings.ts`).
 */
export const retrievers: Retriever[] = embedder
  ? [createPgvectorRetriever({ id: 'knowledge', database: db, embedder, knowledgeBases: {} })]
  : [];
