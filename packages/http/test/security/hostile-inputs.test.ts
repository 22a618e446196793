import { createPostgresStore, type PostgresStore } from '@parley/core/postgres';
import {
  createPostgresTestSchema,
  type PostgresTestSchema,
  testDatabaseUrl,
} from '@parley/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { operatorToken } from '../handler-kit';
import {
  createSecurityWorld,
  expectRefusal,
  placeholderIds,
  type RouteIds,
  routeKey,
  routeTable,
  type SecurityWorld,
} from './security-fixtures';

/**
 * Bodies and query strings built to break things, on every route that reads a body: nesting
 * that exhausts a stack, bodies over the cap (however they announce their length), other
 * content types, broken JSON, strings past their field's limit, text PostgreSQL cannot store,
 * prototype-polluting keys, numbers that are not numbers. Each is refused with the status
 * its kind of fault has, and leaves the database as it was; text that only looks dangerous
 * is stored exactly.
 */

const maxBodyBytes = 64 * 1024;

/** A request with a body that reaches the handler: whose token, which headers, what body. */
interface BodyTarget {
  name: string;
  method: string;
  path: string;
  token?: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** A string field of the body with a length limit. */
  textField: string;
}

/**
 * Every route that reads a JSON body, as A's admin calls it, plus the customer's, the
 * widget's and a secret key's.
 */
function bodyTargets(world: Pick<SecurityWorld, 'a'> | null): BodyTarget[] {
  const a = world?.a ?? placeholderIds;
  const ids: RouteIds = world ? { ...world.a, ...world.a.operatorSession } : placeholderIds;
  const customer = world ? world.a.widgetSession : placeholderIds;
  const operatorTargets = routeTable(ids)
    .filter((route) => route.body !== undefined && route.textField !== undefined)
    .map((route) => ({
      name: `${routeKey(route)} (operator)`,
      method: route.method,
      path: route.path,
      token: a.tokens?.admin,
      headers: {},
      body: route.body as Record<string, unknown>,
      textField: route.textField as string,
    }));
  const origin = { origin: a.allowedOrigin };
  return [
    ...operatorTargets,
    {
      name: 'POST /v1/sessions (widget, no token)',
      method: 'POST',
      path: '/v1/sessions',
      headers: origin,
      body: { agentKey: a.agentKey, customerName: 'Visitor' },
      textField: 'customerName',
    },
    {
      name: 'POST /v1/sessions/:sessionId/events (customer message)',
      method: 'POST',
      path: `/v1/sessions/${customer.sessionId}/events`,
      token: a.customerToken,
      headers: origin,
      body: { text: 'hello', clientMessageId: 'hostile-1' },
      textField: 'text',
    },
    {
      name: 'POST /v1/sessions (secret key)',
      method: 'POST',
      path: '/v1/sessions',
      token: a.apiKey,
      headers: {},
      body: { customer: { externalId: 'hostile-backend', name: 'Visitor' }, title: 'Hostile' },
      textField: 'title',
    },
    {
      name: 'POST /v1/sessions/:sessionId/events (secret key)',
      method: 'POST',
      path: `/v1/sessions/${customer.sessionId}/events`,
      token: a.apiKey,
      headers: {},
      body: { text: 'hello', clientMessageId: 'hostile-backend-1' },
      textField: 'text',
    },
    {
      name: 'POST /v1/sessions/:sessionId/events/:eventId/feedback (customer)',
      method: 'POST',
      path: `/v1/sessions/${customer.sessionId}/events/${customer.eventId}/feedback`,
      token: a.customerToken,
      headers: origin,
      body: { rating: 'down', comment: 'meh' },
      textField: 'comment',
    },
  ];
}

const targetNames = bodyTargets(null).map((target) => target.name);

/** Sends `body` as it is (a string or a stream) to a target, with its token and headers. */
function sendRaw(
  world: SecurityWorld,
  target: BodyTarget,
  body: BodyInit | null,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<Response> {
  const allHeaders = new Headers({ ...target.headers, ...headers });
  if (target.token) allHeaders.set('authorization', `Bearer ${target.token}`);
  return world.kit.handler(
    new Request(`http://localhost/api/parley${target.path}`, {
      method: target.method,
      headers: allHeaders,
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit),
  );
}

/** A stream that sends `total` bytes in chunks, announcing no length. */
function chunkedBody(total: number, chunk = 8 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  const prefix = new TextEncoder().encode('{"padding":"');
  return new ReadableStream({
    pull(controller) {
      if (sent === 0) {
        controller.enqueue(prefix);
        sent += prefix.byteLength;
        return;
      }
      if (sent >= total) {
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
        return;
      }
      controller.enqueue(new Uint8Array(chunk).fill(0x61));
      sent += chunk;
    },
  });
}

/** Text that looks dangerous or exotic and must be stored exactly as sent. */
const exoticTexts = [
  "'; drop table parley_event; --",
  "Robert\"); DELETE FROM parley_agent WHERE ('1'='1",
  '👩🏽‍💻 🚀 👨‍👩‍👧‍👦 ✅',
  'مرحبا بالعالم — שלום עולם',
  'e\u0301 a\u0308 Z\u0324\u0354\u0367\u0311\u0313',
  '$1 $$ %s %n \\u0000 \\x00 $(process) {{name}} <script>alert(1)</script>',
];

/**
 * The whole suite on one database. `open` builds the world; PostgreSQL and PGlite must agree
 * on every answer (both reject NUL in text, and neither may turn it into a 500).
 */
function describeHostileInputs(
  open: () => Promise<{ world: SecurityWorld; close(): Promise<void> }>,
) {
  let world: SecurityWorld;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ world, close } = await open());
  });
  afterAll(async () => {
    await close?.();
  });

  const target = (name: string) =>
    bodyTargets(world).find((candidate) => candidate.name === name) as BodyTarget;

  /** Runs `act` and checks that no Parley table changed. */
  async function expectNoChange(act: () => Promise<void>): Promise<void> {
    const before = await world.snapshot();
    await act();
    expect(await world.snapshot()).toEqual(before);
  }

  /** Checks a 400 that names the field at fault. */
  async function expectFieldRefused(response: Response, field: string, context: string) {
    const { body } = await expectRefusal(response, 400, context);
    expect(body.error.code).toBe('validation_failed');
    const paths = ((body.error.details as { issues?: Array<{ path: string }> })?.issues ?? []).map(
      (issue) => issue.path,
    );
    expect(paths, `${context}: ${body.error.message}`).toContain(field);
  }

  describe.each(targetNames)('%s', (name) => {
    it('refuses JSON nested 10,000 deep (400), arrays and objects', async () => {
      const own = target(name);
      const depth = 10_000;
      const bodies = [
        `${'['.repeat(depth)}${']'.repeat(depth)}`,
        `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
        // Deep inside an otherwise valid body, where a recursive walk would start.
        JSON.stringify({ ...own.body, metadata: 0 }).replace(
          '"metadata":0',
          `"metadata":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
        ),
      ];
      await expectNoChange(async () => {
        for (const body of bodies) {
          expect(new TextEncoder().encode(body).byteLength).toBeLessThan(maxBodyBytes);
          const { body: refusal } = await expectRefusal(
            await sendRaw(world, own, body),
            400,
            `${name} nested`,
          );
          expect(refusal.error.code).toBe('validation_failed');
        }
      });
    });

    it('refuses a body over the cap (413): announced, under a lying length, and chunked', async () => {
      const own = target(name);
      const oversized = JSON.stringify({ ...own.body, padding: 'a'.repeat(maxBodyBytes) });
      await expectNoChange(async () => {
        for (const [how, response] of [
          ['with its length', await sendRaw(world, own, oversized)],
          [
            'under a Content-Length of 20',
            await sendRaw(world, own, oversized, {
              'content-type': 'application/json',
              'content-length': '20',
            }),
          ],
          ['chunked, with no length', await sendRaw(world, own, chunkedBody(4 * maxBodyBytes))],
        ] as const) {
          const { body } = await expectRefusal(response, 413, `${name} ${how}`);
          expect(body.error.code).toBe('payload_too_large');
        }
      });
    });

    it('refuses bodies that are not JSON by their content type (415)', async () => {
      const own = target(name);
      const json = JSON.stringify(own.body);
      await expectNoChange(async () => {
        for (const contentType of [
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/jsonp',
          'application/xml',
        ]) {
          const { body } = await expectRefusal(
            await sendRaw(world, own, json, { 'content-type': contentType }),
            415,
            `${name} as ${contentType}`,
          );
          expect(body.error.code).toBe('unsupported_media_type');
        }
        // No content type at all: a JSON-looking body must still say what it is.
        const untyped = await world.kit.handler(
          new Request(`http://localhost/api/parley${own.path}`, {
            method: own.method,
            headers: {
              ...own.headers,
              ...(own.token ? { authorization: `Bearer ${own.token}` } : {}),
            },
            body: new Blob([json]),
          }),
        );
        await expectRefusal(untyped, 415, `${name} without a content type`);
      });
    });

    it('refuses malformed JSON (400)', async () => {
      const own = target(name);
      await expectNoChange(async () => {
        for (const malformed of [
          '{"name": ',
          "{'name': 'single quotes'}",
          '{"name": "trailing comma",}',
          '{"a":1}{"b":2}',
          'undefined',
          '{"name": NaN}',
          '\u0000',
        ]) {
          const { body } = await expectRefusal(
            await sendRaw(world, own, malformed),
            400,
            `${name} with ${JSON.stringify(malformed)}`,
          );
          expect(body.error.code).toBe('validation_failed');
        }
      });
    });

    it('refuses a string over its field limit, though the body is inside the cap (400)', async () => {
      const own = target(name);
      const huge = 'x'.repeat(20_000);
      await expectNoChange(async () => {
        await expectFieldRefused(
          await sendRaw(world, own, JSON.stringify({ ...own.body, [own.textField]: huge })),
          own.textField,
          `${name} with a ${huge.length}-character ${own.textField}`,
        );
      });
    });

    it('refuses NUL characters and lone surrogates (400, never a 500)', async () => {
      const own = target(name);
      const unstorable = {
        'a NUL character': 'before\u0000after',
        'a lone high surrogate': 'broken \ud83d here',
        'a lone low surrogate': 'broken \ude00 here',
        'a reversed pair': 'broken \ude00\ud83d here',
      };
      await expectNoChange(async () => {
        for (const [what, text] of Object.entries(unstorable)) {
          // JSON.stringify escapes both, as a client's JSON encoder would.
          const body = JSON.stringify({ ...own.body, [own.textField]: text });
          await expectFieldRefused(
            await sendRaw(world, own, body),
            own.textField,
            `${name} with ${what}`,
          );
        }
        // In a key rather than a value.
        const keyed = JSON.stringify({ ...own.body, metadata: { 'key\u0000': 'value' } });
        await expectRefusal(await sendRaw(world, own, keyed), 400, `${name} with a NUL in a key`);
      });
    });
  });

  it('stores unicode and SQL-looking text exactly, and reads it back equal', async () => {
    const { a } = world;
    const admin = { token: a.tokens.admin };
    const read = async (path: string, token = a.tokens.admin) => {
      const response = await world.kit.call('GET', path, { token });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    };
    for (const [index, text] of exoticTexts.entries()) {
      const agent = await world.kit.call('POST', '/v1/agents', {
        ...admin,
        body: { name: `${text} #${index}`, description: text, metadata: { note: text } },
      });
      expect(agent.status, await agent.clone().text()).toBe(201);
      const agentId = ((await agent.json()) as { id: string }).id;
      expect(await read(`/v1/agents/${agentId}`)).toMatchObject({
        name: `${text} #${index}`,
        description: text,
        metadata: { note: text },
      });

      const guideline = await world.kit.call('POST', `/v1/agents/${agentId}/guidelines`, {
        ...admin,
        body: { condition: text, action: text, examples: [text] },
      });
      expect(guideline.status, await guideline.clone().text()).toBe(201);
      const guidelineId = ((await guideline.json()) as { id: string }).id;
      expect(await read(`/v1/agents/${agentId}/guidelines/${guidelineId}`)).toMatchObject({
        condition: text,
        action: text,
        examples: [text],
      });

      const customer = await world.kit.call('POST', '/v1/customers', {
        ...admin,
        body: { name: text, externalId: `${text} #${index}`, tags: [text.slice(0, 100)] },
      });
      expect(customer.status, await customer.clone().text()).toBe(201);
      const customerId = ((await customer.json()) as { id: string }).id;
      expect(await read(`/v1/customers/${customerId}`)).toMatchObject({
        name: text,
        externalId: `${text} #${index}`,
        tags: [text.slice(0, 100)],
      });
    }

    // Messages, from an operator and from the customer, end up in the event log as sent; an
    // operator's name (from their token) too.
    const sessionPath = `/v1/sessions/${a.operatorSession.sessionId}`;
    for (const [index, text] of exoticTexts.entries()) {
      const named = await operatorToken({ workspaceId: a.workspaceId, name: text });
      const posted = await world.kit.call('POST', `${sessionPath}/events`, {
        token: named,
        body: { kind: 'message', text },
      });
      expect(posted.status, await posted.clone().text()).toBe(201);
      const eventId = ((await posted.json()) as { event: { id: string } }).event.id;
      const { events } = (await read(`${sessionPath}/events?after=-1&limit=1000`)) as {
        events: Array<{ id: string; data: { text?: string; participantName?: string } }>;
      };
      expect(events.find((event) => event.id === eventId)?.data).toMatchObject({
        text,
        participantName: text,
      });
      // The database holds the same characters, not an escaped or replaced form.
      const [stored] = await world.query(
        `select data->>'text' as text from parley_event where id = '${eventId}'`,
      );
      expect(stored?.text).toBe(text);
      const renamed = await world.kit.call('PATCH', sessionPath, {
        ...admin,
        body: { title: `${text} #${index}` },
      });
      expect(renamed.status).toBe(200);
      expect(await read(sessionPath)).toMatchObject({ title: `${text} #${index}` });
    }
    const [table] = await world.query(`select to_regclass('parley_event')::text as name`);
    expect(table?.name).toBe('parley_event');
  });

  it('lets no __proto__ or constructor key pollute objects', async () => {
    const { a } = world;
    const polluting = (name: string) =>
      `{"name":${JSON.stringify(name)},"__proto__":{"polluted":"yes"},` +
      `"constructor":{"prototype":{"polluted":"yes"}},` +
      `"metadata":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"plain":1}}`;
    const admin = { authorization: `Bearer ${a.tokens.admin}`, 'content-type': 'application/json' };
    const created = await world.kit.handler(
      new Request('http://localhost/api/parley/v1/agents', {
        method: 'POST',
        headers: admin,
        body: polluting('Polluter'),
      }),
    );
    const text = await created.text();
    expect(created.status, text).toBe(201);
    const agent = JSON.parse(text) as Record<string, unknown> & {
      id: string;
      metadata: Record<string, unknown>;
    };
    expect(agent.metadata.plain).toBe(1);
    expect(Object.getPrototypeOf(agent.metadata)).toBe(Object.prototype);

    const collected = await world.kit.handler(
      new Request(`http://localhost/api/parley/v1/agents/${agent.id}/guidelines`, {
        method: 'POST',
        headers: admin,
        body: `{"condition":"polluting","__proto__":{"agentId":"${world.b.agentId}","polluted":"yes"}}`,
      }),
    );
    const guideline = JSON.parse(await collected.text()) as { agentId: string };
    expect(collected.status).toBe(201);
    // The agent comes from the path, never from an inherited property.
    expect(guideline.agentId).toBe(agent.id);

    const listed = await world.kit.call(
      'GET',
      '/v1/customers?__proto__[polluted]=yes&constructor[prototype][polluted]=yes&__proto__=x',
      { token: a.tokens.admin },
    );
    expect([200, 400]).toContain(listed.status);
    await listed.body?.cancel();

    const read = (await (
      await world.kit.call('GET', `/v1/agents/${agent.id}`, { token: a.tokens.admin })
    ).json()) as Record<string, unknown> & { metadata: Record<string, unknown> };
    for (const value of [{}, [], agent, agent.metadata, read, read.metadata, Object.create({})]) {
      expect((value as { polluted?: unknown }).polluted).toBeUndefined();
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  const numericRoutes = routeTable(placeholderIds).filter((route) => route.numericQuery);
  describe.each(numericRoutes.map(routeKey))('query numbers of %s', (key) => {
    it('refuses huge, negative, fractional and non-numbers (400)', async () => {
      const { a } = world;
      const own = routeTable({ ...a, ...a.operatorSession }).find(
        (route) => routeKey(route) === key,
      );
      if (!own?.numericQuery) throw new Error(`no route ${key}`);
      const values = ['-5', 'NaN', 'abc', '1e400', '-1e400', '99999999999999999999', '0x7fffffff1'];
      await expectNoChange(async () => {
        for (const parameter of own.numericQuery ?? []) {
          // Waiting may last a fraction of a second; counts and offsets are whole.
          const fractional = parameter === 'wait' ? [] : ['1.5'];
          for (const value of [...values, ...fractional]) {
            const response = await world.kit.call(
              'GET',
              `${own.path}?${parameter}=${encodeURIComponent(value)}`,
              { token: a.tokens.admin },
            );
            const { body } = await expectRefusal(response, 400, `${key}?${parameter}=${value}`);
            expect(body.error.code).toBe('validation_failed');
          }
        }
        if (key.endsWith('/stream')) {
          for (const value of ['-5', 'abc', '1e400', '99999999999999999999']) {
            const response = await world.kit.call('GET', own.path, {
              token: a.tokens.admin,
              headers: { 'last-event-id': value },
            });
            await expectRefusal(response, 400, `${key} with Last-Event-ID ${value}`);
          }
        }
      });
    });
  });

  it('answers ids that cannot exist (NUL, lone surrogates, overlong) with 400 or 404, never a 5xx', async () => {
    const { a } = world;
    await expectNoChange(async () => {
      for (const id of [
        '%00',
        'abc%00def',
        '%ED%A0%80',
        '%F0%9F',
        'x'.repeat(5000),
        '..%2F..%2Fetc',
      ]) {
        for (const path of [
          `/v1/agents/${id}`,
          `/v1/customers/${id}`,
          `/v1/sessions/${id}/events`,
          `/v1/agents/${a.agentId}/guidelines/${id}`,
        ]) {
          const response = await world.kit.call('GET', path, { token: a.tokens.admin });
          const { body } = await expectRefusal(
            response,
            response.status === 400 ? 400 : 404,
            `GET ${path}`,
          );
          expect(['validation_failed', 'not_found']).toContain(body.error.code);
        }
      }
    });
  });

  it('waits out the turn a customer message started, so nothing runs past the suite', async () => {
    const { a } = world;
    const posted = await world.kit.call(
      'POST',
      `/v1/sessions/${a.widgetSession.sessionId}/events`,
      {
        token: a.customerToken,
        headers: { origin: a.allowedOrigin },
        body: { text: exoticTexts[0], clientMessageId: 'exotic-1' },
      },
    );
    expect(posted.status).toBe(201);
    await vi.waitFor(() => expect(world.kit.engine.turnsInFlight).toBe(0), {
      timeout: 20_000,
      interval: 50,
    });
    const events = await world.kit.engine
      .forWorkspace(a.workspaceId)
      .events.list(a.widgetSession.sessionId, { after: -1 });
    expect(
      events.some((event) => event.kind === 'message' && event.data.text === exoticTexts[0]),
    ).toBe(true);
  });
}

describe('hostile inputs on PGlite', () => {
  describeHostileInputs(async () => {
    const world = await createSecurityWorld();
    return { world, close: () => world.close() };
  });
});

describe.skipIf(!testDatabaseUrl)('hostile inputs on PostgreSQL (needs DATABASE_URL)', () => {
  describeHostileInputs(async () => {
    const schema: PostgresTestSchema = await createPostgresTestSchema(testDatabaseUrl as string);
    const pool = schema.createPool(5);
    const store: PostgresStore = await createPostgresStore({ pool });
    const world = await createSecurityWorld({
      store: { store, query: async (sql) => (await pool.query(sql)).rows },
    });
    return {
      world,
      async close() {
        await world.close();
        await store.close();
        await schema.drop();
      },
    };
  });
});
