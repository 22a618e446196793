import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOpenAIChatModel } from '../../openai/create-openai-chat-model';
import { startFakeOpenAIServer } from '../start-fake-openai-server';
import { type Cassette, createCassetteFetch, type FetchFunction } from './create-cassette-fetch';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'parley-cassette-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

/** A server in a function: answers with the body it got, echoing the key as careless proxies do. */
function echoServer() {
  const received: Request[] = [];
  const fetch: FetchFunction = async (input, init) => {
    const request = new Request(input, init);
    received.push(request.clone());
    const body = await request.text();
    return new Response(
      JSON.stringify({ got: body, key: request.headers.get('authorization'), n: received.length }),
      { status: 201, headers: { 'content-type': 'application/json', 'x-secret-header': 'no' } },
    );
  };
  return { fetch, received };
}

const refusingFetch: FetchFunction = async (input) => {
  throw new Error(`no network in replay: ${String(input)}`);
};

function post(url: string, body: string, key = 'sk-test-key-123456') {
  return {
    url,
    init: {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    },
  };
}

async function readCassette(file: string): Promise<Cassette> {
  return JSON.parse(await readFile(file, 'utf8')) as Cassette;
}

describe('createCassetteFetch', () => {
  it('records exchanges without the key, then replays them offline, matching JSON bodies whatever their key order', async () => {
    const file = path.join(directory, 'nested', 'record.json');
    const server = echoServer();
    const recorder = createCassetteFetch({ path: file, mode: 'record', fetch: server.fetch });
    const first = post(
      'https://api.example.com/v1/things?api-key=sk-test-key-123456&x=1',
      '{"b":1,"a":[{"d":2,"c":3}]}',
    );
    const response = await recorder(first.url, first.init);
    expect(response.status).toBe(201);
    const live = await response.json();
    // The live caller gets the real body, key included (it is theirs).
    expect(live.key).toBe('Bearer sk-test-key-123456');

    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('sk-test-key-123456');
    expect(text.toLowerCase()).not.toContain('authorization');
    expect(text).not.toContain('x-secret-header');
    const cassette = await readCassette(file);
    expect(cassette.version).toBe(1);
    expect(cassette.exchanges).toHaveLength(1);
    expect(cassette.exchanges[0]?.request).toEqual({
      method: 'POST',
      path: '/v1/things?x=1',
      body: { b: 1, a: [{ d: 2, c: 3 }] },
    });
    expect(cassette.exchanges[0]?.response.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(cassette.exchanges[0]?.response.body ?? '')).toMatchObject({
      key: 'Bearer [redacted]',
    });

    // Replay: another host, another key, the keys in another order; nothing goes out.
    const player = createCassetteFetch({ path: file, mode: 'replay', fetch: refusingFetch });
    const again = post('http://127.0.0.1:9/v1/things?x=1', '{"a":[{"c":3,"d":2}],"b":1}', 'other');
    const replayed = await player(again.url, again.init);
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('content-type')).toBe('application/json');
    expect(await replayed.json()).toEqual({ ...live, key: 'Bearer [redacted]' });
    expect(player.misses).toEqual([]);
  });

  it('answers a request with no recording with a 404 that names it, and lists the miss', async () => {
    const file = path.join(directory, 'miss.json');
    const server = echoServer();
    const recorder = createCassetteFetch({ path: file, mode: 'record', fetch: server.fetch });
    const recorded = post(
      'https://api.example.com/v1/chat/completions',
      '{"model":"m","messages":[]}',
    );
    await recorder(recorded.url, recorded.init);

    const player = createCassetteFetch({ path: file, mode: 'replay', fetch: refusingFetch });
    const other = post(
      'https://api.example.com/v1/chat/completions',
      JSON.stringify({
        model: 'gpt-test',
        response_format: { type: 'json_schema', json_schema: { name: 'evaluation_judgement' } },
        messages: [{ role: 'user', content: 'Is the reply polite?' }],
      }),
    );
    const response = await player(other.url, other.init);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-parley-cassette')).toBe('miss');
    const { error } = await response.json();
    expect(error.code).toBe('cassette_miss');
    expect(error.message).toMatch(
      /^Cassette .*miss\.json has no recording of POST \/v1\/chat\/completions \(model "gpt-test", schema "evaluation_judgement", last message "Is the reply polite\?"\) \(body sha256:[0-9a-f]{12}; 1 recording\(s\) of POST \/v1\/chat\/completions, none with this body\): record it again/,
    );
    expect(player.misses).toEqual([
      'POST /v1/chat/completions (model "gpt-test", schema "evaluation_judgement", last message "Is the reply polite?")',
    ]);
  });

  it('replays identical requests in the order recorded, then the last one again', async () => {
    const file = path.join(directory, 'order.json');
    const server = echoServer();
    const recorder = createCassetteFetch({ path: file, mode: 'record', fetch: server.fetch });
    const same = post('https://api.example.com/v1/x', '{"q":1}');
    for (let count = 0; count < 2; count += 1) await recorder(same.url, same.init);

    const player = createCassetteFetch({ path: file, mode: 'replay', fetch: refusingFetch });
    const numbers: number[] = [];
    for (let count = 0; count < 3; count += 1) {
      numbers.push((await (await player(same.url, same.init)).json()).n);
    }
    expect(numbers).toEqual([1, 2, 2]);
  });

  it('in auto mode replays what is recorded and records what is not', async () => {
    const file = path.join(directory, 'auto.json');
    const server = echoServer();
    const auto = createCassetteFetch({ path: file, mode: 'auto', fetch: server.fetch });
    const one = post('https://api.example.com/v1/x', '{"q":1}');
    const two = post('https://api.example.com/v1/x', '{"q":2}');
    await auto(one.url, one.init);
    const later = createCassetteFetch({ path: file, mode: 'auto', fetch: server.fetch });
    await later(one.url, one.init);
    await later(two.url, two.init);
    expect(server.received).toHaveLength(2);
    expect((await readCassette(file)).exchanges.map((exchange) => exchange.request.body)).toEqual([
      { q: 1 },
      { q: 2 },
    ]);
  });

  it('replays a server-sent event stream as a stream, one event per chunk', async () => {
    const file = path.join(directory, 'stream.json');
    const events = 'data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n';
    const streaming: FetchFunction = async () =>
      new Response(events, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
    const request = post('https://api.example.com/v1/stream', '{"stream":true}');
    await createCassetteFetch({ path: file, mode: 'record', fetch: streaming })(
      request.url,
      request.init,
    );
    const player = createCassetteFetch({ path: file, mode: 'replay', fetch: refusingFetch });
    const response = await player(request.url, request.init);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const chunks: string[] = [];
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks.push(new TextDecoder().decode(read.value));
    }
    expect(chunks).toEqual(['data: {"n":1}\n\n', 'data: {"n":2}\n\n', 'data: [DONE]\n\n']);
  });

  it('refuses to replay a cassette that does not exist or is not one', async () => {
    expect(() =>
      createCassetteFetch({ path: path.join(directory, 'absent.json'), mode: 'replay' }),
    ).toThrow(
      expect.objectContaining({
        code: 'not_found',
        message: expect.stringMatching(/absent\.json does not exist/),
      }),
    );
    const broken = path.join(directory, 'broken.json');
    await writeFile(broken, JSON.stringify({ version: 2, exchanges: [] }));
    expect(() => createCassetteFetch({ path: broken, mode: 'replay' })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });

  it('records the OpenAI adapter over HTTP, structured and streamed, and replays it with the server gone', async () => {
    const server = await startFakeOpenAIServer({ apiKey: 'sk-fake-cassette-key' });
    const file = path.join(directory, 'openai.json');
    const schema = z.object({ answer: z.string() });
    const useModel = async (fetch: FetchFunction, baseURL: string) => {
      const model = createOpenAIChatModel({
        model: 'gpt-fake',
        baseURL,
        apiKey: 'sk-fake-cassette-key',
        maxRetries: 0,
        fetch,
      });
      const { object } = await model.generateObject({
        schemaName: 'answer',
        schema,
        messages: [{ role: 'user', content: 'Answer, please' }],
      });
      const deltas: string[] = [];
      for await (const part of model.streamText({
        messages: [{ role: 'user', content: 'Stream, please' }],
      })) {
        if (part.type === 'text-delta') deltas.push(part.text);
      }
      return { object, deltas };
    };
    server.enqueue({ json: { answer: 'forty-two' } });
    server.enqueue({ text: 'one two three' });
    const recorder = createCassetteFetch({ path: file, mode: 'record' });
    const live = await useModel(recorder, server.baseURL);
    const { baseURL } = server;
    await server.close();

    expect(live).toEqual({ object: { answer: 'forty-two' }, deltas: ['one ', 'two ', 'three'] });
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('sk-fake-cassette-key');
    const cassette = JSON.parse(text) as Cassette;
    expect(cassette.exchanges.map((exchange) => exchange.response.headers['content-type'])).toEqual(
      ['application/json', 'text/event-stream'],
    );
    expect(cassette.exchanges[1]?.response.body).toContain('data: [DONE]');

    // The server is closed: every answer comes from the file, the stream still in pieces.
    const player = createCassetteFetch({ path: file, mode: 'replay' });
    expect(await useModel(player, baseURL)).toEqual(live);
  });
});
