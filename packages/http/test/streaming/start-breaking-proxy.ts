import { createServer, request as forwardRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A forwarding proxy that can cut a streamed response off partway; see {@link startBreakingProxy}. */
export interface BreakingProxy {
  /** `http://127.0.0.1:<port>/v1`, for the `openai` client's `baseURL`. */
  readonly baseURL: string;
  /**
   * Makes the next `text/event-stream` response break after `events` SSE events have gone
   * through: the connection drops mid-stream, as a network failure or a crashed upstream does.
   */
  breakNextStreamAfter(events: number): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy in front of an OpenAI-compatible server (the fake one): requests and responses
 * pass through untouched, except a streamed response armed to break. The fake server can fail
 * a request before its response starts, but not a stream after some chunks; this can.
 */
export async function startBreakingProxy(targetBaseURL: string): Promise<BreakingProxy> {
  const target = new URL(targetBaseURL);
  const breaks: number[] = [];
  const server = createServer((incoming, outgoing) => {
    const forwarded = forwardRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        const streamed = (response.headers['content-type'] ?? '').startsWith('text/event-stream');
        const breakAfter = streamed ? breaks.shift() : undefined;
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        if (breakAfter === undefined) return void response.pipe(outgoing);
        let events = 0;
        response.on('data', (chunk: Buffer) => {
          if (outgoing.destroyed) return;
          outgoing.write(chunk);
          events += chunk.toString('utf8').split('\n\n').length - 1;
          if (events >= breakAfter) {
            response.destroy();
            outgoing.socket?.destroy();
          }
        });
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}${target.pathname}`,
    breakNextStreamAfter(events) {
      breaks.push(events);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
