import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Token counts a fake reply reports, in OpenAI's wire names. */
export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** A tool call a fake reply makes; an object `arguments` is sent as its JSON text. */
export interface FakeToolCall {
  name: string;
  arguments: object | string;
}

/**
 * One scripted chat completion: text, tool calls (with optional text before them), a JSON
 * answer for structured output, or a refusal. `delayMs` waits before the response starts;
 * `chunkDelayMs` waits between the chunks of a stream.
 */
export type FakeResponse = (
  | {
      text: string /** Stream the text in this many pieces; default one per word. */;
      chunks?: number;
    }
  | { toolCalls: FakeToolCall[]; text?: string }
  | { json: unknown }
  | { refusal: string }
) & { usage?: FakeUsage; delayMs?: number; chunkDelayMs?: number };

/**
 * One scripted moderation result: whether the input is flagged and the categories marked true
 * (every other category of OpenAI's list is sent as false). `delayMs` waits before answering.
 */
export interface FakeModeration {
  flagged: boolean;
  categories?: string[];
  delayMs?: number;
}

/** A failure for the next request, whatever its path: an HTTP error, a delay, or a dropped socket. */
export type FakeFailure =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { delayMs: number }
  | { dropConnection: true };

/** A request the fake server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The parsed JSON body. */
  body: unknown;
  /** Lower-case names; `authorization` and `api-key` values redacted. */
  headers: Record<string, string>;
}

/** Options of {@link startFakeOpenAIServer}. */
export interface FakeOpenAIServerOptions {
  /** Vector length of embeddings when the request names no `dimensions`; default 8. */
  embeddingDimensions?: number;
  /**
   * When set, a request without `Authorization: Bearer <apiKey>` gets a 401 whose message
   * echoes the key it sent, as careless proxies do: tests check that it goes no further.
   */
  apiKey?: string;
  /**
   * Answers a chat completion from its request, before the queue: a reply, or undefined to
   * fall through to the queue (then the default). For tests whose callers share one server in
   * no fixed order (an engine, a judge and a simulated customer): answer by the request's
   * `response_format.json_schema.name`, `stream` or prompt.
   */
  respond?: (request: RecordedRequest) => FakeResponse | undefined;
}

/** A running fake; see {@link startFakeOpenAIServer}. */
export interface FakeOpenAIServer {
  /** `http://127.0.0.1:<port>/v1`, for the `openai` client's `baseURL`. */
  readonly baseURL: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Queues a chat completion reply; replies are used in order, then a default text. */
  enqueue(response: FakeResponse): void;
  /**
   * Queues the result of the next `POST /v1/moderations` (for each of its inputs); results
   * are used in order, then "not flagged". Independent of the chat replies' queue.
   */
  enqueueModeration(result: FakeModeration): void;
  /** Makes the next request (of any path) fail; failures queue like replies. */
  failNext(failure: FakeFailure): void;
  /** Delays every response by `milliseconds` before it starts. */
  setDelay(milliseconds: number): void;
  close(): Promise<void>;
}

/** The reply when nothing is queued: a greeting, or `{}` for structured output. */
const defaultText = 'Hello from the fake OpenAI server.';

/**
 * Starts an OpenAI-compatible server on 127.0.0.1 (a free port) for tests that run the real
 * `openai` client over real HTTP. It serves `POST /v1/chat/completions`, plain and streamed
 * (SSE `data:` chunks ending with `data: [DONE]`, tool call arguments split across chunks
 * as real servers do, a final usage chunk when `stream_options.include_usage`), and
 * `POST /v1/embeddings` (deterministic, deliberately not unit-length vectors hashed from
 * each text; `encoding_format` float or base64) and `POST /v1/moderations` (results scripted
 * with `enqueueModeration`, "not flagged" otherwise), and `GET /v1/models/:model` (any model
 * exists: what `ChatModel.probe` reads).
 */
export async function startFakeOpenAIServer(
  options: FakeOpenAIServerOptions = {},
): Promise<FakeOpenAIServer> {
  const requests: RecordedRequest[] = [];
  const replies: FakeResponse[] = [];
  const failures: FakeFailure[] = [];
  const moderations: FakeModeration[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let delayMs = 0;
  let completionCount = 0;

  const sleep = (milliseconds: number) =>
    new Promise<void>((resolve) => {
      if (milliseconds <= 0) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, milliseconds);
      timers.add(timer);
    });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of request) raw += chunk;
    const body = raw ? JSON.parse(raw) : undefined;
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path,
      body,
      headers: recordHeaders(request),
    };
    requests.push(recorded);

    const authorization = request.headers.authorization ?? '';
    if (options.apiKey !== undefined && authorization !== `Bearer ${options.apiKey}`) {
      const message = `Incorrect API key provided: ${authorization.replace(/^Bearer /, '')}.`;
      return send(response, 401, openAIError(message, 'invalid_api_key'));
    }
    const failure = failures.shift();
    if (failure && 'dropConnection' in failure) return void request.socket.destroy();
    await sleep(delayMs + (failure && 'delayMs' in failure ? failure.delayMs : 0));
    // A client that gave up while we waited must not use up the next test's scripted reply.
    if (response.destroyed || request.socket.destroyed) return;
    if (failure && 'status' in failure) {
      const errorBody = failure.body ?? openAIError(`Fake failure ${failure.status}`, null);
      return send(response, failure.status, errorBody, failure.headers);
    }
    if (request.method === 'POST' && path === '/v1/chat/completions') {
      return completeChat(recorded, response);
    }
    if (request.method === 'POST' && path === '/v1/embeddings') {
      return send(response, 200, embeddingsOf(body as EmbeddingRequestBody));
    }
    if (request.method === 'POST' && path === '/v1/moderations') {
      const result = moderations.shift() ?? { flagged: false };
      await sleep(result.delayMs ?? 0);
      return send(response, 200, moderationOf(body as ModerationRequestBody, result));
    }
    const model = /^\/v1\/models\/([^/]+)$/.exec(path)?.[1];
    if (request.method === 'GET' && model) {
      // Any model exists here: what a probe of the model's reachability reads.
      return send(response, 200, {
        id: decodeURIComponent(model),
        object: 'model',
        created: 0,
        owned_by: 'parley-fake',
      });
    }
    send(response, 404, openAIError(`No route for ${request.method} ${path}`, 'not_found'));
  }

  async function completeChat(recorded: RecordedRequest, response: ServerResponse): Promise<void> {
    const body = recorded.body as ChatRequestBody;
    const structured = body.response_format?.type === 'json_schema';
    const reply =
      options.respond?.(recorded) ??
      replies.shift() ??
      (structured ? { json: {} } : { text: defaultText });
    await sleep(reply.delayMs ?? 0);
    completionCount += 1;
    const completionId = `chatcmpl-fake-${completionCount}`;
    const text =
      ('text' in reply ? reply.text : 'json' in reply ? JSON.stringify(reply.json) : '') ?? '';
    const refusal = 'refusal' in reply ? reply.refusal : null;
    const toolCalls = ('toolCalls' in reply ? reply.toolCalls : []).map((call, index) => ({
      id: `call_${completionCount}_${index}`,
      type: 'function' as const,
      function: {
        name: call.name,
        arguments:
          typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
      },
    }));
    const finishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
    const completionText = text + (refusal ?? '') + JSON.stringify(toolCalls);
    const promptText = JSON.stringify(body.messages ?? []);
    const usage = reply.usage ?? {
      prompt_tokens: Math.ceil(promptText.length / 4),
      completion_tokens: Math.ceil(completionText.length / 4),
    };
    const wireUsage = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
    const base = { id: completionId, created: 0, model: body.model };

    if (!body.stream) {
      const message = {
        role: 'assistant',
        content: refusal === null && (text || toolCalls.length === 0) ? text : null,
        refusal,
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      };
      const choice = { index: 0, message, finish_reason: finishReason, logprobs: null };
      return send(response, 200, {
        ...base,
        object: 'chat.completion',
        choices: [choice],
        usage: wireUsage,
      });
    }

    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const write = async (data: unknown) => {
      if (response.destroyed) return;
      response.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
      await sleep(reply.chunkDelayMs ?? 0);
    };
    const chunk = (delta: object, finish: string | null = null) => ({
      ...base,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    });
    await write(chunk({ role: 'assistant', content: '' }));
    const pieces =
      'chunks' in reply && reply.chunks ? splitEvenly(text, reply.chunks) : words(text);
    for (const piece of pieces) await write(chunk({ content: piece }));
    for (const piece of words(refusal ?? '')) await write(chunk({ refusal: piece }));
    for (const [index, call] of toolCalls.entries()) {
      const opening = {
        index,
        id: call.id,
        type: 'function',
        function: { name: call.function.name, arguments: '' },
      };
      await write(chunk({ tool_calls: [opening] }));
      for (const piece of splitEvenly(call.function.arguments, 3)) {
        await write(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      }
    }
    await write(chunk({}, finishReason));
    if (body.stream_options?.include_usage)
      await write({ ...chunk({}), choices: [], usage: wireUsage });
    await write('[DONE]');
    response.end();
  }

  function embeddingsOf(body: EmbeddingRequestBody) {
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    const dimensions = body.dimensions ?? options.embeddingDimensions ?? 8;
    const data = inputs.map((text, index) => {
      const vector = hashedVector(text, dimensions);
      const embedding =
        body.encoding_format === 'base64'
          ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
          : vector;
      return { object: 'embedding', index, embedding };
    });
    const promptTokens = Math.ceil(inputs.join(' ').length / 4);
    const usage = { prompt_tokens: promptTokens, total_tokens: promptTokens };
    return { object: 'list', data, model: body.model, usage };
  }

  const server = createServer((request, response) => {
    response.on('error', () => {});
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      send(response, 400, openAIError(`Fake server could not handle the request: ${error}`, null));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue(response) {
      replies.push(response);
    },
    enqueueModeration(result) {
      moderations.push(result);
    },
    failNext(failure) {
      failures.push(failure);
    },
    setDelay(milliseconds) {
      delayMs = milliseconds;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface ChatRequestBody {
  model: string;
  messages?: unknown[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type: string };
}

interface EmbeddingRequestBody {
  model: string;
  input: string | string[];
  dimensions?: number;
  encoding_format?: 'float' | 'base64';
}

interface ModerationRequestBody {
  model?: string;
  input: string | unknown[];
}

/** OpenAI's moderation categories, as its responses list them. */
const moderationCategories = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/instructions',
  'self-harm/intent',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
];

function moderationOf(body: ModerationRequestBody, result: FakeModeration) {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const marked = new Set(result.categories ?? []);
  const names = [...new Set([...moderationCategories, ...marked])];
  const results = inputs.map(() => ({
    flagged: result.flagged,
    categories: Object.fromEntries(names.map((name) => [name, marked.has(name)])),
    category_scores: Object.fromEntries(names.map((name) => [name, marked.has(name) ? 0.9 : 0.01])),
    category_applied_input_types: Object.fromEntries(
      names.map((name) => [name, marked.has(name) ? ['text'] : []]),
    ),
  }));
  return { id: 'modr-fake', model: body.model ?? 'omni-moderation-latest', results };
}

function send(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function openAIError(message: string, code: string | null) {
  return { error: { message, type: 'invalid_request_error', param: null, code } };
}

function recordHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization') headers[name] = text.replace(/ .*/, ' [redacted]');
    else headers[name] = name === 'api-key' ? '[redacted]' : text;
  }
  return headers;
}

/** Words with their trailing spaces, so joining the pieces gives the text back. */
function words(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

function splitEvenly(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / count));
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size)
    pieces.push(text.slice(start, start + size));
  return pieces;
}

/** Deterministic coordinates in [-3, 3] from FNV-1a hashes of the text: far from unit length. */
function hashedVector(text: string, dimensions: number): number[] {
  return Array.from({ length: dimensions }, (_, coordinate) => {
    let hash = 0x811c9dc5;
    for (const character of `${coordinate}:${text}`) {
      hash = Math.imul(hash ^ character.charCodeAt(0), 0x01000193) >>> 0;
    }
    return (hash / 0xffffffff) * 6 - 3;
  });
}
