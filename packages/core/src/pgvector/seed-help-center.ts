import { sql } from 'drizzle-orm';
import type { Embedder } from '../ports/embedder';
import { type AnyPgDatabase, executeRows } from '../schema/any-pg-database';

/** A document of the fixture, as Sim's `document` row. */
interface FixtureDocument {
  id: string;
  knowledgeBaseId: string;
  filename: string;
  enabled?: boolean;
  deleted?: boolean;
}

/** A chunk of the fixture, as Sim's `embedding` row. */
interface FixtureChunk {
  id: string;
  documentId: string;
  content: string;
  enabled?: boolean;
}

/** The help center the shared cases search: documents and their chunks, in Sim's tables. */
export const helpCenterDocuments: readonly FixtureDocument[] = [
  { id: 'doc-billing', knowledgeBaseId: 'kb-help', filename: 'billing.md' },
  { id: 'doc-shipping', knowledgeBaseId: 'kb-help', filename: 'shipping.md' },
  { id: 'doc-account', knowledgeBaseId: 'kb-help', filename: 'account.md' },
  { id: 'doc-printers', knowledgeBaseId: 'kb-help', filename: 'printers.md' },
  { id: 'doc-retired', knowledgeBaseId: 'kb-help', filename: 'retired.md', enabled: false },
  { id: 'doc-deleted', knowledgeBaseId: 'kb-help', filename: 'deleted.md', deleted: true },
  { id: 'doc-enterprise', knowledgeBaseId: 'kb-enterprise', filename: 'enterprise.md' },
];

/** Chunks by id; the cases name them. */
export const helpCenterChunks: readonly FixtureChunk[] = [
  {
    id: 'chunk-refund',
    documentId: 'doc-billing',
    content: 'Refunds are issued to the original card within five business days.',
  },
  {
    id: 'chunk-invoice',
    documentId: 'doc-billing',
    content: 'Invoices can be downloaded as PDF files from the billing page.',
  },
  {
    id: 'chunk-gift-card',
    documentId: 'doc-billing',
    content: 'Refunds to a gift card take ten days.',
    enabled: false,
  },
  {
    id: 'chunk-shipping',
    documentId: 'doc-shipping',
    content: 'Parcels ship within two days and usually arrive within a week.',
  },
  {
    id: 'chunk-password',
    documentId: 'doc-account',
    content: 'To reset your password, open the sign-in page and choose Forgot password.',
  },
  {
    id: 'chunk-paper',
    documentId: 'doc-printers',
    content: 'Printers need paper and ink: load paper face down in the printer tray.',
  },
  {
    id: 'chunk-cartridge',
    documentId: 'doc-printers',
    content: 'Replace the ink cartridge when the printer shows low ink.',
  },
  {
    id: 'chunk-firmware',
    documentId: 'doc-printers',
    content: 'Printer firmware updates install themselves overnight.',
  },
  {
    id: 'chunk-e4521',
    documentId: 'doc-printers',
    content: 'E4521 means the printer lost its network connection: restart the router.',
  },
  {
    id: 'chunk-heads',
    documentId: 'doc-printers',
    content: 'Clean the printer heads monthly for sharp prints.',
  },
  {
    id: 'chunk-cheque',
    documentId: 'doc-retired',
    content: 'Refunds before 2020 were paid by cheque.',
  },
  {
    id: 'chunk-transfer',
    documentId: 'doc-deleted',
    content: 'Refunds for closed accounts are paid by bank transfer.',
  },
  {
    id: 'chunk-enterprise',
    documentId: 'doc-enterprise',
    content: 'Refunds for enterprise contracts are paid at the end of each quarter.',
  },
];

/** A table's name and its HNSW index's, as the cases read them back in query plans. */
export interface HelpCenterFixture {
  /** The schema the tables were created in (`current_schema()`). */
  schemaName: string;
  /** How many rows the bulk table holds. */
  bulkRows: number;
  /** How many of them belong to `kb-rare` (the rest to `kb-bulk`). */
  rareRows: number;
}

/** The vector dimensions of every fixture table. */
export const fixtureDimensions = 64;

function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector, String).join(',')}]`;
}

/**
 * Creates the fixture in the connection's current schema: Sim's `document` and `embedding`
 * tables (`vector(64)`, HNSW cosine index with Sim's parameters, generated `content_tsv` with
 * a GIN index) holding the help center; `Help "Chunks"`, a table with other names and no
 * document table; and `bulk_embedding`, thousands of random vectors in two knowledge bases,
 * where the planner prefers the HNSW index and the HNSW settings make a difference.
 */
export async function seedHelpCenter(
  database: AnyPgDatabase,
  embedder: Embedder,
  options: { bulkRows?: number; rareRows?: number } = {},
): Promise<HelpCenterFixture> {
  const bulkRows = options.bulkRows ?? 5_000;
  const rareRows = options.rareRows ?? 50;
  const [schemaRow] = await executeRows(database, sql`select current_schema() as name`);
  const schemaName = String(schemaRow?.name);
  await database.execute(sql`
    create table document (
      id text primary key,
      knowledge_base_id text not null,
      filename text not null,
      enabled boolean not null default true,
      deleted_at timestamp
    )`);
  // Sim's knowledge bases, each in a workspace: the retriever's `knowledgeBases` reads them.
  await database.execute(sql`
    create table knowledge_base (
      id text primary key,
      workspace_id text not null,
      name text not null,
      deleted_at timestamp
    )`);
  await database.execute(sql`
    insert into knowledge_base (id, workspace_id, name, deleted_at)
    values ('kb-help', 'workspace-1', 'Help center', null),
           ('kb-enterprise', 'workspace-2', 'Enterprise', null)`);
  await database.execute(sql`
    create table embedding (
      id text primary key,
      knowledge_base_id text not null,
      document_id text not null references document (id) on delete cascade,
      chunk_index integer not null,
      content text not null,
      embedding vector(${sql.raw(String(fixtureDimensions))}),
      enabled boolean not null default true,
      content_tsv tsvector generated always as (to_tsvector('english', content)) stored
    )`);
  await database.execute(
    sql`create index embedding_vector_hnsw_idx on embedding using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = 64)`,
  );
  await database.execute(
    sql`create index emb_content_fts_idx on embedding using gin (content_tsv)`,
  );
  await database.execute(sql`
    insert into document (id, knowledge_base_id, filename, enabled, deleted_at)
    values ${sql.join(
      helpCenterDocuments.map(
        (document) =>
          sql`(${document.id}, ${document.knowledgeBaseId}, ${document.filename}, ${document.enabled ?? true}, ${document.deleted ? sql`now()` : null})`,
      ),
      sql`, `,
    )}`);
  const vectors = await embedder.embed(
    helpCenterChunks.map((chunk) => chunk.content),
    { purpose: 'document' },
  );
  const positions = new Map<string, number>();
  await database.execute(sql`
    insert into embedding (id, knowledge_base_id, document_id, chunk_index, content, embedding, enabled)
    values ${sql.join(
      helpCenterChunks.map((chunk, index) => {
        const document = helpCenterDocuments.find((each) => each.id === chunk.documentId);
        const position = positions.get(chunk.documentId) ?? 0;
        positions.set(chunk.documentId, position + 1);
        return sql`(${chunk.id}, ${document?.knowledgeBaseId}, ${chunk.documentId}, ${position}, ${chunk.content}, ${vectorLiteral(vectors[index] as Float32Array)}::vector, ${chunk.enabled ?? true})`;
      }),
      sql`, `,
    )}`);

  // Other names everywhere, quotes included, to show every name is quoted as an identifier.
  await database.execute(sql`
    create table "Help ""Chunks""" (
      chunk_id text primary key,
      kb text not null,
      body text not null,
      vec vector(${sql.raw(String(fixtureDimensions))}) not null,
      active boolean not null default true,
      search_vector tsvector generated always as (to_tsvector('simple', body)) stored
    )`);
  const custom = helpCenterChunks.filter((chunk) => chunk.enabled !== false).slice(0, 6);
  await database.execute(sql`
    insert into "Help ""Chunks""" (chunk_id, kb, body, vec)
    values ${sql.join(
      custom.map(
        (chunk) =>
          sql`(${`custom-${chunk.id}`}, 'kb-custom', ${chunk.content}, ${vectorLiteral(vectors[helpCenterChunks.indexOf(chunk)] as Float32Array)}::vector)`,
      ),
      sql`, `,
    )}`);

  await database.execute(sql`
    create table bulk_embedding (
      id text primary key,
      knowledge_base_id text not null,
      content text not null,
      embedding vector(${sql.raw(String(fixtureDimensions))}) not null
    )`);
  // Random vectors made by the database itself, `setseed` first (on the same connection) so
  // every run holds the same.
  await database.transaction(async (transaction) => {
    await transaction.execute(sql`select setseed(0.42)`);
    await transaction.execute(sql`
    insert into bulk_embedding (id, knowledge_base_id, content, embedding)
    select 'bulk-' || row_number, case when row_number <= ${rareRows}::integer then 'kb-rare' else 'kb-bulk' end,
           'bulk chunk ' || row_number,
           (select array_agg(random() - 0.5) from generate_series(1, ${sql.raw(String(fixtureDimensions))}) where row_number > 0)::vector
    from generate_series(1, ${bulkRows}::integer) as row_number`);
  });
  await database.execute(
    sql`create index bulk_embedding_hnsw_idx on bulk_embedding using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = 64)`,
  );
  await database.execute(sql`analyze document`);
  await database.execute(sql`analyze embedding`);
  await database.execute(sql`analyze bulk_embedding`);
  return { schemaName, bulkRows, rareRows };
}
