import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from './start-fake-openai-server';

let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey: 'sk-fake-key', embeddingDimensions: 4 });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function post(path: string, body: unknown, key = 'sk-fake-key') {
  return fetch(`${server.baseURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
}

/** The JSON payloads of an SSE body, `[DONE]` included as a string. */
async function events(response: Response): Promise<unknown[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

const messages = [{ role: 'user', content: 'Hello there' }];

describe('startFakeOpenAIServer', () => {
  it('listens on 127.0.0.1 with a baseURL ending in /v1, and records requests with the key redacted', async () => {
    expect(server.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);

    await post('/chat/completions', { model: 'm', messages });

    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v1/chat/completions',
        body: { model: 'm', messages },
      }),
    ]);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer [redacted]');
  });

  it('answers a plain completion with the default reply and estimated usage when nothing is queued', async () => {
    const completion = await (await post('/chat/completions', { model: 'm', messages })).json();

    expect(completion).toMatchObject({
      object: 'chat.completion',
      choices: [
        {
          message: { role: 'assistant', content: 'Hello from the fake OpenAI server.' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) },
    });
  });

  it('uses queued replies in order: json, refusal, tool calls', async () => {
    server.enqueue({ json: { ok: true }, usage: { prompt_tokens: 1, completion_tokens: 2 } });
    server.enqueue({ refusal: 'No.' });
    server.enqueue({ toolCalls: [{ name: 'lookup', arguments: { id: 1 } }] });

    const json = await (await post('/chat/completions', { model: 'm', messages })).json();
    const refusal = await (await post('/chat/completions', { model: 'm', messages })).json();
    const tools = await (await post('/chat/completions', { model: 'm', messages })).json();

    expect(json.choices[0].message.content).toBe('{"ok":true}');
    expect(json.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
    expect(refusal.choices[0].message).toMatchObject({ content: null, refusal: 'No.' });
    expect(tools.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        content: null,
        tool_calls: [{ type: 'function', function: { name: 'lookup', arguments: '{"id":1}' } }],
      },
    });
  });

  it('streams text in the asked number of chunks, then finish, usage and [DONE]', async () => {
    server.enqueue({ text: 'abcdefghi', chunks: 3 });

    const response = await post('/chat/completions', {
      model: 'm',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const payloads = await events(response);

    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(payloads.at(-1)).toBe('[DONE]');
    const chunks = payloads.slice(0, -1) as Array<{
      choices: Array<{ delta: { content?: string }; finish_reason: string | null }>;
      usage?: unknown;
    }>;
    const contents = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content));
    expect(contents.filter(Boolean)).toEqual(['abc', 'def', 'ghi']);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: expect.any(Number) },
    });
  });

  it('splits streamed tool call arguments across several chunks', async () => {
    server.enqueue({ toolCalls: [{ name: 'lookup', arguments: { orderId: 'A-1042' } }] });

    const payloads = await events(
      await post('/chat/completions', { model: 'm', messages, stream: true }),
    );

    const pieces = (
      payloads.slice(0, -1) as Array<{
        choices: Array<{
          delta: {
            tool_calls?: Array<{
              index: number;
              id?: string;
              function?: { name?: string; arguments?: string };
            }>;
          };
        }>;
      }>
    ).flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(pieces[0]).toMatchObject({
      index: 0,
      id: expect.any(String),
      function: { name: 'lookup' },
    });
    const argumentPieces = pieces.map((piece) => piece.function?.arguments ?? '').filter(Boolean);
    expect(argumentPieces.length).toBeGreaterThan(1);
    expect(argumentPieces.join('')).toBe('{"orderId":"A-1042"}');
    // No usage chunk unless asked for.
    expect(
      payloads.some(
        (payload) => typeof payload === 'object' && payload !== null && 'usage' in payload,
      ),
    ).toBe(false);
  });

  it('serves deterministic embeddings of the asked dimensions, as floats or base64', async () => {
    const first = await (await post('/embeddings', { model: 'e', input: ['a', 'b'] })).json();
    const again = await (
      await post('/embeddings', { model: 'e', input: 'a', dimensions: 6 })
    ).json();
    const encoded = await (
      await post('/embeddings', { model: 'e', input: ['a'], encoding_format: 'base64' })
    ).json();

    expect(first.data).toHaveLength(2);
    expect(first.data[0].embedding).toHaveLength(4);
    expect(first.data[0].embedding).not.toEqual(first.data[1].embedding);
    expect(again.data[0].embedding).toHaveLength(6);
    const bytes = Uint8Array.from(Buffer.from(encoded.data[0].embedding, 'base64'));
    const decoded = new Float32Array(bytes.buffer);
    expect([...decoded].map((value) => value.toFixed(4))).toEqual(
      first.data[0].embedding.map((value: number) => Math.fround(value).toFixed(4)),
    );
  });

  it('fails the next request as scripted: status with headers, then delay, then a dropped connection', async () => {
    server.failNext({ status: 429, headers: { 'retry-after': '3' } });
    const limited = await post('/chat/completions', { model: 'm', messages });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await limited.json()).error.message).toContain('429');

    server.failNext({ delayMs: 80 });
    const started = Date.now();
    expect((await post('/chat/completions', { model: 'm', messages })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);

    server.failNext({ dropConnection: true });
    await expect(post('/chat/completions', { model: 'm', messages })).rejects.toThrow();

    expect((await post('/chat/completions', { model: 'm', messages })).status).toBe(200);
  });

  it('applies setDelay to every response', async () => {
    server.setDelay(60);
    try {
      const started = Date.now();
      await post('/embeddings', { model: 'e', input: 'x' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    } finally {
      server.setDelay(0);
    }
  });

  it('answers 401 to a wrong key, echoing it as careless proxies do', async () => {
    const response = await post('/chat/completions', { model: 'm', messages }, 'sk-other');

    expect(response.status).toBe(401);
    expect((await response.json()).error).toMatchObject({ code: 'invalid_api_key' });
  });

  it('answers 404 to an unknown route', async () => {
    expect((await post('/files', {})).status).toBe(404);
  });
});

describe('startFakeOpenAIServer with respond', () => {
  it('answers from the request before the queue, and falls through to the queue on undefined', async () => {
    const routed = await startFakeOpenAIServer({
      respond: (request) => {
        const body = request.body as { response_format?: { json_schema?: { name?: string } } };
        return body.response_format?.json_schema?.name === 'verdict'
          ? { json: { passed: true } }
          : undefined;
      },
    });
    try {
      routed.enqueue({ text: 'queued' });
      const call = async (body: unknown) =>
        (
          await (
            await fetch(`${routed.baseURL}/chat/completions`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(body),
            })
          ).json()
        ).choices[0].message.content;
      const structured = {
        model: 'm',
        messages,
        response_format: { type: 'json_schema', json_schema: { name: 'verdict', schema: {} } },
      };
      expect(await call(structured)).toBe('{"passed":true}');
      expect(await call({ model: 'm', messages })).toBe('queued');
      expect(await call(structured)).toBe('{"passed":true}');
      expect(await call({ model: 'm', messages })).toBe('Hello from the fake OpenAI server.');
    } finally {
      await routed.close();
    }
  });
});
