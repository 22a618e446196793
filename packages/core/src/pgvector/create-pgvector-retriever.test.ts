import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgresJs } from 'drizzle-orm/postgres-js';
import pg from 'pg';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors/parley-error';
import type { AnyPgDatabase } from '../schema/any-pg-database';
import { createPostgresTestSchema, testDatabaseUrl } from '../testing/create-postgres-test-schema';
import { createConceptEmbedder } from './create-concept-embedder';
import { createPgvectorRetriever } from './create-pgvector-retriever';
import {
  describePgvectorRetrieverCases,
  type PgvectorCasesDatabase,
  retrievalRequest,
} from './describe-pgvector-retriever-cases';

/** A database that fails the test if the retriever touches it. */
const untouchableDatabase = new Proxy(
  {},
  {
    get(_target, property) {
      throw new Error(`the database was used (${String(property)})`);
    },
  },
) as AnyPgDatabase;

describe('createPgvectorRetriever before any query', () => {
  it('returns nothing, touching neither database nor embedder, without knowledge bases or query', async () => {
    const embedder = createConceptEmbedder();
    const retriever = createPgvectorRetriever({
      id: 'help-center',
      database: untouchableDatabase,
      embedder,
    });
    expect(retriever.id).toBe('help-center');
    expect(await retriever.retrieve(retrievalRequest('refund', { knowledgeBaseIds: [] }))).toEqual(
      [],
    );
    expect(await retriever.retrieve(retrievalRequest('   '))).toEqual([]);
    expect(await retriever.retrieve(retrievalRequest('refund', { limit: 0 }))).toEqual([]);
    expect(embedder.purposes).toEqual([]);
  });

  it('rejects with the signal’s own reason when aborted before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    const retriever = createPgvectorRetriever({
      id: 'help-center',
      database: untouchableDatabase,
      embedder: createConceptEmbedder(),
    });
    await expect(
      retriever.retrieve(retrievalRequest('refund', { signal: controller.signal })),
    ).rejects.toBe(controller.signal.reason);
  });

  it('rejects invalid options up front, naming each', () => {
    const create = () =>
      createPgvectorRetriever({
        id: '',
        database: untouchableDatabase,
        embedder: createConceptEmbedder(),
        vectorWeight: 0,
        textWeight: 0,
        efSearch: 5000,
        candidates: 0,
        dimensions: 1536,
      });
    expect(create).toThrow(ParleyError);
    expect(create).toThrow(/id must be a non-empty string/);
    expect(create).toThrow(/textWeight cannot both be 0/);
    expect(create).toThrow(/efSearch must be an integer from 1 to 1000/);
    expect(create).toThrow(/candidates must be a positive integer/);
    expect(create).toThrow(/dimensions is 1536 but the embedder's vectors have 64/);
  });
});

describePgvectorRetrieverCases('PGlite with @electric-sql/pglite-pgvector', async () => {
  const client = await PGlite.create({ extensions: { vector } });
  await client.exec('create extension if not exists vector');
  return { database: drizzlePglite({ client }), close: () => client.close() };
});

/**
 * A schema of its own on the test server, with pgvector: created in `public` unless another
 * schema already has it, and put on the search path after the test schema.
 */
async function openPostgresSchema() {
  const schema = await createPostgresTestSchema(testDatabaseUrl as string);
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    try {
      await admin.query('create extension if not exists vector schema public');
    } catch (error) {
      // Another test file created it at the same moment: it is there all the same.
      if ((error as { code?: string }).code !== '23505') throw error;
    }
    const { rows } = await admin.query<{ schema: string }>(
      "select extnamespace::regnamespace::text as schema from pg_extension where extname = 'vector'",
    );
    return { schema, searchPath: `${schema.schemaName},${rows[0]?.schema ?? 'public'}` };
  } finally {
    await admin.end();
  }
}

describe.skipIf(!testDatabaseUrl)('on PostgreSQL (needs DATABASE_URL)', () => {
  describePgvectorRetrieverCases(
    'PostgreSQL through node-postgres',
    async (): Promise<PgvectorCasesDatabase> => {
      const { schema, searchPath } = await openPostgresSchema();
      const pool = new pg.Pool({
        connectionString: testDatabaseUrl,
        max: 4,
        options: `-c search_path=${searchPath}`,
      });
      return {
        database: drizzleNodePostgres({ client: pool }),
        async close() {
          await pool.end();
          await schema.drop();
        },
      };
    },
  );

  describePgvectorRetrieverCases(
    'PostgreSQL through postgres-js',
    async (): Promise<PgvectorCasesDatabase> => {
      const { schema, searchPath } = await openPostgresSchema();
      const client = postgres(testDatabaseUrl as string, {
        max: 4,
        onnotice: () => undefined,
        connection: { search_path: searchPath },
      });
      const database = drizzlePostgresJs({ client });
      // postgres-js answers arrays, not `{ rows }`: the retriever must not care.
      expect(Array.isArray(await database.execute(sql`select 1 as one`))).toBe(true);
      return {
        database,
        async close() {
          await client.end({ timeout: 5 });
          await schema.drop();
        },
      };
    },
  );
});
