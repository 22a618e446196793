/**
 * @module The fake OpenAI server of the end-to-end tests, as a process of its own (a Playwright
 * `webServer`): `startFakeOpenAIServer` from `@parley/core/testing` for the second quickstart's
 * `OPENAI_BASE_URL`, plus a small control server through which the tests, in their own worker
 * processes, script it:
 *
 * - `POST /enqueue` with a `FakeResponse`: the next chat completion;
 * - `POST /fail-next` with a `FakeFailure`: the next request fails;
 * - `GET /requests`: how many requests it has received, and the purpose of each.
 *
 * It prints one line naming both addresses (the Playwright config reads them into the
 * environment), and stops on SIGTERM or SIGINT.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeFailure, type FakeResponse, startFakeOpenAIServer } from '@parley/core/testing';

const fake = await startFakeOpenAIServer();

async function readJson(request: IncomingMessage): Promise<unknown> {
  let raw = '';
  for await (const chunk of request) raw += chunk;
  return JSON.parse(raw);
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** What kind of request the fake received: structured output is a judgement, else a reply. */
function purposeOf(body: unknown): string {
  const request = body as { response_format?: { json_schema?: { name?: string } } } | undefined;
  return request?.response_format?.json_schema?.name ?? 'text';
}

const control = createServer((request, response) => {
  const route = `${request.method} ${request.url}`;
  const handled = (async () => {
    if (route === 'POST /enqueue') {
      fake.enqueue((await readJson(request)) as FakeResponse);
      return answer(response, 204, null);
    }
    if (route === 'POST /fail-next') {
      fake.failNext((await readJson(request)) as FakeFailure);
      return answer(response, 204, null);
    }
    if (route === 'GET /requests') {
      return answer(response, 200, {
        count: fake.requests.length,
        purposes: fake.requests.map((recorded) => purposeOf(recorded.body)),
      });
    }
    answer(response, 404, { error: `No control route ${route}` });
  })();
  handled.catch((error: unknown) => answer(response, 400, { error: String(error) }));
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;

process.stdout.write(`Fake OpenAI server at ${fake.baseURL}, control at ${controlUrl}\n`);

async function stop(): Promise<void> {
  control.closeAllConnections();
  await Promise.all([fake.close(), new Promise<void>((resolve) => control.close(() => resolve()))]);
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
