import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerKit, createShopAgent, type HandlerKit, operatorToken } from './handler-kit';

/**
 * The routes that link an agent to the host's knowledge bases (`/v1/agents/:agentId/knowledge-bases`),
 * and the retriever ids agents, guidelines and journey states carry through their own routes.
 */

const workspaceId = 'knowledge-base-routes';
const otherWorkspaceId = 'knowledge-base-routes-other';
let kit: HandlerKit;
let tokens: { admin: string; write: string; read: string; outsider: string };

type Link = { knowledgeBaseId: string; createdAt: string };
type Listing = { items: Link[]; nextCursor: string | null };
type ErrorBody = {
  error: { code: string; message: string; details?: { issues?: Array<{ path: string }> } };
};

/** Calls a route and answers its JSON (null for an empty body), failing on any other status. */
async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; status: number },
): Promise<unknown> {
  const response = await kit.call(method, path, { token: options.token, body: options.body });
  const text = await response.text();
  expect(response.status, `${method} ${path}: ${text}`).toBe(options.status);
  return text.length > 0 ? JSON.parse(text) : null;
}

const linksPath = (agentId: string) => `/v1/agents/${agentId}/knowledge-bases`;
const listed = async (agentId: string) =>
  (await call('GET', linksPath(agentId), { token: tokens.read, status: 200 })) as Listing;
const linkedIds = async (agentId: string) =>
  (await listed(agentId)).items.map((link) => link.knowledgeBaseId);

async function createAgent(name: string, token = tokens.admin): Promise<string> {
  return (
    (await call('POST', '/v1/agents', { token, body: { name }, status: 201 })) as { id: string }
  ).id;
}

/** The paths of a 400's issues, after checking it is a readable `validation_failed`. */
function issuePaths(body: unknown, subject: string): string[] {
  const { error } = body as ErrorBody;
  expect(error.code).toBe('validation_failed');
  expect(error.message).toContain(`Invalid ${subject}`);
  return (error.details?.issues ?? []).map((issue) => issue.path);
}

beforeAll(async () => {
  kit = await createHandlerKit();
  tokens = {
    admin: await operatorToken({ workspaceId, role: 'admin', userId: 'admin' }),
    write: await operatorToken({ workspaceId, role: 'write', userId: 'writer' }),
    read: await operatorToken({ workspaceId, role: 'read', userId: 'reader' }),
    outsider: await operatorToken({ workspaceId: otherWorkspaceId, userId: 'outsider' }),
  };
});
afterAll(async () => {
  await kit?.close();
});

describe("an agent's knowledge bases", () => {
  it('are linked (201, then 200 when already linked), listed oldest first, and unlinked (204, idempotent)', async () => {
    const agentId = await createAgent('Librarian');
    expect(await listed(agentId)).toEqual({ items: [], nextCursor: null });

    const manuals = (await call('POST', linksPath(agentId), {
      token: tokens.write,
      body: { knowledgeBaseId: 'kb-a-manuals' },
      status: 201,
    })) as Link;
    expect(manuals).toEqual({ knowledgeBaseId: 'kb-a-manuals', createdAt: expect.any(String) });
    expect(Number.isNaN(Date.parse(manuals.createdAt))).toBe(false);
    // Linking again changes nothing and answers the link as it was.
    expect(
      await call('POST', linksPath(agentId), {
        token: tokens.write,
        body: { knowledgeBaseId: 'kb-a-manuals' },
        status: 200,
      }),
    ).toEqual(manuals);

    const faq = (await call('PUT', `${linksPath(agentId)}/kb-b-faq`, {
      token: tokens.write,
      status: 201,
    })) as Link;
    expect(faq.knowledgeBaseId).toBe('kb-b-faq');
    expect(
      await call('PUT', `${linksPath(agentId)}/kb-b-faq`, { token: tokens.write, status: 200 }),
    ).toEqual(faq);
    expect(
      await call('PUT', `${linksPath(agentId)}/kb-a-manuals`, { token: tokens.write, status: 200 }),
    ).toEqual(manuals);

    expect(await listed(agentId)).toEqual({ items: [manuals, faq], nextCursor: null });

    const unlink = (knowledgeBaseId: string) =>
      call('DELETE', `${linksPath(agentId)}/${knowledgeBaseId}`, {
        token: tokens.write,
        status: 204,
      });
    expect(await unlink('kb-a-manuals')).toBeNull();
    expect(await linkedIds(agentId)).toEqual(['kb-b-faq']);
    // Unlinking what is not linked (any more, or ever) is a 204 too.
    await unlink('kb-a-manuals');
    await unlink('kb-never-linked');
    await unlink('kb-b-faq');
    expect(await listed(agentId)).toEqual({ items: [], nextCursor: null });
  });

  it('keeps the id as trimmed, so a padded one names the same link', async () => {
    const agentId = await createAgent('Trimmer');
    const link = (await call('POST', linksPath(agentId), {
      token: tokens.write,
      body: { knowledgeBaseId: '  kb-padded  ' },
      status: 201,
    })) as Link;
    expect(link.knowledgeBaseId).toBe('kb-padded');
    await call('PUT', `${linksPath(agentId)}/${encodeURIComponent(' kb-padded ')}`, {
      token: tokens.write,
      status: 200,
    });
    expect(await linkedIds(agentId)).toEqual(['kb-padded']);
  });

  it('refuses a bad body with a 400 naming what is wrong, and links nothing', async () => {
    const agentId = await createAgent('Strict');
    await call('PUT', `${linksPath(agentId)}/kb-kept`, { token: tokens.write, status: 201 });
    const cases: Array<{ body: unknown; path: string; says: string }> = [
      { body: {}, path: 'knowledgeBaseId', says: 'knowledgeBaseId' },
      { body: { knowledgeBaseId: '' }, path: 'knowledgeBaseId', says: 'knowledgeBaseId' },
      { body: { knowledgeBaseId: '   ' }, path: 'knowledgeBaseId', says: 'knowledgeBaseId' },
      { body: { knowledgeBaseId: 42 }, path: 'knowledgeBaseId', says: 'knowledgeBaseId' },
      {
        body: { knowledgeBaseId: 'k'.repeat(129) },
        path: 'knowledgeBaseId',
        says: 'knowledgeBaseId',
      },
      { body: { knowledgeBaseId: 'kb-x', extra: true }, path: '(root)', says: 'extra' },
      { body: { id: 'kb-x' }, path: '(root)', says: '"id"' },
      { body: ['kb-x'], path: '(root)', says: 'object' },
    ];
    for (const { body, path, says } of cases) {
      const refusal = await call('POST', linksPath(agentId), {
        token: tokens.write,
        body,
        status: 400,
      });
      expect(issuePaths(refusal, 'knowledge base link'), JSON.stringify(body)).toContain(path);
      expect((refusal as ErrorBody).error.message, JSON.stringify(body)).toContain(says);
    }
    // An id in the path is held to the same rules.
    for (const method of ['PUT', 'DELETE']) {
      const refusal = await call(method, `${linksPath(agentId)}/${'k'.repeat(129)}`, {
        token: tokens.write,
        status: 400,
      });
      expect((refusal as ErrorBody).error.code).toBe('validation_failed');
      expect((refusal as ErrorBody).error.message).toContain('knowledge base id');
    }
    expect(await linkedIds(agentId)).toEqual(['kb-kept']);
  });

  it('refuses no token (401), a customer token (404, as every operator route) and a reader who writes (403)', async () => {
    const shop = await createShopAgent(kit, { workspaceId });
    await call('PUT', `${linksPath(shop.agentId)}/kb-shop`, { token: tokens.write, status: 201 });
    const opened = (await call('POST', '/v1/sessions', {
      body: { agentKey: shop.agentKey },
      status: 201,
    })) as { customerToken: string };
    const requests = [
      { method: 'GET', path: linksPath(shop.agentId) },
      { method: 'POST', path: linksPath(shop.agentId), body: { knowledgeBaseId: 'kb-new' } },
      { method: 'PUT', path: `${linksPath(shop.agentId)}/kb-new` },
      { method: 'DELETE', path: `${linksPath(shop.agentId)}/kb-shop` },
    ];
    for (const { method, path, body } of requests) {
      const anonymous = (await call(method, path, { body, status: 401 })) as ErrorBody;
      expect(anonymous.error.code).toBe('unauthenticated');
      const garbled = (await call(method, path, {
        token: 'not-a-token',
        body,
        status: 401,
      })) as ErrorBody;
      expect(garbled.error.code).toBe('unauthenticated');
      const customer = (await call(method, path, {
        token: opened.customerToken,
        body,
        status: 404,
      })) as ErrorBody;
      expect(customer.error.code).toBe('not_found');
      if (method === 'GET') continue;
      const reader = (await call(method, path, {
        token: tokens.read,
        body,
        status: 403,
      })) as ErrorBody;
      expect(reader.error.code).toBe('forbidden');
    }
    expect(await linkedIds(shop.agentId)).toEqual(['kb-shop']);
  });

  it("hides another workspace's agent (404 on every route) and leaves its links as they were", async () => {
    const agentId = await createAgent('Private');
    await call('PUT', `${linksPath(agentId)}/kb-private`, { token: tokens.write, status: 201 });
    const requests = [
      { method: 'GET', path: linksPath(agentId) },
      { method: 'POST', path: linksPath(agentId), body: { knowledgeBaseId: 'kb-intruder' } },
      // A bad body changes nothing: the agent is looked up first.
      { method: 'POST', path: linksPath(agentId), body: { nonsense: true } },
      { method: 'PUT', path: `${linksPath(agentId)}/kb-intruder` },
      { method: 'DELETE', path: `${linksPath(agentId)}/kb-private` },
    ];
    for (const { method, path, body } of requests) {
      for (const query of ['', `?workspaceId=${workspaceId}`]) {
        const response = await kit.call(method, `${path}${query}`, {
          token: tokens.outsider,
          body,
        });
        const text = await response.text();
        expect(response.status, `${method} ${path}${query}: ${text}`).toBe(404);
        expect((JSON.parse(text) as ErrorBody).error.code).toBe('not_found');
        expect(text).not.toContain('kb-private');
      }
    }
    expect(await linkedIds(agentId)).toEqual(['kb-private']);
    // The other workspace's own agent of the same name has no links.
    const theirs = await createAgent('Private', tokens.outsider);
    expect(await call('GET', linksPath(theirs), { token: tokens.outsider, status: 200 })).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('answers 404 for an agent that does not exist or was archived', async () => {
    const agentId = await createAgent('Retired');
    await call('PUT', `${linksPath(agentId)}/kb-old`, { token: tokens.write, status: 201 });
    await call('DELETE', `/v1/agents/${agentId}`, { token: tokens.admin, status: 204 });
    for (const id of [agentId, 'no-such-agent']) {
      await call('GET', linksPath(id), { token: tokens.read, status: 404 });
      await call('POST', linksPath(id), {
        token: tokens.write,
        body: { knowledgeBaseId: 'kb-new' },
        status: 404,
      });
      await call('PUT', `${linksPath(id)}/kb-new`, { token: tokens.write, status: 404 });
      await call('DELETE', `${linksPath(id)}/kb-old`, { token: tokens.write, status: 404 });
    }
  });
});

describe('retriever ids on the operator routes', () => {
  it('round-trip on an agent, and a bad one is a 400 naming the field', async () => {
    const created = (await call('POST', '/v1/agents', {
      token: tokens.write,
      body: { name: 'Researcher', retrieverIds: ['help-center', 'product_docs'] },
      status: 201,
    })) as { id: string; retrieverIds: string[] };
    expect(created.retrieverIds).toEqual(['help-center', 'product_docs']);
    expect(
      await call('GET', `/v1/agents/${created.id}`, { token: tokens.read, status: 200 }),
    ).toMatchObject({ retrieverIds: ['help-center', 'product_docs'] });
    expect(
      await call('PATCH', `/v1/agents/${created.id}`, {
        token: tokens.write,
        body: { retrieverIds: [] },
        status: 200,
      }),
    ).toMatchObject({ retrieverIds: [] });

    const invalid = await call('POST', '/v1/agents', {
      token: tokens.write,
      body: { name: 'Broken', retrieverIds: ['not valid!'] },
      status: 400,
    });
    expect(issuePaths(invalid, 'agent')).toEqual(['retrieverIds.0']);
    const tooMany = await call('POST', '/v1/agents', {
      token: tokens.write,
      body: {
        name: 'Greedy',
        retrieverIds: Array.from({ length: 21 }, (_, index) => `r${index}`),
      },
      status: 400,
    });
    expect(issuePaths(tooMany, 'agent')).toEqual(['retrieverIds']);
  });

  it('round-trip on a guideline, and a bad one is a 400 naming the field', async () => {
    const agentId = await createAgent('Guided');
    const path = `/v1/agents/${agentId}/guidelines`;
    const created = (await call('POST', path, {
      token: tokens.write,
      body: {
        condition: 'asks about returns',
        action: 'explain returns',
        retrieverIds: ['policies'],
      },
      status: 201,
    })) as { id: string; retrieverIds: string[] };
    expect(created.retrieverIds).toEqual(['policies']);
    expect(
      await call('GET', `${path}/${created.id}`, { token: tokens.read, status: 200 }),
    ).toMatchObject({ retrieverIds: ['policies'] });

    const invalid = await call('POST', path, {
      token: tokens.write,
      body: { condition: 'asks', action: 'answer', retrieverIds: ['policies', 7] },
      status: 400,
    });
    expect(issuePaths(invalid, 'guideline')).toEqual(['retrieverIds.1']);
  });

  it("round-trip on a journey's states, and a bad one is a 400 naming the field", async () => {
    const agentId = await createAgent('Journeyer');
    const path = `/v1/agents/${agentId}/journeys`;
    const document = (retrieverIds: unknown) => ({
      title: 'Return an item',
      conditions: ['the customer wants to return an item'],
      initialState: 'ask',
      states: [
        { key: 'ask', kind: 'chat', action: 'ask for the order number', retrieverIds },
        { key: 'done', kind: 'end' },
      ],
      transitions: [{ from: 'ask', to: 'done' }],
    });
    const created = (await call('POST', path, {
      token: tokens.write,
      body: document(['returns-policy']),
      status: 201,
    })) as { id: string; states: Array<{ key: string; retrieverIds: string[] }> };
    const byKey = (journey: unknown) =>
      Object.fromEntries(
        (journey as typeof created).states.map((state) => [state.key, state.retrieverIds]),
      );
    expect(byKey(created)).toEqual({ ask: ['returns-policy'], done: [] });
    expect(
      byKey(await call('GET', `${path}/${created.id}`, { token: tokens.read, status: 200 })),
    ).toEqual({ ask: ['returns-policy'], done: [] });

    const invalid = await call('POST', path, {
      token: tokens.write,
      body: document(['returns policy']),
      status: 400,
    });
    expect(issuePaths(invalid, 'journey')).toEqual(['states.0.retrieverIds.0']);
  });
});
