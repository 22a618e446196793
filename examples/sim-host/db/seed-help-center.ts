/**
 * @module The seed's help center: a knowledge base's documents and their chunks, as Sim's
 * document processing leaves them (a `document` row per file, an `embedding` row per chunk with
 * its vector), for Parley's retriever to search.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { embedder } from '../lib/embeddings';
import { db } from './index';
import { document, embedding } from './schema';

/** The seeded files and their chunks; a chunk with `enabled: false` was switched off by hand. */
export const helpCenterDocuments = [
  {
    filename: 'refund-policy.md',
    chunks: [
      { content: 'Refunds arrive on the original card within five business days of approval.' },
      { content: 'Sale items can be returned for store credit only, within 14 days of delivery.' },
      // An outdated chunk, disabled rather than deleted: no customer should be told it.
      { content: 'Refunds arrive by cheque within 30 days.', enabled: false },
    ],
  },
  {
    filename: 'shipping.md',
    chunks: [
      { content: 'Orders leave our Lyon warehouse within two working days.' },
      { content: 'Express delivery reaches most European addresses the next working day.' },
    ],
  },
];

/**
 * Puts the help center's documents in the knowledge base if it has none, then embeds every
 * chunk of it still without a vector (all of them on a first run with an embedder, none again
 * after), with the host's embedder: the one its Parley retriever embeds queries with. Without
 * an embedder the chunks stay unembedded, and a later run with one embeds them.
 */
export async function seedHelpCenter(knowledgeBaseId: string): Promise<{ embedded: number }> {
  const [existing] = await db
    .select({ id: document.id })
    .from(document)
    .where(eq(document.knowledgeBaseId, knowledgeBaseId))
    .limit(1);
  if (!existing) {
    for (const { filename, chunks } of helpCenterDocuments) {
      const [made] = await db
        .insert(document)
        .values({
          knowledgeBaseId,
          filename,
          mimeType: 'text/markdown',
          chunkCount: chunks.length,
          processingStatus: 'completed',
        })
        .returning({ id: document.id });
      await db.insert(embedding).values(
        chunks.map((chunk, chunkIndex) => ({
          knowledgeBaseId,
          documentId: made!.id,
          chunkIndex,
          content: chunk.content,
          // A rough count (Sim stores the tokenizer's); nothing here reads it.
          tokenCount: Math.ceil(chunk.content.length / 4),
          enabled: chunk.enabled ?? true,
        })),
      );
    }
  }
  if (!embedder) return { embedded: 0 };
  const pending = await db
    .select({ id: embedding.id, content: embedding.content })
    .from(embedding)
    .where(and(eq(embedding.knowledgeBaseId, knowledgeBaseId), isNull(embedding.embedding)));
  if (pending.length === 0) return { embedded: 0 };
  const vectors = await embedder.embed(
    pending.map((row) => row.content),
    { purpose: 'document' },
  );
  for (const [index, row] of pending.entries()) {
    const vector = vectors[index];
    // The column is pgvector's dense `vector`: a sparse vector would have nothing to go in it.
    if (!(vector instanceof Float32Array)) throw new Error(`${embedder.id} gave no dense vector`);
    await db
      .update(embedding)
      .set({ embedding: Array.from(vector) })
      .where(eq(embedding.id, row.id));
  }
  return { embedded: pending.length };
}
