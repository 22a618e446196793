import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { createJsonLogger } from './json-logger';
import { type RunningQuickstart, startQuickstart } from './main';

/**
 * Issue 9: three requests, sent over a raw socket, used to take the whole quickstart down
 * (`TypeError: Invalid URL`, a URL with credentials, a method `Request` refuses, thrown out
 * of the Node adapter). Each must now get its answer, and the server must go on serving.
 */

/** What the server answered to `bytes` on a fresh connection: status, headers, body. */
function sendRaw(
  url: string,
  bytes: string,
): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      if (headEnd < 0 || !status)
        return reject(new Error(`no HTTP answer: ${JSON.stringify(text)}`));
      resolve({
        status: Number(status[1]),
        headers: text.slice(0, headEnd).toLowerCase(),
        body: text.slice(headEnd + 4),
      });
    });
    // Connection: close, so the answer is the whole stream and the body needs no framing.
    socket.end(bytes);
  });
}

const crashingRequests = [
  ['a Host with a space', 'GET /api/parley/v1/health HTTP/1.1\r\nHost: a b\r\n', 400],
  ['a Host with credentials', 'GET /api/parley/v1/health HTTP/1.1\r\nHost: u:p@127.0.0.1\r\n', 400],
  ['TRACE', 'TRACE /api/parley/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n', 405],
] as const;

describe('the quickstart server, sent requests the Fetch API cannot represent', () => {
  let dataDir: string;
  let server: RunningQuickstart;
  const escaped: unknown[] = [];
  const recordEscape = (error: unknown) => escaped.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', recordEscape);
    process.on('unhandledRejection', recordEscape);
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-quickstart-raw-'));
    server = await startQuickstart(loadConfig({ PORT: '0', PARLEY_DATA_DIR: dataDir }), {
      print: () => undefined,
      log: createJsonLogger(() => undefined),
    });
  });
  afterAll(async () => {
    await server?.close({ deadlineMs: 2_000 });
    await rm(dataDir, { recursive: true, force: true });
    process.off('uncaughtException', recordEscape);
    process.off('unhandledRejection', recordEscape);
  });

  it.each(crashingRequests)(
    'answers %s with %i and the error envelope',
    async (_, head, status) => {
      const answer = await sendRaw(server.url, `${head}Connection: close\r\n\r\n`);
      expect(answer.status).toBe(status);
      expect(answer.headers).toContain('content-type: application/json');
      const requestId = /\r\nx-request-id: ([^\r]+)/.exec(answer.headers)?.[1];
      expect(requestId).toBeTruthy();
      const envelope = JSON.parse(answer.body) as { error: { code: string; requestId: string } };
      expect(envelope.error.code).toBe(status === 405 ? 'method_not_allowed' : 'validation_failed');
      expect(envelope.error.requestId).toBe(requestId);

      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'healthy' });
      expect(escaped).toEqual([]);
    },
  );
});
