import type { WorkflowExecution, WorkflowExecutionRequest } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  callExpecting,
  createHandlerKit,
  createShopAgent,
  type HandlerKit,
  operatorToken,
} from './handler-kit';

/**
 * The routes that link an agent to the host's workflows (`/v1/agents/:agentId/workflows`) and
 * list the runs of a session (`/v1/sessions/:sessionId/workflows`).
 */

const workspaceId = 'workflow-routes';
const otherWorkspaceId = 'workflow-routes-other';
const origin = 'https://shop.example';
let kit: HandlerKit;
let agentId: string;
let agentKey: string;
let tokens: { admin: string; write: string; read: string; outsider: string };
const executed: WorkflowExecutionRequest[] = [];

interface Link {
  id: string;
  agentId: string;
  workflowId: string;
  name: string;
  description: string;
  toolName: string | null;
  inputSchema: Record<string, unknown>;
  triggers: string[];
  timeoutMs: number;
  enabled: boolean;
}
interface Run {
  id: string;
  sessionId: string;
  agentWorkflowId: string | null;
  workflowId: string;
  trigger: string;
  status: string;
  output: unknown;
  executionId: string | null;
}
type Page<T> = { items: T[]; nextCursor: string | null };
type ErrorBody = {
  error: { code: string; message: string; details?: { issues?: Array<{ path: string }> } };
};

/** Calls a route and answers its JSON, failing on any other status (see `callExpecting`). */
const call = <T = unknown>(
  method: string,
  path: string,
  options: Parameters<typeof callExpecting>[3],
): Promise<T> => callExpecting<T>(kit, method, path, options);

const linksPath = (agent = agentId) => `/v1/agents/${agent}/workflows`;

/** The paths of a 400's issues, after checking it is a readable `validation_failed`. */
function issuePaths(body: ErrorBody, subject: string): string[] {
  expect(body.error.code).toBe('validation_failed');
  expect(body.error.message).toContain(`Invalid ${subject}`);
  return (body.error.details?.issues ?? []).map((issue) => issue.path);
}

beforeAll(async () => {
  kit = await createHandlerKit({
    engine: {
      workflowExecutor: {
        async execute(request): Promise<WorkflowExecution> {
          executed.push(request);
          if (request.workflowId === 'wf-triage') {
            return { output: { orderNumber: request.input.orderNumber ?? null, queue: 'billing' } };
          }
          return {
            output: { welcomed: request.sessionId },
            executionId: `exec-${executed.length}`,
          };
        },
      },
    },
  });
  tokens = {
    admin: await operatorToken({ workspaceId, role: 'admin', userId: 'admin' }),
    write: await operatorToken({ workspaceId, role: 'write', userId: 'writer' }),
    read: await operatorToken({ workspaceId, role: 'read', userId: 'reader' }),
    outsider: await operatorToken({ workspaceId: otherWorkspaceId, userId: 'outsider' }),
  };
  ({ agentId, agentKey } = await createShopAgent(kit, { workspaceId, allowedOrigins: [origin] }));
});
afterAll(async () => {
  await kit.close();
});

describe('workflow links', () => {
  it('are created with defaults, listed a page at a time, read, changed and archived', async () => {
    const created = await call<Link>('POST', linksPath(), {
      token: tokens.write,
      body: {
        workflowId: 'wf-refund',
        name: 'Refund',
        toolName: 'start_refund',
        inputSchema: { type: 'object', properties: { orderNumber: { type: 'string' } } },
      },
      status: 201,
    });
    expect(created).toMatchObject({
      agentId,
      workflowId: 'wf-refund',
      name: 'Refund',
      description: '',
      toolName: 'start_refund',
      triggers: [],
      timeoutMs: 30_000,
      enabled: true,
    });
    const second = await call<Link>('POST', linksPath(), {
      token: tokens.admin,
      body: { workflowId: 'wf-close', name: 'Survey', triggers: ['session_closed'] },
      status: 201,
    });
    expect(second.toolName).toBeNull();

    const first = await call<Page<Link>>('GET', `${linksPath()}?limit=1`, {
      token: tokens.read,
      status: 200,
    });
    expect(first.items.map((link) => link.id)).toEqual([created.id]);
    expect(first.nextCursor).not.toBeNull();
    const rest = await call<Page<Link>>(
      'GET',
      `${linksPath()}?limit=1&cursor=${encodeURIComponent(first.nextCursor as string)}`,
      { token: tokens.read, status: 200 },
    );
    expect(rest.items.map((link) => link.id)).toEqual([second.id]);

    const path = `${linksPath()}/${created.id}`;
    expect(await call<Link>('GET', path, { token: tokens.read, status: 200 })).toEqual(created);
    const changed = await call<Link>('PATCH', path, {
      token: tokens.write,
      body: { enabled: false, triggers: ['handoff_requested'], timeoutMs: 5000 },
      status: 200,
    });
    expect(changed).toMatchObject({
      enabled: false,
      triggers: ['handoff_requested'],
      timeoutMs: 5000,
      toolName: 'start_refund',
    });

    await call('DELETE', path, { token: tokens.write, status: 204 });
    await call('GET', path, { token: tokens.read, status: 404 });
    const listed = await call<Page<Link>>('GET', linksPath(), { token: tokens.read, status: 200 });
    expect(listed.items.map((link) => link.id)).toEqual([second.id]);
    // Archiving frees the tool name.
    await call('POST', linksPath(), {
      token: tokens.write,
      body: { workflowId: 'wf-refund-2', name: 'Refund again', toolName: 'start_refund' },
      status: 201,
    });
  });

  it('refuses a repeated tool name of the agent (409)', async () => {
    const body = { workflowId: 'wf-lookup', name: 'Lookup', toolName: 'lookup_account' };
    const kept = await call<Link>('POST', linksPath(), { token: tokens.write, body, status: 201 });
    const conflict = await call<ErrorBody>('POST', linksPath(), {
      token: tokens.write,
      body: { ...body, workflowId: 'wf-lookup-2' },
      status: 409,
    });
    expect(conflict.error.code).toBe('conflict');
    const other = await call<Link>('POST', linksPath(), {
      token: tokens.write,
      body: { workflowId: 'wf-other', name: 'Other', triggers: ['session_closed'] },
      status: 201,
    });
    await call('PATCH', `${linksPath()}/${other.id}`, {
      token: tokens.write,
      body: { toolName: 'lookup_account' },
      status: 409,
    });
    expect(
      await call<Link>('GET', `${linksPath()}/${kept.id}`, { token: tokens.read, status: 200 }),
    ).toEqual(kept);
  });

  it('refuses bodies that do not describe a link, naming the field (400)', async () => {
    const valid = { workflowId: 'wf-valid', name: 'Valid', toolName: 'valid_tool' };
    for (const [body, field] of [
      [{ workflowId: 'wf-none', name: 'No reason to run' }, 'toolName'],
      [{ ...valid, workflowId: undefined }, 'workflowId'],
      [{ ...valid, name: '' }, 'name'],
      [{ ...valid, toolName: '1 not an identifier' }, 'toolName'],
      [{ ...valid, triggers: ['session_paused'] }, 'triggers.0'],
      [{ ...valid, triggers: ['session_closed', 'session_closed'] }, 'triggers'],
      [{ ...valid, timeoutMs: 10 }, 'timeoutMs'],
      [{ ...valid, inputSchema: { type: 'string' } }, 'inputSchema'],
      [{ ...valid, enabled: 'yes' }, 'enabled'],
    ] as const) {
      const refusal = await call<ErrorBody>('POST', linksPath(), {
        token: tokens.write,
        body,
        status: 400,
      });
      expect(issuePaths(refusal, 'workflow link'), JSON.stringify(body)).toContain(field);
    }
    const link = await call<Link>('POST', linksPath(), {
      token: tokens.write,
      body: valid,
      status: 201,
    });
    const patch = await call<ErrorBody>('PATCH', `${linksPath()}/${link.id}`, {
      token: tokens.write,
      body: { toolName: null },
      status: 400,
    });
    expect(issuePaths(patch, 'workflow link update')).toContain('toolName');
    const timeout = await call<ErrorBody>('PATCH', `${linksPath()}/${link.id}`, {
      token: tokens.write,
      body: { timeoutMs: 'soon' },
      status: 400,
    });
    expect(issuePaths(timeout, 'workflow link update')).toContain('timeoutMs');
  });

  it('hide links of other agents and workspaces (404), and need write to change them (403)', async () => {
    const link = await call<Link>('POST', linksPath(), {
      token: tokens.write,
      body: { workflowId: 'wf-hidden', name: 'Hidden', toolName: 'hidden_tool' },
      status: 201,
    });
    const other = await call<{ id: string }>('POST', '/v1/agents', {
      token: tokens.admin,
      body: { name: 'Other agent' },
      status: 201,
    });
    const elsewhere = `${linksPath(other.id)}/${link.id}`;
    await call('GET', elsewhere, { token: tokens.admin, status: 404 });
    await call('PATCH', elsewhere, {
      token: tokens.admin,
      body: { name: 'Moved' },
      status: 404,
    });
    await call('DELETE', elsewhere, { token: tokens.admin, status: 404 });
    const path = `${linksPath()}/${link.id}`;
    for (const [method, target] of [
      ['GET', linksPath()],
      ['GET', path],
      ['DELETE', path],
    ] as const) {
      await call(method, target, { token: tokens.outsider, status: 404 });
    }
    await call('POST', linksPath(), {
      token: tokens.outsider,
      body: { workflowId: 'wf-x', name: 'X', toolName: 'x_tool' },
      status: 404,
    });
    await call('POST', linksPath(), {
      token: tokens.read,
      body: { workflowId: 'wf-x', name: 'X', toolName: 'x_tool' },
      status: 403,
    });
    await call('DELETE', path, { token: tokens.read, status: 403 });
    expect(await call<Link>('GET', path, { token: tokens.read, status: 200 })).toEqual(link);
  });
});

describe("a session's workflow runs", () => {
  it('list what ran when sessions started, opened by an operator, a widget or a backend', async () => {
    const link = await call<Link>('POST', linksPath(), {
      token: tokens.write,
      body: { workflowId: 'wf-welcome', name: 'Welcome', triggers: ['session_started'] },
      status: 201,
    });
    const byOperator = await call<{ id: string }>('POST', '/v1/sessions', {
      token: tokens.write,
      body: { agentId },
      status: 201,
    });
    const byWidget = await call<{ session: { id: string }; customerToken: string }>(
      'POST',
      '/v1/sessions',
      { body: { agentKey }, headers: { origin }, status: 201 },
    );
    const { secret } = await call<{ secret: string }>('POST', `/v1/agents/${agentId}/api-keys`, {
      token: tokens.admin,
      body: { name: 'Backend' },
      status: 201,
    });
    const byBackend = await call<{ session: { id: string } }>('POST', '/v1/sessions', {
      token: secret,
      body: { customer: { externalId: 'u-1' } },
      status: 201,
    });

    for (const sessionId of [byOperator.id, byWidget.session.id, byBackend.session.id]) {
      await vi.waitFor(async () => {
        const runs = await call<Page<Run>>('GET', `/v1/sessions/${sessionId}/workflows`, {
          token: tokens.read,
          status: 200,
        });
        expect(runs.items).toEqual([
          expect.objectContaining({
            sessionId,
            agentWorkflowId: link.id,
            workflowId: 'wf-welcome',
            trigger: 'session_started',
            status: 'succeeded',
            output: { welcomed: sessionId },
          }),
        ]);
        expect(runs.nextCursor).toBeNull();
      });
    }
    expect(
      executed.filter((request) => request.workflowId === 'wf-welcome').map((run) => run.sessionId),
    ).toHaveLength(3);

    // Paged; and only operators read them, in their own workspace.
    await call('POST', linksPath(), {
      token: tokens.write,
      body: { workflowId: 'wf-welcome-2', name: 'Welcome again', triggers: ['session_started'] },
      status: 201,
    });
    const twice = await call<{ id: string }>('POST', '/v1/sessions', {
      token: tokens.write,
      body: { agentId },
      status: 201,
    });
    const runsPath = `/v1/sessions/${twice.id}/workflows`;
    await vi.waitFor(async () => {
      const all = await call<Page<Run>>('GET', runsPath, { token: tokens.read, status: 200 });
      expect(all.items.filter((run) => run.status === 'succeeded')).toHaveLength(2);
    });
    const page = await call<Page<Run>>('GET', `${runsPath}?limit=1`, {
      token: tokens.read,
      status: 200,
    });
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    await call('GET', `${runsPath}?limit=0`, { token: tokens.read, status: 400 });
    await call('GET', runsPath, { token: tokens.outsider, status: 404 });
    await call('GET', '/v1/sessions/no-such-session/workflows', {
      token: tokens.read,
      status: 404,
    });
    await call('GET', `/v1/sessions/${byWidget.session.id}/workflows`, {
      token: byWidget.customerToken,
      headers: { origin },
      status: 404,
    });
    await call('GET', `/v1/sessions/${byBackend.session.id}/workflows`, {
      token: secret,
      status: 404,
    });
  });
});

describe("a guideline's tools", () => {
  it("names a workflow link's tool, so a customer's message runs the workflow (strict, no model)", async () => {
    const desk = await call<{ id: string }>('POST', '/v1/agents', {
      token: tokens.write,
      body: { name: 'Refund desk', compositionMode: 'canned_strict' },
      status: 201,
    });
    const at = (path: string) => `/v1/agents/${desk.id}${path}`;
    const inputSchema = {
      type: 'object',
      properties: { orderNumber: { type: 'string', pattern: '^A-\\d{4}$' } },
      required: ['orderNumber'],
    };
    await call('POST', at('/workflows'), {
      token: tokens.write,
      body: { workflowId: 'wf-triage', name: 'Triage', toolName: 'triage_refund', inputSchema },
      status: 201,
    });
    const declared = await call<{ id: string }>('POST', at('/tools'), {
      token: tokens.write,
      body: {
        name: 'triage_refund',
        description: 'Routes a refund request',
        parameters: inputSchema,
      },
      status: 201,
    });
    const guideline = await call<{ id: string }>('POST', at('/guidelines'), {
      token: tokens.write,
      body: {
        condition: 'the customer asks for a refund of an order',
        examples: ['I want a refund for order A-1234'],
      },
      status: 201,
    });
    const toolsPath = at(`/guidelines/${guideline.id}/tools`);
    expect(await call('GET', toolsPath, { token: tokens.read, status: 200 })).toEqual({
      toolIds: [],
    });
    expect(
      await call('PUT', toolsPath, {
        token: tokens.write,
        body: { toolIds: [declared.id] },
        status: 200,
      }),
    ).toEqual({ toolIds: [declared.id] });
    await call('POST', at('/canned-responses'), {
      token: tokens.write,
      body: {
        template: 'Your request for {{triage_refund.orderNumber}} went to {{triage_refund.queue}}.',
      },
      status: 201,
    });

    const opened = await call<{ session: { id: string }; customerToken: string }>(
      'POST',
      '/v1/sessions',
      {
        body: {
          agentKey: (
            await call<{ secret: string }>('POST', at('/keys'), {
              token: tokens.admin,
              body: { name: 'Site', allowedOrigins: [origin] },
              status: 201,
            })
          ).secret,
        },
        headers: { origin },
        status: 201,
      },
    );
    const sessionId = opened.session.id;
    await call('POST', `/v1/sessions/${sessionId}/events`, {
      token: opened.customerToken,
      headers: { origin },
      body: { text: 'I want a refund for order A-1042' },
      status: 201,
    });
    await vi.waitFor(async () => {
      const { events } = await call<{ events: Array<{ source: string; data: { text?: string } }> }>(
        'GET',
        `/v1/sessions/${sessionId}/events?kinds=message`,
        { token: tokens.read, status: 200 },
      );
      expect(events.map((event) => event.data.text)).toEqual([
        'I want a refund for order A-1042',
        'Your request for A-1042 went to billing.',
      ]);
    });
    const runs = await call<Page<Run>>('GET', `/v1/sessions/${sessionId}/workflows`, {
      token: tokens.read,
      status: 200,
    });
    expect(runs.items).toEqual([
      expect.objectContaining({ workflowId: 'wf-triage', trigger: 'tool', status: 'succeeded' }),
    ]);
  });

  it("refuses a tool the agent lacks, a repeated one, and another agent's guideline", async () => {
    const guideline = await call<{ id: string }>('POST', `/v1/agents/${agentId}/guidelines`, {
      token: tokens.write,
      body: { condition: 'the customer asks about gift cards' },
      status: 201,
    });
    const toolsPath = `/v1/agents/${agentId}/guidelines/${guideline.id}/tools`;
    const missing = await call<ErrorBody>('PUT', toolsPath, {
      token: tokens.write,
      body: { toolIds: ['not-a-tool'] },
      status: 404,
    });
    expect(missing.error.message).toContain('attach it to the agent first');
    const repeated = await call<ErrorBody>('PUT', toolsPath, {
      token: tokens.write,
      body: { toolIds: ['a', 'a'] },
      status: 400,
    });
    expect(issuePaths(repeated, 'guideline tools')).toEqual(['toolIds']);
    const other = await call<{ id: string }>('POST', '/v1/agents', {
      token: tokens.write,
      body: { name: 'Other desk' },
      status: 201,
    });
    await call('GET', `/v1/agents/${other.id}/guidelines/${guideline.id}/tools`, {
      token: tokens.read,
      status: 404,
    });
    await call('PUT', toolsPath, { token: tokens.read, body: { toolIds: [] }, status: 403 });
    await call('GET', toolsPath, { token: tokens.outsider, status: 404 });
  });
});
