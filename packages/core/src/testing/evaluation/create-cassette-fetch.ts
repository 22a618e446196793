import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ParleyError, validationError } from '../../errors/parley-error';

/** What `fetch` looks like to the `openai` client and to anything else that takes one. */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/**
 * `record`: every request goes out and is written down (the file is started afresh);
 * `replay`: nothing goes out, every request is answered from the file; `auto`: answered from
 * the file when recorded, else sent and added to it.
 */
export type CassetteMode = 'record' | 'replay' | 'auto';

/** Options of {@link createCassetteFetch}. */
export interface CassetteFetchOptions {
  /** The cassette file (JSON); its folder is created when a recording is written. */
  path: string;
  mode: CassetteMode;
  /** Where `record` and `auto` send requests; default the global `fetch`. */
  fetch?: FetchFunction;
}

/** A `fetch` that records to, or replays from, a cassette file. */
export interface CassetteFetch extends FetchFunction {
  readonly path: string;
  readonly mode: CassetteMode;
  /** The requests answered with a miss (no recording, in `replay`), described as in the error. */
  readonly misses: readonly string[];
}

/** One recorded HTTP exchange, as the cassette file holds it. */
export interface CassetteExchange {
  request: {
    method: string;
    /** The URL's path and query, without its origin (a replay may run against another host). */
    path: string;
    /** The JSON body as parsed (keys in any order), a non-JSON body as text, or null. */
    body: unknown;
  };
  response: {
    status: number;
    /** Only the headers a client needs: `content-type`, and `retry-after(-ms)` when sent. */
    headers: Record<string, string>;
    /** The body as text; a server-sent event stream as the whole stream's text. */
    body: string;
  };
}

/** A cassette file's content. */
export interface Cassette {
  version: 1;
  exchanges: CassetteExchange[];
}

/** A {@link Cassette}, checked when a file is loaded. */
export const cassetteSchema = z.object({
  version: z.literal(1),
  exchanges: z.array(
    z.object({
      request: z.object({ method: z.string().min(1), path: z.string().min(1), body: z.unknown() }),
      response: z.object({
        status: z.number().int().min(100).max(599),
        headers: z.record(z.string(), z.string()),
        body: z.string(),
      }),
    }),
  ),
});

/** Request headers that carry credentials: never matched on, never written, redacted from bodies. */
const credentialHeaders = ['authorization', 'api-key', 'x-api-key', 'openai-api-key'];
/** Query parameters that carry credentials (Azure-style `?api-key=`), dropped from the path. */
const credentialParameters = new Set(['api-key', 'api_key', 'key', 'access_token']);
/** The response headers recorded: what a client needs to read the body, and to wait or retry. */
const recordedHeaders = ['content-type', 'retry-after', 'retry-after-ms'];

/**
 * A `fetch`-compatible function that records HTTP exchanges to a JSON cassette file and replays
 * them offline, so suites that use a real model (`createOpenAIChatModel({ fetch })`) run in CI
 * without a network or a key.
 *
 * - A request is matched by method, URL path (with its query, without credentials) and its
 *   body as canonical JSON (keys sorted): headers play no part, so a replay needs no key and
 *   may target another host. Identical requests replay their recordings in the order they
 *   were recorded, the last one again once they are used up.
 * - Each response keeps its status, `content-type` (and `retry-after`) and body text. A server-sent event stream
 *   is recorded whole (the client receives it once it has ended) and replayed as a stream,
 *   one event per chunk.
 * - The Authorization header, other key headers and key query parameters are never written;
 *   their values are redacted from the bodies written, should a server echo them.
 * - In `replay`, a request with no recording is answered with a 404 whose OpenAI-shaped error
 *   (code `cassette_miss`) names the request, rather than a thrown network error: the `openai`
 *   client would retry a network error with backoff and report only "could not be reached".
 *   The misses are also listed in `misses`.
 *
 * Throws a ParleyError at once for `replay` of a file that does not exist (`not_found`) and
 * for a file that is not a cassette (`validation_failed`).
 *
 * @example
 * const fetch = createCassetteFetch({ path: 'test/cassettes/support.json', mode: 'auto' });
 * const model = createOpenAIChatModel({ model: 'gpt-4o-mini', fetch });
 */
export function createCassetteFetch(options: CassetteFetchOptions): CassetteFetch {
  const { mode } = options;
  const file = path.resolve(options.path);
  const cassette: Cassette =
    mode === 'record' ? { version: 1, exchanges: [] } : loadCassette(file, mode);
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const misses: string[] = [];
  const used = new Map<string, number>();
  let writing: Promise<void> = Promise.resolve();

  const recordingsOf = (key: string) =>
    cassette.exchanges.filter((exchange) => keyOf(exchange.request) === key);

  async function save(): Promise<void> {
    // One write at a time, each of the whole file: concurrent requests never interleave.
    const text = `${JSON.stringify(cassette, null, 2)}\n`;
    writing = writing.then(async () => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
    });
    await writing;
  }

  const cassetteFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw abortError(request.signal);
    const secrets = credentialsOf(request.headers);
    const text = await request.clone().text();
    const recorded = {
      method: request.method.toUpperCase(),
      path: redact(pathOf(new URL(request.url)), secrets),
      body: parseBody(redact(text, secrets)),
    };
    const key = keyOf(recorded);

    if (mode !== 'record') {
      const recordings = recordingsOf(key);
      if (recordings.length > 0) {
        const count = used.get(key) ?? 0;
        used.set(key, count + 1);
        const exchange = recordings[Math.min(count, recordings.length - 1)] as CassetteExchange;
        return replayResponse(exchange.response);
      }
      if (mode === 'replay') {
        const sameRoute = cassette.exchanges.filter(
          (exchange) =>
            exchange.request.method === recorded.method && exchange.request.path === recorded.path,
        ).length;
        const description = describeRequest(recorded);
        misses.push(description);
        const message =
          `Cassette ${options.path} has no recording of ${description} ` +
          `(body ${hashOf(key)}; ${sameRoute} recording(s) of ${recorded.method} ${recorded.path}, ` +
          "none with this body): record it again with mode 'record' or 'auto'";
        return new Response(
          JSON.stringify({
            error: { message, type: 'cassette_miss', param: null, code: 'cassette_miss' },
          }),
          {
            status: 404,
            headers: { 'content-type': 'application/json', 'x-parley-cassette': 'miss' },
          },
        );
      }
    }

    const response = await send(request);
    const body = await response.text();
    const headers: Record<string, string> = {};
    for (const name of recordedHeaders) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const exchange: CassetteExchange = {
      request: recorded,
      response: { status: response.status, headers, body: redact(body, secrets) },
    };
    cassette.exchanges.push(exchange);
    await save();
    return replayResponse({ ...exchange.response, body });
  };

  return Object.assign(cassetteFetch, {
    path: options.path,
    mode,
    misses,
  });
}

function loadCassette(file: string, mode: 'replay' | 'auto'): Cassette {
  if (!existsSync(file)) {
    if (mode === 'auto') return { version: 1, exchanges: [] };
    throw new ParleyError(
      'not_found',
      `Cassette ${file} does not exist: record it first (mode 'record' or 'auto')`,
      { reason: 'cassette_not_found', details: { path: file } },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ParleyError('validation_failed', `Cassette ${file} is not JSON`, {
      reason: 'invalid_cassette',
      cause: error,
    });
  }
  const parsed = cassetteSchema.safeParse(value);
  if (!parsed.success) throw validationError(`cassette ${file}`, parsed.error);
  return parsed.data as Cassette;
}

/** The matching key: method, path and the body as canonical JSON. */
function keyOf(request: CassetteExchange['request']): string {
  return `${request.method} ${request.path}\n${canonicalJson(request.body)}`;
}

/** JSON with every object's keys sorted, so key order never decides a match. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function pathOf(url: URL): string {
  for (const name of [...url.searchParams.keys()]) {
    if (credentialParameters.has(name.toLowerCase())) url.searchParams.delete(name);
  }
  return url.pathname + url.search;
}

/** The secret values a request carries: the bearer token and any key header. */
function credentialsOf(headers: Headers): string[] {
  const secrets: string[] = [];
  for (const name of credentialHeaders) {
    const value = headers.get(name);
    if (!value) continue;
    // `Bearer <token>`: the token is the secret, wherever it shows up.
    secrets.push(/^\s*\w+\s+(.+)$/.exec(value)?.[1]?.trim() ?? value.trim());
  }
  // The longest first, so one secret is not half-replaced inside another.
  return secrets.filter((secret) => secret.length >= 4).sort((a, b) => b.length - a.length);
}

function redact(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) redacted = redacted.split(secret).join('[redacted]');
  return redacted;
}

/** A response from a recording: a stream of events for SSE, the text otherwise. */
function replayResponse(recorded: CassetteExchange['response']): Response {
  const init = { status: recorded.status, headers: recorded.headers };
  if ([101, 204, 205, 304].includes(recorded.status)) return new Response(null, init);
  const contentType = recorded.headers['content-type'] ?? '';
  if (!contentType.includes('text/event-stream')) return new Response(recorded.body, init);
  // Each event with its blank line, so a client parsing as it reads sees real chunk borders.
  const events = recorded.body.match(/[\s\S]*?\n\n|[\s\S]+$/g) ?? [];
  const encoder = new TextEncoder();
  let next = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const event = events[next];
      next += 1;
      if (event === undefined) controller.close();
      else controller.enqueue(encoder.encode(event));
    },
  });
  return new Response(stream, init);
}

/** `POST /v1/chat/completions (model "m", schema "s", last message "…")`, or a body excerpt. */
function describeRequest(request: CassetteExchange['request']): string {
  const route = `${request.method} ${request.path}`;
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return body === null ? route : `${route} with body ${excerpt(String(canonicalJson(body)))}`;
  }
  const record = body as Record<string, unknown>;
  const facts: string[] = [];
  if (typeof record.model === 'string') facts.push(`model "${record.model}"`);
  const format = record.response_format as { json_schema?: { name?: unknown } } | undefined;
  if (typeof format?.json_schema?.name === 'string') {
    facts.push(`schema "${format.json_schema.name}"`);
  }
  if (record.stream === true) facts.push('streamed');
  const messages = Array.isArray(record.messages) ? record.messages : [];
  const last = messages.at(-1) as { content?: unknown } | undefined;
  if (typeof last?.content === 'string') facts.push(`last message "${excerpt(last.content)}"`);
  return facts.length > 0
    ? `${route} (${facts.join(', ')})`
    : `${route} with body ${excerpt(canonicalJson(body))}`;
}

function excerpt(text: string, length = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

function hashOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}
