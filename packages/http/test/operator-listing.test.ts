import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerKit, type HandlerKit, operatorToken } from './handler-kit';

const workspaceId = 'listing-workspace';
let kit: HandlerKit;
let token: string;
let agentId: string;

/** Calls an operator route and returns its JSON, failing on any other status than `status`. */
async function json(method: string, path: string, body?: unknown, status = 200): Promise<unknown> {
  const response = await kit.call(method, path, { token, body });
  const text = await response.text();
  expect(response.status, `${method} ${path}: ${text}`).toBe(status);
  return JSON.parse(text);
}

const itemsOf = async (path: string) =>
  ((await json('GET', path)) as { items: Array<Record<string, unknown>> }).items;

describe('operator listings filter by what their records carry', () => {
  let greet: string;
  let refund: string;
  beforeAll(async () => {
    kit = await createHandlerKit();
    token = await operatorToken({ workspaceId });
    agentId = ((await json('POST', '/v1/agents', { name: 'Support' }, 201)) as { id: string }).id;
    const create = async (body: Record<string, unknown>) =>
      ((await json('POST', `/v1/agents/${agentId}/guidelines`, body, 201)) as { id: string }).id;
    greet = await create({ condition: 'says hello', action: 'greet back', tags: ['small-talk'] });
    refund = await create({
      condition: 'wants a refund',
      action: 'start a refund',
      tags: ['money'],
    });
    await create({ condition: 'is angry', action: 'apologise', enabled: false });
    await json(
      'POST',
      `/v1/agents/${agentId}/relationships`,
      { kind: 'priority', sourceGuidelineId: refund, targetGuidelineId: greet },
      201,
    );
    await json(
      'POST',
      `/v1/agents/${agentId}/canned-responses`,
      { template: 'Hi!', tags: ['small-talk'] },
      201,
    );
    await json('POST', `/v1/agents/${agentId}/canned-responses`, { template: 'Refunded.' }, 201);
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('lists guidelines by tag and by enabled state', async () => {
    expect(await itemsOf(`/v1/agents/${agentId}/guidelines`)).toHaveLength(3);
    expect(
      (await itemsOf(`/v1/agents/${agentId}/guidelines?tag=money`)).map((item) => item.id),
    ).toEqual([refund]);
    expect(
      (await itemsOf(`/v1/agents/${agentId}/guidelines?enabled=false`)).map(
        (item) => item.condition,
      ),
    ).toEqual(['is angry']);
    expect(await itemsOf(`/v1/agents/${agentId}/guidelines?enabled=true`)).toHaveLength(2);
  });

  it('lists relationships by kind and by guideline', async () => {
    expect(await itemsOf(`/v1/agents/${agentId}/relationships?kind=priority`)).toHaveLength(1);
    expect(await itemsOf(`/v1/agents/${agentId}/relationships?kind=entailment`)).toEqual([]);
    expect(await itemsOf(`/v1/agents/${agentId}/relationships?guidelineId=${greet}`)).toHaveLength(
      1,
    );
  });

  it('lists canned responses by tag', async () => {
    expect(
      (await itemsOf(`/v1/agents/${agentId}/canned-responses?tag=small-talk`)).map(
        (item) => item.template,
      ),
    ).toEqual(['Hi!']);
  });

  it('refuses a filter value it cannot mean (400 naming the field)', async () => {
    const kind = (await json(
      'GET',
      `/v1/agents/${agentId}/relationships?kind=bogus`,
      undefined,
      400,
    )) as { error: { details: { issues: Array<{ path: string }> } } };
    expect(kind.error.details.issues.map((issue) => issue.path)).toContain('kind');
    await json('GET', `/v1/agents/${agentId}/guidelines?enabled=maybe`, undefined, 400);
  });
});
