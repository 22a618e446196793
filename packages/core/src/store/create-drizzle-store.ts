import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AgentKey } from '../domain/agent-key';
import { ParleyError } from '../errors/parley-error';
import { type Clock, systemClock } from '../ports/clock';
import type { Store, WorkspaceStore } from '../ports/store';
import type { AnyPgDatabase } from '../schema/any-pg-database';
import type { ParleySchema } from '../schema/create-parley-schema';
import { parleySchema } from '../schema/default-schema';
import { withDatabaseErrors } from './database-error';
import { createEventAppender } from './event-appender';
import { createAgentKeyRepository, toAgentKey } from './repositories/agent-key-repository';
import { createAgentRepository } from './repositories/agent-repository';
import { createCannedResponseRepository } from './repositories/canned-response-repository';
import { createCustomerRepository } from './repositories/customer-repository';
import { createEventRepository } from './repositories/event-repository';
import { createGuidelineRepository } from './repositories/guideline-repository';
import { createJourneyRepository } from './repositories/journey-repository';
import { createRelationshipRepository } from './repositories/relationship-repository';
import { createSessionRepository } from './repositories/session-repository';
import { createTermRepository } from './repositories/term-repository';
import { createToolRepository } from './repositories/tool-repository';
import { createVariableRepository } from './repositories/variable-repository';
import { type DatabaseRoutines, isPlausibleId, type RepositoryContext } from './repository-context';
import { createInProcessTurnLocks, type TurnLocks } from './turn-locks';

/** Options shared by every drizzle-backed store. */
export interface DrizzleStoreOptions {
  /** The tables to use; default the standalone `parley_` tables. */
  schema?: ParleySchema;
  /** The source of `created_at`/`updated_at`; default the system clock. */
  clock?: Clock;
  /**
   * Whether the database has the SQL routines of Parley's shipped migrations: the append
   * function and the triggers that keep each agent's catalog revision. `shipped` (the
   * default with the default tables) uses them; `none` (the default with any other schema,
   * whose host-generated migrations lack them) appends with one ad-hoc statement and computes
   * catalog revisions from the rows.
   */
  databaseRoutines?: DatabaseRoutines;
  /**
   * Send hot statements as named prepared statements, parsed and planned once per connection
   * (default true). Turn off behind a pooler that hands each statement to any server
   * connection, such as PgBouncer in transaction mode before version 1.21.
   */
  namedStatements?: boolean;
}

/** What {@link createDrizzleStore} needs beyond the options. */
interface DrizzleStoreParts extends DrizzleStoreOptions {
  database: AnyPgDatabase;
  /** How sessions' turn locks are taken; default in-process (enough for PGlite). */
  turnLocks?: TurnLocks;
  /** Releases what the concrete store owns (a pool, an embedded database). */
  release?: () => Promise<void>;
  /**
   * Combine concurrent appends into one call. Only for a database whose connections the
   * store alone uses: never for a caller's transaction, where one failed append would abort
   * the others' work too.
   */
  batchAppends?: boolean;
  /** Let independent reads overlap: only for a pool the store alone drives (see RepositoryContext). */
  concurrentReads?: boolean;
}

/**
 * The {@link Store} on any drizzle PostgreSQL database: shared by the PGlite and
 * node-postgres entry points, which only differ in how they obtain the database.
 * Not exported from the package: use `createPgliteStore` or `createPostgresStore`.
 */
export function createDrizzleStore(parts: DrizzleStoreParts): Store {
  const schema = parts.schema ?? parleySchema;
  const clock = parts.clock ?? systemClock;
  const database = parts.database;
  const routines = parts.databaseRoutines ?? (schema === parleySchema ? 'shipped' : 'none');
  const appender = createEventAppender({
    database,
    schema,
    clock,
    strategy: routines === 'shipped' ? 'function' : 'statement',
    batch: parts.batchAppends ?? false,
    namedStatements: parts.namedStatements ?? true,
  });
  const turnLocks = parts.turnLocks ?? createInProcessTurnLocks();
  let closed = false;

  const forWorkspace = (workspaceId: string): WorkspaceStore => {
    if (!isPlausibleId(workspaceId)) {
      throw new ParleyError(
        'validation_failed',
        'A workspace id must be a non-empty string of at most 128 characters',
        {
          details: { issues: [{ path: 'workspaceId', message: 'invalid workspace id' }] },
        },
      );
    }
    const context: RepositoryContext = {
      database,
      schema,
      workspaceId,
      clock,
      appender,
      turnLocks,
      routines,
      concurrentReads: parts.concurrentReads ?? false,
    };
    return {
      workspaceId,
      agents: createAgentRepository(context),
      guidelines: createGuidelineRepository(context),
      relationships: createRelationshipRepository(context),
      journeys: createJourneyRepository(context),
      tools: createToolRepository(context),
      variables: createVariableRepository(context),
      terms: createTermRepository(context),
      cannedResponses: createCannedResponseRepository(context),
      customers: createCustomerRepository(context),
      agentKeys: createAgentKeyRepository(context),
      sessions: createSessionRepository(context),
      events: createEventRepository(context),
    };
  };

  return {
    forWorkspace,

    async transaction(work) {
      return database.transaction((transaction) =>
        work(
          createDrizzleStore({
            database: transaction,
            schema,
            clock,
            databaseRoutines: routines,
            namedStatements: parts.namedStatements,
            turnLocks,
          }),
        ),
      );
    },

    async findAgentKeyByHash(keyHash): Promise<AgentKey | null> {
      if (typeof keyHash !== 'string' || keyHash.length === 0) return null;
      const rows = await withDatabaseErrors({ entity: 'agent key', operation: 'read' }, () =>
        database
          .select()
          .from(schema.agentKey)
          .where(and(eq(schema.agentKey.keyHash, keyHash), isNull(schema.agentKey.archivedAt)))
          .limit(1),
      );
      return rows[0] ? toAgentKey(rows[0]) : null;
    },

    async purgeWorkspace(workspaceId) {
      if (!isPlausibleId(workspaceId)) return;
      // Children first where no cascade reaches them, then the roots; one transaction.
      const tables = [
        schema.event,
        schema.variableValue,
        schema.session,
        schema.agentKey,
        schema.journeyGuideline,
        schema.journeyTransition,
        schema.journeyState,
        schema.journey,
        schema.guidelineTool,
        schema.agentTool,
        schema.guidelineRelationship,
        schema.variable,
        schema.guideline,
        schema.term,
        schema.cannedResponse,
        schema.customer,
        schema.tool,
        schema.agent,
      ];
      await withDatabaseErrors({ entity: 'workspace', operation: 'delete' }, () =>
        database.transaction(async (transaction) => {
          for (const table of tables) {
            await transaction.delete(table).where(eq(table.workspaceId, workspaceId));
          }
        }),
      );
    },

    async ping() {
      const started = performance.now();
      await withDatabaseErrors({ entity: 'database', operation: 'read' }, () =>
        database.execute(sql`select 1`),
      );
      return performance.now() - started;
    },

    async close() {
      if (closed) return;
      closed = true;
      await parts.release?.();
    },
  };
}
