import { ParleyError } from '../errors/parley-error';
import { timeDatabaseCall } from './database-call-timings';

/** The fields of a PostgreSQL error that Parley reads, whatever the driver. */
interface PostgresErrorFields {
  code: string;
  constraint?: string;
}

/**
 * Finds the PostgreSQL error inside whatever drizzle or the driver wrapped it in. node-postgres
 * and PGlite name the violated constraint `constraint`, postgres-js `constraint_name`.
 */
function findPostgresError(error: unknown): PostgresErrorFields | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (typeof current === 'object' && current !== null) {
      const fields = current as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
      if (typeof fields.code === 'string') {
        const constraint = fields.constraint ?? fields.constraint_name;
        return {
          code: fields.code,
          constraint: typeof constraint === 'string' ? constraint : undefined,
        };
      }
      current = (current as { cause?: unknown }).cause;
    } else {
      return null;
    }
  }
  return null;
}

/** Names of referenced records by the suffix of the foreign key that points at them. */
const referencedRecordBySuffix: ReadonlyArray<[suffix: string, record: string]> = [
  ['_agent_fk', 'agent'],
  ['_tool_fk', 'tool'],
  ['_session_fk', 'session'],
  ['_customer_fk', 'customer'],
  ['_source_fk', 'source guideline'],
  ['_target_fk', 'target guideline'],
  ['_guideline_fk', 'guideline'],
  ['_journey_fk', 'journey'],
  ['_variable_fk', 'variable'],
  ['_agent_workflow_fk', 'workflow link'],
  ['_from_state_fk', 'journey state'],
  ['_to_state_fk', 'journey state'],
];

/** Readable conflicts by the suffix of the unique index that was violated. */
const conflictBySuffix: ReadonlyArray<[suffix: string, message: string]> = [
  ['agent_workspace_id_name_idx', 'an agent with this name already exists in the workspace'],
  ['guideline_agent_id_key_idx', 'a guideline with this key already exists for the agent'],
  [
    'guideline_relationship_source_target_kind_idx',
    'this relationship between the two guidelines already exists',
  ],
  ['tool_workspace_id_name_idx', 'a tool with this name already exists in the workspace'],
  ['journey_agent_id_key_idx', 'a journey with this key already exists for the agent'],
  ['customer_workspace_id_external_id_idx', 'a customer with this external id already exists'],
  ['variable_agent_id_name_idx', 'a variable with this name already exists for the agent'],
  ['term_agent_id_name_idx', 'a term with this name already exists for the agent'],
  [
    'agent_workflow_agent_id_tool_name_idx',
    'a workflow with this tool name is already linked to the agent',
  ],
  [
    'event_session_id_client_message_id_idx',
    'the session already holds a message with this clientMessageId',
  ],
];

const retryableCodes = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300']);
/** Socket errors, and postgres-js's own codes for a connection that failed or went away. */
const connectionFailureCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
]);

/** What the failing operation was doing, for a readable message. */
export interface DatabaseErrorContext {
  /** The kind of record, e.g. `agent`. */
  entity: string;
  operation: 'write' | 'delete' | 'read';
}

/**
 * Turns a driver error into a ParleyError: unique violations become `conflict`, missing
 * references `not_found` (or `conflict` when a delete is blocked), lost connections and
 * deadlocks a retryable `database_failed`. ParleyErrors pass through untouched.
 */
export function translateDatabaseError(error: unknown, context: DatabaseErrorContext): ParleyError {
  if (ParleyError.isInstance(error)) return error;
  const postgresError = findPostgresError(error);
  const code = postgresError?.code ?? '';
  const constraint = postgresError?.constraint ?? '';

  if (code === '23505') {
    const known = conflictBySuffix.find(([suffix]) => constraint.endsWith(suffix));
    return new ParleyError(
      'conflict',
      known ? known[1] : `the ${context.entity} conflicts with an existing one`,
      {
        details: { constraint },
        cause: error,
      },
    );
  }
  if (code === '23503') {
    if (context.operation === 'delete') {
      return new ParleyError(
        'conflict',
        `the ${context.entity} is still referenced by other records`,
        {
          details: { constraint },
          cause: error,
        },
      );
    }
    const referenced = referencedRecordBySuffix.find(([suffix]) => constraint.endsWith(suffix));
    return new ParleyError(
      'not_found',
      `${referenced ? referenced[1] : 'a referenced record'} not found`,
      {
        details: { constraint },
        cause: error,
      },
    );
  }
  if (code === '22P05' || code === '22021') {
    // Text PostgreSQL cannot store (a NUL character, say): the input is at fault, not the database.
    return new ParleyError(
      'validation_failed',
      `The ${context.entity} holds a character the database cannot store`,
      {
        cause: error,
      },
    );
  }
  if (retryableCodes.has(code) || code.startsWith('08') || connectionFailureCodes.has(code)) {
    return new ParleyError('database_failed', 'the database is unavailable; try again', {
      retryable: true,
      cause: error,
    });
  }
  return new ParleyError(
    'database_failed',
    `the database failed to ${context.operation} the ${context.entity}`,
    {
      cause: error,
    },
  );
}

/**
 * Runs a database operation, timed (`databaseCallStatistics`), translating its failure with
 * {@link translateDatabaseError}.
 */
export async function withDatabaseErrors<T>(
  context: DatabaseErrorContext,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await timeDatabaseCall(`${context.entity}.${context.operation}`, operation);
  } catch (error) {
    throw translateDatabaseError(error, context);
  }
}
