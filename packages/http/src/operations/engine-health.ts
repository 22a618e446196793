import type { AgentPerformanceEntry, Engine, WorkspaceUsage } from '@parley/core';
import { type HealthStatus, worstStatus } from './health-status';
import type { ModelProbe, ModelProbeResult } from './model-probe';

/** The performance of a workspace's agents, summed up. */
export interface AgentsSummary {
  totalAgents: number;
  /** Agents with a turn in this process. */
  activeAgents: number;
  /** The mean of the agents' p50 response times, ms; `null` before any turn. */
  averageResponseTime: number | null;
}

/** The engine's answer to the health routes, for one workspace. */
export interface EngineHealth {
  status: HealthStatus;
  details: {
    service: {
      serviceStatus: HealthStatus;
      agentCount: number | null;
      sessionCount: number | null;
      turnsInFlight: number;
      model: ModelProbeResult;
    };
    agents: { performanceMetrics: AgentPerformanceEntry[]; summary: AgentsSummary };
    /** `null` when the database could not count. */
    usage: WorkspaceUsage | null;
    tools: ReturnType<Engine['toolHealth']>;
  };
}

/** Sums up agents' performance entries. */
export function summarizeAgents(entries: readonly AgentPerformanceEntry[]): AgentsSummary {
  const medians = entries.flatMap((entry) =>
    entry.responseTimeMs ? [entry.responseTimeMs.p50] : [],
  );
  return {
    totalAgents: entries.length,
    activeAgents: entries.filter((entry) => entry.turns > 0).length,
    averageResponseTime:
      medians.length === 0
        ? null
        : Math.round((medians.reduce((sum, value) => sum + value, 0) / medians.length) * 10) / 10,
  };
}

/**
 * The engine for one workspace: whether it takes turns (unhealthy once shutting down), its
 * model (probed, cached; degraded when unreachable), the workspace's agents' performance and
 * usage (degraded when the database cannot count it).
 */
export async function checkEngine(input: {
  engine: Engine;
  workspaceId: string;
  modelProbe: ModelProbe;
  shuttingDown: boolean;
}): Promise<EngineHealth> {
  const { engine, workspaceId } = input;
  const [model, usage] = await Promise.all([
    input.modelProbe.check(),
    engine.store
      .forWorkspace(workspaceId)
      .countUsage()
      .catch(() => null),
  ]);
  const performanceMetrics = engine.agentPerformance(workspaceId);
  const serviceStatus: HealthStatus = input.shuttingDown ? 'unhealthy' : 'healthy';
  const status = worstStatus([
    serviceStatus,
    model.status,
    usage === null ? 'degraded' : 'healthy',
  ]);
  return {
    status,
    details: {
      service: {
        serviceStatus,
        agentCount: usage?.agents.total ?? null,
        sessionCount: usage?.sessions.total ?? null,
        turnsInFlight: engine.turnsInFlight,
        model,
      },
      agents: { performanceMetrics, summary: summarizeAgents(performanceMetrics) },
      usage,
      tools: engine.toolHealth(),
    },
  };
}
