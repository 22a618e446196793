import { defineAgent } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerKit, type HandlerKit, operatorToken } from './handler-kit';

// Session labels and customer tags over HTTP: operators label sessions (replacing, adding,
// removing) and list them by label; guidelines carry labels and customer tags; a variable's
// value for a customer tag is set through the routes and reaches only tagged customers.

const workspaceId = 'labels-workspace';
let kit: HandlerKit;
let token: string;
let outsider: string;
let agentId: string;

const fallbackReply = 'Sorry, I can help with discounts and the lounge.';

const airline = defineAgent({
  name: 'Skyways',
  compositionMode: 'canned_strict',
  variables: [{ name: 'discount', description: 'The member discount', defaultValue: '0%' }],
  guidelines: [
    {
      key: 'discount',
      condition: 'the customer asks what discount they get',
      action: 'tell them their member discount',
      examples: ['what discount do I get?', 'do I get a discount?'],
      labels: ['discount'],
    },
    {
      key: 'lounge',
      condition: 'the customer asks about the airport lounge',
      action: 'tell them where the lounge is',
      examples: ['can I use the airport lounge?', 'where is the lounge?'],
      customerTags: ['gold'],
      labels: ['lounge'],
    },
  ],
  cannedResponses: [
    { template: 'Your member discount is {{discount}} on every booking.' },
    { template: 'Gold members can use the lounge by gate 12.' },
  ],
});

/** Calls an operator route, failing unless it answers `status`; returns the JSON body. */
async function json(
  method: string,
  path: string,
  options: { body?: unknown; status?: number; token?: string } = {},
): Promise<Record<string, unknown>> {
  const response = await kit.call(method, path, {
    token: options.token ?? token,
    body: options.body,
  });
  const text = await response.text();
  expect(response.status, `${method} ${path}: ${text}`).toBe(options.status ?? 200);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const errorOf = (body: Record<string, unknown>) =>
  body.error as { code: string; message: string; details?: { issues?: Array<{ path: string }> } };

beforeAll(async () => {
  kit = await createHandlerKit({ engine: { fallbackReply } });
  token = await operatorToken({ workspaceId });
  outsider = await operatorToken({ workspaceId: 'another-workspace' });
  ({
    agent: { id: agentId },
  } = await kit.engine.sync(workspaceId, airline));
});
afterAll(async () => {
  await kit?.close();
});

describe('session labels over HTTP', () => {
  it('opens a labelled session, replaces, adds and removes labels with PATCH', async () => {
    const opened = await json('POST', '/v1/sessions', {
      body: { agentId, labels: ['vip', 'vip'] },
      status: 201,
    });
    expect(opened.labels).toEqual(['vip']);
    const path = `/v1/sessions/${opened.id}`;
    expect((await json('PATCH', path, { body: { labels: ['refund', 'urgent'] } })).labels).toEqual([
      'refund',
      'urgent',
    ]);
    expect(
      (await json('PATCH', path, { body: { addLabels: ['vip'], removeLabels: ['urgent'] } }))
        .labels,
    ).toEqual(['refund', 'vip']);
    expect((await json('GET', path)).labels).toEqual(['refund', 'vip']);
  });

  it('lists sessions by label: every label given must be there', async () => {
    const create = async (labels: string[]) =>
      (await json('POST', '/v1/sessions', { body: { agentId, labels }, status: 201 })).id;
    const billing = await create(['billing-list']);
    const both = await create(['billing-list', 'escalated-list']);
    await create(['escalated-list']);
    const ids = async (query: string) =>
      ((await json('GET', `/v1/sessions?${query}`)).items as Array<{ id: string }>).map(
        (session) => session.id,
      );
    expect(await ids('label=billing-list')).toEqual([billing, both]);
    expect(await ids('label=billing-list&label=escalated-list')).toEqual([both]);
    expect(await ids(`label=billing-list&agentId=${agentId}&limit=1`)).toEqual([billing]);
    expect(await ids('label=nobody-has-this')).toEqual([]);
    // Another workspace's operator never sees them.
    const foreign = await json('GET', '/v1/sessions?label=billing-list', { token: outsider });
    expect(foreign.items).toEqual([]);
  });

  it('refuses bad labels with a 400 naming the field', async () => {
    const { id } = await json('POST', '/v1/sessions', { body: { agentId }, status: 201 });
    const path = `/v1/sessions/${id}`;
    const empty = errorOf(await json('PATCH', path, { body: { labels: [''] }, status: 400 }));
    expect(empty.code).toBe('validation_failed');
    expect(empty.message).toContain('labels.0');
    expect(empty.details?.issues?.map((issue) => issue.path)).toEqual(['labels.0']);
    const notAList = errorOf(await json('PATCH', path, { body: { labels: 'vip' }, status: 400 }));
    expect(notAList.message).toContain('labels');
    const both = errorOf(
      await json('PATCH', path, { body: { labels: ['a'], addLabels: ['b'] }, status: 400 }),
    );
    expect(both.message).toContain('either labels');
    const many = Array.from({ length: 51 }, (_, index) => `label-${index}`);
    const tooMany = errorOf(await json('PATCH', path, { body: { labels: many }, status: 400 }));
    expect(tooMany.message).toContain('labels');
    await json('PATCH', path, { body: { labels: many.slice(0, 50) } });
    const overflow = errorOf(
      await json('PATCH', path, { body: { addLabels: ['one-more'] }, status: 400 }),
    );
    expect(overflow.message).toContain('at most 50 labels');
    expect((await json('GET', path)).labels).toEqual(many.slice(0, 50));

    const listing = errorOf(await json('GET', '/v1/sessions?label=', { status: 400 }));
    expect(listing.message).toContain('label.0');
    const repeated = Array.from({ length: 21 }, (_, index) => `label=l${index}`).join('&');
    expect(
      errorOf(await json('GET', `/v1/sessions?${repeated}`, { status: 400 })).message,
    ).toContain('label');
  });

  it("answers 404 for another workspace's session, and changes nothing", async () => {
    const { id } = await json('POST', '/v1/sessions', {
      body: { agentId, labels: ['mine'] },
      status: 201,
    });
    for (const body of [
      { labels: ['theirs'] },
      { addLabels: ['theirs'] },
      { removeLabels: ['mine'] },
    ]) {
      const refused = errorOf(
        await json('PATCH', `/v1/sessions/${id}`, { body, token: outsider, status: 404 }),
      );
      expect(refused.code).toBe('not_found');
    }
    expect((await json('GET', `/v1/sessions/${id}`)).labels).toEqual(['mine']);
  });
});

describe('guidelines scoped by customer tag and tagged variable values over HTTP', () => {
  it('creates a guideline with labels and customer tags, and names a bad tag', async () => {
    const created = await json('POST', `/v1/agents/${agentId}/guidelines`, {
      body: {
        condition: 'the customer asks about seat upgrades',
        labels: ['upgrade'],
        customerTags: ['gold'],
      },
      status: 201,
    });
    expect(created).toMatchObject({ labels: ['upgrade'], customerTags: ['gold'] });
    const patched = await json('PATCH', `/v1/agents/${agentId}/guidelines/${created.id}`, {
      body: { customerTags: [] },
    });
    expect(patched.customerTags).toEqual([]);
    const refused = errorOf(
      await json('POST', `/v1/agents/${agentId}/guidelines`, {
        body: { condition: 'x', customerTags: [''] },
        status: 400,
      }),
    );
    expect(refused.message).toContain('customerTags.0');
    await json('DELETE', `/v1/agents/${agentId}/guidelines/${created.id}`, { status: 204 });
  });

  it('sets a value for a customer tag that only tagged customers see, and labels their session', async () => {
    const variables = (await json('GET', `/v1/agents/${agentId}/variables`)).items as Array<{
      id: string;
      name: string;
    }>;
    const discount = variables.find((variable) => variable.name === 'discount');
    const values = `/v1/agents/${agentId}/variables/${discount?.id}/values`;
    const set = await json('PUT', values, {
      body: { scope: 'customer_tag', tag: 'gold', value: '20%' },
    });
    expect(set).toMatchObject({ scope: 'customer_tag', scopeKey: 'gold', value: '20%' });
    // A second PUT for the same target replaces the value.
    await json('PUT', values, { body: { scope: 'customer_tag', tag: 'gold', value: '25%' } });
    expect(
      ((await json('GET', values)).items as Array<{ scopeKey: string; value: unknown }>).map(
        ({ scopeKey, value }) => ({ scopeKey, value }),
      ),
    ).toEqual([{ scopeKey: 'gold', value: '25%' }]);
    const badTarget = errorOf(
      await json('PUT', values, { body: { scope: 'customer_tag', value: '1%' }, status: 400 }),
    );
    expect(badTarget.message).toContain('tag');
    const noValue = errorOf(await json('PUT', values, { body: { scope: 'agent' }, status: 400 }));
    expect(noValue.message).toContain('value');
    await json('PUT', values, {
      body: { scope: 'customer_tag', tag: 'gold', value: '1%' },
      token: outsider,
      status: 404,
    });

    // Two visitors through the widget; the operator tags one of them gold.
    const keys = await json('POST', `/v1/agents/${agentId}/keys`, {
      body: { name: 'Website', allowedOrigins: ['https://skyways.example'] },
      status: 201,
    });
    const visit = async () => {
      const response = await kit.call('POST', '/v1/sessions', { body: { agentKey: keys.secret } });
      expect(response.status).toBe(201);
      return (await response.json()) as {
        session: { id: string; customerId: string };
        customerToken: string;
      };
    };
    const gold = await visit();
    const plain = await visit();
    await json('PATCH', `/v1/customers/${gold.session.customerId}`, { body: { tags: ['gold'] } });

    /** Sends a customer message and waits for the agent's reply. */
    const ask = async (visitor: typeof gold, text: string, clientMessageId: string) => {
      const { session, customerToken } = visitor;
      const posted = await kit.call('POST', `/v1/sessions/${session.id}/events`, {
        token: customerToken,
        body: { text, clientMessageId },
      });
      expect(posted.status).toBe(201);
      const { event } = (await posted.json()) as { event: { offset: number } };
      for (let after = event.offset; ; ) {
        const response = await kit.call(
          'GET',
          `/v1/sessions/${session.id}/events?after=${after}&wait=5`,
          { token: customerToken },
        );
        const { events } = (await response.json()) as {
          events: Array<{ offset: number; kind: string; source: string; data: { text?: string } }>;
        };
        const reply = events.find((item) => item.kind === 'message' && item.source === 'ai_agent');
        if (reply) return reply.data.text;
        if (events.length === 0) throw new Error('no reply came');
        after = events.at(-1)?.offset ?? after;
      }
    };
    expect(await ask(gold, 'What discount do I get?', 'g-1')).toBe(
      'Your member discount is 25% on every booking.',
    );
    expect(await ask(plain, 'What discount do I get?', 'p-1')).toBe(
      'Your member discount is 0% on every booking.',
    );
    expect(await ask(gold, 'Can I use the airport lounge?', 'g-2')).toBe(
      'Gold members can use the lounge by gate 12.',
    );
    expect(await ask(plain, 'Can I use the airport lounge?', 'p-2')).toBe(fallbackReply);

    // The turns labelled the sessions with what applied; the operator lists them by label.
    expect((await json('GET', `/v1/sessions/${gold.session.id}`)).labels).toEqual([
      'discount',
      'lounge',
    ]);
    expect((await json('GET', `/v1/sessions/${plain.session.id}`)).labels).toEqual(['discount']);
    const lounge = (await json('GET', '/v1/sessions?label=lounge')).items as Array<{ id: string }>;
    expect(lounge.map((session) => session.id)).toEqual([gold.session.id]);

    // Clearing the tag's value: the tagged customer falls back to the default.
    const [stored] = (await json('GET', values)).items as Array<{ id: string }>;
    await json('DELETE', `${values}/${stored?.id}`, { token: outsider, status: 404 });
    await json('DELETE', `${values}/${stored?.id}`, { status: 204 });
    await json('DELETE', `${values}/${stored?.id}`, { status: 404 });
    expect((await json('GET', values)).items).toEqual([]);
    expect(await ask(gold, 'What discount do I get?', 'g-3')).toBe(
      'Your member discount is 0% on every booking.',
    );
  });
});
