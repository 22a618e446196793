import {
  agentApiKeyInputSchema,
  agentApiKeyPatchSchema,
  agentInputSchema,
  agentKeyInputSchema,
  agentKeyPatchSchema,
  agentPatchSchema,
  agentWorkflowInputSchema,
  agentWorkflowPatchSchema,
  cannedResponseInputSchema,
  cannedResponseListFilterSchema,
  cannedResponsePatchSchema,
  customerInputSchema,
  customerListFilterSchema,
  customerPatchSchema,
  guidelineInputSchema,
  guidelineListFilterSchema,
  guidelinePatchSchema,
  journeyDocumentSchema,
  journeyInputSchema,
  journeyPatchSchema,
  knowledgeBaseIdSchema,
  ParleyError,
  relationshipInputSchema,
  relationshipListFilterSchema,
  termInputSchema,
  termPatchSchema,
  toolInputSchema,
  toolPatchSchema,
  type VariableTarget,
  type VariableValue,
  validationError,
  variableInputSchema,
  variablePatchSchema,
  variableTargetSchema,
  type WorkspaceEngine,
} from '@parley/core';
import { z } from 'zod';
import type { AccessLevel, OperatorPrincipal } from '../principals/principal';
import { wholeNumberParameter } from '../request/query-numbers';
import { readJsonBody } from '../request/read-json-body';
import type { Router } from '../routing/router';
import {
  emptyResponse,
  jsonResponse,
  type RouteContext,
  type RouteHandler,
  requireOperator,
} from './route-context';

function parse<TSchema extends z.ZodType>(
  schema: TSchema,
  value: unknown,
  subject: string,
): z.output<TSchema> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(subject, result.error);
  return result.data;
}

/** An agent as an operator creates it: everything but its author, who is the operator. */
const agentAuthoredInputSchema = agentInputSchema.omit({ createdBy: true });

const pageQuerySchema = z.object({
  cursor: z.string().max(512).optional(),
  limit: wholeNumberParameter(1, 200).optional(),
});

const bodyOf = (context: RouteContext) =>
  readJsonBody(context.request, context.services.maxBodyBytes);
const pageOf = (context: RouteContext) =>
  parse(pageQuerySchema, Object.fromEntries(context.url.searchParams), 'listing');

interface AgentOwned {
  agentId: string;
}

/** The record operations an agent's collection route needs, whatever the record. */
interface AgentCollection {
  /** The path segment: `guidelines`, `canned-responses`… */
  segment: string;
  entity: string;
  /** Level needed to change it; reading is always `read`. */
  writeLevel: AccessLevel;
  repository: (workspace: WorkspaceEngine) => {
    get(id: string): Promise<unknown>;
    list(options: never): Promise<unknown>;
    create(input: never): Promise<unknown>;
    update?(id: string, patch: never): Promise<unknown>;
    archive(id: string): Promise<void>;
  };
  inputSchema: z.ZodType;
  patchSchema?: z.ZodType;
  /** Query filters of its listing besides the agent (`?tag=`, `?kind=`…). */
  listFilterSchema?: z.ZodObject;
  /** A full replacement (PUT); only journeys are documents. */
  replace?: (workspace: WorkspaceEngine, id: string, body: unknown) => Promise<unknown>;
}

const collections: AgentCollection[] = [
  {
    segment: 'guidelines',
    entity: 'guideline',
    writeLevel: 'write',
    repository: (workspace) => workspace.guidelines,
    inputSchema: guidelineInputSchema,
    patchSchema: guidelinePatchSchema,
    listFilterSchema: guidelineListFilterSchema.omit({ agentId: true }).extend({
      enabled: z
        .enum(['true', 'false'])
        .transform((value) => value === 'true')
        .optional(),
    }),
  },
  {
    segment: 'relationships',
    entity: 'relationship',
    writeLevel: 'write',
    repository: (workspace) => workspace.relationships,
    inputSchema: relationshipInputSchema,
    listFilterSchema: relationshipListFilterSchema.omit({ agentId: true }),
  },
  {
    segment: 'journeys',
    entity: 'journey',
    writeLevel: 'write',
    repository: (workspace) => workspace.journeys,
    inputSchema: journeyInputSchema,
    patchSchema: journeyPatchSchema,
    replace: (workspace, id, body) =>
      workspace.journeys.replace(id, parse(journeyDocumentSchema, body, 'journey')),
  },
  {
    segment: 'variables',
    entity: 'variable',
    writeLevel: 'write',
    repository: (workspace) => workspace.variables,
    inputSchema: variableInputSchema,
    patchSchema: variablePatchSchema,
  },
  {
    segment: 'terms',
    entity: 'term',
    writeLevel: 'write',
    repository: (workspace) => workspace.terms,
    inputSchema: termInputSchema,
    patchSchema: termPatchSchema,
  },
  {
    segment: 'canned-responses',
    entity: 'canned response',
    writeLevel: 'write',
    repository: (workspace) => workspace.cannedResponses,
    inputSchema: cannedResponseInputSchema,
    patchSchema: cannedResponsePatchSchema,
    listFilterSchema: cannedResponseListFilterSchema.omit({ agentId: true }),
  },
  {
    // Links to the host's workflows (Sim's), as tools and on session events; their runs are
    // listed per session (`GET /v1/sessions/:sessionId/workflows`).
    segment: 'workflows',
    entity: 'workflow link',
    writeLevel: 'write',
    repository: (workspace) => workspace.agentWorkflows,
    inputSchema: agentWorkflowInputSchema,
    patchSchema: agentWorkflowPatchSchema,
  },
];

/** A record of the agent in the path; one of another agent (or workspace) is not found. */
async function getOwned(
  collection: AgentCollection,
  workspace: WorkspaceEngine,
  agentId: string,
  id: string,
) {
  const record = (await collection.repository(workspace).get(id)) as AgentOwned;
  if (record.agentId !== agentId)
    throw new ParleyError('not_found', `${collection.entity} not found`);
  return record;
}

function registerCollection(router: Router<RouteHandler>, collection: AgentCollection): void {
  const base = `/v1/agents/:agentId/${collection.segment}`;
  router.add('GET', base, async (context) => {
    const { workspace } = await requireOperator(context, 'read');
    const agentId = context.parameters.agentId as string;
    await workspace.agents.get(agentId);
    const query = parse(
      (collection.listFilterSchema ?? z.object({})).extend(pageQuerySchema.shape),
      Object.fromEntries(context.url.searchParams),
      `${collection.entity} listing`,
    );
    return jsonResponse(
      context,
      await collection.repository(workspace).list({ ...query, agentId } as never),
    );
  });
  router.add('POST', base, async (context) => {
    const { workspace } = await requireOperator(context, collection.writeLevel);
    const body = await bodyOf(context);
    const input = parse(
      collection.inputSchema,
      { ...(body as object), agentId: context.parameters.agentId },
      collection.entity,
    );
    return jsonResponse(
      context,
      await collection.repository(workspace).create(input as never),
      201,
    );
  });
  router.add('GET', `${base}/:id`, async (context) => {
    const { workspace } = await requireOperator(context, 'read');
    return jsonResponse(
      context,
      await getOwned(
        collection,
        workspace,
        context.parameters.agentId as string,
        context.parameters.id as string,
      ),
    );
  });
  router.add('PATCH', `${base}/:id`, async (context) => {
    const { workspace } = await requireOperator(context, collection.writeLevel);
    const repository = collection.repository(workspace);
    // The record first: an id of another agent or workspace is a 404, whatever else is wrong.
    await getOwned(
      collection,
      workspace,
      context.parameters.agentId as string,
      context.parameters.id as string,
    );
    if (!collection.patchSchema || !repository.update) {
      throw new ParleyError(
        'method_not_allowed',
        `A ${collection.entity} cannot be changed: archive it and create another`,
      );
    }
    const patch = parse(
      collection.patchSchema,
      await bodyOf(context),
      `${collection.entity} update`,
    );
    return jsonResponse(
      context,
      await repository.update(context.parameters.id as string, patch as never),
    );
  });
  if (collection.replace) {
    const replace = collection.replace;
    router.add('PUT', `${base}/:id`, async (context) => {
      const { workspace } = await requireOperator(context, collection.writeLevel);
      const body = await bodyOf(context);
      await getOwned(
        collection,
        workspace,
        context.parameters.agentId as string,
        context.parameters.id as string,
      );
      return jsonResponse(context, await replace(workspace, context.parameters.id as string, body));
    });
  }
  router.add('DELETE', `${base}/:id`, async (context) => {
    const { workspace } = await requireOperator(context, collection.writeLevel);
    await getOwned(
      collection,
      workspace,
      context.parameters.agentId as string,
      context.parameters.id as string,
    );
    await collection.repository(workspace).archive(context.parameters.id as string);
    return emptyResponse(context);
  });
}

/** Tools belong to the workspace and are attached to agents: the agent's collection attaches them. */
function registerTools(router: Router<RouteHandler>): void {
  const base = '/v1/agents/:agentId/tools';
  router.add('GET', base, async (context) => {
    const { workspace } = await requireOperator(context, 'read');
    return jsonResponse(context, {
      items: await workspace.agents.listTools(context.parameters.agentId as string),
      nextCursor: null,
    });
  });
  router.add('POST', base, async (context) => {
    const { workspace } = await requireOperator(context, 'write');
    const agentId = context.parameters.agentId as string;
    await workspace.agents.get(agentId);
    const input = parse(toolInputSchema, await bodyOf(context), 'tool');
    const tool =
      (await workspace.tools.findByName(input.name)) ?? (await workspace.tools.create(input));
    await workspace.agents.attachTool(agentId, tool.id);
    return jsonResponse(context, tool, 201);
  });
  const attached = async (workspace: WorkspaceEngine, agentId: string, toolId: string) => {
    const tool = (await workspace.agents.listTools(agentId)).find(
      (candidate) => candidate.id === toolId,
    );
    if (!tool) throw new ParleyError('not_found', 'tool not found');
    return tool;
  };
  router.add('GET', `${base}/:id`, async (context) => {
    const { workspace } = await requireOperator(context, 'read');
    return jsonResponse(
      context,
      await attached(
        workspace,
        context.parameters.agentId as string,
        context.parameters.id as string,
      ),
    );
  });
  router.add('PATCH', `${base}/:id`, async (context) => {
    const { workspace } = await requireOperator(context, 'write');
    const patch = parse(toolPatchSchema, await bodyOf(context), 'tool update');
    await attached(
      workspace,
      context.parameters.agentId as string,
      context.parameters.id as string,
    );
    return jsonResponse(
      context,
      await workspace.tools.update(context.parameters.id as string, patch),
    );
  });
  router.add('DELETE', `${base}/:id`, async (context) => {
    const { workspace } = await requireOperator(context, 'write');
    await attached(
      workspace,
      context.parameters.agentId as string,
      context.parameters.id as string,
    );
    await workspace.agents.detachTool(
      context.parameters.agentId as string,
      context.parameters.id as string,
    );
    return emptyResponse(context);
  });
}

/** The body of `PUT …/guidelines/:id/tools`: the ids of the agent's tools, each once. */
const guidelineToolsSchema = z.strictObject({
  toolIds: z
    .array(z.string().min(1).max(128))
    .max(50)
    .refine((ids) => new Set(ids).size === ids.length, { error: 'must not repeat a tool' }),
});

/**
 * The tools a guideline calls when it applies: read (`GET`, `{ toolIds }`) and replaced
 * (`PUT` with `{ toolIds }`). Each must be one of the agent's tools (`…/tools`, where a
 * workflow link's tool is declared too); any other id is a 404.
 */
function registerGuidelineTools(router: Router<RouteHandler>): void {
  const path = '/v1/agents/:agentId/guidelines/:id/tools';
  const guidelineOf = async (workspace: WorkspaceEngine, context: RouteContext) => {
    const guideline = await workspace.guidelines.get(context.parameters.id as string);
    if (guideline.agentId !== context.parameters.agentId)
      throw new ParleyError('not_found', 'guideline not found');
    return guideline;
  };
  router.add('GET', path, async (context) => {
    const { workspace } = await requireOperator(context, 'read');
    const guideline = await guidelineOf(workspace, context);
    return jsonResponse(context, { toolIds: await workspace.guidelines.listToolIds(guideline.id) });
  });
  router.add('PUT', path, async (context) => {
    const { workspace } = await requireOperator(context, 'write');
    const guideline = await guidelineOf(workspace, context);
    const { toolIds } = parse(guidelineToolsSchema, await bodyOf(context), 'guideline tools');
    const agentTools = new Set(
      (await workspace.agents.listTools(guideline.agentId)).map((tool) => tool.id),
    );
    const unknown = toolIds.find((toolId) => !agentTools.has(toolId));
    if (unknown !== undefined) {
      throw new ParleyError('not_found', 'tool not found: attach it to the agent first', {
        details: { toolId: unknown.slice(0, 128) },
      });
    }
    await workspace.guidelines.setTools(guideline.id, toolIds);
    return jsonResponse(context, { toolIds: await workspace.guidelines.listToolIds(guideline.id) });
  });
}

/** The body of `POST …/knowledge-bases`: the host's knowledge-base id, and nothing else. */
const knowledgeBaseLinkSchema = z.strictObject({ knowledgeBaseId: knowledgeBaseIdSchema });

/**
 * The host's knowledge bases linked to an agent (Sim's `knowledge_base.id`s), which retrievers
 * receive with every turn: listed, linked (`POST` with `{ knowledgeBaseId }`, or
 * `PUT …/:knowledgeBaseId`) and unlinked. Linking is idempotent: 201 with the link when this
 * request made it, 200 with the one already there; unlinking one that is not linked is a 204
 * too.
 */
function registerKnowledgeBases(router: Router<RouteHandler>): void {
  const base = '/v1/agents/:agentId/knowledge-bases';
  const link = async (
    context: RouteContext,
    workspace: WorkspaceEngine,
    agentId: string,
    knowledgeBaseId: string,
  ) => {
    const { link: made, created } = await workspace.agents.attachKnowledgeBase(
      agentId,
      knowledgeBaseId,
    );
    return jsonResponse(context, made, created ? 201 : 200);
  };
  router.add('GET', base, async (context) => {
    const { workspace } = await requireOperator(context, 'read');
    return jsonResponse(context, {
      items: await workspace.agents.listKnowledgeBases(context.parameters.agentId as string),
      nextCursor: null,
    });
  });
  router.add('POST', base, async (context) => {
    const { workspace } = await requireOperator(context, 'write');
    const agentId = context.parameters.agentId as string;
    // The agent first: another workspace's is a 404, whatever the body holds.
    await workspace.agents.get(agentId);
    const { knowledgeBaseId } = parse(
      knowledgeBaseLinkSchema,
      await bodyOf(context),
      'knowledge base link',
    );
    return link(context, workspace, agentId, knowledgeBaseId);
  });
  router.add('PUT', `${base}/:knowledgeBaseId`, async (context) => {
    const { workspace } = await requireOperator(context, 'write');
    const agentId = context.parameters.agentId as string;
    await workspace.agents.get(agentId);
    const knowledgeBaseId = parse(
      knowledgeBaseIdSchema,
      context.parameters.knowledgeBaseId,
      'knowledge base id',
    );
    return link(context, workspace, agentId, knowledgeBaseId);
  });
  router.add('DELETE', `${base}/:knowledgeBaseId`, async (context) => {
    const { workspace } = await requireOperator(context, 'write');
    const agentId = context.parameters.agentId as string;
    await workspace.agents.get(agentId);
    await workspace.agents.detachKnowledgeBase(
      agentId,
      context.parameters.knowledgeBaseId as string,
    );
    return emptyResponse(context);
  });
}

/** A stored value's body: its target's fields (`scope`, then `sessionId`, `customerId` or `tag`) and the value. */
const variableValueBodySchema = z.object({ value: z.json() });

/** The target a stored value belongs to, as `setValue` and `clearValue` name it. */
function targetOf(stored: VariableValue): VariableTarget {
  switch (stored.scope) {
    case 'session':
      return { scope: 'session', sessionId: stored.scopeKey };
    case 'customer':
      return { scope: 'customer', customerId: stored.scopeKey };
    case 'customer_tag':
      return { scope: 'customer_tag', tag: stored.scopeKey };
    case 'agent':
      return { scope: 'agent' };
  }
}

/**
 * Values of a variable, per target (one session, one customer, customers with a tag, the
 * agent): listed, set (`PUT` with the target's fields and `value`: one value per target, so
 * a second `PUT` replaces it) and cleared (`DELETE …/values/:valueId`). Turns resolve the
 * most specific one.
 */
function registerVariableValues(router: Router<RouteHandler>): void {
  const base = '/v1/agents/:agentId/variables/:id/values';
  const variables = collections.find((collection) => collection.segment === 'variables');
  if (!variables) throw new Error('the variables collection is missing');
  const owned = (context: RouteContext, workspace: WorkspaceEngine) =>
    getOwned(
      variables,
      workspace,
      context.parameters.agentId as string,
      context.parameters.id as string,
    );
  router.add('GET', base, async (context) => {
    const { workspace } = await requireOperator(context, 'read');
    await owned(context, workspace);
    return jsonResponse(context, {
      items: await workspace.variables.listValues(context.parameters.id as string),
      nextCursor: null,
    });
  });
  router.add('PUT', base, async (context) => {
    const { workspace } = await requireOperator(context, 'write');
    const body = await bodyOf(context);
    await owned(context, workspace);
    const { value } = parse(variableValueBodySchema, body, 'variable value');
    const { value: _value, ...fields } = body as Record<string, unknown>;
    const target = parse(variableTargetSchema, fields, 'variable value');
    return jsonResponse(
      context,
      await workspace.variables.setValue(context.parameters.id as string, target, value),
    );
  });
  router.add('DELETE', `${base}/:valueId`, async (context) => {
    const { workspace } = await requireOperator(context, 'write');
    await owned(context, workspace);
    const variableId = context.parameters.id as string;
    const stored = (await workspace.variables.listValues(variableId)).find(
      (candidate) => candidate.id === context.parameters.valueId,
    );
    if (!stored) throw new ParleyError('not_found', 'variable value not found');
    await workspace.variables.clearValue(variableId, targetOf(stored));
    return emptyResponse(context);
  });
}

/** What a kind of agent key's routes need: its repository, its name, its rename schema. */
interface KeyKind {
  /** The path segment under the agent: `keys` or `api-keys`. */
  segment: string;
  entity: string;
  repository: (workspace: WorkspaceEngine) => {
    get(id: string): Promise<{ agentId: string }>;
    list(options: { agentId: string; cursor?: string; limit?: number }): Promise<unknown>;
    update(id: string, patch: { name?: string }): Promise<unknown>;
    revoke(id: string): Promise<unknown>;
  };
  patchSchema: z.ZodType<{ name?: string }>;
  /** Issues a key from the request's body: the answer's body (the only time its secret shows). */
  issue: (
    context: RouteContext,
    workspace: WorkspaceEngine,
    agentId: string,
    principal: OperatorPrincipal,
  ) => Promise<unknown>;
}

/**
 * An agent's keys of one kind, admin only: listed, issued (`POST`, 201), read, renamed
 * (`PATCH`) and revoked (`DELETE`, answering the revoked key). A key of another agent or
 * workspace is a 404.
 */
function registerKeyKind(router: Router<RouteHandler>, kind: KeyKind): void {
  const base = `/v1/agents/:agentId/${kind.segment}`;
  const owned = async (context: RouteContext, workspace: WorkspaceEngine) => {
    const id = context.parameters.id as string;
    const key = await kind.repository(workspace).get(id);
    if (key.agentId !== context.parameters.agentId)
      throw new ParleyError('not_found', `${kind.entity} not found`);
    return key;
  };
  router.add('GET', base, async (context) => {
    const { workspace } = await requireOperator(context, 'admin');
    const agentId = context.parameters.agentId as string;
    await workspace.agents.get(agentId);
    return jsonResponse(
      context,
      await kind.repository(workspace).list({ ...pageOf(context), agentId }),
    );
  });
  router.add('POST', base, async (context) => {
    const { workspace, principal } = await requireOperator(context, 'admin');
    const agentId = context.parameters.agentId as string;
    // The agent first: another workspace's is a 404, whatever the body holds.
    await workspace.agents.get(agentId);
    return jsonResponse(context, await kind.issue(context, workspace, agentId, principal), 201);
  });
  router.add('GET', `${base}/:id`, async (context) => {
    const { workspace } = await requireOperator(context, 'admin');
    return jsonResponse(context, await owned(context, workspace));
  });
  router.add('PATCH', `${base}/:id`, async (context) => {
    const { workspace } = await requireOperator(context, 'admin');
    await owned(context, workspace);
    const patch = parse(kind.patchSchema, await bodyOf(context), `${kind.entity} update`);
    return jsonResponse(
      context,
      await kind.repository(workspace).update(context.parameters.id as string, patch),
    );
  });
  router.add('DELETE', `${base}/:id`, async (context) => {
    const { workspace } = await requireOperator(context, 'admin');
    await owned(context, workspace);
    return jsonResponse(
      context,
      await kind.repository(workspace).revoke(context.parameters.id as string),
    );
  });
}

/** Publishable keys (`pk_…`), which pages embed; the answer to `POST` is the key, flat. */
const publishableKeys: KeyKind = {
  segment: 'keys',
  entity: 'agent key',
  repository: (workspace) => workspace.agentKeys,
  patchSchema: agentKeyPatchSchema,
  async issue(context, workspace, agentId) {
    const input = parse(
      agentKeyInputSchema,
      { ...((await bodyOf(context)) as object), agentId },
      'agent key',
    );
    const issued = await workspace.agentKeys.issue(input);
    // Both secrets are shown once: the publishable key for pages, the identity secret for the
    // site's server, which signs identity tokens with it.
    return {
      ...issued.agentKey,
      secret: issued.secret,
      identitySecret: await context.services.identityTokens.secretFor(issued.agentKey.id),
    };
  },
};

/** The body of `POST …/api-keys`: the key's name, its permissions, its expiry. */
const apiKeyIssueSchema = agentApiKeyInputSchema.omit({ agentId: true });

/**
 * Secret keys (`sk_…`), with which a host's backend calls Parley server to server; the answer
 * to `POST` is `{ apiKey, secret }`, the issuing operator recorded as its creator.
 */
const secretKeys: KeyKind = {
  segment: 'api-keys',
  entity: 'API key',
  repository: (workspace) => workspace.agentApiKeys,
  patchSchema: agentApiKeyPatchSchema,
  async issue(context, workspace, agentId, principal) {
    const input = parse(apiKeyIssueSchema, await bodyOf(context), 'API key');
    if (input.expiresAt && input.expiresAt.getTime() <= context.services.now().getTime()) {
      throw new ParleyError(
        'validation_failed',
        'Invalid API key: expiresAt: must be in the future',
        { details: { issues: [{ path: 'expiresAt', message: 'must be in the future' }] } },
      );
    }
    const issued = await workspace.agentApiKeys.issue(
      { ...input, agentId },
      { createdBy: principal.userId },
    );
    return { apiKey: issued.apiKey, secret: issued.secret };
  },
};

/** Agents, their collections (guidelines, relationships, journeys, variables, terms, canned responses, workflows, tools, knowledge bases, publishable and secret keys) and customers. */
export function registerOperatorRoutes(router: Router<RouteHandler>): void {
  router.add('GET', '/v1/agents', async (context) => {
    const { workspace } = await requireOperator(context, 'read');
    return jsonResponse(context, await workspace.agents.list(pageOf(context)));
  });
  router.add('POST', '/v1/agents', async (context) => {
    const { workspace, principal } = await requireOperator(context, 'write');
    // The author is whoever signed in; a `createdBy` in the body is ignored, like `id`.
    const input = parse(agentAuthoredInputSchema, await bodyOf(context), 'agent');
    return jsonResponse(
      context,
      await workspace.agents.create({ ...input, createdBy: principal.userId }),
      201,
    );
  });
  router.add('GET', '/v1/agents/:agentId', async (context) => {
    const { workspace } = await requireOperator(context, 'read');
    return jsonResponse(context, await workspace.agents.get(context.parameters.agentId as string));
  });
  router.add('PATCH', '/v1/agents/:agentId', async (context) => {
    const { workspace } = await requireOperator(context, 'write');
    const patch = parse(agentPatchSchema, await bodyOf(context), 'agent update');
    return jsonResponse(
      context,
      await workspace.agents.update(context.parameters.agentId as string, patch),
    );
  });
  router.add('DELETE', '/v1/agents/:agentId', async (context) => {
    const { workspace } = await requireOperator(context, 'admin');
    await workspace.agents.archive(context.parameters.agentId as string);
    return emptyResponse(context);
  });
  for (const collection of collections) registerCollection(router, collection);
  registerVariableValues(router);
  registerTools(router);
  registerGuidelineTools(router);
  registerKnowledgeBases(router);
  registerKeyKind(router, publishableKeys);
  registerKeyKind(router, secretKeys);

  router.add('GET', '/v1/customers', async (context) => {
    const { workspace } = await requireOperator(context, 'read');
    const query = parse(
      customerListFilterSchema.extend(pageQuerySchema.shape),
      { ...Object.fromEntries(context.url.searchParams), workspaceId: undefined },
      'customer listing',
    );
    return jsonResponse(context, await workspace.customers.list(query));
  });
  router.add('POST', '/v1/customers', async (context) => {
    const { workspace } = await requireOperator(context, 'write');
    return jsonResponse(
      context,
      await workspace.customers.create(
        parse(customerInputSchema, await bodyOf(context), 'customer'),
      ),
      201,
    );
  });
  router.add('GET', '/v1/customers/:customerId', async (context) => {
    const { workspace } = await requireOperator(context, 'read');
    return jsonResponse(
      context,
      await workspace.customers.get(context.parameters.customerId as string),
    );
  });
  router.add('PATCH', '/v1/customers/:customerId', async (context) => {
    const { workspace } = await requireOperator(context, 'write');
    const patch = parse(customerPatchSchema, await bodyOf(context), 'customer update');
    return jsonResponse(
      context,
      await workspace.customers.update(context.parameters.customerId as string, patch),
    );
  });
  router.add('DELETE', '/v1/customers/:customerId', async (context) => {
    const { workspace } = await requireOperator(context, 'admin');
    await workspace.customers.archive(context.parameters.customerId as string);
    return emptyResponse(context);
  });
}
