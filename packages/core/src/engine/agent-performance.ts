import { latencyPercentiles } from '../operations/latency-percentiles';
import type { TurnOutcome } from './run-turn';

/** How one agent's turns have gone in this process, as the engine health shows them. */
export interface AgentPerformanceEntry {
  workspaceId: string;
  agentId: string;
  /** Turns that ran to an end: replied, failed or cancelled. */
  turns: number;
  /** Turns that ended in an error, and how many of each code (`model_failed`…). */
  errors: number;
  errorsByCode: Record<string, number>;
  cancelled: number;
  /** From taking the turn to its end, over the most recent turns; `null` before the first. */
  responseTimeMs: { p50: number; p95: number } | null;
  /** From taking the turn to the reply's first token; `null` before a reply streamed. */
  timeToFirstTokenMs: { p50: number; p95: number } | null;
  /** The share of the agent's sessions (seen here) whose latest turn replied, 0 to 1. */
  sessionSuccessRate: number | null;
  modelCalls: number;
  promptTokens: number;
  completionTokens: number;
  /** When its last turn ended, ISO 8601. */
  lastTurnAt: string;
}

/** What a finished turn reports to {@link AgentPerformance.record}. */
export interface TurnReport {
  workspaceId: string;
  agentId: string;
  sessionId: string;
  outcome: TurnOutcome;
  durationMs: number;
  /** `null` when no token was streamed (an error before the reply). */
  firstTokenMs: number | null;
  endedAt: Date;
}

/** Counts each agent's turns, errors, latencies and model use; see {@link createAgentPerformance}. */
export interface AgentPerformance {
  record(report: TurnReport): void;
  /** Every agent with a turn so far, of one workspace or of all; slowest first. */
  snapshot(workspaceId?: string): AgentPerformanceEntry[];
}

/** How many recent latencies each agent keeps for its percentiles. */
const latencyWindow = 500;
/** How many sessions each agent remembers for its success rate (the most recent). */
const sessionsRemembered = 1000;

interface AgentRecord {
  entry: Omit<
    AgentPerformanceEntry,
    'responseTimeMs' | 'timeToFirstTokenMs' | 'sessionSuccessRate'
  >;
  durations: number[];
  firstTokens: number[];
  /** Session id → whether its latest turn replied, in insertion order (oldest first). */
  sessions: Map<string, boolean>;
}

/**
 * Agents' turn figures in memory, per process: counters since it started, and the latencies
 * of each agent's most recent turns for p50 and p95. Recording is a few array and map
 * operations: it never slows a turn down, and nothing is written anywhere.
 */
export function createAgentPerformance(): AgentPerformance {
  const agents = new Map<string, AgentRecord>();
  return {
    record(report) {
      const { outcome } = report;
      if (outcome.status === 'skipped') return;
      const key = `${report.workspaceId}\u0000${report.agentId}`;
      let record = agents.get(key);
      if (!record) {
        record = {
          entry: {
            workspaceId: report.workspaceId,
            agentId: report.agentId,
            turns: 0,
            errors: 0,
            errorsByCode: {},
            cancelled: 0,
            modelCalls: 0,
            promptTokens: 0,
            completionTokens: 0,
            lastTurnAt: report.endedAt.toISOString(),
          },
          durations: [],
          firstTokens: [],
          sessions: new Map(),
        };
        agents.set(key, record);
      }
      const { entry } = record;
      entry.turns += 1;
      entry.lastTurnAt = report.endedAt.toISOString();
      if (outcome.status === 'error') {
        entry.errors += 1;
        entry.errorsByCode[outcome.error.code] = (entry.errorsByCode[outcome.error.code] ?? 0) + 1;
      }
      if (outcome.status === 'cancelled') entry.cancelled += 1;
      if (outcome.status === 'ready') {
        entry.modelCalls += outcome.explanation.model.calls;
        entry.promptTokens += outcome.explanation.model.promptTokens;
        entry.completionTokens += outcome.explanation.model.completionTokens;
      }
      if (outcome.status !== 'cancelled') {
        // Re-inserted so the map keeps the most recent sessions last.
        record.sessions.delete(report.sessionId);
        record.sessions.set(report.sessionId, outcome.status === 'ready');
        if (record.sessions.size > sessionsRemembered) {
          record.sessions.delete(record.sessions.keys().next().value as string);
        }
      }
      keepRecent(record.durations, report.durationMs);
      if (report.firstTokenMs !== null) keepRecent(record.firstTokens, report.firstTokenMs);
    },
    snapshot(workspaceId) {
      return [...agents.values()]
        .filter((record) => workspaceId === undefined || record.entry.workspaceId === workspaceId)
        .map((record) => {
          const succeeded = [...record.sessions.values()].filter(Boolean).length;
          return {
            ...record.entry,
            errorsByCode: { ...record.entry.errorsByCode },
            responseTimeMs: latencyPercentiles(record.durations),
            timeToFirstTokenMs: latencyPercentiles(record.firstTokens),
            sessionSuccessRate:
              record.sessions.size === 0
                ? null
                : Math.round((succeeded / record.sessions.size) * 1000) / 1000,
          };
        })
        .sort((left, right) => (right.responseTimeMs?.p95 ?? 0) - (left.responseTimeMs?.p95 ?? 0));
    },
  };
}

/** Appends `value`, dropping the oldest beyond the window. */
function keepRecent(values: number[], value: number): void {
  values.push(value);
  if (values.length > latencyWindow) values.shift();
}
