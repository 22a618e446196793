import type { Clock } from '../ports/clock';
import type { AnyPgDatabase } from '../schema/any-pg-database';
import type { ParleySchema } from '../schema/create-parley-schema';

/** What every repository of one workspace works with. */
export interface RepositoryContext {
  database: AnyPgDatabase;
  schema: ParleySchema;
  workspaceId: string;
  clock: Clock;
}

/** True for strings that could be a stored id; anything else cannot match a record. */
export function isPlausibleId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= 128;
}
