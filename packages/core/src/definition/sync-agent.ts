import type { Agent } from '../domain/agent';
import type { Guideline, GuidelinePatch } from '../domain/guideline';
import { isSameJson } from '../domain/is-same-json';
import type { Journey, JourneyDocument } from '../domain/journey';
import { readAllPages } from '../domain/read-all-pages';
import { toolInputSchema } from '../domain/tool';
import type { Store, WorkspaceStore } from '../ports/store';
import { type AgentDefinition, defineAgent, isAgentDefinition } from './define-agent';

/** The kinds of record a sync writes. `agentTool` is the link between the agent and a tool. */
export type AgentSyncEntity =
  | 'agent'
  | 'tool'
  | 'agentTool'
  | 'workflow'
  | 'guideline'
  | 'relationship'
  | 'journey'
  | 'variable'
  | 'term'
  | 'cannedResponse';

/**
 * One write of a sync. For `agentTool`, `created` means the tool was attached to the agent
 * and `archived` that it was detached (its declaration stays: other agents may use it). A
 * `workflow` is a link to one of the host's workflows, named by its workflow id.
 */
export interface AgentSyncChange {
  entity: AgentSyncEntity;
  /**
   * The record's stable name: the agent's, tool's, variable's or term's name, a guideline's or
   * journey's key, a canned response's template, or `kind:source->target` for a relationship.
   */
  name: string;
  change: 'created' | 'updated' | 'archived';
}

/** What {@link syncAgent} did. A sync of an unchanged definition reports only `unchanged`. */
export interface AgentSyncReport {
  /** The agent as stored after the sync. */
  agent: Agent;
  created: number;
  updated: number;
  archived: number;
  /** Records of the definition that were already as defined. */
  unchanged: number;
  /** Every write, in the order made. */
  changes: AgentSyncChange[];
}

/** The fields of `desired` whose value differs from the stored record's: what an update sends. */
function changedFields<T extends object>(current: object, desired: T): Partial<T> {
  const patch: Partial<T> = {};
  const stored = current as Record<string, unknown>;
  for (const [field, value] of Object.entries(desired)) {
    if (!isSameJson(stored[field], value)) (patch as Record<string, unknown>)[field] = value;
  }
  return patch;
}

const isEmpty = (patch: object) => Object.keys(patch).length === 0;

/** Copies a frozen array into a mutable one, as the store's input types want. */
const copy = <T>(items: readonly T[]): T[] => [...items];

/** A journey reduced to what a definition controls, in a form two journeys compare by. */
function comparableJourney(journey: JourneyDocument | Journey) {
  return {
    key: journey.key ?? null,
    title: journey.title,
    description: journey.description ?? '',
    conditions: journey.conditions,
    enabled: journey.enabled ?? true,
    tags: journey.tags ?? [],
    labels: journey.labels ?? [],
    customerTags: journey.customerTags ?? [],
    initialState: journey.initialState,
    states: journey.states.map((state) => ({
      key: state.key,
      kind: state.kind,
      action: state.action ?? null,
      toolId: state.toolId ?? null,
      description: state.description ?? '',
      retrieverIds: state.retrieverIds ?? [],
    })),
    transitions: journey.transitions.map((transition) => ({
      from: transition.from,
      to: transition.to,
      condition: transition.condition ?? null,
      when: transition.when ?? null,
    })),
    guidelineIds: [...new Set(journey.guidelineIds ?? [])].sort(),
  };
}

/** Accumulates the report as the sync writes. */
function createReport() {
  const counts = { created: 0, updated: 0, archived: 0, unchanged: 0 };
  const changes: AgentSyncChange[] = [];
  return {
    counts,
    changes,
    record(entity: AgentSyncEntity, name: string, change: AgentSyncChange['change']) {
      counts[change] += 1;
      changes.push({ entity, name, change });
    },
    unchanged() {
      counts.unchanged += 1;
    },
  };
}
type Report = ReturnType<typeof createReport>;

/** What the steps of a sync share. */
interface SyncContext {
  workspace: WorkspaceStore;
  definition: AgentDefinition;
  report: Report;
  agent: Agent;
  toolIdByName: Map<string, string>;
}

async function syncAgentRecord(
  workspace: WorkspaceStore,
  definition: AgentDefinition,
  report: Report,
): Promise<Agent> {
  const desired = {
    description: definition.description,
    compositionMode: definition.compositionMode,
    retrieverIds: copy(definition.retrievers),
    metadata: definition.metadata,
  };
  const agents = await readAllPages((page) => workspace.agents.list(page));
  const existing = agents.find((agent) => agent.name === definition.name);
  if (!existing) {
    const agent = await workspace.agents.create({ name: definition.name, ...desired });
    report.record('agent', definition.name, 'created');
    return agent;
  }
  const patch = changedFields(existing, desired);
  if (isEmpty(patch)) {
    report.unchanged();
    return existing;
  }
  const agent = await workspace.agents.update(existing.id, patch);
  report.record('agent', definition.name, 'updated');
  return agent;
}

/** Tool declarations by name, attached to the agent; tools no longer defined are detached. */
async function syncTools(context: SyncContext): Promise<void> {
  const { workspace, definition, report, agent, toolIdByName } = context;
  const attached = await workspace.agents.listTools(agent.id);
  const attachedIds = new Set(attached.map((tool) => tool.id));

  // The definition's tools, its provided tools, then its workflows that are tools: all three
  // are declared the same.
  const declared = [
    ...definition.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      parameters: tool.jsonSchema,
    })),
    ...definition.providedTools,
    ...definition.workflows.flatMap((workflow) =>
      workflow.tool === null
        ? []
        : [
            {
              name: workflow.tool,
              description: workflow.description || `Runs the workflow "${workflow.name}".`,
              parameters: { type: 'object', properties: {}, ...workflow.inputSchema },
            },
          ],
    ),
  ];
  for (const toolDefinition of declared) {
    // Parsed as the store would, so a trimmed description compares equal to its stored form.
    const declaration = toolInputSchema.parse(toolDefinition);
    const desired = { description: declaration.description, parameters: declaration.parameters };
    const existing = await workspace.tools.findByName(toolDefinition.name);
    let toolId: string;
    if (!existing) {
      toolId = (await workspace.tools.create({ name: toolDefinition.name, ...desired })).id;
      report.record('tool', toolDefinition.name, 'created');
    } else {
      toolId = existing.id;
      const patch = changedFields(existing, desired);
      if (isEmpty(patch)) report.unchanged();
      else {
        await workspace.tools.update(existing.id, patch);
        report.record('tool', toolDefinition.name, 'updated');
      }
    }
    toolIdByName.set(toolDefinition.name, toolId);
    if (attachedIds.has(toolId)) report.unchanged();
    else {
      await workspace.agents.attachTool(agent.id, toolId);
      report.record('agentTool', toolDefinition.name, 'created');
    }
  }

  for (const tool of attached) {
    if (toolIdByName.has(tool.name)) continue;
    await workspace.agents.detachTool(agent.id, tool.id);
    report.record('agentTool', tool.name, 'archived');
  }
}

/** Workflow links by workflow id: created, updated, or archived when no longer defined. */
async function syncWorkflows(context: SyncContext): Promise<void> {
  const { workspace, definition, report, agent } = context;
  const existing = await readAllPages((page) =>
    workspace.agentWorkflows.list({ ...page, agentId: agent.id }),
  );
  const byWorkflowId = new Map(existing.map((link) => [link.workflowId, link]));
  const defined = new Set<string>();
  for (const workflow of definition.workflows) {
    defined.add(workflow.workflowId);
    const desired = {
      name: workflow.name,
      description: workflow.description,
      toolName: workflow.tool,
      inputSchema: { ...workflow.inputSchema },
      triggers: copy(workflow.triggers),
      timeoutMs: workflow.timeoutMs,
      enabled: workflow.enabled,
    };
    const link = byWorkflowId.get(workflow.workflowId);
    if (!link) {
      await workspace.agentWorkflows.create({
        agentId: agent.id,
        workflowId: workflow.workflowId,
        ...desired,
      });
      report.record('workflow', workflow.workflowId, 'created');
      continue;
    }
    const patch = changedFields(link, desired);
    if (isEmpty(patch)) report.unchanged();
    else {
      await workspace.agentWorkflows.update(link.id, patch);
      report.record('workflow', workflow.workflowId, 'updated');
    }
  }
  for (const link of existing) {
    if (defined.has(link.workflowId)) continue;
    await workspace.agentWorkflows.archive(link.id);
    report.record('workflow', link.workflowId, 'archived');
  }
}

/**
 * Guidelines by key (created or updated, tools set), then relationships, then the archiving
 * of keyed guidelines no longer defined. Returns the ids of the defined guidelines by key.
 */
async function syncGuidelinesAndRelationships(context: SyncContext): Promise<Map<string, string>> {
  const { workspace, definition, report, agent, toolIdByName } = context;
  // One after the other: inside the sync's transaction both would share one connection.
  const existing = await workspace.guidelines.listAll(agent.id);
  const toolLinks = await workspace.guidelines.listToolLinks(agent.id);
  const toolIdsByGuideline = new Map<string, string[]>();
  for (const link of toolLinks) {
    toolIdsByGuideline.set(link.guidelineId, [
      ...(toolIdsByGuideline.get(link.guidelineId) ?? []),
      link.toolId,
    ]);
  }
  const existingByKey = new Map<string, Guideline>();
  for (const guideline of existing) {
    if (guideline.key !== null) existingByKey.set(guideline.key, guideline);
  }
  const idByKey = new Map<string, string>();

  for (const guideline of definition.guidelines) {
    const desired = {
      condition: guideline.condition,
      action: guideline.action,
      criticality: guideline.criticality,
      tags: copy(guideline.tags),
      enabled: guideline.enabled,
      pinned: guideline.pinned,
      priority: guideline.priority,
      examples: copy(guideline.examples),
      compositionMode: guideline.compositionMode,
      labels: copy(guideline.labels),
      customerTags: copy(guideline.customerTags),
      retrieverIds: copy(guideline.retrievers),
      metadata: guideline.metadata,
    } satisfies GuidelinePatch;
    const toolIds = [...new Set(guideline.tools.map((name) => toolIdByName.get(name) as string))];
    const current = existingByKey.get(guideline.key);
    if (!current) {
      const created = await workspace.guidelines.create({
        agentId: agent.id,
        key: guideline.key,
        ...desired,
      });
      if (toolIds.length > 0) await workspace.guidelines.setTools(created.id, toolIds);
      idByKey.set(guideline.key, created.id);
      report.record('guideline', guideline.key, 'created');
      continue;
    }
    idByKey.set(guideline.key, current.id);
    // Only changed fields are sent, and nothing when nothing changed: every update bumps the
    // guideline's version, which invalidates its cached vectors.
    const patch = changedFields(current, desired);
    if (!isEmpty(patch)) await workspace.guidelines.update(current.id, patch);
    const currentToolIds = toolIdsByGuideline.get(current.id) ?? [];
    const toolsChanged = !isSameJson([...currentToolIds].sort(), [...toolIds].sort());
    if (toolsChanged) await workspace.guidelines.setTools(current.id, toolIds);
    if (isEmpty(patch) && !toolsChanged) report.unchanged();
    else report.record('guideline', guideline.key, 'updated');
  }

  // Relationships between keyed guidelines are the definition's to manage; those touching
  // a guideline made by hand (no key) are left alone, as that guideline is.
  const keyById = new Map<string, string>();
  for (const guideline of existing) {
    if (guideline.key !== null) keyById.set(guideline.id, guideline.key);
  }
  for (const [key, id] of idByKey) keyById.set(id, key);
  const identity = (kind: string, sourceId: string, targetId: string) =>
    `${kind}\u0000${sourceId}\u0000${targetId}`;
  const desiredRelationships = new Map(
    definition.relationships.map((relationship) => {
      const sourceId = idByKey.get(relationship.source) as string;
      const targetId = idByKey.get(relationship.target) as string;
      return [
        identity(relationship.kind, sourceId, targetId),
        { ...relationship, sourceId, targetId },
      ];
    }),
  );
  const relationships = await readAllPages((page) =>
    workspace.relationships.list({ ...page, agentId: agent.id }),
  );
  const kept = new Set<string>();
  for (const relationship of relationships) {
    const sourceKey = keyById.get(relationship.sourceGuidelineId);
    const targetKey = keyById.get(relationship.targetGuidelineId);
    if (sourceKey === undefined || targetKey === undefined) continue;
    const id = identity(
      relationship.kind,
      relationship.sourceGuidelineId,
      relationship.targetGuidelineId,
    );
    if (desiredRelationships.has(id) && !kept.has(id)) {
      kept.add(id);
      report.unchanged();
      continue;
    }
    await workspace.relationships.archive(relationship.id);
    report.record('relationship', `${relationship.kind}:${sourceKey}->${targetKey}`, 'archived');
  }
  for (const [id, relationship] of desiredRelationships) {
    if (kept.has(id)) continue;
    await workspace.relationships.create({
      agentId: agent.id,
      kind: relationship.kind,
      sourceGuidelineId: relationship.sourceId,
      targetGuidelineId: relationship.targetId,
    });
    report.record(
      'relationship',
      `${relationship.kind}:${relationship.source}->${relationship.target}`,
      'created',
    );
  }

  // Last, so the relationships they took with them were reported above.
  for (const [key, guideline] of existingByKey) {
    if (idByKey.has(key)) continue;
    await workspace.guidelines.archive(guideline.id);
    report.record('guideline', key, 'archived');
  }
  return idByKey;
}

/** Journeys by key: created, replaced when their document differs, archived when undefined. */
async function syncJourneys(
  context: SyncContext,
  guidelineIdByKey: Map<string, string>,
): Promise<void> {
  const { workspace, definition, report, agent, toolIdByName } = context;
  const journeys = await readAllPages((page) =>
    workspace.journeys.list({ ...page, agentId: agent.id }),
  );
  const existingByKey = new Map<string, Journey>();
  for (const journey of journeys) {
    if (journey.key !== null) existingByKey.set(journey.key, journey);
  }

  for (const journey of definition.journeys) {
    const document = {
      key: journey.key,
      title: journey.title,
      description: journey.description,
      conditions: copy(journey.conditions),
      enabled: journey.enabled,
      tags: copy(journey.tags),
      labels: copy(journey.labels),
      customerTags: copy(journey.customerTags),
      initialState: journey.initialState,
      states: journey.states.map((state) => ({
        key: state.key,
        kind: state.kind,
        action: state.action,
        toolId: state.tool === null ? null : (toolIdByName.get(state.tool) as string),
        description: state.description,
        retrieverIds: copy(state.retrievers),
      })),
      transitions: journey.transitions.map((transition) => ({ ...transition })),
      guidelineIds: journey.guidelines.map((key) => guidelineIdByKey.get(key) as string),
    } satisfies JourneyDocument;
    const current = existingByKey.get(journey.key);
    if (!current) {
      await workspace.journeys.create({ agentId: agent.id, ...document });
      report.record('journey', journey.key, 'created');
    } else if (isSameJson(comparableJourney(current), comparableJourney(document))) {
      report.unchanged();
    } else {
      // Metadata is not part of a definition: keep what the journey has.
      await workspace.journeys.replace(current.id, { ...document, metadata: current.metadata });
      report.record('journey', journey.key, 'updated');
    }
  }

  const definedKeys = new Set(definition.journeys.map((journey) => journey.key));
  for (const [key, journey] of existingByKey) {
    if (definedKeys.has(key)) continue;
    await workspace.journeys.archive(journey.id);
    report.record('journey', key, 'archived');
  }
}

/** Variables by name: created, updated, or archived when undefined. */
async function syncVariables(context: SyncContext): Promise<void> {
  const { workspace, definition, report, agent, toolIdByName } = context;
  const variables = await readAllPages((page) =>
    workspace.variables.list({ ...page, agentId: agent.id }),
  );
  const existingByName = new Map(variables.map((variable) => [variable.name, variable]));
  for (const variable of definition.variables) {
    const desired = {
      description: variable.description,
      toolId: variable.tool === null ? null : (toolIdByName.get(variable.tool) as string),
      freshness: variable.freshness === null ? null : { ...variable.freshness },
      defaultValue: variable.defaultValue,
    };
    const current = existingByName.get(variable.name);
    if (!current) {
      await workspace.variables.create({ agentId: agent.id, name: variable.name, ...desired });
      report.record('variable', variable.name, 'created');
      continue;
    }
    const patch = changedFields(current, desired);
    if (isEmpty(patch)) report.unchanged();
    else {
      await workspace.variables.update(current.id, patch);
      report.record('variable', variable.name, 'updated');
    }
  }
  const definedNames = new Set(definition.variables.map((variable) => variable.name));
  for (const variable of variables) {
    if (definedNames.has(variable.name)) continue;
    await workspace.variables.archive(variable.id);
    report.record('variable', variable.name, 'archived');
  }
}

/** Terms by name, ignoring case (as their uniqueness does): created, updated, archived. */
async function syncTerms(context: SyncContext): Promise<void> {
  const { workspace, definition, report, agent } = context;
  const terms = await readAllPages((page) => workspace.terms.list({ ...page, agentId: agent.id }));
  const existingByName = new Map(terms.map((term) => [term.name.toLowerCase(), term]));
  for (const term of definition.terms) {
    const desired = {
      name: term.name,
      description: term.description,
      synonyms: copy(term.synonyms),
    };
    const current = existingByName.get(term.name.toLowerCase());
    if (!current) {
      await workspace.terms.create({ agentId: agent.id, ...desired });
      report.record('term', term.name, 'created');
      continue;
    }
    const patch = changedFields(current, desired);
    if (isEmpty(patch)) report.unchanged();
    else {
      await workspace.terms.update(current.id, patch);
      report.record('term', term.name, 'updated');
    }
  }
  const definedNames = new Set(definition.terms.map((term) => term.name.toLowerCase()));
  for (const term of terms) {
    if (definedNames.has(term.name.toLowerCase())) continue;
    await workspace.terms.archive(term.id);
    report.record('term', term.name, 'archived');
  }
}

/**
 * Canned responses, whose identity is their template: missing templates created, tags and
 * metadata updated, the rest archived (repeats of one template too, keeping the oldest).
 */
async function syncCannedResponses(context: SyncContext): Promise<void> {
  const { workspace, definition, report, agent } = context;
  const cannedResponses = await readAllPages((page) =>
    workspace.cannedResponses.list({ ...page, agentId: agent.id }),
  );
  const desiredByTemplate = new Map(
    definition.cannedResponses.map((cannedResponse) => [cannedResponse.template, cannedResponse]),
  );
  const matched = new Set<string>();
  for (const current of cannedResponses) {
    const desired = desiredByTemplate.get(current.template);
    if (!desired || matched.has(current.template)) {
      await workspace.cannedResponses.archive(current.id);
      report.record('cannedResponse', current.template, 'archived');
      continue;
    }
    matched.add(current.template);
    const patch = changedFields(current, { tags: copy(desired.tags), metadata: desired.metadata });
    if (isEmpty(patch)) report.unchanged();
    else {
      await workspace.cannedResponses.update(current.id, patch);
      report.record('cannedResponse', current.template, 'updated');
    }
  }
  for (const cannedResponse of definition.cannedResponses) {
    if (matched.has(cannedResponse.template)) continue;
    await workspace.cannedResponses.create({
      agentId: agent.id,
      template: cannedResponse.template,
      tags: copy(cannedResponse.tags),
      metadata: cannedResponse.metadata,
    });
    report.record('cannedResponse', cannedResponse.template, 'created');
  }
}

/**
 * Deploys an agent kept in code: makes the workspace's stored agent match `definition`,
 * in one transaction, so a failure midway leaves nothing half-written. Idempotent: a second
 * sync of the same definition writes nothing (guideline versions, which key cached vectors,
 * do not move) and reports everything `unchanged`.
 *
 * Records are found by their stable names: the agent by name, tools by name in the
 * workspace, guidelines and journeys by key, variables by name, terms by name ignoring case,
 * canned responses by template. What the definition no longer holds is archived, except
 * guidelines and journeys without a key (made by hand, through the API), which are left
 * alone, and tools, which are only detached from the agent (other agents may use them).
 */
export async function syncAgent(
  store: Store,
  workspaceId: string,
  definition: AgentDefinition,
): Promise<AgentSyncReport> {
  // A definition not made by defineAgent (another copy of the package, a plain object) is
  // checked and normalized here; one that was is already both.
  const checked = isAgentDefinition(definition) ? definition : defineAgent(definition);
  return store.transaction(async (transaction) => {
    const workspace = transaction.forWorkspace(workspaceId);
    const report = createReport();
    const agent = await syncAgentRecord(workspace, checked, report);
    const context: SyncContext = {
      workspace,
      definition: checked,
      report,
      agent,
      toolIdByName: new Map(),
    };
    await syncTools(context);
    await syncWorkflows(context);
    const guidelineIdByKey = await syncGuidelinesAndRelationships(context);
    await syncJourneys(context, guidelineIdByKey);
    await syncVariables(context);
    await syncTerms(context);
    await syncCannedResponses(context);
    // Read back: the writes above moved the agent's catalog revision.
    return {
      agent: await workspace.agents.get(agent.id),
      ...report.counts,
      changes: report.changes,
    };
  });
}
