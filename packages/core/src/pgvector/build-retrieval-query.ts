import { type SQL, sql } from 'drizzle-orm';
import {
  chunkAlias,
  documentAlias,
  knowledgeBaseAlias,
  type PgvectorTables,
} from './resolve-pgvector-tables';

/**
 * How the keyword arm reads the query. `all`: `websearch_to_tsquery`, so every word must be
 * in the chunk, and quoted phrases, `or` and `-word` work as in a web search engine; precise,
 * and right for short queries. `any`: a chunk holding any of the query's words matches, and
 * `ts_rank_cd` ranks those with more of them, closer together, first; for long conversational
 * messages, where hardly any chunk holds every word.
 */
export type PgvectorTextMatch = 'all' | 'any';

/** Everything one retrieval statement depends on. Every value travels as a parameter. */
export interface RetrievalQueryPlan {
  tables: PgvectorTables;
  knowledgeBaseIds: readonly string[];
  /** The session's workspace: with a knowledge-base table, only its knowledge bases are searched. */
  workspaceId: string;
  /** The query's vector in pgvector's text form, or `null` to leave the vector arm out. */
  vectorLiteral: string | null;
  /** The query's text for the keyword arm, or `null` to leave that arm out. */
  text: string | null;
  textMatch: PgvectorTextMatch;
  /** The text search configuration, e.g. `english`. */
  textSearchConfig: string;
  vectorWeight: number;
  textWeight: number;
  /** The `k` of reciprocal rank fusion: `weight / (k + rank)`. */
  rankConstant: number;
  /** Rows each arm fetches before fusion. */
  candidates: number;
  /** Passages returned at most. */
  limit: number;
  minimumScore: number | null;
  minimumSimilarity: number | null;
}

/**
 * The one statement of a retrieval: the vector arm and the keyword arm as CTEs over the same
 * filters, fused by weighted reciprocal rank (`Σ weight / (rankConstant + rank)`), joined back
 * to the chunk (and its document) for the passage.
 *
 * The vector arm is written `order by embedding <=> q limit k` with `q` an InitPlan, the form
 * pgvector's HNSW index answers; the filters stay beside it (pgvector 0.8 applies them during
 * an iterative index scan), and the similarity threshold is applied to its `k` rows after the
 * scan, since a distance condition in the `where` clause would not use the index. The keyword
 * arm is `content_tsv @@ tsquery`, which the GIN index answers, ranked by `ts_rank_cd`.
 */
export function buildRetrievalQuery(plan: RetrievalQueryPlan): SQL {
  const { chunks, documents, knowledgeBases } = plan.tables;
  const column = chunks.column;
  const filters: SQL[] = [
    sql`${column.knowledgeBaseId} = any(array(select jsonb_array_elements_text(${JSON.stringify(plan.knowledgeBaseIds)}::jsonb)))`,
  ];
  if (column.enabled !== null) filters.push(sql`${column.enabled}`);
  if (knowledgeBases !== null) {
    // A knowledge base linked to an agent is searched only if it is the workspace's own.
    const base = knowledgeBases.column;
    const baseFilters: SQL[] = [
      sql`${base.id} = ${column.knowledgeBaseId}`,
      sql`${base.workspaceId} = ${plan.workspaceId}`,
    ];
    if (base.deletedAt !== null) baseFilters.push(sql`${base.deletedAt} is null`);
    filters.push(
      sql`exists (select 1 from ${knowledgeBases.table} as ${sql.identifier(knowledgeBaseAlias)} where ${sql.join(baseFilters, sql` and `)})`,
    );
  }
  const joinsDocuments = documents !== null && column.documentId !== null;
  if (joinsDocuments) {
    const document = documents.column;
    const documentFilters: SQL[] = [sql`${document.id} = ${column.documentId}`];
    if (document.enabled !== null) documentFilters.push(sql`${document.enabled}`);
    if (document.deletedAt !== null) documentFilters.push(sql`${document.deletedAt} is null`);
    filters.push(
      sql`exists (select 1 from ${documents.table} as ${sql.identifier(documentAlias)} where ${sql.join(documentFilters, sql` and `)})`,
    );
  }
  const chunkFrom = sql`${chunks.table} as ${sql.identifier(chunkAlias)}`;
  const where = (extra: SQL) => sql.join([extra, ...filters], sql` and `);

  const ctes: SQL[] = [];
  const arms: SQL[] = [];
  if (plan.vectorLiteral !== null) {
    const queryVector = sql`(select query_vector.embedding from query_vector)`;
    const similar =
      plan.minimumSimilarity === null
        ? sql``
        : sql`where nearest.distance <= ${1 - plan.minimumSimilarity}::float8`;
    ctes.push(
      sql`query_vector as (select ${plan.vectorLiteral}::vector as embedding)`,
      sql`vector_arm as (
        select nearest.id,
               (row_number() over (order by nearest.distance, nearest.id))::integer as rank
        from (
          select ${column.id} as id, ${column.embedding} <=> ${queryVector} as distance
          from ${chunkFrom}
          where ${where(sql`${column.embedding} is not null`)}
          order by ${column.embedding} <=> ${queryVector}
          limit ${plan.candidates}::integer
        ) as nearest
        ${similar}
      )`,
    );
    arms.push(
      sql`select vector_arm.id,
                 ${plan.vectorWeight}::float8 / (${plan.rankConstant}::float8 + vector_arm.rank) as score,
                 vector_arm.rank as vector_rank, null::integer as text_rank
          from vector_arm`,
    );
  }
  if (plan.text !== null) {
    const config = sql`${plan.textSearchConfig}::regconfig`;
    // `any`: the words of plainto_tsquery's conjunction, or-ed. The tsquery's own text form
    // quotes every lexeme, so reading it back after the swap cannot be steered by the input.
    const tsquery =
      plan.textMatch === 'all'
        ? sql`websearch_to_tsquery(${config}, ${plan.text}::text)`
        : sql`replace(plainto_tsquery(${config}, ${plan.text}::text)::text, ' & ', ' | ')::tsquery`;
    const contentTsv =
      column.contentTsv ?? sql`to_tsvector(${plan.textSearchConfig}::regconfig, ${column.content})`;
    const textQuery = sql`(select text_query.query from text_query)`;
    ctes.push(
      sql`text_query as (select ${tsquery} as query)`,
      sql`text_arm as (
        select matched.id,
               (row_number() over (order by matched.text_rank desc, matched.id))::integer as rank
        from (
          select ${column.id} as id, ts_rank_cd(${contentTsv}, ${textQuery}) as text_rank
          from ${chunkFrom}
          where ${where(sql`${contentTsv} @@ ${textQuery}`)}
          order by text_rank desc
          limit ${plan.candidates}::integer
        ) as matched
      )`,
    );
    arms.push(
      sql`select text_arm.id,
                 ${plan.textWeight}::float8 / (${plan.rankConstant}::float8 + text_arm.rank) as score,
                 null::integer as vector_rank, text_arm.rank as text_rank
          from text_arm`,
    );
  }
  ctes.push(
    sql`fused as (
      select arms.id, sum(arms.score) as score,
             min(arms.vector_rank) as vector_rank, min(arms.text_rank) as text_rank
      from (${sql.join(arms, sql` union all `)}) as arms
      group by arms.id
    )`,
  );

  const optional = (fragment: SQL | null | undefined) => fragment ?? sql`null`;
  const document = joinsDocuments ? documents.column : undefined;
  const joinDocument = joinsDocuments
    ? sql`left join ${documents.table} as ${sql.identifier(documentAlias)} on ${documents.column.id} = ${column.documentId}`
    : sql``;
  const minimumScore =
    plan.minimumScore === null ? sql`` : sql`where fused.score >= ${plan.minimumScore}::float8`;
  return sql`with ${sql.join(ctes, sql`, `)}
    select ${column.id}::text as id,
           ${column.content}::text as content,
           ${column.knowledgeBaseId}::text as knowledge_base_id,
           ${optional(column.documentId)}::text as document_id,
           ${optional(column.chunkIndex)}::integer as chunk_index,
           ${optional(document?.title)}::text as document_title,
           ${optional(document?.url)}::text as document_url,
           fused.score::float8 as score
    from fused
    join ${chunkFrom} on ${column.id} = fused.id
    ${joinDocument}
    ${minimumScore}
    order by fused.score desc, fused.vector_rank nulls last, fused.text_rank nulls last, fused.id
    limit ${plan.limit}::integer`;
}
