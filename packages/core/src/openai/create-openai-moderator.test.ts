import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../errors/parley-error';
import { describeModeratorContract } from '../testing/moderator-contract-suite';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../testing/start-fake-openai-server';
import { createOpenAIModerator, type OpenAIModeratorOptions } from './create-openai-moderator';

const apiKey = 'sk-test-moderation-0123456789';
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function moderator(options: Partial<OpenAIModeratorOptions> = {}) {
  return createOpenAIModerator({ apiKey, baseURL: server.baseURL, maxRetries: 0, ...options });
}

describeModeratorContract('OpenAI, through the fake server', {
  create: () => moderator(),
  benignText: 'Where is my parcel?',
  flaggedText: 'I will hurt you',
  arrangeFlagged: () => server.enqueueModeration({ flagged: true, categories: ['violence'] }),
});

describe('createOpenAIModerator', () => {
  it('sends the text to /v1/moderations and reports the categories marked true', async () => {
    server.enqueueModeration({ flagged: true, categories: ['harassment', 'violence'] });
    const verdict = await moderator().moderate({ text: 'You idiot, I will find you' });

    expect(verdict).toEqual({
      flagged: true,
      categories: ['harassment', 'violence'],
      censoredText: 'You idiot, I will find you',
    });
    expect(server.requests.map((request) => [request.method, request.path, request.body])).toEqual([
      [
        'POST',
        '/v1/moderations',
        { model: 'omni-moderation-latest', input: 'You idiot, I will find you' },
      ],
    ]);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer [redacted]');
  });

  it('flags only the configured categories when `flagCategories` is set', async () => {
    server.enqueueModeration({ flagged: true, categories: ['self-harm'] });
    const verdict = await moderator({
      model: 'text-moderation-stable',
      flagCategories: ['violence', 'harassment/threatening'],
    }).moderate({ text: 'I feel awful' });
    expect(verdict).toMatchObject({ flagged: false, categories: ['self-harm'] });
    expect(server.requests[0]?.body).toMatchObject({ model: 'text-moderation-stable' });
  });

  it('names itself after the endpoint and the model', () => {
    expect(moderator().id).toBe(`${new URL(server.baseURL).host}:omni-moderation-latest`);
    expect(createOpenAIModerator({ apiKey }).id).toBe('openai:omni-moderation-latest');
  });

  it('rejects a server failure with a model_failed ParleyError that hides the key', async () => {
    server.failNext({ status: 503, body: { error: { message: `overloaded ${apiKey}` } } });
    const failure = await moderator()
      .moderate({ text: 'hello' })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(ParleyError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'model_failed', reason: 'unavailable', retryable: true });
    expect((failure as ParleyError).message).not.toContain(apiKey);
  });
});
