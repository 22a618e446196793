import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeOpenAIControlServer,
  purposeOfRequest,
  startFakeOpenAIControlServer,
} from './start-fake-openai-control-server';
import { type FakeOpenAIServer, startFakeOpenAIServer } from './start-fake-openai-server';

let fake: FakeOpenAIServer;
let control: FakeOpenAIControlServer;

beforeAll(async () => {
  fake = await startFakeOpenAIServer({ embeddingDimensions: 4 });
  control = await startFakeOpenAIControlServer(fake);
});
afterAll(async () => {
  await control.close();
  await fake.close();
});

function chat(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${fake.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer any' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
}

const judgementFormat = {
  type: 'json_schema',
  json_schema: { name: 'guideline_judgement', schema: { type: 'object' } },
};

describe('startFakeOpenAIControlServer', () => {
  it('queues the fake replies and failures posted to it, and lists what the fake received by purpose', async () => {
    const enqueued = await fetch(`${control.url}/enqueue`, {
      method: 'POST',
      body: JSON.stringify({ json: { guidelines: [] } }),
    });
    expect(enqueued.status).toBe(204);
    await fetch(`${control.url}/fail-next`, {
      method: 'POST',
      body: JSON.stringify({ status: 503, body: { error: { message: 'overloaded' } } }),
    });

    expect((await chat({ response_format: judgementFormat })).status).toBe(503);
    const answered = (await (await chat({ response_format: judgementFormat })).json()) as {
      choices: { message: { content: string } }[];
    };
    expect(JSON.parse(answered.choices[0]!.message.content)).toEqual({ guidelines: [] });
    await chat({});

    const listed = (await (await fetch(`${control.url}/requests`)).json()) as {
      count: number;
      purposes: string[];
      requests: { path: string; purpose: string; body: { response_format?: unknown } }[];
    };
    expect(listed.count).toBe(3);
    expect(listed.purposes).toEqual(['guideline_judgement', 'guideline_judgement', 'text']);
    expect(listed.requests[1]).toMatchObject({
      path: '/v1/chat/completions',
      purpose: 'guideline_judgement',
      body: { response_format: judgementFormat },
    });
  });

  it('answers 404 for a route it does not have and 400 for a body that is not JSON', async () => {
    const unknown = await fetch(`${control.url}/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'No control route GET /nothing' });
    const broken = await fetch(`${control.url}/enqueue`, { method: 'POST', body: '{' });
    expect(broken.status).toBe(400);
  });
});

describe('purposeOfRequest', () => {
  it('names a structured output by its schema, a plain chat completion `text`, anything else by its path', () => {
    expect(purposeOfRequest('/v1/chat/completions', { response_format: judgementFormat })).toBe(
      'guideline_judgement',
    );
    expect(purposeOfRequest('/v1/chat/completions', { messages: [] })).toBe('text');
    expect(purposeOfRequest('/v1/embeddings', { input: ['x'] })).toBe('/v1/embeddings');
  });
});
