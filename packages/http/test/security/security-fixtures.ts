import { type AgentApiKeyPermission, defineAgent, type Store, tool } from '@parley/core';
import type { PgliteStore } from '@parley/core/pglite';
import { expect } from 'vitest';
import { z } from 'zod';
import type { AccessLevel, ParleyHandlerOptions } from '../../src/index';
import type { HttpMethod } from '../../src/routing/router';
import { createHandlerKit, type HandlerKit, operatorToken } from '../handler-kit';

/**
 * Shared setup of the security tests: two workspaces holding one of everything, the table of
 * every route filled with their ids, a snapshot of every Parley table, and the assertions
 * every refusal must pass.
 */

/** The one tool both workspaces declare (tools are registered with the engine by name). */
const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Finds an order by its number',
  parameters: z.object({ orderNumber: z.string() }),
  handler: async ({ orderNumber }) => ({ orderNumber, status: 'shipped' }),
});

/** A session of a workspace and one of its events. */
export interface SessionFixture {
  sessionId: string;
  /** The customer message at offset 0. */
  eventId: string;
}

/** Everything one workspace holds, by id, and the tokens of its people. */
export interface WorkspaceFixture {
  workspaceId: string;
  agentId: string;
  guidelineId: string;
  secondGuidelineId: string;
  relationshipId: string;
  journeyId: string;
  variableId: string;
  /** A value of `variableId`, for the customers tagged `vip`. */
  variableValueId: string;
  termId: string;
  cannedResponseId: string;
  toolId: string;
  /** A host knowledge-base id linked to the agent. */
  knowledgeBaseId: string;
  /** A host knowledge-base id not linked to the agent: what `PUT …/knowledge-bases/:id` links. */
  spareKnowledgeBaseId: string;
  customerId: string;
  agentKeyId: string;
  /** The publishable key (`pk_…`) of `agentKeyId`. */
  agentKey: string;
  /** The only origin the agent key allows. */
  allowedOrigin: string;
  /** A link of the agent to a host workflow. */
  workflowLinkId: string;
  /** A secret key (`sk_…`) of the agent with every permission, issued over HTTP, and its id. */
  apiKey: string;
  apiKeyId: string;
  /** Secret keys of the agent holding every permission but one, by the one they lack. */
  apiKeysLacking: Record<AgentApiKeyPermission, string>;
  /** A second agent of the workspace, and a secret key of it with every permission. */
  otherAgentId: string;
  otherAgentApiKey: string;
  /** Secret keys of the agent that no longer work. */
  revokedApiKey: string;
  expiredApiKey: string;
  /** A session an operator opened, with a customer message and the agent's reply. */
  operatorSession: SessionFixture;
  /** A session a widget opened with the agent key, with a message and a reply. */
  widgetSession: SessionFixture;
  /** The customer token of `widgetSession`. */
  customerToken: string;
  /** Operator tokens of this workspace, by role. */
  tokens: Record<AccessLevel, string>;
}

/** What a table holds: its rows, their newest update and a digest of their content. */
export interface TableState {
  rows: number;
  lastUpdatedAt: string | null;
  digest: string;
}

/** Every Parley table's state, by table name. */
export type DatabaseSnapshot = Record<string, TableState>;

/** Runs SQL on the store's database; answers the rows. */
export type RawQuery = (sql: string) => Promise<Array<Record<string, unknown>>>;

/** A handler in front of two populated workspaces, and a way to see its whole database. */
export interface SecurityWorld {
  kit: HandlerKit;
  a: WorkspaceFixture;
  b: WorkspaceFixture;
  /** Row counts, `updated_at` maxima and content digests of every `parley_*` table. */
  snapshot(): Promise<DatabaseSnapshot>;
  /** Runs SQL straight on the store's database. */
  query: RawQuery;
  /** Opens one more widget session of `fixture`'s agent key; answers its customer token. */
  openWidgetSession(
    fixture: WorkspaceFixture,
    agentKey?: string,
  ): Promise<{ sessionId: string; customerToken: string }>;
  close(): Promise<void>;
}

/** Options of {@link createSecurityWorld}. */
export interface SecurityWorldOptions {
  /** A store other than a fresh PGlite (PostgreSQL, say), with the SQL runner of its database. */
  store?: { store: Store; query: RawQuery };
  /** Handler options, e.g. another verifier. */
  handler?: Partial<ParleyHandlerOptions>;
}

const allPermissions: readonly AgentApiKeyPermission[] = [
  'sessions:write',
  'messages:write',
  'events:read',
];

/** Answers a response's JSON after checking its status, with the body in the failure message. */
async function expectStatus(response: Response, status: number): Promise<unknown> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return text.length > 0 ? JSON.parse(text) : null;
}

/**
 * Builds the world: workspaces `security-a` and `security-b`, each with an agent synced from
 * code (two guidelines, a relationship, a journey, a variable, a term, a canned response, a
 * tool) and a linked knowledge base and workflow, a customer, an agent key and a secret key
 * issued over HTTP (and secret keys lacking a permission, revoked, expired, or of a second
 * agent), an operator session and a widget session that each hold a finished turn, and
 * operator tokens of every role.
 */
export async function createSecurityWorld(
  options: SecurityWorldOptions = {},
): Promise<SecurityWorld> {
  const kit = await createHandlerKit({
    engine: { fallbackReply: 'Sorry, I can only help with orders.' },
    handler: options.handler,
    // The kit types its store as PGlite only because that is its default; any Store serves.
    ...(options.store ? { store: options.store.store as PgliteStore } : {}),
  });
  const query: RawQuery =
    options.store?.query ??
    (async (sql) => (await kit.store.client.query<Record<string, unknown>>(sql)).rows);

  async function openWidgetSession(fixture: WorkspaceFixture, agentKey = fixture.agentKey) {
    const opened = await kit.call('POST', '/v1/sessions', {
      body: { agentKey },
      headers: { origin: fixture.allowedOrigin },
    });
    const body = (await expectStatus(opened, 201)) as {
      session: { id: string };
      customerToken: string;
    };
    return { sessionId: body.session.id, customerToken: body.customerToken };
  }

  async function populate(workspaceId: string): Promise<WorkspaceFixture> {
    const report = await kit.engine.sync(
      workspaceId,
      defineAgent({
        name: 'Shop',
        compositionMode: 'canned_strict',
        tools: [lookupOrder],
        guidelines: [
          {
            key: 'hours',
            condition: 'the customer asks about opening hours',
            action: 'give the opening hours',
            examples: ['when are you open'],
          },
          {
            key: 'orders',
            condition: 'the customer asks where their order is',
            action: 'look the order up',
            tools: ['lookup_order'],
          },
        ],
        relationships: [{ kind: 'entailment', source: 'hours', target: 'orders' }],
        journeys: [
          {
            key: 'returns',
            title: 'Return an item',
            conditions: ['the customer wants to return an item'],
            initialState: 'ask',
            states: [
              { key: 'ask', kind: 'chat', action: 'ask for the order number' },
              { key: 'done', kind: 'end' },
            ],
            transitions: [{ from: 'ask', to: 'done', condition: 'the customer gave it' }],
          },
        ],
        variables: [{ name: 'plan', defaultValue: 'basic' }],
        terms: [{ name: 'Parcel', description: 'A package we ship' }],
        cannedResponses: [{ template: 'We are open from 9 to 17.' }],
      }),
    );
    const agentId = report.agent.id;
    const workspace = kit.engine.forWorkspace(workspaceId);
    const guidelines = (await workspace.guidelines.list({ agentId })).items;
    const byKey = (key: string) => guidelines.find((guideline) => guideline.key === key)?.id;
    const [relationship] = (await workspace.relationships.list({ agentId })).items;
    const [journey] = (await workspace.journeys.list({ agentId })).items;
    const [variable] = (await workspace.variables.list({ agentId })).items;
    const variableValue = await workspace.variables.setValue(
      variable?.id as string,
      { scope: 'customer_tag', tag: 'vip' },
      'gold',
    );
    const [term] = (await workspace.terms.list({ agentId })).items;
    const [cannedResponse] = (await workspace.cannedResponses.list({ agentId })).items;
    const [attachedTool] = await workspace.agents.listTools(agentId);
    const knowledgeBaseId = `kb-${workspaceId}`;
    await workspace.agents.attachKnowledgeBase(agentId, knowledgeBaseId);
    const customer = await workspace.customers.create({ name: 'Ada', externalId: 'ada-1' });

    const tokens = {
      read: await operatorToken({ workspaceId, role: 'read', userId: `${workspaceId}-reader` }),
      write: await operatorToken({ workspaceId, role: 'write', userId: `${workspaceId}-writer` }),
      admin: await operatorToken({ workspaceId, role: 'admin', userId: `${workspaceId}-admin` }),
    };
    const allowedOrigin = `https://shop.${workspaceId}.example`;
    const issued = (await expectStatus(
      await kit.call('POST', `/v1/agents/${agentId}/keys`, {
        token: tokens.admin,
        body: { name: 'Website', allowedOrigins: [allowedOrigin] },
      }),
      201,
    )) as { id: string; secret: string };
    const workflowLink = await workspace.agentWorkflows.create({
      agentId,
      workflowId: `wf-refund-${workspaceId}`,
      name: 'Refund',
      toolName: 'start_refund',
    });
    const issuedApiKey = (await expectStatus(
      await kit.call('POST', `/v1/agents/${agentId}/api-keys`, {
        token: tokens.admin,
        body: { name: 'Backend' },
      }),
      201,
    )) as { apiKey: { id: string }; secret: string };
    const lacking = async (permission: AgentApiKeyPermission) =>
      (
        await workspace.agentApiKeys.issue({
          agentId,
          name: `Backend without ${permission}`,
          permissions: allPermissions.filter((candidate) => candidate !== permission),
        })
      ).secret;
    const otherAgent = await workspace.agents.create({ name: 'Other agent' });
    const revoked = await workspace.agentApiKeys.issue({ agentId, name: 'Revoked backend' });
    await workspace.agentApiKeys.revoke(revoked.apiKey.id);
    const expired = await workspace.agentApiKeys.issue({
      agentId,
      name: 'Expired backend',
      expiresAt: new Date(Date.now() - 60_000),
    });

    // Each session holds a finished turn, so nothing runs in the background while tests
    // compare snapshots.
    const converse = async (sessionId: string): Promise<SessionFixture> => {
      const posted = await workspace.sessions.postCustomerMessage(sessionId, {
        text: 'when are you open?',
        clientMessageId: `fixture-${sessionId}`,
      });
      await posted.turn;
      return { sessionId, eventId: posted.event.id };
    };
    const operatorSession = await converse(
      (await workspace.sessions.create({ agentId, customerId: customer.id })).id,
    );
    const fixture: WorkspaceFixture = {
      workspaceId,
      agentId,
      guidelineId: byKey('hours') as string,
      secondGuidelineId: byKey('orders') as string,
      relationshipId: relationship?.id as string,
      journeyId: journey?.id as string,
      variableId: variable?.id as string,
      variableValueId: variableValue.id,
      termId: term?.id as string,
      cannedResponseId: cannedResponse?.id as string,
      toolId: attachedTool?.id as string,
      knowledgeBaseId,
      spareKnowledgeBaseId: `kb-spare-${workspaceId}`,
      customerId: customer.id,
      agentKeyId: issued.id,
      agentKey: issued.secret,
      allowedOrigin,
      workflowLinkId: workflowLink.id,
      apiKey: issuedApiKey.secret,
      apiKeyId: issuedApiKey.apiKey.id,
      apiKeysLacking: {
        'sessions:write': await lacking('sessions:write'),
        'messages:write': await lacking('messages:write'),
        'events:read': await lacking('events:read'),
      },
      otherAgentId: otherAgent.id,
      otherAgentApiKey: (
        await workspace.agentApiKeys.issue({ agentId: otherAgent.id, name: 'Other backend' })
      ).secret,
      revokedApiKey: revoked.secret,
      expiredApiKey: expired.secret,
      operatorSession,
      widgetSession: operatorSession,
      customerToken: '',
      tokens,
    };
    const widget = await openWidgetSession(fixture);
    fixture.widgetSession = await converse(widget.sessionId);
    fixture.customerToken = widget.customerToken;
    for (const [name, value] of Object.entries(fixture)) {
      if (value === undefined || value === '') throw new Error(`fixture ${name} is missing`);
    }
    return fixture;
  }

  const a = await populate('security-a');
  const b = await populate('security-b');

  const tables = await query(
    `select table_name,
            bool_or(column_name = 'updated_at') as has_updated_at
       from information_schema.columns
      where table_schema = current_schema()
        and table_name like 'parley\\_%'
        and table_name <> 'parley_migrations'
      group by table_name
      order by table_name`,
  );
  if (tables.length < 17) throw new Error(`found only ${tables.length} Parley tables`);
  // One statement for every table: each row's text, sorted, hashed; so any change shows,
  // even one that forgets to move `updated_at`.
  const snapshotSql = tables
    .map(
      ({ table_name: table, has_updated_at: hasUpdatedAt }) =>
        `select '${table}' as table_name, count(*)::int as row_count,
                ${hasUpdatedAt ? 'max(t.updated_at)::text' : 'null::text'} as last_updated_at,
                md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as digest
           from "${table}" t`,
    )
    .join(' union all ');

  return {
    kit,
    a,
    b,
    openWidgetSession,
    query,
    async snapshot() {
      const rows = await query(snapshotSql);
      return Object.fromEntries(
        rows.map((row) => [
          row.table_name as string,
          {
            rows: Number(row.row_count),
            lastUpdatedAt: (row.last_updated_at as string | null) ?? null,
            digest: row.digest as string,
          },
        ]),
      );
    },
    close: () => kit.close(),
  };
}

/** Who may call a route. */
export type RouteAccess =
  /** Anyone: health, readiness, metrics. */
  | 'public'
  /** An operator of the workspace at `level`. */
  | 'operator'
  /** The session's customer, or an operator of its workspace at `level`. */
  | 'session'
  /** The session's customer only (token renewal). */
  | 'customer';

/** One route of the handler, filled with a workspace's ids. */
export interface MatrixRoute {
  method: HttpMethod;
  /** As registered, e.g. `/v1/agents/:agentId/guidelines/:id`. */
  pattern: string;
  /** Which id fills a `:named` segment, when not the id of the same name (`id` → `guidelineId`). */
  parameters?: Record<string, keyof RouteIds>;
  /** The pattern with the workspace's ids, under the base path. */
  path: string;
  /** A valid JSON body, for the routes that read one. */
  body?: Record<string, unknown>;
  /** A string field of `body` with a length limit: what hostile strings go into. */
  textField?: string;
  access: RouteAccess;
  /** The operator level the route needs. */
  level?: AccessLevel;
  /** The status of the workspace's admin (or, for `customer`, its customer) calling it. */
  success: number;
  /** Reads a query string of numbers (`limit`, `after`, `wait`) that must be validated. */
  numericQuery?: readonly string[];
  /**
   * What a secret key needs to call the route (the agent's own sessions only); without it, the
   * route does not exist for secret keys (404).
   */
  serverPermission?: AgentApiKeyPermission;
  /** The body a secret key sends, when not `body`. */
  serverBody?: Record<string, unknown>;
}

/** Ids a route table is filled with: a workspace's records and one of its sessions. */
export type RouteIds = WorkspaceFixture & SessionFixture;

const journeyDocument = {
  title: 'Exchange an item',
  conditions: ['the customer wants to exchange an item'],
  initialState: 'ask',
  states: [
    { key: 'ask', kind: 'chat', action: 'ask which item to exchange' },
    { key: 'done', kind: 'end' },
  ],
  transitions: [{ from: 'ask', to: 'done' }],
};

/**
 * Every route the handler serves, with a valid body and what each caller gets. Kept complete
 * by a test that compares it with the routes the route modules register.
 */
export function routeTable(ids: RouteIds): MatrixRoute[] {
  const routes: Array<Omit<MatrixRoute, 'path'>> = [
    { method: 'GET', pattern: '/v1/health', access: 'public', success: 200 },
    ...(
      [
        '/v1/health/database',
        '/v1/health/engine',
        '/v1/health/engine/agents',
        '/v1/health/auth',
        '/v1/health/dashboard',
        '/v1/health/dashboard/summary',
      ] as const
    ).map((pattern) => ({
      method: 'GET' as const,
      pattern,
      access: 'operator' as const,
      level: 'read' as const,
      success: 200,
    })),
    {
      method: 'GET',
      pattern: '/v1/health/auth/validate',
      access: 'operator',
      level: 'admin',
      success: 200,
    },
    { method: 'GET', pattern: '/v1/ready', access: 'public', success: 200 },
    { method: 'GET', pattern: '/v1/metrics', access: 'public', success: 200 },

    {
      method: 'GET',
      pattern: '/v1/agents',
      access: 'operator',
      level: 'read',
      success: 200,
      numericQuery: ['limit'],
    },
    {
      method: 'POST',
      pattern: '/v1/agents',
      access: 'operator',
      level: 'write',
      success: 201,
      body: { name: 'Matrix agent' },
      textField: 'name',
    },
    {
      method: 'GET',
      pattern: '/v1/agents/:agentId',
      access: 'operator',
      level: 'read',
      success: 200,
    },
    {
      method: 'PATCH',
      pattern: '/v1/agents/:agentId',
      access: 'operator',
      level: 'write',
      success: 200,
      body: { description: 'Updated by the matrix' },
      textField: 'description',
    },
    {
      method: 'DELETE',
      pattern: '/v1/agents/:agentId',
      access: 'operator',
      level: 'admin',
      success: 204,
    },
  ];

  const collection = (
    segment: string,
    idKey: keyof RouteIds,
    create: Record<string, unknown>,
    createField: string,
    patch: Record<string, unknown> | null,
    patchField: string,
  ) => {
    const base = `/v1/agents/:agentId/${segment}`;
    routes.push(
      {
        method: 'GET',
        pattern: base,
        access: 'operator',
        level: 'read',
        success: 200,
        numericQuery: ['limit'],
      },
      {
        method: 'POST',
        pattern: base,
        access: 'operator',
        level: 'write',
        success: 201,
        body: create,
        textField: createField,
      },
      {
        method: 'GET',
        pattern: `${base}/:id`,
        parameters: { id: idKey },
        access: 'operator',
        level: 'read',
        success: 200,
      },
      patch
        ? {
            method: 'PATCH',
            pattern: `${base}/:id`,
            parameters: { id: idKey },
            access: 'operator',
            level: 'write',
            success: 200,
            body: patch,
            textField: patchField,
          }
        : // Relationships cannot be changed: archive one and create another.
          {
            method: 'PATCH',
            pattern: `${base}/:id`,
            parameters: { id: idKey },
            access: 'operator',
            level: 'write',
            success: 405,
          },
    );
    if (segment === 'journeys') {
      routes.push({
        method: 'PUT',
        pattern: `${base}/:id`,
        parameters: { id: idKey },
        access: 'operator',
        level: 'write',
        success: 200,
        body: journeyDocument,
        textField: 'title',
      });
    }
    routes.push({
      method: 'DELETE',
      pattern: `${base}/:id`,
      parameters: { id: idKey },
      access: 'operator',
      level: 'write',
      success: 204,
    });
  };
  collection(
    'guidelines',
    'guidelineId',
    { condition: 'the customer asks for a refund', action: 'explain the refund policy' },
    'condition',
    { action: 'explain the refund policy in short' },
    'action',
  );
  routes.push(
    {
      method: 'GET',
      pattern: '/v1/agents/:agentId/guidelines/:id/tools',
      parameters: { id: 'guidelineId' },
      access: 'operator',
      level: 'read',
      success: 200,
    },
    {
      method: 'PUT',
      pattern: '/v1/agents/:agentId/guidelines/:id/tools',
      parameters: { id: 'guidelineId' },
      access: 'operator',
      level: 'write',
      success: 200,
      body: { toolIds: [ids.toolId] },
    },
  );
  collection(
    'relationships',
    'relationshipId',
    {
      kind: 'priority',
      sourceGuidelineId: ids.secondGuidelineId,
      targetGuidelineId: ids.guidelineId,
    },
    'sourceGuidelineId',
    null,
    '',
  );
  collection(
    'journeys',
    'journeyId',
    { ...journeyDocument, key: 'exchange' },
    'title',
    { description: 'Returns, step by step' },
    'description',
  );
  collection(
    'variables',
    'variableId',
    { name: 'matrix_variable', description: 'Set by the matrix' },
    'description',
    { description: 'The plan the customer pays for' },
    'description',
  );
  routes.push(
    {
      method: 'GET',
      pattern: '/v1/agents/:agentId/variables/:id/values',
      parameters: { id: 'variableId' },
      access: 'operator',
      level: 'read',
      success: 200,
    },
    {
      method: 'PUT',
      pattern: '/v1/agents/:agentId/variables/:id/values',
      parameters: { id: 'variableId' },
      access: 'operator',
      level: 'write',
      success: 200,
      body: { scope: 'customer_tag', tag: 'eu', value: 'premium' },
      textField: 'tag',
    },
    {
      method: 'DELETE',
      pattern: '/v1/agents/:agentId/variables/:id/values/:valueId',
      parameters: { id: 'variableId', valueId: 'variableValueId' },
      access: 'operator',
      level: 'write',
      success: 204,
    },
  );
  collection(
    'terms',
    'termId',
    { name: 'Matrix', description: 'A table of routes' },
    'description',
    { description: 'A box we ship' },
    'description',
  );
  collection(
    'canned-responses',
    'cannedResponseId',
    { template: 'The matrix says hello.' },
    'template',
    { template: 'We are open from 9 to 18.' },
    'template',
  );
  collection(
    'tools',
    'toolId',
    { name: 'matrix_tool', description: 'A tool the matrix declares' },
    'description',
    { description: 'Finds an order by its number, quickly' },
    'description',
  );
  routes.push(
    {
      method: 'GET',
      pattern: '/v1/agents/:agentId/knowledge-bases',
      access: 'operator',
      level: 'read',
      success: 200,
    },
    {
      method: 'POST',
      pattern: '/v1/agents/:agentId/knowledge-bases',
      access: 'operator',
      level: 'write',
      success: 201,
      body: { knowledgeBaseId: 'matrix-knowledge-base' },
      textField: 'knowledgeBaseId',
    },
    {
      method: 'PUT',
      pattern: '/v1/agents/:agentId/knowledge-bases/:knowledgeBaseId',
      parameters: { knowledgeBaseId: 'spareKnowledgeBaseId' },
      access: 'operator',
      level: 'write',
      success: 201,
    },
    {
      method: 'DELETE',
      pattern: '/v1/agents/:agentId/knowledge-bases/:knowledgeBaseId',
      access: 'operator',
      level: 'write',
      success: 204,
    },
  );
  collection(
    'keys',
    'agentKeyId',
    { name: 'Matrix key', allowedOrigins: ['https://matrix.example'] },
    'name',
    { name: 'Renamed key' },
    'name',
  );
  collection(
    'api-keys',
    'apiKeyId',
    { name: 'Matrix secret key', permissions: ['events:read'] },
    'name',
    { name: 'Renamed secret key' },
    'name',
  );
  collection(
    'workflows',
    'workflowLinkId',
    { workflowId: 'wf-matrix', name: 'Matrix workflow', toolName: 'matrix_workflow' },
    'name',
    { description: 'Runs when the matrix asks' },
    'description',
  );
  for (const route of routes) {
    if (/^\/v1\/agents\/:agentId\/(api-)?keys/.test(route.pattern)) {
      // Publishable and secret keys are an admin's business, reading them included; revoking
      // one answers it.
      route.level = 'admin';
      if (route.method === 'DELETE') route.success = 200;
    }
    if (route.pattern === '/v1/agents/:agentId/tools' && route.method === 'GET') {
      // Tools attached to an agent come in one page: the listing takes no paging query.
      delete route.numericQuery;
    }
  }

  routes.push(
    {
      method: 'GET',
      pattern: '/v1/customers',
      access: 'operator',
      level: 'read',
      success: 200,
      numericQuery: ['limit'],
    },
    {
      method: 'POST',
      pattern: '/v1/customers',
      access: 'operator',
      level: 'write',
      success: 201,
      body: { name: 'Matrix customer', externalId: 'matrix-1' },
      textField: 'name',
    },
    {
      method: 'GET',
      pattern: '/v1/customers/:customerId',
      access: 'operator',
      level: 'read',
      success: 200,
    },
    {
      method: 'PATCH',
      pattern: '/v1/customers/:customerId',
      access: 'operator',
      level: 'write',
      success: 200,
      body: { name: 'Ada Lovelace' },
      textField: 'name',
    },
    {
      method: 'DELETE',
      pattern: '/v1/customers/:customerId',
      access: 'operator',
      level: 'admin',
      success: 204,
    },

    {
      method: 'POST',
      pattern: '/v1/sessions',
      access: 'operator',
      level: 'write',
      success: 201,
      body: { agentId: ids.agentId, title: 'Matrix session' },
      textField: 'title',
      serverPermission: 'sessions:write',
      serverBody: {
        agentId: ids.agentId,
        customer: { externalId: 'matrix-backend-customer' },
        title: 'Matrix session',
      },
    },
    {
      method: 'GET',
      pattern: '/v1/sessions',
      access: 'operator',
      level: 'read',
      success: 200,
      numericQuery: ['limit'],
    },
    {
      method: 'GET',
      pattern: '/v1/sessions/:sessionId',
      access: 'session',
      level: 'read',
      success: 200,
      serverPermission: 'events:read',
    },
    {
      method: 'PATCH',
      pattern: '/v1/sessions/:sessionId',
      access: 'operator',
      level: 'write',
      success: 200,
      body: { title: 'Renamed session' },
      textField: 'title',
    },
    {
      method: 'GET',
      pattern: '/v1/sessions/:sessionId/events',
      access: 'session',
      level: 'read',
      success: 200,
      numericQuery: ['after', 'limit', 'wait'],
      serverPermission: 'events:read',
    },
    {
      method: 'POST',
      pattern: '/v1/sessions/:sessionId/events',
      access: 'session',
      level: 'write',
      success: 201,
      body: { kind: 'message', text: 'An operator writes' },
      textField: 'text',
      serverPermission: 'messages:write',
      serverBody: { text: 'A backend writes', clientMessageId: 'matrix-backend' },
    },
    {
      method: 'GET',
      pattern: '/v1/sessions/:sessionId/stream',
      access: 'session',
      level: 'read',
      success: 200,
      numericQuery: ['after'],
      serverPermission: 'events:read',
    },
    {
      method: 'POST',
      pattern: '/v1/sessions/:sessionId/cancel',
      access: 'session',
      level: 'write',
      success: 204,
    },
    {
      method: 'POST',
      pattern: '/v1/sessions/:sessionId/retry',
      access: 'session',
      level: 'write',
      success: 202,
    },
    {
      method: 'GET',
      pattern: '/v1/sessions/:sessionId/agent',
      access: 'session',
      level: 'read',
      success: 200,
    },
    { method: 'POST', pattern: '/v1/sessions/:sessionId/token', access: 'customer', success: 200 },
    {
      method: 'POST',
      pattern: '/v1/sessions/:sessionId/events/:eventId/feedback',
      access: 'session',
      level: 'write',
      success: 201,
      body: { rating: 'up', comment: 'Helpful' },
      textField: 'comment',
    },
    {
      method: 'GET',
      pattern: '/v1/sessions/:sessionId/workflows',
      access: 'operator',
      level: 'read',
      success: 200,
      numericQuery: ['limit'],
    },
  );

  return routes.map((route) => ({ ...route, path: fill(route, ids) }));
}

/** A route's pattern with its `:named` segments replaced by ids. */
function fill(route: Omit<MatrixRoute, 'path'>, ids: RouteIds): string {
  const { pattern } = route;
  return pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const key = route.parameters?.[name] ?? name;
    const value = (ids as unknown as Record<string, unknown>)[key];
    if (typeof value !== 'string') throw new Error(`no id for :${name} in ${pattern}`);
    return encodeURIComponent(value);
  });
}

/** The error envelope every refusal carries. */
export interface ErrorBody {
  error: { code: string; message: string; reason?: string; details?: unknown; requestId: string };
}

/**
 * Checks a refusal: its status, the error envelope `{ error: { code, message, requestId } }`
 * with a readable message, and `x-request-id` equal to `requestId`. Answers the envelope and
 * its raw text (to look for leaks in).
 */
export async function expectRefusal(
  response: Response,
  status: number,
  context = '',
): Promise<{ body: ErrorBody; text: string }> {
  const text = await response.text();
  expect(response.status, `${context} → ${text}`).toBe(status);
  expect(response.headers.get('content-type'), context).toMatch(/^application\/json/);
  const body = JSON.parse(text) as ErrorBody;
  expect(body.error, context).toEqual(
    expect.objectContaining({
      code: expect.any(String),
      message: expect.stringMatching(/\w{3,}/),
      requestId: expect.any(String),
    }),
  );
  expect(body.error.requestId.length, context).toBeGreaterThan(0);
  expect(response.headers.get('x-request-id'), context).toBe(body.error.requestId);
  return { body, text };
}

/**
 * Ids that name themselves (`placeholder-agentId`): a route table can be built with them
 * while tests are collected, before any fixture exists.
 */
export const placeholderIds = new Proxy({} as RouteIds, {
  get: (_, name) => (typeof name === 'string' ? `placeholder-${name}` : undefined),
});

/** A route as `METHOD /pattern`, e.g. `GET /v1/agents/:agentId`. */
export function routeKey(route: { method: string; pattern: string }): string {
  return `${route.method} ${route.pattern}`;
}
