import { getTableConfig } from 'drizzle-orm/pg-core';
import { ParleyError } from '../errors/parley-error';
import type { ParleySchema } from './create-parley-schema';

/** The prefix of the shipped migrations' tables and routines. */
export const defaultPrefix = 'parley_';

/**
 * The prefix a schema's tables were built with (`createParleySchema({ prefix })`), read back
 * from its agent table's name: `parley_` for the default tables, `sim_parley_` for
 * `sim_parley_agent`.
 */
export function schemaPrefix(schema: ParleySchema): string {
  const name = getTableConfig(schema.agent).name;
  if (!name.endsWith('agent')) {
    throw new ParleyError(
      'validation_failed',
      `"${name}" is not a table of createParleySchema(): its agent table must end in "agent"`,
    );
  }
  return name.slice(0, -'agent'.length);
}
