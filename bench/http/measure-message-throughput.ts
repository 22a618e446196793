import { type LatencySummary, summarizeLatencies } from '../shared/percentiles';
import { benchCustomerMessages } from './bench-agent';
import { mapConcurrently, openWidgetSession } from './widget-session';

/** How one throughput run of the message route goes. */
export interface MessageThroughputSettings {
  /** Sessions the messages go to, in turn. */
  sessions: number;
  /** Requests in flight at any time. */
  concurrency: number;
  warmupSeconds: number;
  measuredSeconds: number;
}

/** What a throughput run of `POST …/events` measured. */
export interface MessageThroughputMeasurement {
  sessions: number;
  concurrency: number;
  /** Requests answered 201 within the measured window. */
  requests: number;
  /** Requests answered otherwise (or failing), by status. */
  failures: Record<string, number>;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  measuredSeconds: number;
}

/** Longest wait for one request; a server that stops answering fails requests instead of hanging the run. */
const requestTimeoutMs = 30_000;

/**
 * `concurrency` clients post customer messages as fast as they are answered, to `sessions`
 * widget sessions in turn, for a fixed time. Each message starts a turn (cancelling the
 * session's turn in flight, if any), so the route is measured under the load of the turns
 * it starts, as on a busy server. `onMeasuring` is called when the measured window opens.
 */
export async function measureMessageThroughput(
  target: { baseUrl: string; agentKey: string },
  settings: MessageThroughputSettings,
  onMeasuring: () => void = () => undefined,
): Promise<MessageThroughputMeasurement> {
  const sessions = await mapConcurrently(Array.from({ length: settings.sessions }), 50, () =>
    openWidgetSession(target.baseUrl, target.agentKey),
  );
  let nextRequest = 0;
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const started = performance.now();
  const measuredFrom = started + settings.warmupSeconds * 1000;
  const measuredUntil = measuredFrom + settings.measuredSeconds * 1000;
  const client = async () => {
    while (performance.now() < measuredUntil) {
      const index = nextRequest++;
      const session = sessions[index % sessions.length] as (typeof sessions)[number];
      const requestStarted = performance.now();
      let outcome: string;
      try {
        const response = await fetch(`${target.baseUrl}/v1/sessions/${session.sessionId}/events`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${session.customerToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            text: benchCustomerMessages[index % benchCustomerMessages.length],
            clientMessageId: `t-${index}`,
          }),
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        await response.arrayBuffer();
        outcome = String(response.status);
      } catch (error) {
        outcome = `failed: ${String(error).slice(0, 80)}`;
      }
      const finished = performance.now();
      // Only requests that both started and finished inside the window count.
      if (requestStarted < measuredFrom || finished > measuredUntil) continue;
      if (outcome === '201') latencies.push(finished - requestStarted);
      else failures[outcome] = (failures[outcome] ?? 0) + 1;
    }
  };
  const windowTimer = setTimeout(onMeasuring, measuredFrom - started);
  await Promise.all(Array.from({ length: settings.concurrency }, client));
  clearTimeout(windowTimer);
  return {
    sessions: settings.sessions,
    concurrency: settings.concurrency,
    requests: latencies.length,
    failures,
    requestsPerSecond: latencies.length / settings.measuredSeconds,
    latencyMs: summarizeLatencies(latencies),
    measuredSeconds: settings.measuredSeconds,
  };
}
