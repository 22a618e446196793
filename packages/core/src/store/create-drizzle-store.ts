import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AgentApiKey } from '../domain/agent-api-key';
import type { AgentKey } from '../domain/agent-key';
import { ParleyError } from '../errors/parley-error';
import { type Clock, systemClock } from '../ports/clock';
import type { Store, WorkspaceStore } from '../ports/store';
import { type AnyPgDatabase, executeRows } from '../schema/any-pg-database';
import type { ParleySchema } from '../schema/create-parley-schema';
import { parleySchema } from '../schema/default-schema';
import { countWorkspaceUsage } from './count-workspace-usage';
import { withDatabaseErrors } from './database-error';
import { createEventAppender, createRoutinesProbe, type RoutinesProbe } from './event-appender';
import {
  createAgentApiKeyRepository,
  toAgentApiKey,
} from './repositories/agent-api-key-repository';
import { createAgentKeyRepository, toAgentKey } from './repositories/agent-key-repository';
import { createAgentRepository } from './repositories/agent-repository';
import { createAgentWorkflowRepository } from './repositories/agent-workflow-repository';
import { createCannedResponseRepository } from './repositories/canned-response-repository';
import { createCustomerRepository } from './repositories/customer-repository';
import { createEventRepository } from './repositories/event-repository';
import { createGuidelineRepository } from './repositories/guideline-repository';
import { createJourneyRepository } from './repositories/journey-repository';
import { createRelationshipRepository } from './repositories/relationship-repository';
import { createSessionRepository } from './repositories/session-repository';
import { createSessionWorkflowRepository } from './repositories/session-workflow-repository';
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
   * Whether the database has Parley's SQL routines for the schema's tables: the append
   * function `<prefix>append_events` and the triggers that keep each agent's catalog revision
   * (the shipped migrations create them for the default tables, `migrate(db, { schema })` for a
   * host's). `shipped` uses them; `none` appends with one ad-hoc statement and computes catalog
   * revisions from the rows, which works on tables without them. Default: `shipped` with the
   * default tables; with another schema, found out once, on first use, by asking the database
   * whether every routine is there as this version of Parley ships it (one catalog query).
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
export interface DrizzleStoreParts extends DrizzleStoreOptions {
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
  /** Internal, not for callers: a transaction's store shares what its outer store knows of the routines. */
  routinesProbe?: RoutinesProbe;
}

/** A {@link Store} on a drizzle database, which can also join a transaction its caller opened. */
export interface DrizzleStore extends Store {
  /**
   * The same store (tables, clock, turn locks) writing through `transaction`, a transaction
   * the host opened on the same database: Parley's writes then commit or roll back with the
   * host's own (a workspace row and its agent created together, say). Use it only inside that
   * transaction's callback.
   */
  within(transaction: AnyPgDatabase): Store;
}

/**
 * The {@link Store} on any drizzle PostgreSQL database: shared by the PGlite, node-postgres
 * and postgres-js entry points, which only differ in how they obtain the database and the
 * turn locks.
 */
export function createDrizzleStore(parts: DrizzleStoreParts): DrizzleStore {
  const schema = parts.schema ?? parleySchema;
  const clock = parts.clock ?? systemClock;
  const database = parts.database;
  const routines =
    parts.routinesProbe ??
    createRoutinesProbe(
      schema,
      parts.databaseRoutines ?? (schema === parleySchema ? 'shipped' : undefined),
    );
  const appender = createEventAppender({
    database,
    schema,
    clock,
    routines,
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
      // Read when used: a store that asks the database finds out on its first append or
      // catalog read, and every workspace's repositories see the answer from then on.
      get routines() {
        return routines.known ?? 'none';
      },
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
      agentApiKeys: createAgentApiKeyRepository(context),
      agentWorkflows: createAgentWorkflowRepository(context),
      sessions: createSessionRepository(context),
      sessionWorkflows: createSessionWorkflowRepository(context),
      events: createEventRepository(context),
      countUsage: () => countWorkspaceUsage(context),
    };
  };

  /** The store on a transaction: no batching or overlapping reads (one connection). */
  const storeOn = (transaction: AnyPgDatabase): DrizzleStore =>
    createDrizzleStore({
      database: transaction,
      schema,
      clock,
      routinesProbe: routines,
      namedStatements: parts.namedStatements,
      turnLocks,
    });

  return {
    forWorkspace,

    async transaction(work) {
      return database.transaction((transaction) => work(storeOn(transaction)));
    },

    within(transaction) {
      return storeOn(transaction);
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

    async findAgentApiKeyByHash(keyHash): Promise<AgentApiKey | null> {
      if (typeof keyHash !== 'string' || keyHash.length === 0) return null;
      const table = schema.agentApiKey;
      const rows = await withDatabaseErrors({ entity: 'API key', operation: 'read' }, () =>
        database
          .select()
          .from(table)
          .where(and(eq(table.keyHash, keyHash), isNull(table.archivedAt)))
          .limit(1),
      );
      return rows[0] ? toAgentApiKey(rows[0]) : null;
    },

    async purgeWorkspace(workspaceId) {
      if (!isPlausibleId(workspaceId)) return;
      // Children first where no cascade reaches them, then the roots; one transaction.
      const tables = [
        schema.event,
        schema.variableValue,
        schema.sessionWorkflow,
        schema.session,
        schema.agentKey,
        schema.agentApiKey,
        schema.agentWorkflow,
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

    async describeDatabase() {
      const rows = await withDatabaseErrors({ entity: 'database', operation: 'read' }, () =>
        executeRows(
          database,
          sql`select version() as version,
            (select count(*)::int from pg_stat_activity where datname = current_database()) as total,
            (select count(*)::int from pg_stat_activity
              where datname = current_database() and state = 'active') as active`,
        ),
      );
      const row = (rows[0] ?? {}) as { version?: string; total?: number; active?: number };
      return {
        version: String(row.version ?? 'unknown'),
        connections: { total: Number(row.total ?? 0), active: Number(row.active ?? 0) },
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      await parts.release?.();
    },
  };
}
