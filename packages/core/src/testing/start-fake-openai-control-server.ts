import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeFailure, FakeOpenAIServer, FakeResponse } from './start-fake-openai-server';

/** A request the fake received, as the control server lists it. */
export interface ControlledRequest {
  path: string;
  /** `guideline_judgement`, `tool_calls`… (the structured output's schema name), else `text`. */
  purpose: string;
  body: unknown;
}

/** A running control server; see {@link startFakeOpenAIControlServer}. */
export interface FakeOpenAIControlServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * What a request to the fake was for: a structured output is named by its schema (a guideline
 * judgement, tool calls…), a chat completion without one is a reply (`text`), anything else
 * by its path (`/v1/embeddings`).
 */
export function purposeOfRequest(path: string, body: unknown): string {
  const request = body as { response_format?: { json_schema?: { name?: string } } } | undefined;
  if (!path.endsWith('/chat/completions')) return path;
  return request?.response_format?.json_schema?.name ?? 'text';
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let raw = '';
  for await (const chunk of request) raw += chunk;
  return JSON.parse(raw);
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/**
 * Starts a small HTTP server on 127.0.0.1 (a free port) through which tests in other
 * processes script a fake OpenAI server that a server under test calls (Playwright workers
 * scripting the fake behind a quickstart or a Next.js host):
 *
 * - `POST /enqueue` with a `FakeResponse`: the next chat completion;
 * - `POST /fail-next` with a `FakeFailure`: the next request fails;
 * - `GET /requests`: `{ count, purposes, requests }`, every request received so far in order,
 *   each with its path, purpose ({@link purposeOfRequest}) and body.
 */
export async function startFakeOpenAIControlServer(
  fake: FakeOpenAIServer,
): Promise<FakeOpenAIControlServer> {
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
        const requests: ControlledRequest[] = fake.requests.map((recorded) => ({
          path: recorded.path,
          purpose: purposeOfRequest(recorded.path, recorded.body),
          body: recorded.body,
        }));
        return answer(response, 200, {
          count: requests.length,
          purposes: requests.map((recorded) => recorded.purpose),
          requests,
        });
      }
      answer(response, 404, { error: `No control route ${route}` });
    })();
    handled.catch((error: unknown) => answer(response, 400, { error: String(error) }));
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    close() {
      control.closeAllConnections();
      return new Promise<void>((resolve) => control.close(() => resolve()));
    },
  };
}
