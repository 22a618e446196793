import { sql } from 'drizzle-orm';
import { ParleyError } from '../errors/parley-error';
import { type AnyPgDatabase, executeRows } from '../schema/any-pg-database';
import type { PgvectorChunkColumns, ResolvedTable } from './resolve-pgvector-tables';

/**
 * The `N` of the chunk table's `vector(N)` column, read from the catalog: pgvector keeps the
 * dimensions as the column's type modifier. `null` for a column declared without one
 * (`vector`), whose rows may differ in length. Rejects with an `internal` ParleyError
 * (`chunk_table_not_found`) when the table or the column is not there, or the column is not
 * a pgvector `vector`.
 */
export async function readVectorDimensions(
  database: AnyPgDatabase,
  chunks: ResolvedTable<PgvectorChunkColumns>,
): Promise<number | null> {
  const rows = await executeRows(
    database,
    sql`select attribute.atttypmod as type_modifier,
               pg_catalog.format_type(attribute.atttypid, null) as type_name
        from pg_catalog.pg_attribute as attribute
        where attribute.attrelid = pg_catalog.to_regclass(${chunks.regclassName}::text)
          and attribute.attname = ${chunks.names.embedding}::text
          and not attribute.attisdropped`,
  );
  const [row] = rows;
  if (row === undefined) {
    throw new ParleyError(
      'internal',
      `The pgvector retriever found no column ${chunks.names.embedding} in table ${chunks.regclassName} (check the table option and the connection's search_path)`,
      { reason: 'chunk_table_not_found', details: { table: chunks.regclassName } },
    );
  }
  const typeName = String(row.type_name);
  // format_type may qualify the name with the extension's schema (`extensions.vector`).
  if (typeName !== 'vector' && !typeName.endsWith('.vector')) {
    throw new ParleyError(
      'internal',
      `Column ${chunks.regclassName}.${chunks.names.embedding} is of type ${typeName}, not pgvector's vector`,
      { reason: 'chunk_table_not_found', details: { table: chunks.regclassName, typeName } },
    );
  }
  const typeModifier = Number(row.type_modifier);
  return typeModifier > 0 ? typeModifier : null;
}
