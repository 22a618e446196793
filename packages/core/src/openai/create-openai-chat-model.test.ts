import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ParleyError } from '../errors/parley-error';
import type { TextStreamPart } from '../ports/chat-model';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../testing/start-fake-openai-server';
import { createOpenAIChatModel, type OpenAIChatModelOptions } from './create-openai-chat-model';

const apiKey = 'sk-test-0123456789abcdef';
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function model(options: Partial<OpenAIChatModelOptions> = {}) {
  return createOpenAIChatModel({
    model: 'gpt-fake',
    apiKey,
    baseURL: server.baseURL,
    maxRetries: 0,
    ...options,
  });
}

const verdictSchema = z.object({
  applies: z.boolean(),
  score: z.number().min(0).max(1),
  rationale: z.string(),
});

function judge(signal?: AbortSignal) {
  return model().generateObject({
    schemaName: 'guideline_judgement',
    schema: verdictSchema,
    messages: [
      { role: 'system', content: 'Judge the guideline.' },
      { role: 'user', content: 'Does it apply?' },
    ],
    signal,
  });
}

async function collect(parts: AsyncIterable<TextStreamPart>): Promise<TextStreamPart[]> {
  const collected: TextStreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

async function failureOf(promise: Promise<unknown>): Promise<ParleyError> {
  try {
    await promise;
  } catch (error) {
    if (ParleyError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function requestBody(index = 0): Record<string, unknown> {
  return server.requests[index]?.body as Record<string, unknown>;
}

describe('createOpenAIChatModel', () => {
  it('names itself after the endpoint host and the model', () => {
    expect(model().id).toBe(`${new URL(server.baseURL).host}:gpt-fake`);
    expect(createOpenAIChatModel({ model: 'gpt-4o-mini', apiKey }).id).toBe('openai:gpt-4o-mini');
  });

  describe('probe', () => {
    it('reads the model entry once, generating nothing, and fails with model_failed when it cannot reach it', async () => {
      await model().probe?.();
      expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        'GET /v1/models/gpt-fake',
      ]);

      server.failNext({ status: 503 });
      const down = await failureOf(model({ maxRetries: 2 }).probe?.() as Promise<void>);
      expect(down).toMatchObject({ code: 'model_failed', retryable: true });
      // One attempt, whatever the client's retries: a probe says what it finds now.
      expect(server.requests).toHaveLength(2);

      const wrongKey = 'sk-wrong-probe-0123456789';
      const refused = await failureOf(model({ apiKey: wrongKey }).probe?.() as Promise<void>);
      expect(refused).toMatchObject({ code: 'model_failed', reason: 'unauthorized' });
      expect(refused.message).not.toContain(wrongKey);
    });
  });

  describe('generateObject', () => {
    it('sends the schema as a strict json_schema response format and returns the validated object', async () => {
      server.enqueue({
        json: { applies: true, score: 0.8, rationale: 'Asked about refunds.' },
        usage: { prompt_tokens: 42, completion_tokens: 7 },
      });

      const result = await judge();

      expect(result).toEqual({
        object: { applies: true, score: 0.8, rationale: 'Asked about refunds.' },
        usage: { promptTokens: 42, completionTokens: 7 },
      });
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
      const body = requestBody();
      expect(body.model).toBe('gpt-fake');
      expect(body.stream).toBeUndefined();
      expect(body.messages).toEqual([
        { role: 'system', content: 'Judge the guideline.' },
        { role: 'user', content: 'Does it apply?' },
      ]);
      expect(body.response_format).toEqual({
        type: 'json_schema',
        json_schema: {
          name: 'guideline_judgement',
          strict: true,
          schema: {
            type: 'object',
            properties: {
              applies: { type: 'boolean' },
              score: { type: 'number', minimum: 0, maximum: 1 },
              rationale: { type: 'string' },
            },
            required: ['applies', 'score', 'rationale'],
            additionalProperties: false,
          },
        },
      });
    });

    it('falls back to a non-strict schema when a property is optional', async () => {
      server.enqueue({ json: { name: 'Ada' } });
      const schema = z.object({ name: z.string(), nickname: z.string().optional() });

      const { object } = await model().generateObject({
        schemaName: 'person',
        schema,
        messages: [{ role: 'user', content: 'Who?' }],
      });

      expect(object).toEqual({ name: 'Ada' });
      const format = requestBody().response_format as { json_schema: { strict: boolean } };
      expect(format.json_schema.strict).toBe(false);
    });

    it('writes discriminated unions as anyOf in strict mode', async () => {
      server.enqueue({ json: { next: { kind: 'stay' } } });
      const schema = z.object({
        next: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('stay') }),
          z.object({ kind: z.literal('move'), stateId: z.string() }),
        ]),
      });

      const { object } = await model().generateObject({
        schemaName: 'journey_step',
        schema,
        messages: [{ role: 'user', content: 'Next?' }],
      });

      expect(object).toEqual({ next: { kind: 'stay' } });
      const format = requestBody().response_format as {
        json_schema: { strict: boolean; schema: { properties: { next: Record<string, unknown> } } };
      };
      expect(format.json_schema.strict).toBe(true);
      expect(format.json_schema.schema.properties.next.anyOf).toHaveLength(2);
      expect(format.json_schema.schema.properties.next.oneOf).toBeUndefined();
    });

    it('fails with a retryable malformed_output when the answer is not JSON', async () => {
      server.enqueue({ text: 'Sure! {"applies": tru' });

      const error = await failureOf(judge());

      expect(error).toMatchObject({
        code: 'model_failed',
        reason: 'malformed_output',
        retryable: true,
        details: { problem: 'invalid_json', schemaName: 'guideline_judgement' },
      });
    });

    it('fails with malformed_output carrying the zod issues when the JSON does not match', async () => {
      server.enqueue({ json: { applies: 'yes', score: 3, rationale: 'x' } });

      const error = await failureOf(judge());

      expect(error).toMatchObject({
        code: 'model_failed',
        reason: 'malformed_output',
        retryable: true,
      });
      expect(error.details?.issues).toEqual([
        expect.objectContaining({ path: 'applies' }),
        expect.objectContaining({ path: 'score' }),
      ]);
      // The details describe the answer, never the prompt.
      expect(JSON.stringify(error.details)).not.toContain('Judge the guideline');
    });

    it('fails with refused, not retryable, when the model refuses', async () => {
      server.enqueue({ refusal: 'I cannot help with that.' });

      const error = await failureOf(judge());

      expect(error).toMatchObject({ code: 'model_failed', reason: 'refused', retryable: false });
    });
  });

  describe('streamText', () => {
    it('streams text deltas that reassemble the reply, then one finish with the usage', async () => {
      server.enqueue({
        text: 'Your refund is on its way.',
        usage: { prompt_tokens: 30, completion_tokens: 6 },
      });

      const parts = await collect(
        model().streamText({ messages: [{ role: 'user', content: 'Where is my refund?' }] }),
      );

      const deltas = parts.filter((part) => part.type === 'text-delta');
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.map((part) => part.text).join('')).toBe('Your refund is on its way.');
      expect(parts.at(-1)).toEqual({
        type: 'finish',
        finishReason: 'stop',
        usage: { promptTokens: 30, completionTokens: 6 },
      });
      expect(requestBody()).toMatchObject({
        stream: true,
        stream_options: { include_usage: true },
      });
    });

    it('reassembles tool calls whose arguments arrive split across chunks', async () => {
      const orderArguments = { orderId: 'A-1042', includeItems: true, note: 'split me, please' };
      server.enqueue({
        text: 'Let me check.',
        toolCalls: [
          { name: 'lookup_order', arguments: orderArguments },
          { name: 'lookup_customer', arguments: { email: 'ada@example.com' } },
        ],
      });

      const parts = await collect(
        model().streamText({
          messages: [{ role: 'user', content: 'Order A-1042?' }],
          tools: [
            {
              name: 'lookup_order',
              description: 'Finds an order',
              parameters: { type: 'object', properties: { orderId: { type: 'string' } } },
            },
          ],
          toolChoice: 'auto',
        }),
      );

      const calls = parts.flatMap((part) => (part.type === 'tool-call' ? [part.call] : []));
      expect(calls).toHaveLength(2);
      expect(calls[0]?.name).toBe('lookup_order');
      expect(JSON.parse(calls[0]?.arguments ?? '')).toEqual(orderArguments);
      expect(calls[0]?.id).toMatch(/^call_/);
      expect(calls[1]?.name).toBe('lookup_customer');
      expect(JSON.parse(calls[1]?.arguments ?? '')).toEqual({ email: 'ada@example.com' });
      expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
      expect(parts.findIndex((part) => part.type === 'tool-call')).toBeGreaterThan(
        parts.findLastIndex((part) => part.type === 'text-delta'),
      );
      expect(requestBody()).toMatchObject({
        tools: [{ type: 'function', function: { name: 'lookup_order' } }],
        tool_choice: 'auto',
      });
    });

    it('sends assistant tool calls and tool results in OpenAI format', async () => {
      await collect(
        model().streamText({
          messages: [
            { role: 'user', content: 'Order A-1042?' },
            {
              role: 'assistant',
              content: '',
              toolCalls: [
                { id: 'call_7', name: 'lookup_order', arguments: '{"orderId":"A-1042"}' },
              ],
            },
            { role: 'tool', toolCallId: 'call_7', content: '{"status":"shipped"}' },
          ],
          temperature: 0.2,
          maxOutputTokens: 100,
        }),
      );

      expect(requestBody()).toMatchObject({
        temperature: 0.2,
        max_tokens: 100,
        messages: [
          { role: 'user', content: 'Order A-1042?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_7',
                type: 'function',
                function: { name: 'lookup_order', arguments: '{"orderId":"A-1042"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_7', content: '{"status":"shipped"}' },
        ],
      });
    });

    it('throws cancelled when aborted mid-stream', async () => {
      server.enqueue({ text: 'one two three four five six seven eight', chunkDelayMs: 30 });
      const controller = new AbortController();
      const parts: TextStreamPart[] = [];

      const error = await failureOf(
        (async () => {
          for await (const part of model().streamText({
            messages: [{ role: 'user', content: 'Count.' }],
            signal: controller.signal,
          })) {
            parts.push(part);
            if (part.type === 'text-delta') controller.abort();
          }
        })(),
      );

      expect(error.code).toBe('cancelled');
      expect(parts.filter((part) => part.type === 'finish')).toEqual([]);
    });

    it('throws a retryable timeout when the stream stalls', async () => {
      server.enqueue({ text: 'slow slow slow', chunkDelayMs: 400 });

      const error = await failureOf(
        collect(
          model({ timeoutMs: 100 }).streamText({ messages: [{ role: 'user', content: 'Hi' }] }),
        ),
      );

      expect(error).toMatchObject({ code: 'model_failed', reason: 'timeout', retryable: true });
    });

    it('does not count a slow consumer as a stalled stream', async () => {
      server.enqueue({ text: 'one two three' });
      const texts: string[] = [];

      for await (const part of model({ timeoutMs: 100 }).streamText({
        messages: [{ role: 'user', content: 'Count.' }],
      })) {
        if (part.type === 'text-delta') texts.push(part.text);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }

      expect(texts.join('')).toBe('one two three');
    });
  });

  describe('failures', () => {
    it('maps 429 with Retry-After to a retryable rate_limited with retryAfterSeconds', async () => {
      server.failNext({ status: 429, headers: { 'retry-after': '7' } });

      const error = await failureOf(judge());

      expect(error).toMatchObject({
        code: 'model_failed',
        reason: 'rate_limited',
        retryable: true,
        details: { status: 429, retryAfterSeconds: 7 },
      });
    });

    it('maps 500 to a retryable unavailable', async () => {
      server.failNext({ status: 500 });

      const error = await failureOf(judge());

      expect(error).toMatchObject({
        code: 'model_failed',
        reason: 'unavailable',
        retryable: true,
        details: { status: 500 },
      });
    });

    it('lets the client retry a 5xx first', async () => {
      server.failNext({ status: 503, headers: { 'retry-after-ms': '10' } });
      server.enqueue({ json: { applies: false, score: 0, rationale: 'No.' } });

      const { object } = await model({ maxRetries: 1 }).generateObject({
        schemaName: 'guideline_judgement',
        schema: verdictSchema,
        messages: [{ role: 'user', content: 'Does it apply?' }],
      });

      expect(object.applies).toBe(false);
      expect(server.requests).toHaveLength(2);
    });

    it('maps a dropped connection to a retryable unavailable', async () => {
      server.failNext({ dropConnection: true });

      const error = await failureOf(judge());

      expect(error).toMatchObject({ code: 'model_failed', reason: 'unavailable', retryable: true });
    });

    it('maps 400 to invalid_request, not retryable', async () => {
      server.failNext({
        status: 400,
        body: {
          error: {
            message: 'Too long',
            type: 'invalid_request_error',
            code: 'context_length_exceeded',
          },
        },
      });

      const error = await failureOf(judge());

      expect(error).toMatchObject({
        reason: 'invalid_request',
        retryable: false,
        details: { status: 400, providerCode: 'context_length_exceeded' },
      });
    });

    it('maps a response slower than timeoutMs to a retryable timeout', async () => {
      server.failNext({ delayMs: 500 });

      const error = await failureOf(
        model({ timeoutMs: 100 }).generateObject({
          schemaName: 'guideline_judgement',
          schema: verdictSchema,
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      );

      expect(error).toMatchObject({ code: 'model_failed', reason: 'timeout', retryable: true });
    });

    it('rejects with cancelled when aborted while waiting, and at once when aborted before', async () => {
      server.failNext({ delayMs: 300 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);

      expect((await failureOf(judge(controller.signal))).code).toBe('cancelled');
      expect((await failureOf(judge(controller.signal))).code).toBe('cancelled');
    });

    it('sends the key in the Authorization header, and never puts it in an error', async () => {
      server.enqueue({ json: { applies: true, score: 1, rationale: 'ok' } });
      await judge();
      expect(server.requests[0]?.headers.authorization).toBe('Bearer [redacted]');

      // A wrong key makes the fake answer 401 with the key echoed in its message.
      const wrongKey = 'sk-wrong-9876543210fedcba';
      const error = await failureOf(
        model({ apiKey: wrongKey }).generateObject({
          schemaName: 'guideline_judgement',
          schema: verdictSchema,
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      );

      expect(error).toMatchObject({
        code: 'model_failed',
        reason: 'unauthorized',
        retryable: false,
      });
      const everything = [error.message, JSON.stringify(error.toJSON()), String(error.cause)];
      for (const text of everything) {
        expect(text).not.toContain(wrongKey);
        expect(text).not.toContain(apiKey);
      }
      expect(error.message).toContain('[redacted]');
    });
  });
});
