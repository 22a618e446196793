import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A web server of the test's own on 127.0.0.1, on a port the system picks: another port is
 * another origin, so its pages are "a site elsewhere" to the quickstart. It serves one page, at
 * `/`, with the headers given (a Content-Security-Policy, say).
 */
export interface SecondOrigin {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** What `/` answers from now on. */
  serve(page: { html: string; headers?: Record<string, string> }): void;
  close(): Promise<void>;
}

/** Starts a {@link SecondOrigin}. */
export async function startSecondOrigin(): Promise<SecondOrigin> {
  let page: { html: string; headers?: Record<string, string> } = { html: '' };
  const server = createServer((request, response) => {
    if ((request.url ?? '/').split('?')[0] !== '/') {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('Not found');
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...page.headers,
    });
    response.end(page.html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    serve(next) {
      page = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
