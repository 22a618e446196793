import { createSeededRandom } from '@parley/core/testing';
import { type LatencySummary, summarizeLatencies } from '../shared/percentiles';
import { benchCustomerMessages } from './bench-agent';
import {
  connectToSessionStream,
  type SessionStreamConnection,
  type StreamFrame,
} from './connect-to-session-stream';
import { mapConcurrently, openWidgetSession, type WidgetSession } from './widget-session';

/** How one reply-latency run goes. */
export interface ReplyLatencySettings {
  /** Sessions conversing at once, each with its stream open. */
  sessions: number;
  /** Turns per session before measuring (connections, JIT, the agent's catalog). */
  warmupRounds: number;
  /** Measured turns per session. */
  measuredRounds: number;
  /**
   * How long a customer waits between `ready` and their next message, on average (each wait
   * drawn uniformly from half to one and a half times this; the first ones spread over
   * `0 … thinkTimeMs`, so sessions do not all start together). `0`: every session sends its
   * next message as soon as `ready` came, so `sessions` turns are always under way (the
   * server's saturation, not a conversation's pace).
   */
  thinkTimeMs: number;
}

/** Options of {@link measureReplyLatency}. */
export interface ReplyLatencyOptions {
  /** Runs between the warm-up and the measured rounds (the parent resets the children's counters). */
  beforeMeasuring?: () => Promise<void>;
  /**
   * When no turn has finished for this long and a turn has waited this long, the server is
   * taken to be stuck: every waiting turn ends as `stalled` and no new turn starts. Default 20 s.
   */
  stallAfterMs?: number;
}

/** What one reply-latency run measured, client side. */
export interface ReplyLatencyMeasurement {
  sessions: number;
  /** Measured turns. */
  turns: number;
  /** Turns that ended other than `ready`, or not within the time limit. */
  failedTurns: number;
  /** How the failed turns ended (`error`, `timed out`, `POST 500`, …), with their counts. */
  failures: Record<string, number>;
  /** Measured turns whose stream carried the agent's stored reply (`message` from `ai_agent`). */
  repliesReceived: number;
  /** Measured turns whose stream carried at least one `delta` frame. */
  turnsWithDeltas: number;
  /** From the start of `POST …/events` to the first `delta` frame's bytes. */
  firstDeltaMs: LatencySummary;
  /** From the start of `POST …/events` to the `status: ready` frame's bytes. */
  readyMs: LatencySummary;
  /** From the start of `POST …/events` to its response (the message stored, the turn started). */
  postMs: LatencySummary;
  thinkTimeMs: number;
  /** Measured turns per second of wall time, all sessions together (think time included). */
  turnsPerSecond: number;
  measuredSeconds: number;
  /**
   * `null` when every turn ended; otherwise when the server stopped finishing turns (see
   * {@link ReplyLatencyOptions.stallAfterMs}) and how many turns (warm-up included) had
   * finished by then. A stalled server is stuck and must be killed.
   */
  stalled: { during: 'warm-up' | 'measured rounds'; turnsFinished: number } | null;
}

/** A turn the client waits on: the frames of its session's stream that answer it. */
interface TurnWaiter {
  firstDeltaAt: number | undefined;
  replyReceived: boolean;
  finish(status: string, at: number): void;
  /** Aborts the turn's `POST` when the server stalls. */
  abort: AbortController;
  /** When the turn's `POST` was about to start. */
  startedAt: number;
}

const delay = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Longest wait for one turn's `ready`, far beyond any healthy turn on a loaded machine. */
const turnTimeoutMs = 120_000;
const terminalStatuses = new Set(['ready', 'error', 'cancelled']);

/**
 * Opens `settings.sessions` widget sessions with their streams, then has every session send
 * messages one after the other (the next once the previous reply is `ready`), all sessions
 * at once, timing each turn from the start of its `POST …/events`.
 */
export async function measureReplyLatency(
  target: { baseUrl: string; agentKey: string },
  settings: ReplyLatencySettings,
  options: ReplyLatencyOptions = {},
): Promise<ReplyLatencyMeasurement> {
  const stallAfterMs = options.stallAfterMs ?? 20_000;
  const sessions = await mapConcurrently(Array.from({ length: settings.sessions }), 50, () =>
    openWidgetSession(target.baseUrl, target.agentKey),
  );
  const waiters = new Map<string, TurnWaiter>();
  const connections: SessionStreamConnection[] = [];
  const onFrameOf = (sessionId: string) => (frame: StreamFrame, receivedAt: number) => {
    const waiter = waiters.get(sessionId);
    if (!waiter) return;
    if (frame.event === 'delta') {
      waiter.firstDeltaAt ??= receivedAt;
      return;
    }
    if (frame.event !== 'event' || frame.data === undefined) return;
    const event = JSON.parse(frame.data) as {
      kind: string;
      source: string;
      data: { status?: string };
    };
    if (event.kind === 'message' && event.source === 'ai_agent') waiter.replyReceived = true;
    if (event.kind === 'status' && terminalStatuses.has(event.data.status ?? '')) {
      waiter.finish(event.data.status as string, receivedAt);
    }
  };
  try {
    await mapConcurrently(sessions, 100, async (session) => {
      const connection = connectToSessionStream(
        target.baseUrl,
        session,
        onFrameOf(session.sessionId),
      );
      connections.push(connection);
      await connection.connected;
    });

    const firstDelta: number[] = [];
    const ready: number[] = [];
    const post: number[] = [];
    let failedTurns = 0;
    const failures: Record<string, number> = {};
    let repliesReceived = 0;
    let turnsWithDeltas = 0;
    // The watchdog: turns finished, when the last one did, and a way to end the waiting ones.
    let turnsFinished = 0;
    let lastFinishedAt = performance.now();
    let phase: 'warm-up' | 'measured rounds' = 'warm-up';
    let stalled: ReplyLatencyMeasurement['stalled'] = null;
    const watchdog = setInterval(() => {
      const now = performance.now();
      if (now - lastFinishedAt < stallAfterMs) return;
      const waitedLongest = Math.max(
        0,
        ...[...waiters.values()].map((waiter) => now - waiter.startedAt),
      );
      if (waitedLongest < stallAfterMs) return;
      stalled = { during: phase, turnsFinished };
      for (const waiter of waiters.values()) {
        waiter.finish('stalled', Number.NaN);
        waiter.abort.abort();
      }
    }, 1_000);
    const runTurn = async (session: WidgetSession, turnIndex: number, measured: boolean) => {
      let finish: (result: { status: string; at: number }) => void = () => undefined;
      const finished = new Promise<{ status: string; at: number }>((resolve) => {
        finish = resolve;
      });
      const waiter: TurnWaiter = {
        firstDeltaAt: undefined,
        replyReceived: false,
        finish: (status, at) => finish({ status, at }),
        abort: new AbortController(),
        startedAt: performance.now(),
      };
      waiters.set(session.sessionId, waiter);
      const timeout = setTimeout(
        () => finish({ status: 'timed out', at: Number.NaN }),
        turnTimeoutMs,
      );
      const started = performance.now();
      try {
        let answered = Number.NaN;
        try {
          const response = await fetch(
            `${target.baseUrl}/v1/sessions/${session.sessionId}/events`,
            {
              method: 'POST',
              headers: {
                authorization: `Bearer ${session.customerToken}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify({
                text: benchCustomerMessages[turnIndex % benchCustomerMessages.length],
                clientMessageId: `m-${turnIndex}`,
              }),
              signal: waiter.abort.signal,
            },
          );
          answered = performance.now();
          await response.arrayBuffer();
          if (response.status !== 201)
            finish({ status: `POST ${response.status}`, at: Number.NaN });
        } catch (error) {
          finish({ status: `POST failed: ${error}`, at: Number.NaN });
        }
        const outcome = await finished;
        if (outcome.status !== 'stalled') {
          turnsFinished += 1;
          lastFinishedAt = performance.now();
        }
        if (!measured) return;
        if (Number.isFinite(answered)) post.push(answered - started);
        if (outcome.status !== 'ready') {
          failedTurns += 1;
          failures[outcome.status] = (failures[outcome.status] ?? 0) + 1;
          return;
        }
        ready.push(outcome.at - started);
        if (waiter.firstDeltaAt !== undefined) {
          firstDelta.push(waiter.firstDeltaAt - started);
          turnsWithDeltas += 1;
        }
        if (waiter.replyReceived) repliesReceived += 1;
      } finally {
        clearTimeout(timeout);
        waiters.delete(session.sessionId);
      }
    };
    const random = createSeededRandom(settings.sessions);
    const think = (turnIndex: number) => {
      if (settings.thinkTimeMs === 0) return Promise.resolve();
      const fraction = turnIndex === 0 ? random() : 0.5 + random();
      return delay(fraction * settings.thinkTimeMs);
    };
    const runRounds = (rounds: number, firstTurn: number, measured: boolean) =>
      Promise.all(
        sessions.map(async (session) => {
          for (let round = 0; round < rounds && !stalled; round += 1) {
            await think(firstTurn + round);
            if (stalled) return;
            await runTurn(session, firstTurn + round, measured);
          }
        }),
      );

    let measuredSeconds: number;
    try {
      await runRounds(settings.warmupRounds, 0, false);
      await options.beforeMeasuring?.();
      phase = 'measured rounds';
      lastFinishedAt = performance.now();
      const measuredStarted = performance.now();
      await runRounds(settings.measuredRounds, settings.warmupRounds, true);
      measuredSeconds = (performance.now() - measuredStarted) / 1000;
    } finally {
      clearInterval(watchdog);
    }
    const turns = settings.sessions * settings.measuredRounds;
    return {
      sessions: settings.sessions,
      thinkTimeMs: settings.thinkTimeMs,
      turns,
      failedTurns,
      failures,
      repliesReceived,
      turnsWithDeltas,
      firstDeltaMs: summarizeLatencies(firstDelta),
      readyMs: summarizeLatencies(ready),
      postMs: summarizeLatencies(post),
      turnsPerSecond: stalled ? Number.NaN : turns / measuredSeconds,
      measuredSeconds,
      stalled,
    };
  } finally {
    for (const connection of connections) connection.close();
    await Promise.allSettled(connections.map((connection) => connection.ended));
  }
}
