import type { RunSql } from './run-sql';
import { withIndexesSuspended } from './with-indexes-suspended';

/** Options of {@link seedEvents}. */
export interface SeedEventsOptions {
  workspaceId: string;
  /** The agent the seeded sessions belong to. */
  agentId: string;
  /** How many sessions to seed at most. */
  sessionCount: number;
  /** Events in every seeded session, at offsets `0 … eventsPerSession − 1`. */
  eventsPerSession: number;
  /** Sessions seeded per statement; the unit of progress and of the time budget. */
  sessionsPerBatch: number;
  /**
   * The whole seeding should end within this many milliseconds: inserting stops before a
   * batch after which the inserts and the index rebuild they imply would likely pass it, so a
   * slow database (PGlite) seeds a smaller table instead of stalling the bench. Omit to always
   * seed it all.
   */
  timeBudgetMs?: number;
  /** Called after every batch with the sessions and events seeded so far. */
  onProgress?: (progress: { sessions: number; events: number; elapsedMs: number }) => void;
  /** Called once the inserts are done, before the indexes are rebuilt. */
  onInsertsDone?: () => void;
}

/** What {@link seedEvents} wrote. */
export interface SeededEvents {
  /** The seeded sessions; each holds exactly `eventsPerSession` events. */
  sessionIds: string[];
  eventsPerSession: number;
  /** Events written, all sessions together. */
  eventCount: number;
  /** Inserting, rebuilding the indexes, then vacuuming and analysing. */
  elapsedMs: number;
  /** The inserts alone. */
  insertMs: number;
  /** Rebuilding the indexes and constraints, then vacuuming and analysing. */
  indexAndVacuumMs: number;
  /** True when the time budget stopped seeding before `sessionCount` sessions. */
  stoppedByTimeBudget: boolean;
}

// The store's default tables (prefix `parley_`); the bench seeds the tables the store reads.
const sessionTable = 'parley_session';
const eventTable = 'parley_event';

/**
 * Rebuilding the indexes and vacuuming takes about this many times as long as the inserts
 * did (PGlite: 1.6, mostly the full-text GIN index; PostgreSQL: 1.7), which the time budget
 * has to leave room for.
 */
const rebuildToInsertRatio = 1.6;

/**
 * Fills the event log with set-based SQL, a batch of sessions per statement, with the event
 * table's indexes and constraints suspended (see `withIndexesSuspended`): far faster than
 * appending through the store. Each session gets gapless offsets `0 … eventsPerSession − 1` and
 * a `next_event_offset` of `eventsPerSession`, so the store can append after them as usual.
 *
 * Events are written in turns of three (customer message, `ready` status, agent answer), and
 * interleaved across the batch's sessions, as concurrent conversations are in a real table:
 * a session's consecutive events do not sit side by side in the heap.
 */
export async function seedEvents(
  runSql: RunSql,
  options: SeedEventsOptions,
): Promise<SeededEvents> {
  const started = performance.now();
  const seededAt = new Date();
  const sessionIds: string[] = [];
  let stoppedByTimeBudget = false;
  let insertMs = 0;

  await withIndexesSuspended(runSql, eventTable, async () => {
    while (sessionIds.length < options.sessionCount) {
      const elapsedMs = performance.now() - started;
      const batches = sessionIds.length / options.sessionsPerBatch;
      const averageBatchMs = batches === 0 ? 0 : elapsedMs / batches;
      const projectedMs = (elapsedMs + averageBatchMs) * (1 + rebuildToInsertRatio);
      if (options.timeBudgetMs !== undefined && projectedMs > options.timeBudgetMs) {
        stoppedByTimeBudget = true;
        break;
      }
      const batchSize = Math.min(
        options.sessionsPerBatch,
        options.sessionCount - sessionIds.length,
      );
      const batchIds = await seedBatch(runSql, options, batchSize, seededAt);
      sessionIds.push(...batchIds);
      options.onProgress?.({
        sessions: sessionIds.length,
        events: sessionIds.length * options.eventsPerSession,
        elapsedMs: performance.now() - started,
      });
    }
    insertMs = performance.now() - started;
    options.onInsertsDone?.();
  });

  // Autovacuum would have visited a table this size long before anyone listed it; doing it
  // now sets hint bits and statistics, so the listing measures the steady state.
  await runSql(`vacuum (analyze) ${eventTable}`);
  await runSql(`vacuum (analyze) ${sessionTable}`);

  const elapsedMs = performance.now() - started;
  return {
    sessionIds,
    eventsPerSession: options.eventsPerSession,
    eventCount: sessionIds.length * options.eventsPerSession,
    elapsedMs,
    insertMs,
    indexAndVacuumMs: elapsedMs - insertMs,
    stoppedByTimeBudget,
  };
}

/** Inserts `batchSize` sessions and all their events; resolves with the new session ids. */
async function seedBatch(
  runSql: RunSql,
  options: SeedEventsOptions,
  batchSize: number,
  seededAt: Date,
): Promise<string[]> {
  const sessions = await runSql(
    `insert into ${sessionTable}
       (id, workspace_id, agent_id, next_event_offset, created_at, updated_at)
     select gen_random_uuid()::text, $1, $2, $3::integer, $4::timestamptz, $4::timestamptz
     from generate_series(1, $5::integer)
     returning id`,
    [options.workspaceId, options.agentId, options.eventsPerSession, seededAt, batchSize],
  );
  const batchIds = sessions.map((row) => String(row.id));

  // Offsets modulo 3 make the turns; `created_at` runs up to the seeding instant, a second
  // per event, so the retention index sees plausible, ordered times.
  await runSql(
    `insert into ${eventTable}
       (id, workspace_id, session_id, "offset", kind, source, trace_id, data, created_at)
     select
       gen_random_uuid()::text,
       $1,
       seeded.session_id,
       position.event_offset,
       case position.event_offset % 3 when 1 then 'status' else 'message' end,
       case position.event_offset % 3 when 0 then 'customer' else 'ai_agent' end,
       md5(seeded.session_id || ':' || (position.event_offset / 3)),
       case position.event_offset % 3
         when 0 then jsonb_build_object(
           'text', 'Hello, this is question ' || (position.event_offset / 3)
             || ' of mine: where is my order and when will it arrive?',
           'clientMessageId', 'seed-' || position.event_offset)
         when 1 then '{"status":"ready"}'::jsonb
         else jsonb_build_object(
           'text', 'Thanks for asking. Order ' || (position.event_offset / 3)
             || ' left our warehouse yesterday and arrives within two days.')
       end,
       $3::timestamptz - make_interval(secs => $4::integer - position.event_offset)
     from unnest($2::text[]) with ordinality as seeded(session_id, ordinal)
     cross join generate_series(0, $4::integer - 1) as position(event_offset)
     order by position.event_offset, seeded.ordinal`,
    [options.workspaceId, batchIds, seededAt, options.eventsPerSession],
  );
  return batchIds;
}
