import { type Browser, expect, type Page, test } from '@playwright/test';
import type postgres from 'postgres';
import { fakeModelAt } from '../../../e2e/support/fake-model';
import {
  callFromPage,
  createWorkspace,
  listedWorkspaceId,
  newEmail,
  openRunDatabase,
  operatorRoute,
  seeded,
  signIn,
  userIdOf,
} from './support/host';

// Parley mounted in the host: its operators are the host's signed-in users (through
// `app/api/parley/[...path]/route.ts`), its tables are in the host's database with foreign keys
// to `workspace` and `user`, and the widget is on the workspace's public site.

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = openRunDatabase();
});
test.afterAll(async () => {
  await sql?.end();
});

/** A chunk of the seeded `refund-policy.md` (`db/seed-help-center.ts`). */
const refundChunk = 'Refunds arrive on the original card within five business days of approval.';

/** What the agent answers a refund question with: its one canned response. */
const refundReply =
  'To get a refund, reply with your order number: we refund your card within 5 working days.';

interface AgentSetUp {
  agent: { id: string; createdBy: string | null };
  /** The publishable key, `pk_…`. */
  agentKey: string;
}

/**
 * What an admin does to put a support agent on the workspace's site, from a page of the host:
 * the agent, a guideline with its canned reply (no language model: strict canned mode), a
 * publishable key for the site's origin, saved as the workspace's key.
 */
async function setUpSupportAgent(page: Page, workspaceId: string): Promise<AgentSetUp> {
  const agent = await callFromPage<AgentSetUp['agent']>(
    page,
    'POST',
    operatorRoute('/v1/agents', workspaceId),
    { name: 'Support', description: 'Answers questions on the public site.' },
  );
  expect(agent.status).toBe(201);
  const agentPath = `/v1/agents/${agent.body.id}`;
  const guideline = await callFromPage(
    page,
    'POST',
    operatorRoute(`${agentPath}/guidelines`, workspaceId),
    {
      condition: 'the customer asks how to get a refund',
      action: 'explain how to get a refund',
      examples: ['How do I get a refund?', 'I want my money back'],
    },
  );
  expect(guideline.status).toBe(201);
  const canned = await callFromPage(
    page,
    'POST',
    operatorRoute(`${agentPath}/canned-responses`, workspaceId),
    { template: refundReply },
  );
  expect(canned.status).toBe(201);
  return { agent: agent.body, agentKey: await putOnSite(page, workspaceId, agent.body.id) };
}

/**
 * A visitor, not signed in, opens the chat on the workspace's public site (of the host at
 * `baseURL`, default the config's): `ask` sends a message, `replies` are the agent's sent
 * replies, `preambles` its holding lines.
 */
async function chatOnSite(browser: Browser, workspaceId: string, baseURL?: string) {
  const visitor = await (await browser.newContext(baseURL ? { baseURL } : {})).newPage();
  await visitor.goto(`/site/${workspaceId}`);
  await visitor.getByRole('button', { name: /^Open chat/ }).click();
  const composer = visitor.getByRole('textbox', { name: 'Message' });
  const log = visitor.getByRole('log', { name: 'Conversation' });
  // Holding lines ("Let me look that up.") are not replies.
  const replies = log.locator(
    '.parley-message-agent.parley-message-sent:not(.parley-message-preamble)',
  );
  const preambles = log.locator('.parley-message-preamble');
  const ask = async (text: string) => {
    await composer.fill(text);
    await composer.press('Enter');
  };
  return { ask, replies, preambles };
}

/**
 * Issues a publishable key for the agent, for the site's origin, and saves it as the
 * workspace's key: the site's widget then talks to this agent. Answers the key, `pk_…`.
 */
async function putOnSite(page: Page, workspaceId: string, agentId: string): Promise<string> {
  const origin = new URL(page.url()).origin;
  const key = await callFromPage<{ secret: string; allowedOrigins: string[] }>(
    page,
    'POST',
    operatorRoute(`/v1/agents/${agentId}/keys`, workspaceId),
    { name: 'Public site', allowedOrigins: [origin] },
  );
  expect(key.status).toBe(201);
  expect(key.body.secret).toMatch(/^pk_/);
  const saved = await callFromPage(page, 'PUT', `/api/workspaces/${workspaceId}/parley-agent-key`, {
    agentKey: key.body.secret,
  });
  expect(saved.status).toBe(204);
  return key.body.secret;
}

/**
 * A visitor's conversation, through Parley's widget routes as the widget calls them: a session
 * opened with the publishable key, a message sent with the customer token, and the agent's
 * reply waited for (read by `operator`, an operator of the workspace).
 */
async function openConversation(
  operator: Page,
  workspaceId: string,
  agentKey: string,
  text: string,
): Promise<string> {
  const opened = await callFromPage<{ session: { id: string }; customerToken: string }>(
    operator,
    'POST',
    '/api/parley/v1/sessions',
    { agentKey },
  );
  expect(opened.status).toBe(201);
  const sessionId = opened.body.session.id;
  const posted = await operator.evaluate(
    async (request) =>
      (
        await fetch(`/api/parley/v1/sessions/${request.sessionId}/events`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${request.customerToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ text: request.text, clientMessageId: crypto.randomUUID() }),
        })
      ).status,
    { sessionId, customerToken: opened.body.customerToken, text },
  );
  expect(posted).toBe(201);
  // The reply and the turn's end are appended together: nothing more comes after it.
  await expect
    .poll(async () =>
      (await messagesOf(operator, workspaceId, sessionId)).map((message) => message.source),
    )
    .toEqual(['customer', 'ai_agent']);
  return sessionId;
}

/** The texts of a session's messages by source, read by an operator of its workspace. */
async function messagesOf(page: Page, workspaceId: string, sessionId: string) {
  const listed = await callFromPage<{ events: { kind: string; source: string; data: unknown }[] }>(
    page,
    'GET',
    operatorRoute(`/v1/sessions/${sessionId}/events?kinds=message`, workspaceId),
  );
  expect(listed.status).toBe(200);
  return listed.body.events.map((event) => ({
    source: event.source,
    text: (event.data as { text: string }).text,
  }));
}

/** Parley's rows of each of its tables that belong to the workspace, by table. */
async function parleyRowsOf(workspaceId: string): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }[]>`
    select table_name from information_schema.columns
    where table_schema = 'public' and table_name like 'parley\\_%' and column_name = 'workspace_id'
    order by table_name`;
  expect(tables.length).toBeGreaterThan(10);
  const counts: Record<string, number> = {};
  for (const { table_name: table } of tables) {
    const [row] = await sql<{ count: number }[]>`
      select count(*)::int as count from ${sql(table)} where workspace_id = ${workspaceId}`;
    counts[table] = row?.count ?? 0;
  }
  return counts;
}

/** The agent `setUpRefundDesk` made. */
interface RefundDesk {
  agentId: string;
  /** The seeded workflow "Refund request triage". */
  triageId: string;
  /** The operator route of the agent's `path` (`/canned-responses`…). */
  at: (path: string) => string;
}

/**
 * What an admin does for an agent that sends refund requests on and answers from the help
 * center, from a page of the host: the agent (with the host's `knowledge` retriever), the
 * workspace's help center linked, the seeded workflow "Refund request triage" linked as the tool
 * `triage_refund`, declared on the agent, and a refund guideline calling it.
 */
async function setUpRefundDesk(
  admin: Page,
  workspaceId: string,
  agent: { name: string; compositionMode: 'canned_strict' | 'fluid' },
): Promise<RefundDesk> {
  const [helpCenter] = await sql<{ id: string }[]>`
    select id from knowledge_base where workspace_id = ${workspaceId} and name = 'Help center'`;
  const [triage] = await sql<{ id: string }[]>`
    select id from workflow where workspace_id = ${workspaceId} and name = 'Refund request triage'`;
  expect(triage).toBeDefined();
  const made = await callFromPage<{ id: string }>(
    admin,
    'POST',
    operatorRoute('/v1/agents', workspaceId),
    { ...agent, retrieverIds: ['knowledge'] },
  );
  expect(made.status).toBe(201);
  const at = (path: string) => operatorRoute(`/v1/agents/${made.body.id}${path}`, workspaceId);
  const linkedBase = await callFromPage(admin, 'POST', at('/knowledge-bases'), {
    knowledgeBaseId: helpCenter!.id,
  });
  expect(linkedBase.status).toBe(201);
  const inputSchema = {
    type: 'object',
    properties: { orderNumber: { type: 'string', pattern: '^A-\\d{4}$' } },
    required: ['orderNumber'],
  };
  const description = 'Routes a refund request for an order to the team that handles it';
  const link = await callFromPage(admin, 'POST', at('/workflows'), {
    workflowId: triage!.id,
    name: 'Refund request triage',
    description,
    toolName: 'triage_refund',
    inputSchema,
  });
  expect(link.status).toBe(201);
  // The link's tool, declared on the agent like any tool, for a guideline to call.
  const declared = await callFromPage<{ id: string }>(admin, 'POST', at('/tools'), {
    name: 'triage_refund',
    description,
    parameters: inputSchema,
  });
  expect(declared.status).toBe(201);
  const guideline = await callFromPage<{ id: string }>(admin, 'POST', at('/guidelines'), {
    condition: 'the customer asks for a refund of an order',
    action: 'send the refund request on and say when the money arrives',
    examples: ['I want a refund for order A-1234'],
  });
  expect(guideline.status).toBe(201);
  const tools = await callFromPage(admin, 'PUT', at(`/guidelines/${guideline.body.id}/tools`), {
    toolIds: [declared.body.id],
  });
  expect(tools.status).toBe(200);
  return { agentId: made.body.id, triageId: triage!.id, at };
}

/**
 * The agent's one session ran the triage workflow once, as a tool, for order A-1042, and Sim's
 * workflow API (the run's stand-in) answered with the queue.
 */
async function expectOneTriageRun(
  admin: Page,
  workspaceId: string,
  agentId: string,
  triageId: string,
): Promise<void> {
  const [session] = await sql<{ id: string }[]>`
    select id from parley_session where agent_id = ${agentId}`;
  const runs = await callFromPage<{
    items: {
      workflowId: string;
      trigger: string;
      status: string;
      input: unknown;
      output: unknown;
      executionId: string | null;
    }[];
  }>(admin, 'GET', operatorRoute(`/v1/sessions/${session!.id}/workflows`, workspaceId));
  expect(runs.status).toBe(200);
  expect(runs.body.items).toEqual([
    expect.objectContaining({
      workflowId: triageId,
      trigger: 'tool',
      status: 'succeeded',
      input: { orderNumber: 'A-1042' },
      output: { orderNumber: 'A-1042', queue: 'billing' },
      executionId: expect.any(String),
    }),
  ]);
}

// The tests that put an agent on Acme Support's site, which shows one agent (the workspace's
// key): one after the other, in one worker.
test.describe("on Acme Support's public site", () => {
  test.describe.configure({ mode: 'default' });

  test('an admin puts an agent on the workspace site through the operator routes, and a visitor chats with it', async ({
    browser,
  }) => {
    const admin = await signIn(browser, seeded.owner);
    const acmeId = await listedWorkspaceId(admin, 'Acme Support');
    const { agent } = await setUpSupportAgent(admin, acmeId);
    // The creator is the signed-in user: Parley takes it from the principal.
    expect(agent.createdBy).toBe(await userIdOf(sql, seeded.owner));
    const listed = await callFromPage<{ items: { id: string }[] }>(
      admin,
      'GET',
      operatorRoute('/v1/agents', acmeId),
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item) => item.id)).toContain(agent.id);

    // A visitor, not signed in, on the workspace's public site.
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`/site/${acmeId}`);
    await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Acme Support');
    await visitor.getByRole('button', { name: /^Open chat/ }).click();
    const composer = visitor.getByRole('textbox', { name: 'Message' });
    await expect(composer).toBeFocused();
    await composer.fill('How do I get a refund?');
    await composer.press('Enter');
    const log = visitor.getByRole('log', { name: 'Conversation' });
    await expect(log.locator('.parley-message-customer .parley-bubble')).toHaveText([
      'How do I get a refund?',
    ]);
    await expect(
      log.locator('.parley-message-agent.parley-message-sent .parley-bubble'),
    ).toHaveText([refundReply]);

    // The conversation is in the host's database, in the workspace's rows.
    const [session] = await sql<{ id: string }[]>`
      select id from parley_session where workspace_id = ${acmeId} and agent_id = ${agent.id}`;
    expect(session).toBeDefined();
    expect(await messagesOf(admin, acmeId, session!.id)).toEqual([
      { source: 'customer', text: 'How do I get a refund?' },
      { source: 'ai_agent', text: refundReply },
    ]);
  });

  test("an agent linked to the workspace's knowledge base answers a visitor from it, citing the document", async ({
    browser,
  }) => {
    const admin = await signIn(browser, seeded.owner);
    const acmeId = await listedWorkspaceId(admin, 'Acme Support');
    // The host's page names its knowledge bases without their ids: read from its table.
    const [helpCenter] = await sql<{ id: string }[]>`
      select id from knowledge_base where workspace_id = ${acmeId} and name = 'Help center'`;
    const [chunk] = await sql<{ id: string }[]>`
      select id from embedding where knowledge_base_id = ${helpCenter!.id} and content = ${refundChunk}`;
    expect(chunk).toBeDefined();

    // No model: the agent answers with its canned responses, this one showing the best passage
    // that the host's retriever (`knowledge`, over the `embedding` table) found.
    const agent = await callFromPage<{ id: string; retrieverIds: string[] }>(
      admin,
      'POST',
      operatorRoute('/v1/agents', acmeId),
      { name: 'Help desk', compositionMode: 'canned_strict', retrieverIds: ['knowledge'] },
    );
    expect(agent.status).toBe(201);
    expect(agent.body.retrieverIds).toEqual(['knowledge']);
    const agentPath = `/v1/agents/${agent.body.id}`;
    const canned = await callFromPage(
      admin,
      'POST',
      operatorRoute(`${agentPath}/canned-responses`, acmeId),
      { template: 'From our help center: {{passage.text}}' },
    );
    expect(canned.status).toBe(201);
    await putOnSite(admin, acmeId, agent.body.id);

    const { ask, replies } = await chatOnSite(browser, acmeId);

    // No knowledge base linked yet: the retriever is asked for none, and the fallback answers.
    await ask('When will my refund arrive?');
    await expect(replies).toHaveCount(1);
    await expect(replies.nth(0).locator('.parley-bubble')).not.toContainText('Refunds');
    await expect(replies.nth(0).locator('.parley-sources')).toHaveCount(0);

    const linked = await callFromPage(
      admin,
      'POST',
      operatorRoute(`${agentPath}/knowledge-bases`, acmeId),
      { knowledgeBaseId: helpCenter!.id },
    );
    expect(linked.status).toBe(201);

    // Linked: the chunk that answers, never the disabled one that would too, and its document
    // named under the reply.
    await ask('When will my refund arrive?');
    await expect(replies).toHaveCount(2);
    const answer = replies.nth(1);
    await expect(answer.locator('.parley-bubble')).toHaveText(
      `From our help center: ${refundChunk}`,
    );
    const sources = answer.getByRole('list', { name: 'Sources' });
    await expect(sources.getByRole('listitem')).toHaveText(['[1]refund-policy.md']);
    // Sim's `document` has no address column: the title is text, not a link.
    await expect(sources.getByRole('link')).toHaveCount(0);

    // The reply's event cites the chunk by its row's id.
    const [session] = await sql<{ id: string }[]>`
      select id from parley_session where agent_id = ${agent.body.id}`;
    const events = await callFromPage<{
      events: { source: string; data: { sources?: unknown } }[];
    }>(admin, 'GET', operatorRoute(`/v1/sessions/${session!.id}/events?kinds=message`, acmeId));
    expect(events.body.events.map((event) => event.data.sources)).toEqual([
      undefined,
      undefined,
      undefined,
      [{ title: 'refund-policy.md', passageId: chunk!.id, retrieverId: 'knowledge' }],
    ]);
  });
  test("an agent runs one of the workspace's workflows for a visitor, then answers the next question from its knowledge base", async ({
    browser,
  }) => {
    const admin = await signIn(browser, seeded.owner);
    const acmeId = await listedWorkspaceId(admin, 'Acme Support');
    const { agentId, triageId, at } = await setUpRefundDesk(admin, acmeId, {
      name: 'Refund desk',
      compositionMode: 'canned_strict',
    });
    // Strict canned mode (no model): the workflow's tool takes the order number from the
    // visitor's words by its pattern; a passage answers what no guideline covers.
    for (const template of [
      'Your refund request for {{triage_refund.orderNumber}} went to our {{triage_refund.queue}} team.',
      'From our help center: {{passage.text}}',
    ]) {
      expect(
        (await callFromPage(admin, 'POST', at('/canned-responses'), { template })).status,
      ).toBe(201);
    }
    await putOnSite(admin, acmeId, agentId);

    const { ask, replies } = await chatOnSite(browser, acmeId);

    // The workflow's result fills the reply to the request…
    await ask('I want a refund for order A-1042');
    await expect(replies).toHaveCount(1);
    await expect(replies.nth(0).locator('.parley-bubble')).toHaveText(
      'Your refund request for A-1042 went to our billing team.',
    );
    // …and the knowledge base answers the question after it, citing its document.
    await ask('When does express delivery reach me?');
    await expect(replies).toHaveCount(2);
    await expect(replies.nth(1).locator('.parley-bubble')).toHaveText(
      'From our help center: Express delivery reaches most European addresses the next working day.',
    );
    await expect(
      replies.nth(1).getByRole('list', { name: 'Sources' }).getByRole('listitem'),
    ).toHaveText(['[1]shipping.md']);

    // The run is recorded: Sim's workflow API (the run's stand-in) answered with the queue.
    await expectOneTriageRun(admin, acmeId, agentId, triageId);
  });

  test("with a model, the agent calls the workflow with the visitor's order number and cites the knowledge base in its reply", async ({
    browser,
  }) => {
    // The same build and database, served with `PARLEY_CHAT_MODEL` (`e2e/serve.ts`): its model
    // is the fake OpenAI server, whose answers this test scripts.
    const modelHost = process.env.SIM_HOST_E2E_MODEL_URL!;
    const fake = fakeModelAt(process.env.SIM_HOST_E2E_FAKE_CONTROL_URL!);
    const admin = await signIn(browser, seeded.owner, modelHost);
    const acmeId = await listedWorkspaceId(admin, 'Acme Support');
    const { agentId, triageId } = await setUpRefundDesk(admin, acmeId, {
      name: 'Refund desk with a model',
      compositionMode: 'fluid',
    });
    await putOnSite(admin, acmeId, agentId);
    const { ask, replies, preambles } = await chatOnSite(browser, acmeId, modelHost);
    const seen = (await fake.recorded()).length;

    // The refund guideline applies, the model calls its tool with the order number, then
    // writes the reply.
    await fake.enqueue({
      json: {
        guidelines: [{ id: 'g1', applies: true, alreadyApplied: false }],
        journey: { id: null, nextState: null },
        cannedResponse: null,
      },
    });
    await fake.enqueue({
      json: {
        calls: [
          {
            tool: 'triage_refund',
            call: true,
            arguments: '{"orderNumber":"A-1042"}',
            missingArguments: [],
          },
        ],
      },
    });
    await fake.enqueue({ text: 'Our billing team has your refund request for A-1042.' });
    await ask('I want a refund for order A-1042');
    await expect(replies).toHaveCount(1);
    await expect(replies.nth(0).locator('.parley-bubble')).toHaveText(
      'Our billing team has your refund request for A-1042.',
    );
    // A tool ran first: the agent said it was looking, with its default line.
    await expect(preambles.first().locator('.parley-bubble')).toHaveText('Let me look that up.');
    await expectOneTriageRun(admin, acmeId, agentId, triageId);

    // No guideline for delivery: the model answers from the passage the retriever found, and
    // cites it.
    await fake.queueTurn({ text: 'Express delivery reaches most addresses the next day [1].' });
    await ask('When does express delivery reach me?');
    await expect(replies).toHaveCount(2);
    await expect(replies.nth(1).locator('.parley-bubble')).toContainText(
      'Express delivery reaches most addresses the next day',
    );
    // The sources the model was given are listed in the order it numbered them: its `[1]` is
    // the shipping page.
    await expect(
      replies.nth(1).getByRole('list', { name: 'Sources' }).getByRole('listitem').first(),
    ).toHaveText('[1]shipping.md');

    // What the model was asked: each turn judged, the tool's arguments asked once, and each
    // reply's prompt carrying what it was written from (the workflow's result, the passage).
    const chats = (await fake.recorded())
      .slice(seen)
      .filter((request) => request.path.endsWith('/chat/completions'));
    expect(chats.map((request) => request.purpose)).toEqual([
      'guideline_judgement',
      'tool_calls',
      'text',
      'guideline_judgement',
      'text',
    ]);
    expect(JSON.stringify(chats[2]!.body)).toContain('billing');
    expect(JSON.stringify(chats[4]!.body)).toContain(
      'Express delivery reaches most European addresses the next working day.',
    );
  });
});

test("a signed-in user without permission on the workspace gets 404 from its operator routes, as if it didn't exist", async ({
  browser,
  request,
}) => {
  const owner = await signIn(browser, seeded.owner);
  const acmeId = await listedWorkspaceId(owner, 'Acme Support');
  const outsider = await signIn(browser, seeded.outsider);

  for (const [method, path, body] of [
    ['GET', '/v1/agents', undefined],
    ['POST', '/v1/agents', { name: 'Not mine' }],
    ['GET', '/v1/sessions', undefined],
    ['GET', '/v1/customers', undefined],
  ] as const) {
    const answer = await callFromPage<{ error: { code: string } }>(
      outsider,
      method,
      operatorRoute(path, acmeId),
      body,
    );
    expect(answer.status, `${method} ${path}`).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
  }
  // A workspace that does not exist answers the same.
  expect(
    (await callFromPage(outsider, 'GET', operatorRoute('/v1/agents', crypto.randomUUID()))).status,
  ).toBe(404);
  // Her own workspace is hers.
  const graceLab = await listedWorkspaceId(outsider, "Grace's Lab");
  expect((await callFromPage(outsider, 'GET', operatorRoute('/v1/agents', graceLab))).status).toBe(
    200,
  );
  // Without a session cookie: 401.
  expect((await request.get(operatorRoute('/v1/agents', acmeId))).status()).toBe(401);
});

test('deleting a workspace deletes every row Parley kept for it, and no other', async ({
  browser,
}) => {
  const email = newEmail('owner');
  const owner = await signIn(browser, email);
  const ownerId = await userIdOf(sql, email);
  const doomed = await createWorkspace(sql, 'Doomed Support', ownerId);
  const kept = await createWorkspace(sql, 'Kept Support', ownerId);
  for (const workspaceId of [doomed, kept]) {
    const { agentKey } = await setUpSupportAgent(owner, workspaceId);
    await openConversation(owner, workspaceId, agentKey, 'How do I get a refund?');
  }
  const before = await parleyRowsOf(doomed);
  for (const table of [
    'parley_agent',
    'parley_guideline',
    'parley_canned_response',
    'parley_agent_key',
    'parley_customer',
    'parley_session',
    'parley_event',
  ]) {
    expect(before[table], table).toBeGreaterThan(0);
  }
  const keptBefore = await parleyRowsOf(kept);

  // Only an admin deletes it: someone else gets the 404 its page gives.
  const outsider = await signIn(browser, newEmail('outsider'));
  expect((await callFromPage(outsider, 'DELETE', `/api/workspaces/${doomed}`)).status).toBe(404);
  expect((await callFromPage(owner, 'DELETE', `/api/workspaces/${doomed}`)).status).toBe(204);

  const after = await parleyRowsOf(doomed);
  expect(Object.values(after).every((count) => count === 0)).toBe(true);
  expect(await sql`select 1 from workspace where id = ${doomed}`).toHaveLength(0);
  expect(await sql`select 1 from permissions where entity_id = ${doomed}`).toHaveLength(0);
  expect(await parleyRowsOf(kept)).toEqual(keptBefore);
  expect((await callFromPage(owner, 'GET', operatorRoute('/v1/agents', doomed))).status).toBe(404);
});

test('deleting a user keeps the conversations of the agent they created, its creator unset', async ({
  browser,
}) => {
  // Not the owner: `workspace.owner_id` cascades from `user`, as in Sim, so deleting the owner
  // deletes the workspace (above). A second admin creates the agent and answers a customer.
  const ownerEmail = newEmail('owner');
  const owner = await signIn(browser, ownerEmail);
  const helperEmail = newEmail('second-admin');
  const helper = await signIn(browser, helperEmail);
  const helperId = await userIdOf(sql, helperEmail);
  const workspaceId = await createWorkspace(
    sql,
    'Shared Support',
    await userIdOf(sql, ownerEmail),
    {
      [helperId]: 'admin',
    },
  );
  const { agent, agentKey } = await setUpSupportAgent(helper, workspaceId);
  expect(agent.createdBy).toBe(helperId);
  const sessionId = await openConversation(helper, workspaceId, agentKey, 'How do I get a refund?');
  const answered = await callFromPage(
    helper,
    'POST',
    operatorRoute(`/v1/sessions/${sessionId}/events`, workspaceId),
    { kind: 'message', text: 'I have sent you the form as well.' },
  );
  expect(answered.status).toBe(201);
  const conversation = await messagesOf(owner, workspaceId, sessionId);
  expect(conversation).toEqual([
    { source: 'customer', text: 'How do I get a refund?' },
    { source: 'ai_agent', text: refundReply },
    { source: 'human_agent', text: 'I have sent you the form as well.' },
  ]);
  const before = await parleyRowsOf(workspaceId);

  // The host deletes the account (its `user` row: sessions and permissions cascade).
  await sql`delete from "user" where id = ${helperId}`;

  const [stored] = await sql<{ created_by: string | null }[]>`
    select created_by from parley_agent where id = ${agent.id}`;
  expect(stored).toEqual({ created_by: null });
  expect(await parleyRowsOf(workspaceId)).toEqual(before);
  expect(await messagesOf(owner, workspaceId, sessionId)).toEqual(conversation);
  const read = await callFromPage<{ createdBy: string | null }>(
    owner,
    'GET',
    operatorRoute(`/v1/agents/${agent.id}`, workspaceId),
  );
  expect(read.body.createdBy).toBeNull();
  // The deleted user's browser is signed out with the session row gone.
  expect((await callFromPage(helper, 'GET', operatorRoute('/v1/agents', workspaceId))).status).toBe(
    401,
  );
});
