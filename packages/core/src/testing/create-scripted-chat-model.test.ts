import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ParleyError } from '../errors/parley-error';
import type { ChatMessage, TextStreamPart } from '../ports/chat-model';
import { createScriptedChatModel } from './create-scripted-chat-model';

const messages: ChatMessage[] = [{ role: 'user', content: 'I want a refund for order A-1042.' }];
const judgementSchema = z.object({ guidelineId: z.string(), applies: z.boolean() });

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

function judge(model: ReturnType<typeof createScriptedChatModel>, guidelineId: string) {
  return model.generateObject({
    schemaName: 'guideline_judgement',
    schema: judgementSchema,
    purpose: 'guideline_matching',
    messages: [{ role: 'user', content: `Does ${guidelineId} apply?` }],
  });
}

describe('createScriptedChatModel', () => {
  it('answers generateObject with queued objects, in order, and records each call', async () => {
    const model = createScriptedChatModel();
    model.enqueueObject(
      { guidelineId: 'g1', applies: true },
      { usage: { promptTokens: 5, completionTokens: 2 } },
    );
    model.enqueueObject({ guidelineId: 'g2', applies: false });

    const first = await judge(model, 'g1');
    const second = await judge(model, 'g2');

    expect(first).toEqual({
      object: { guidelineId: 'g1', applies: true },
      usage: { promptTokens: 5, completionTokens: 2 },
    });
    expect(second.object).toEqual({ guidelineId: 'g2', applies: false });
    expect(model.pendingReplies).toBe(0);
    expect(model.calls).toHaveLength(2);
    expect(model.calls[0]).toMatchObject({
      kind: 'object',
      purpose: 'guideline_matching',
      schemaName: 'guideline_judgement',
      messages: [{ role: 'user', content: 'Does g1 apply?' }],
      usage: { promptTokens: 5, completionTokens: 2 },
      error: undefined,
    });
  });

  it('estimates tokens at about 4 characters each when no usage is scripted', async () => {
    const model = createScriptedChatModel();
    model.enqueueObject({ guidelineId: 'g1', applies: true });

    const { usage } = await model.generateObject({
      schemaName: 's',
      schema: judgementSchema,
      messages,
    });

    const promptTokens = Math.ceil(JSON.stringify(messages).length / 4);
    expect(model.calls[0]?.estimatedPromptTokens).toBe(promptTokens);
    expect(usage).toEqual({
      promptTokens,
      completionTokens: Math.ceil('{"guidelineId":"g1","applies":true}'.length / 4),
    });
  });

  it('computes answers with handlers keyed by schema name, whatever order parallel calls take', async () => {
    const model = createScriptedChatModel();
    model.onObject('guideline_judgement', (request) => {
      const content = request.messages[0]?.content ?? '';
      const guidelineId = /Does (\w+) apply/.exec(content)?.[1] ?? '?';
      return { guidelineId, applies: guidelineId === 'g2' };
    });

    const results = await Promise.all(['g1', 'g2', 'g3'].map((id) => judge(model, id)));

    expect(results.map((result) => result.object)).toEqual([
      { guidelineId: 'g1', applies: false },
      { guidelineId: 'g2', applies: true },
      { guidelineId: 'g3', applies: false },
    ]);
  });

  it('prefers a reply queued for the purpose over unkeyed replies and handlers', async () => {
    const model = createScriptedChatModel({
      objects: { guideline_judgement: () => ({ guidelineId: 'handler', applies: false }) },
    });
    model.enqueueObject({ stateId: 'unkeyed' });
    model.enqueueObject({ guidelineId: 'keyed', applies: true }, { for: 'guideline_matching' });

    expect((await judge(model, 'g1')).object.guidelineId).toBe('keyed');
    expect((await judge(model, 'g1')).object.guidelineId).toBe('handler');
    // The unkeyed reply is still waiting for a call nobody scripted specifically.
    const { object } = await model.generateObject({
      schemaName: 'journey_step',
      schema: z.object({ stateId: z.string() }),
      messages,
    });
    expect(object).toEqual({ stateId: 'unkeyed' });
  });

  it('fails with malformed_output when a scripted object does not match the schema', async () => {
    const model = createScriptedChatModel();
    model.enqueueObject({ guidelineId: 42 });

    const error = await failureOf(judge(model, 'g1'));

    expect(error).toMatchObject({
      code: 'model_failed',
      reason: 'malformed_output',
      retryable: true,
    });
    expect(error.details?.issues).toEqual([
      expect.objectContaining({ path: 'guidelineId' }),
      expect.objectContaining({ path: 'applies' }),
    ]);
    expect(model.calls[0]?.error).toBe(error);
    expect(model.calls[0]?.usage).toBeUndefined();
  });

  it('fails loudly, naming the schema and purpose, when nothing is scripted', async () => {
    const model = createScriptedChatModel();

    const error = await failureOf(judge(model, 'g1'));

    expect(error).toMatchObject({ code: 'internal', reason: 'unscripted_call' });
    expect(error.message).toContain('schemaName "guideline_judgement"');
    expect(error.message).toContain('purpose "guideline_matching"');
    expect(error.message).toContain("onObject('guideline_judgement'");

    const textError = await failureOf(collect(model.streamText({ messages, purpose: 'reply' })));
    expect(textError.message).toContain('streamText');
    expect(textError.message).toContain('purpose "reply"');
  });

  it('rejects with a queued failure, and wraps plain errors as model_failed', async () => {
    const model = createScriptedChatModel();
    model.enqueueFailure(
      new ParleyError('model_failed', 'slow down', { reason: 'rate_limited', retryable: true }),
      { kind: 'object' },
    );
    model.enqueueFailure(new Error('boom'));

    expect(await failureOf(judge(model, 'g1'))).toMatchObject({ reason: 'rate_limited' });
    const wrapped = await failureOf(collect(model.streamText({ messages })));
    expect(wrapped).toMatchObject({ code: 'model_failed', message: 'boom' });
  });

  it('streams text word by word, then finish with estimated usage', async () => {
    const model = createScriptedChatModel();
    model.enqueueText('Your refund is on its way.');

    const parts = await collect(model.streamText({ messages, purpose: 'reply' }));

    expect(parts.slice(0, -1)).toEqual(
      ['Your ', 'refund ', 'is ', 'on ', 'its ', 'way.'].map((text) => ({
        type: 'text-delta',
        text,
      })),
    );
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      usage: {
        promptTokens: Math.ceil(JSON.stringify(messages).length / 4),
        completionTokens: Math.ceil(('Your refund is on its way.' + '[]').length / 4),
      },
    });
    expect(model.calls[0]).toMatchObject({ kind: 'text', purpose: 'reply', schemaName: undefined });
  });

  it('streams in chunks of chunkSize characters when asked', async () => {
    const model = createScriptedChatModel({ chunkSize: 4 });
    model.enqueueText('abcdefghij');

    const parts = await collect(model.streamText({ messages }));

    expect(parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : []))).toEqual([
      'abcd',
      'efgh',
      'ij',
    ]);
  });

  it('streams queued tool calls after their text, with ids, and finishes with tool_calls', async () => {
    const model = createScriptedChatModel();
    model.enqueueToolCalls([{ name: 'lookup_order', arguments: { orderId: 'A-1042' } }], {
      text: 'Checking.',
    });

    const parts = await collect(
      model.streamText({
        messages,
        tools: [{ name: 'lookup_order', description: 'Finds an order', parameters: {} }],
      }),
    );

    expect(parts).toEqual([
      { type: 'text-delta', text: 'Checking.' },
      {
        type: 'tool-call',
        call: { id: 'call_1', name: 'lookup_order', arguments: '{"orderId":"A-1042"}' },
      },
      expect.objectContaining({ type: 'finish', finishReason: 'tool_calls' }),
    ]);
    expect(model.calls[0]?.toolNames).toEqual(['lookup_order']);
  });

  it('answers streamText with handlers keyed by purpose', async () => {
    const model = createScriptedChatModel({ texts: { reply: () => 'From the handler.' } });
    model.onText('summary', (request) => ({
      text: `Summary of ${request.messages.length} message(s).`,
      usage: { promptTokens: 1, completionTokens: 1 },
    }));

    const reply = await collect(model.streamText({ messages, purpose: 'reply' }));
    const summary = await collect(model.streamText({ messages, purpose: 'summary' }));

    const textOf = (parts: TextStreamPart[]) =>
      parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : [])).join('');
    expect(textOf(reply)).toBe('From the handler.');
    expect(textOf(summary)).toBe('Summary of 1 message(s).');
    expect(summary.at(-1)).toMatchObject({ usage: { promptTokens: 1, completionTokens: 1 } });
  });

  it('throws cancelled mid-stream when aborted, and rejects at once when aborted before', async () => {
    const model = createScriptedChatModel();
    model.enqueueText('one two three four');
    const controller = new AbortController();
    const seen: TextStreamPart[] = [];

    const error = await failureOf(
      (async () => {
        for await (const part of model.streamText({ messages, signal: controller.signal })) {
          seen.push(part);
          controller.abort();
        }
      })(),
    );

    expect(error.code).toBe('cancelled');
    expect(seen).toEqual([{ type: 'text-delta', text: 'one ' }]);
    expect(model.calls[0]?.error?.code).toBe('cancelled');

    model.enqueueObject({ guidelineId: 'g1', applies: true });
    const objectError = await failureOf(
      model.generateObject({
        schemaName: 's',
        schema: judgementSchema,
        messages,
        signal: controller.signal,
      }),
    );
    expect(objectError.code).toBe('cancelled');
  });

  it('waits delayMs before replying, and an abort during the wait rejects with cancelled', async () => {
    const model = createScriptedChatModel({ delayMs: 40 });
    model.enqueueObject({ guidelineId: 'g1', applies: true });
    model.enqueueObject({ guidelineId: 'g2', applies: true });

    const started = Date.now();
    await judge(model, 'g1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5);
    const error = await failureOf(
      model.generateObject({
        schemaName: 's',
        schema: judgementSchema,
        messages,
        signal: controller.signal,
      }),
    );
    expect(error.code).toBe('cancelled');
  });

  it('returns the schema output, defaults and transforms applied', async () => {
    const model = createScriptedChatModel();
    model.enqueueObject({ name: 'ada' });

    const { object } = await model.generateObject({
      schemaName: 'person',
      schema: z.object({
        name: z.string().transform((name) => name.toUpperCase()),
        age: z.number().default(0),
      }),
      messages,
    });

    expect(object).toEqual({ name: 'ADA', age: 0 });
  });
});
