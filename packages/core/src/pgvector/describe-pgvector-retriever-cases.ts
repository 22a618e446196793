import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../domain/agent';
import type { Session } from '../domain/session';
import { ParleyError } from '../errors/parley-error';
import type { Embedder } from '../ports/embedder';
import type { Passage, RetrievalRequest } from '../ports/retriever';
import { createOfflineEmbedder } from '../retrieval/offline-embedder';
import { type AnyPgDatabase, executeRows } from '../schema/any-pg-database';
import { createSeededRandom } from '../testing/create-seeded-random';
import { buildRetrievalQuery } from './build-retrieval-query';
import { createConceptEmbedder } from './create-concept-embedder';
import {
  createPgvectorRetriever,
  type PgvectorRetrieverOptions,
} from './create-pgvector-retriever';
import { resolvePgvectorTables } from './resolve-pgvector-tables';
import { fixtureDimensions, type HelpCenterFixture, seedHelpCenter } from './seed-help-center';

/** A database for {@link describePgvectorRetrieverCases}, in a schema of its own with pgvector. */
export interface PgvectorCasesDatabase {
  database: AnyPgDatabase;
  /** Ends the connections and removes what was created. */
  close(): Promise<void>;
}

/** A retrieval request with the parts a pgvector retriever ignores filled in. */
export function retrievalRequest(
  query: string,
  overrides: Partial<RetrievalRequest> = {},
): RetrievalRequest {
  return {
    query,
    conversation: [{ source: 'customer', text: query }],
    agent: { id: 'agent-1', name: 'Support' } as unknown as Agent,
    session: {
      id: 'session-1',
      agentId: 'agent-1',
      workspaceId: 'workspace-1',
    } as unknown as Session,
    knowledgeBaseIds: ['kb-help'],
    limit: 5,
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** The columns `bulk_embedding` lacks. */
const bulkColumns = { documentId: null, chunkIndex: null, enabled: null, contentTsv: null };

const ids = (passages: readonly Passage[]) => passages.map((passage) => passage.id);

/** An embedder whose every query vector is one fixed random direction of the fixture's size. */
function createFixedEmbedder(seed: number): Embedder {
  const random = createSeededRandom(seed);
  const vector = Float32Array.from({ length: fixtureDimensions }, () => random() - 0.5);
  return {
    id: `fixed-test:${seed}`,
    dimensions: fixtureDimensions,
    async embed(texts) {
      return texts.map(() => vector);
    },
  };
}

/** The text of a plan, each line joined: what `explain` printed. */
async function explain(database: AnyPgDatabase, statement: ReturnType<typeof sql>) {
  const rows = await executeRows(database, sql`explain (costs off) ${statement}`);
  return rows.map((row) => String(Object.values(row)[0])).join('\n');
}

/**
 * The cases every database runs, one suite per driver: `connect` opens a database (a fresh
 * schema with pgvector), which the suite fills with the help-center fixture and closes after.
 */
export function describePgvectorRetrieverCases(
  name: string,
  connect: () => Promise<PgvectorCasesDatabase>,
): void {
  describe(`createPgvectorRetriever on ${name}`, () => {
    let connection: PgvectorCasesDatabase;
    let fixture: HelpCenterFixture;
    const embedder = createConceptEmbedder();
    const retrieverWith = (options: Partial<PgvectorRetrieverOptions> = {}) =>
      createPgvectorRetriever({
        id: 'help-center',
        database: connection.database,
        embedder,
        ...options,
      });

    beforeAll(async () => {
      connection = await connect();
      fixture = await seedHelpCenter(connection.database, embedder);
    });
    afterAll(async () => {
      await connection?.close();
    });

    it('finds the chunk about the question first, with its document as its source', async () => {
      const passages = await retrieverWith().retrieve(
        retrievalRequest('How do I reset my password?'),
      );
      expect(passages[0]).toEqual({
        id: 'chunk-password',
        text: 'To reset your password, open the sign-in page and choose Forgot password.',
        score: expect.any(Number),
        source: { title: 'account.md', documentId: 'doc-account' },
      });
      const scores = passages.map((passage) => passage.score);
      expect(scores).toEqual([...scores].sort((left, right) => right - left));
      // The query was embedded as a query, not as a document.
      expect(embedder.purposes.at(-1)).toBe('query');
    });

    it('lets keywords rescue an exact term the vectors rank low', async () => {
      const request = retrievalRequest('printer E4521');
      const vectorsOnly = await retrieverWith({ textWeight: 0, limit: 10 }).retrieve(request);
      const keywordsOnly = await retrieverWith({ vectorWeight: 0 }).retrieve(request);
      const hybrid = await retrieverWith().retrieve(request);
      // The embedding blurs the code: printer chunks about other things come first…
      expect(ids(vectorsOnly).indexOf('chunk-e4521')).toBeGreaterThan(0);
      // …the keyword arm finds the one chunk that names it…
      expect(ids(keywordsOnly)).toEqual(['chunk-e4521']);
      // …and the fusion puts it first.
      expect(hybrid[0]?.id).toBe('chunk-e4521');
    });

    it('lets vectors rescue a paraphrase that shares no word with the chunk', async () => {
      const request = retrievalRequest('how do I get my money back');
      const keywordsOnly = await retrieverWith({ vectorWeight: 0, textMatch: 'all' }).retrieve(
        request,
      );
      const keywordsOnAnyWord = await retrieverWith({
        vectorWeight: 0,
        textMatch: 'any',
      }).retrieve(request);
      const hybrid = await retrieverWith().retrieve(request);
      expect(keywordsOnly).toEqual([]);
      expect(ids(keywordsOnAnyWord)).not.toContain('chunk-refund');
      expect(hybrid[0]?.id).toBe('chunk-refund');
    });

    it('matches any word of a long message with textMatch any, more words first', async () => {
      const request = retrievalRequest('hello, my printer shows low ink, which cartridge?');
      expect(await retrieverWith({ vectorWeight: 0 }).retrieve(request)).toEqual([]);
      const anyWord = await retrieverWith({ vectorWeight: 0, textMatch: 'any' }).retrieve(request);
      expect(anyWord[0]?.id).toBe('chunk-cartridge');
      expect(ids(anyWord)).toContain('chunk-paper');
    });

    it('with the knowledge-base table, searches only those of the session’s workspace', async () => {
      const request = retrievalRequest('refunds paid', {
        limit: 10,
        knowledgeBaseIds: ['kb-help', 'kb-enterprise'],
      });
      // Without it, the links are trusted: both knowledge bases are searched.
      expect(ids(await retrieverWith().retrieve(request))).toEqual(
        expect.arrayContaining(['chunk-refund', 'chunk-enterprise']),
      );
      // `kb-enterprise` belongs to another workspace: linked or not, it is not this one's.
      const owned = ids(await retrieverWith({ knowledgeBases: {} }).retrieve(request));
      expect(owned).toContain('chunk-refund');
      expect(owned).not.toContain('chunk-enterprise');
      const otherWorkspace = await retrieverWith({ knowledgeBases: {} }).retrieve({
        ...request,
        session: { ...request.session, workspaceId: 'workspace-2' },
      });
      expect(ids(otherWorkspace)).toEqual(['chunk-enterprise']);
      // A deleted knowledge base is searched by no one, its own workspace included.
      await connection.database.execute(
        sql`update knowledge_base set deleted_at = now() where id = 'kb-enterprise'`,
      );
      try {
        const deleted = await retrieverWith({ knowledgeBases: {} }).retrieve({
          ...request,
          session: { ...request.session, workspaceId: 'workspace-2' },
        });
        expect(deleted).toEqual([]);
      } finally {
        await connection.database.execute(
          sql`update knowledge_base set deleted_at = null where id = 'kb-enterprise'`,
        );
      }
    });

    it('searches only the knowledge bases of the request', async () => {
      const request = retrievalRequest('refunds paid', { limit: 10 });
      const help = await retrieverWith().retrieve(request);
      expect(ids(help)).toContain('chunk-refund');
      expect(ids(help)).not.toContain('chunk-enterprise');
      const enterprise = await retrieverWith().retrieve({
        ...request,
        knowledgeBaseIds: ['kb-enterprise'],
      });
      expect(ids(enterprise)).toEqual(['chunk-enterprise']);
      const both = await retrieverWith().retrieve({
        ...request,
        knowledgeBaseIds: ['kb-help', 'kb-enterprise'],
      });
      expect(ids(both)).toEqual(expect.arrayContaining(['chunk-refund', 'chunk-enterprise']));
      expect(
        await retrieverWith().retrieve({ ...request, knowledgeBaseIds: ['kb-nobody'] }),
      ).toEqual([]);
    });

    it('leaves out disabled chunks and the chunks of disabled or deleted documents', async () => {
      const request = retrievalRequest('refunds paid by cheque, bank transfer or gift card', {
        limit: 20,
      });
      for (const textMatch of ['all', 'any'] as const) {
        const found = ids(await retrieverWith({ textMatch, candidates: 50 }).retrieve(request));
        expect(found).toContain('chunk-refund');
        expect(found).not.toContain('chunk-gift-card');
        expect(found).not.toContain('chunk-cheque');
        expect(found).not.toContain('chunk-transfer');
      }
      // Without the document table, only the chunk's own flag counts.
      const chunksAlone = ids(
        await retrieverWith({ documents: false, textMatch: 'any', candidates: 50 }).retrieve(
          request,
        ),
      );
      expect(chunksAlone).toEqual(expect.arrayContaining(['chunk-cheque', 'chunk-transfer']));
      expect(chunksAlone).not.toContain('chunk-gift-card');
    });

    it('returns nothing, without embedding, when the request has no knowledge base', async () => {
      const calls = embedder.purposes.length;
      expect(
        await retrieverWith().retrieve(retrievalRequest('refund', { knowledgeBaseIds: [] })),
      ).toEqual([]);
      expect(embedder.purposes.length).toBe(calls);
    });

    it('returns at most the request’s limit, and the option’s when the request has none', async () => {
      const retriever = retrieverWith({ limit: 3 });
      const request = retrievalRequest('printer ink paper firmware', { limit: 2 });
      expect(await retriever.retrieve(request)).toHaveLength(2);
      expect(await retriever.retrieve({ ...request, limit: 7 })).toHaveLength(7);
      expect(
        await retriever.retrieve({ ...request, limit: undefined as unknown as number }),
      ).toHaveLength(3);
      expect(await retriever.retrieve({ ...request, limit: 0 })).toEqual([]);
    });

    it('rejects with the abort reason, before or during the search', async () => {
      const before = new AbortController();
      const reason = new ParleyError('cancelled', 'The turn was cancelled');
      before.abort(reason);
      const calls = embedder.purposes.length;
      await expect(
        retrieverWith().retrieve(retrievalRequest('refund', { signal: before.signal })),
      ).rejects.toBe(reason);
      expect(embedder.purposes.length).toBe(calls);

      // Aborted once the statement is on its way: the retrieval does not wait for it.
      const during = new AbortController();
      const database = connection.database;
      const abortingDatabase = new Proxy(database, {
        get(target, property, receiver) {
          if (property !== 'transaction') return Reflect.get(target, property, receiver);
          return (...parameters: Parameters<AnyPgDatabase['transaction']>) => {
            const started = target.transaction(...parameters);
            queueMicrotask(() => during.abort(reason));
            return started;
          };
        },
      });
      const inFlight = retrieverWith({ database: abortingDatabase, dimensions: 64 }).retrieve(
        retrievalRequest('refund', { signal: during.signal }),
      );
      await expect(inFlight).rejects.toBe(reason);
      // The connection is still good for the next retrieval.
      expect(await retrieverWith().retrieve(retrievalRequest('refund'))).not.toEqual([]);
    });

    it('rejects an embedder of another dimension with a clear error', async () => {
      const failure = await retrieverWith({
        embedder: createConceptEmbedder({ dimensions: 32 }),
      })
        .retrieve(retrievalRequest('refund'))
        .catch((error: unknown) => error);
      expect(ParleyError.isInstance(failure)).toBe(true);
      expect(failure).toMatchObject({ code: 'internal', reason: 'embedding_dimensions_mismatch' });
      expect((failure as Error).message).toContain('vector(64)');
      // An embedder that claims the right dimension and returns another is caught as well.
      const lying = await retrieverWith({
        embedder: createConceptEmbedder({ dimensions: 64, returnedDimensions: 48 }),
      })
        .retrieve(retrievalRequest('refund'))
        .catch((error: unknown) => error);
      expect(lying).toMatchObject({ code: 'internal', reason: 'embedding_dimensions_mismatch' });
    });

    it('rejects a sparse embedder with a clear error', async () => {
      const failure = await retrieverWith({ embedder: createOfflineEmbedder() })
        .retrieve(retrievalRequest('refund'))
        .catch((error: unknown) => error);
      expect(ParleyError.isInstance(failure)).toBe(true);
      expect(failure).toMatchObject({ code: 'internal', reason: 'dense_embedding_required' });
    });

    it('treats SQL in the query and the knowledge base ids as plain text', async () => {
      const retriever = retrieverWith({ textMatch: 'any' });
      for (const query of [
        "'; drop table embedding; --",
        "refund' or '1'='1",
        "refund\\'); delete from document; --",
        '"quoted" -minus OR | & ! <-> :* \\',
      ]) {
        const passages = await retriever.retrieve(retrievalRequest(query));
        expect(Array.isArray(passages)).toBe(true);
      }
      expect(
        await retriever.retrieve(
          retrievalRequest('refund', { knowledgeBaseIds: ["kb-help' or '1'='1"] }),
        ),
      ).toEqual([]);
      const [counts] = await executeRows(
        connection.database,
        sql`select (select count(*) from embedding)::integer as chunks,
                   (select count(*) from document)::integer as documents`,
      );
      expect(counts).toEqual({ chunks: 13, documents: 7 });
    });

    it('reads a table of other names, with titles and URLs from functions', async () => {
      const retriever = retrieverWith({
        table: {
          name: 'Help "Chunks"',
          schema: fixture.schemaName,
          columns: {
            id: 'chunk_id',
            knowledgeBaseId: 'kb',
            documentId: null,
            chunkIndex: null,
            content: 'body',
            embedding: 'vec',
            enabled: 'active',
            contentTsv: 'search_vector',
          },
        },
        documents: false,
        textSearchConfig: 'simple',
        title: (row) => `Help: ${row.content.split(' ').slice(0, 2).join(' ')}`,
        url: (row) => `https://help.example.com/chunks/${encodeURIComponent(row.id)}`,
      });
      const passages = await retriever.retrieve(
        retrievalRequest('reset password', { knowledgeBaseIds: ['kb-custom'] }),
      );
      expect(passages[0]).toEqual({
        id: 'custom-chunk-password',
        text: 'To reset your password, open the sign-in page and choose Forgot password.',
        score: expect.any(Number),
        source: {
          title: 'Help: To reset',
          url: 'https://help.example.com/chunks/custom-chunk-password',
        },
      });
    });

    it('names a missing table in its error', async () => {
      const failure = await retrieverWith({ table: { name: 'no_such_table' } })
        .retrieve(retrievalRequest('refund'))
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'internal', reason: 'chunk_table_not_found' });
      expect((failure as Error).message).toContain('no_such_table');
    });

    it('keeps only chunks both arms found above a minimum score of one arm’s best', async () => {
      const request = retrievalRequest('reset password page', { limit: 10 });
      const all = await retrieverWith().retrieve(request);
      const agreed = await retrieverWith({ minimumScore: 1 / 61 + 1e-9 }).retrieve(request);
      expect(all.length).toBeGreaterThan(agreed.length);
      expect(ids(agreed)).toEqual(['chunk-password']);
      // A similarity floor keeps off-topic vector candidates out.
      const offTopic = retrievalRequest('zebra giraffe', { limit: 10 });
      expect((await retrieverWith({ textWeight: 0 }).retrieve(offTopic)).length).toBeGreaterThan(0);
      expect(
        await retrieverWith({ textWeight: 0, minimumSimilarity: 0.5 }).retrieve(offTopic),
      ).toEqual([]);
    });

    it('searches the vector arm through the HNSW index, and the keyword arm through GIN', async () => {
      const tables = resolvePgvectorTables();
      const [vectorRow] = await executeRows(
        connection.database,
        sql`select embedding::text as literal from embedding where id = 'chunk-refund'`,
      );
      const statement = buildRetrievalQuery({
        tables,
        knowledgeBaseIds: ['kb-help'],
        workspaceId: 'workspace-1',
        vectorLiteral: String(vectorRow?.literal),
        text: 'refund',
        textMatch: 'all',
        textSearchConfig: 'english',
        vectorWeight: 1,
        textWeight: 1,
        rankConstant: 60,
        candidates: 20,
        limit: 5,
        minimumScore: null,
        minimumSimilarity: null,
      });
      // The fixture's table is tiny: without the hint the planner rightly scans it.
      const plan = await connection.database.transaction(async (transaction) => {
        await transaction.execute(sql`set local enable_seqscan = off`);
        return explain(transaction, statement);
      });
      expect(plan).toMatch(/Index Scan using embedding_vector_hnsw_idx on embedding/);
      expect(plan).toMatch(/Order By: \(embedding <=> /);
      expect(plan).toMatch(/Bitmap Index Scan on emb_content_fts_idx/);

      // On thousands of rows the planner takes the index on its own.
      const bulkStatement = buildRetrievalQuery({
        tables: resolvePgvectorTables({ name: 'bulk_embedding', columns: bulkColumns }, false),
        knowledgeBaseIds: ['kb-bulk'],
        workspaceId: 'workspace-1',
        vectorLiteral: String(vectorRow?.literal),
        text: null,
        textMatch: 'all',
        textSearchConfig: 'english',
        vectorWeight: 1,
        textWeight: 0,
        rankConstant: 60,
        candidates: 20,
        limit: 5,
        minimumScore: null,
        minimumSimilarity: null,
      });
      expect(await explain(connection.database, bulkStatement)).toMatch(
        /Index Scan using bulk_embedding_hnsw_idx on bulk_embedding/,
      );
    });

    it('sets ef_search and the iterative scan for the statement only', async () => {
      const bulk = (options: Partial<PgvectorRetrieverOptions>) =>
        retrieverWith({
          embedder: createFixedEmbedder(7),
          table: { name: 'bulk_embedding', columns: bulkColumns },
          documents: false,
          textWeight: 0,
          ...options,
        });
      const request = retrievalRequest('anything', { knowledgeBaseIds: ['kb-bulk'], limit: 5 });
      // ef_search 1 without iterative scan: the index yields a single row.
      expect(await bulk({ efSearch: 1, iterativeScan: 'off' }).retrieve(request)).toHaveLength(1);
      expect(await bulk({ efSearch: 100, iterativeScan: 'off' }).retrieve(request)).toHaveLength(5);
      // `set local`: the next statement on any connection is back to the server's ef_search.
      const [setting] = await executeRows(
        connection.database,
        sql`select current_setting('hnsw.ef_search', true) as ef_search`,
      );
      expect([null, '40']).toContain(setting?.ef_search ?? null);

      // A knowledge base that holds 1% of the table: the scan stops at ef_search rows and the
      // filter leaves almost none, unless it iterates (the default).
      const rare = { ...request, knowledgeBaseIds: ['kb-rare'] };
      const stopped = await bulk({ iterativeScan: 'off' }).retrieve(rare);
      expect(stopped.length).toBeLessThan(5);
      const iterated = await bulk({}).retrieve(rare);
      expect(iterated).toHaveLength(5);
      expect(fixture.rareRows).toBeLessThan(fixture.bulkRows / 50);
    });
  });
}
