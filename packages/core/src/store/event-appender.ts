import { type SQL, sql } from 'drizzle-orm';
import type { EventKind, EventSource } from '../domain/event';
import { maximumSessionLabels, type SessionTurnState } from '../domain/session';
import { ParleyError } from '../errors/parley-error';
import type { Clock } from '../ports/clock';
import { type AnyPgDatabase, executePreparedRows } from '../schema/any-pg-database';
import type { ParleySchema } from '../schema/create-parley-schema';
import { findOutdatedRoutines } from '../schema/find-outdated-routines';
import { type ParleyRoutines, shippedParleyRoutines } from '../schema/parley-routines';
import { schemaPrefix } from '../schema/schema-prefix';
import type { DatabaseRoutines } from './repository-context';

/** An event ready to be stored: validated, with its id and trace. */
export interface EventDraft {
  id: string;
  kind: EventKind;
  source: EventSource;
  traceId: string;
  data: unknown;
}

/** The events of one append call, for one session. */
export interface AppendRequest {
  workspaceId: string;
  sessionId: string;
  events: EventDraft[];
  /** Written to the session in the same statement, when given. */
  turnState?: SessionTurnState;
  /** Added to the session's labels in the same statement, when given (see `AppendOptions`). */
  addLabels?: string[];
}

/** Where the events landed, or `null` when the session is not there (missing, archived, foreign). */
export type AppendOutcome = { offsets: number[]; createdAt: Date } | null;

/**
 * Whether the database has Parley's SQL routines for a store's schema, shared by the store,
 * the stores of its transactions and its appender: given (`databaseRoutines`), or found out
 * once, on first use, by asking the database whether every routine for the schema's prefix is
 * there as this version ships it (what `migrate()` applies). Until then it reads `none`.
 */
export interface RoutinesProbe {
  /** The answer, once known. */
  readonly known: DatabaseRoutines | undefined;
  /** The answer, asking through `database` (the caller's, which may be a transaction) if not known yet. */
  resolve(database: AnyPgDatabase): Promise<DatabaseRoutines>;
}

/** Creates the {@link RoutinesProbe} of a store on `schema`; `given` skips the question. */
export function createRoutinesProbe(schema: ParleySchema, given?: DatabaseRoutines): RoutinesProbe {
  let known = given;
  // One question per database object: a question asked on a pool must not keep a caller inside
  // a transaction waiting (on PGlite, the pool's query would wait for that very transaction).
  const pending = new WeakMap<AnyPgDatabase, Promise<DatabaseRoutines>>();
  return {
    get known() {
      return known;
    },
    resolve(database) {
      if (known !== undefined) return Promise.resolve(known);
      let answer = pending.get(database);
      if (answer === undefined) {
        answer = findOutdatedRoutines(database, expectedRoutines(schema).routines).then(
          (outdated) => {
            known ??= outdated.length === 0 ? 'shipped' : 'none';
            pending.delete(database);
            return known;
          },
          (error: unknown) => {
            pending.delete(database);
            throw error;
          },
        );
        pending.set(database, answer);
      }
      return answer;
    },
  };
}

function expectedRoutines(schema: ParleySchema): ParleyRoutines {
  try {
    return shippedParleyRoutines(schemaPrefix(schema));
  } catch (error) {
    throw new ParleyError(
      'internal',
      "Cannot tell whether the database has Parley's SQL routines (the shipped migrations are " +
        "not readable here): pass databaseRoutines: 'shipped' (after migrate(db, { schema })) or 'none'",
      { cause: error },
    );
  }
}

/**
 * The session's labels with those of `added` (a jsonb array, or null for none) after them,
 * each once, at most {@link maximumSessionLabels} in all: what the SQL function does with a
 * request's `addLabels`. One text whatever the labels, so a prepared statement keeps it.
 */
function labelsWithAdded(labels: SQL, added: SQL): SQL {
  return sql`case when ${added} is null then ${labels} else array(
    select kept.label from (
      select u.label, min(u.ordinality) as first_seen
      from unnest(${labels} || array(select jsonb_array_elements_text(${added})))
           with ordinality as u(label, ordinality)
      group by u.label
      order by first_seen
      limit ${sql.raw(String(maximumSessionLabels))}
    ) as kept
    order by kept.first_seen) end`;
}

/** Appends events to session logs; see {@link createEventAppender}. */
export interface EventAppender {
  append(request: AppendRequest): Promise<AppendOutcome>;
  /** What the appender knows of the database's routines; the store's catalog reads share it. */
  readonly routines: RoutinesProbe;
}

interface AppenderOptions {
  database: AnyPgDatabase;
  schema: ParleySchema;
  clock: Clock;
  /**
   * How events reach the database: with the routines (`shipped`), through the schema's SQL
   * function `<prefix>append_events` (its plans are cached per connection, and one call can
   * serve many sessions); without them (`none`), through one ad-hoc statement.
   */
  routines: RoutinesProbe;
  /**
   * Combine appends that arrive while another is in flight into one call (application-level
   * group commit): one round trip and one commit serve every waiting session. Only for a
   * store that owns its connections, never inside a caller's transaction.
   */
  batch: boolean;
  /** Send the append as a named prepared statement (see `DrizzleStoreOptions.namedStatements`). */
  namedStatements: boolean;
}

/** At most this many events travel in one batched call. */
const maximumEventsPerBatch = 500;
/**
 * Calls under way at once: two let the database work on one batch while this process
 * prepares the next, without spreading a burst over many small calls.
 */
const maximumCallsInFlight = 2;

interface Pending {
  request: AppendRequest;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
}

/** Creates the appender a store uses for `events.append`. */
export function createEventAppender(options: AppenderOptions): EventAppender {
  const { database, schema, clock, routines } = options;
  const appendFunction = sql.identifier(`${schemaPrefix(schema)}append_events`);
  const appendWithFunction = (request: AppendRequest) =>
    callAppendFunction([request]).then((outcomes) => outcomes[0] ?? null);

  async function callAppendFunction(requests: AppendRequest[]): Promise<AppendOutcome[]> {
    const createdAt = clock.now();
    const rows = await executePreparedRows(
      database,
      'append_events',
      sql`select request, event_id, event_offset
          from ${appendFunction}(${JSON.stringify(requests)}::jsonb, ${createdAt.toISOString()}::timestamptz)`,
      { named: options.namedStatements },
    );
    const offsetsByRequest = requests.map(() => new Map<string, number>());
    for (const row of rows) {
      offsetsByRequest[Number(row.request)]?.set(String(row.event_id), Number(row.event_offset));
    }
    return requests.map((request, index) => {
      const offsets = offsetsByRequest[index] as Map<string, number>;
      if (offsets.size === 0) return null;
      return { offsets: request.events.map((event) => offsets.get(event.id) as number), createdAt };
    });
  }

  async function appendWithStatement(request: AppendRequest): Promise<AppendOutcome> {
    const { session, event } = schema;
    const createdAt = clock.now();
    const at = createdAt.toISOString();
    const column = (name: string) => sql.identifier(name);
    const nextOffset = column(session.nextEventOffset.name);
    const labels = sql`${column(session.labels.name)}`;
    // The same steps as the SQL function, as one statement: advance the session's counter
    // (taking its row lock until commit) and insert the events at the offsets it yields.
    const rows = await executePreparedRows(
      database,
      'append_events_statement',
      sql`
        with appended as (
          select value, ordinality - 1 as position
          from jsonb_array_elements(${JSON.stringify(request.events)}::jsonb) with ordinality
        ),
        next as (
          update ${session}
          set ${nextOffset} = ${nextOffset} + (select count(*)::integer from appended),
              ${column(session.turnState.name)} = coalesce(${request.turnState === undefined ? null : JSON.stringify(request.turnState)}::jsonb, ${column(session.turnState.name)}),
              ${labels} = ${labelsWithAdded(labels, sql`${request.addLabels === undefined ? null : JSON.stringify(request.addLabels)}::jsonb`)},
              ${column(session.updatedAt.name)} = ${at}::timestamptz
          where ${session.workspaceId} = ${request.workspaceId}
            and ${session.id} = ${request.sessionId}
            and ${session.archivedAt} is null
          returning ${nextOffset} - (select count(*)::integer from appended) as first_offset
        )
        insert into ${event} (
          ${column(event.id.name)}, ${column(event.workspaceId.name)},
          ${column(event.sessionId.name)}, ${column(event.offset.name)},
          ${column(event.kind.name)}, ${column(event.source.name)},
          ${column(event.traceId.name)}, ${column(event.data.name)},
          ${column(event.createdAt.name)}
        )
        select appended.value ->> 'id', ${request.workspaceId}, ${request.sessionId},
               next.first_offset + appended.position,
               appended.value ->> 'kind', appended.value ->> 'source',
               appended.value ->> 'traceId', appended.value -> 'data', ${at}::timestamptz
        from next cross join appended
        returning ${column(event.id.name)} as event_id, ${column(event.offset.name)} as event_offset`,
      { named: options.namedStatements },
    );
    if (rows.length === 0) return null;
    const offsets = new Map(rows.map((row) => [String(row.event_id), Number(row.event_offset)]));
    return { offsets: request.events.map((draft) => offsets.get(draft.id) as number), createdAt };
  }

  const queue: Pending[] = [];
  let callsInFlight = 0;
  let pumpScheduled = false;
  let lastBatchSize = 0;

  /** Takes the longest run of waiting requests that fits in one call. */
  function takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let events = 0;
    while (queue.length > 0) {
      const next = queue[0] as Pending;
      if (batch.length > 0 && events + next.request.events.length > maximumEventsPerBatch) break;
      batch.push(queue.shift() as Pending);
      events += next.request.events.length;
    }
    return batch;
  }

  async function runBatch(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await callAppendFunction(batch.map((pending) => pending.request));
      for (const [index, pending] of batch.entries()) pending.resolve(outcomes[index] ?? null);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One request failed the whole call (a repeated clientMessageId, say): run each alone
      // so every caller gets its own outcome and no one pays for another's error.
      for (const pending of batch) {
        await appendWithFunction(pending.request).then(pending.resolve, pending.reject);
      }
    }
  }

  /** Sends waiting requests, keeping at most {@link maximumCallsInFlight} calls under way. */
  function pump(): void {
    pumpScheduled = false;
    while (queue.length > 0 && callsInFlight < maximumCallsInFlight) {
      const batch = takeBatch();
      lastBatchSize = batch.length;
      callsInFlight += 1;
      void runBatch(batch).finally(() => {
        callsInFlight -= 1;
        if (queue.length > 0) schedulePump();
      });
    }
  }

  function schedulePump(): void {
    if (pumpScheduled) return;
    pumpScheduled = true;
    // Under concurrency, wait one turn of the event loop so appends started by the same
    // wake-up (every session whose previous append just resolved) join one batch instead of
    // trailing behind each other. A lone sequential writer skips that wait.
    if (lastBatchSize > 1 || callsInFlight > 0) setImmediate(pump);
    else queueMicrotask(pump);
  }

  function append(request: AppendRequest): Promise<AppendOutcome> {
    if (routines.known === undefined) {
      return routines.resolve(database).then(() => append(request));
    }
    if (routines.known === 'none') return appendWithStatement(request);
    if (!options.batch) return appendWithFunction(request);
    return new Promise<AppendOutcome>((resolve, reject) => {
      queue.push({ request, resolve, reject });
      schedulePump();
    });
  }

  return { append, routines };
}
