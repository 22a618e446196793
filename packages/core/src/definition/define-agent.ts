import { z } from 'zod';
import { agentInputSchema } from '../domain/agent';
import { agentWorkflowInputSchema, type WorkflowTrigger } from '../domain/agent-workflow';
import { cannedResponseInputSchema } from '../domain/canned-response';
import {
  type CompositionMode,
  identifierSchema,
  type JsonValue,
  type Metadata,
} from '../domain/common';
import { type Criticality, guidelineInputSchema } from '../domain/guideline';
import {
  type JourneyStateKind,
  type JourneyTransitionPredicate,
  journeyDocumentSchema,
  journeyStateInputSchema,
  journeyTransitionInputSchema,
} from '../domain/journey';
import { type RelationshipKind, relationshipKindSchema } from '../domain/relationship';
import { termInputSchema } from '../domain/term';
import { toolInputSchema } from '../domain/tool';
import { type Variable, type VariableFreshness, variableInputSchema } from '../domain/variable';
import { validationError } from '../errors/parley-error';
import type { ToolDefinition } from '../tools/tool';

// ---------------------------------------------------------------------------------------------
// What a developer writes
// ---------------------------------------------------------------------------------------------

/** A guideline as written in a definition: "when `condition`, do `action`". */
export interface GuidelineDefinitionInput {
  /**
   * The guideline's stable name: what relationships and journeys refer to, and what a sync
   * finds it by. Without one, a key is derived from the condition and action, so editing
   * either replaces the guideline (a new record) instead of updating it.
   */
  key?: string;
  condition: string;
  /** Absent for an observation (a condition other rules refer to). */
  action?: string | null;
  criticality?: Criticality;
  tags?: readonly string[];
  enabled?: boolean;
  pinned?: boolean;
  priority?: number;
  examples?: readonly string[];
  compositionMode?: CompositionMode | null;
  /** Names of tools of the definition's `tools` the guideline may call. */
  tools?: readonly string[];
  /** Labels a session gains when the guideline applies in it (operators filter by them). */
  labels?: readonly string[];
  /**
   * Only for customers carrying at least one of these tags; absent or empty, for everyone.
   * Sessions of other customers (and without a customer) never consider the guideline.
   */
  customerTags?: readonly string[];
  /**
   * Ids of retrievers (the engine's `retrievers` option) whose passages the turn keeps when
   * the guideline applies.
   */
  retrievers?: readonly string[];
  metadata?: Metadata;
}

/** A relationship between two guidelines of the definition, by their keys. */
export interface RelationshipDefinitionInput {
  kind: RelationshipKind;
  /** Key of the source guideline. */
  source: string;
  /** Key of the target guideline. */
  target: string;
}

/** A state of a journey as written in a definition. */
export interface JourneyStateDefinitionInput {
  /** Names the state within its journey; transitions refer to it. */
  key: string;
  kind: JourneyStateKind;
  /** For chat states: what the agent says or asks. */
  action?: string | null;
  /** For tool states: the name of a tool of the definition's `tools`. */
  tool?: string | null;
  description?: string;
  /** Ids of retrievers whose passages the turn keeps while the journey is at this state. */
  retrievers?: readonly string[];
}

/** A transition between two states of a journey, by their keys. */
export interface JourneyTransitionDefinitionInput {
  from: string;
  to: string;
  /** When to take it, in words; with neither this nor `when`, always. */
  condition?: string | null;
  /**
   * Taken when a tool result of this journey satisfies it (decided without a model):
   * `{ path: 'lookup_booking.found', equals: true }` or `{ path: '…', exists: false }`.
   */
  when?: JourneyTransitionPredicate | null;
}

/** A journey as written in a definition. */
export interface JourneyDefinitionInput {
  /** The journey's stable name: what a sync finds it by. */
  key: string;
  title: string;
  description?: string;
  /** Conditions that activate the journey. */
  conditions: readonly string[];
  enabled?: boolean;
  tags?: readonly string[];
  /** Labels a session gains when the journey starts or goes on in it. */
  labels?: readonly string[];
  /** Only for customers carrying at least one of these tags; absent or empty, for everyone. */
  customerTags?: readonly string[];
  /** Key of the state the journey starts in. */
  initialState: string;
  states: readonly JourneyStateDefinitionInput[];
  transitions: readonly JourneyTransitionDefinitionInput[];
  /** Keys of guidelines considered only while the journey is active. */
  guidelines?: readonly string[];
}

/** A context variable as written in a definition. */
export interface VariableDefinitionInput {
  /** Unique among the agent's variables; the name templates use (`{{plan}}`). */
  name: string;
  description?: string;
  /** The name of a tool of the definition's `tools` whose result is the value. */
  tool?: string | null;
  freshness?: VariableFreshness | null;
  /** The value when no more specific value is set. */
  defaultValue?: Variable['defaultValue'];
}

/** A glossary term as written in a definition. */
export interface TermDefinitionInput {
  /** Unique among the agent's terms, ignoring case. */
  name: string;
  description: string;
  synonyms?: readonly string[];
}

/** A canned response as written in a definition; its template text is its identity. */
export interface CannedResponseDefinitionInput {
  template: string;
  tags?: readonly string[];
  metadata?: Metadata;
}

/**
 * An agent kept in code: everything it is made of, each part referring to the others by
 * stable names (guideline keys, tool names, state keys), never by stored ids.
 */
export interface AgentDefinitionInput {
  /** The agent's name: unique in the workspace, and what a sync finds the agent by. */
  name: string;
  description?: string;
  compositionMode?: CompositionMode;
  metadata?: Metadata;
  /** Ids of retrievers (the engine's `retrievers` option) searched in every turn. */
  retrievers?: readonly string[];
  /**
   * Typed tools (made with `tool()`); their declarations are synced to the store.
   *
   * `| readonly []` accepts nothing more; it is there for the type checker's time. Against a
   * plain array type, TypeScript types an array literal written here (`tools: [a, b, …]`)
   * as an array of the union of its elements and reduces that union by comparing every tool
   * with every other, zod schema against zod schema: with thirty tools, more than half of
   * the check time of a host's agent file (`pnpm bench:types`). A tuple member in the
   * expected type makes it type the literal as a tuple instead, each tool checked once
   * against `ToolDefinition`.
   */
  tools?: readonly ToolDefinition[] | readonly [];
  /**
   * The host's workflows the agent runs (synced to `agentWorkflows`, found by `workflowId`):
   * one with a `tool` name is a tool the agent's guidelines and journey states may name like
   * the definition's `tools` (its parameters the workflow's `inputSchema`); one with
   * `triggers` runs on those session events. The engine's `workflowExecutor` runs them.
   */
  workflows?: readonly WorkflowDefinitionInput[];
  /**
   * Tools a `ToolProvider` gives at run time (an MCP server's, a host's user-made ones),
   * declared by name so guidelines and journey states may name them like the definition's
   * `tools`; the provider supplies their handlers when a turn needs them.
   */
  providedTools?: readonly ProvidedToolDefinitionInput[];
  guidelines?: readonly GuidelineDefinitionInput[];
  relationships?: readonly RelationshipDefinitionInput[];
  journeys?: readonly JourneyDefinitionInput[];
  variables?: readonly VariableDefinitionInput[];
  terms?: readonly TermDefinitionInput[];
  cannedResponses?: readonly CannedResponseDefinitionInput[];
}

/** A tool of an {@link AgentDefinitionInput} that a `ToolProvider` implements. */
export interface ProvidedToolDefinitionInput {
  /** The name the provider gives the tool. */
  name: string;
  /** What it does, for the model. */
  description: string;
  /** Its parameters as JSON Schema (an object); default no fields. */
  parameters?: Record<string, JsonValue>;
}

/** A workflow of an {@link AgentDefinitionInput}. */
export interface WorkflowDefinitionInput {
  /** The host's workflow id (Sim's `workflow.id`); unique in the definition. */
  workflowId: string;
  /** A name a person reads. */
  name: string;
  /** What the workflow does, for the model; default ''. */
  description?: string;
  /** The tool name guidelines and journey states call it by; none: it only reacts to events. */
  tool?: string | null;
  /** The JSON Schema of the workflow's input (an object); default no fields. */
  inputSchema?: Record<string, JsonValue>;
  /** Session events it runs on: `session_started`, `handoff_requested`, `session_closed`. */
  triggers?: readonly WorkflowTrigger[];
  /** How long one run may take; default 30 s. */
  timeoutMs?: number;
  enabled?: boolean;
}

// ---------------------------------------------------------------------------------------------
// What defineAgent returns: every default filled in, every guideline keyed, deeply frozen
// ---------------------------------------------------------------------------------------------

/** A guideline of an {@link AgentDefinition}, with its defaults and its key. */
export interface GuidelineDefinition {
  readonly key: string;
  readonly condition: string;
  readonly action: string | null;
  readonly criticality: Criticality;
  readonly tags: readonly string[];
  readonly enabled: boolean;
  readonly pinned: boolean;
  readonly priority: number;
  readonly examples: readonly string[];
  readonly compositionMode: CompositionMode | null;
  readonly tools: readonly string[];
  readonly labels: readonly string[];
  readonly customerTags: readonly string[];
  readonly retrievers: readonly string[];
  readonly metadata: Readonly<Metadata>;
}

/** A provided tool of an {@link AgentDefinition}, with its defaults. */
export interface ProvidedToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, JsonValue>>;
}

/** A workflow of an {@link AgentDefinition}, with its defaults. */
export interface WorkflowDefinition {
  readonly workflowId: string;
  readonly name: string;
  readonly description: string;
  readonly tool: string | null;
  readonly inputSchema: Readonly<Record<string, JsonValue>>;
  readonly triggers: readonly WorkflowTrigger[];
  readonly timeoutMs: number;
  readonly enabled: boolean;
}

/** A relationship of an {@link AgentDefinition}. */
export interface RelationshipDefinition {
  readonly kind: RelationshipKind;
  readonly source: string;
  readonly target: string;
}

/** A journey state of an {@link AgentDefinition}. */
export interface JourneyStateDefinition {
  readonly key: string;
  readonly kind: JourneyStateKind;
  readonly action: string | null;
  readonly tool: string | null;
  readonly description: string;
  readonly retrievers: readonly string[];
}

/** A journey transition of an {@link AgentDefinition}. */
export interface JourneyTransitionDefinition {
  readonly from: string;
  readonly to: string;
  readonly condition: string | null;
  readonly when: Readonly<JourneyTransitionPredicate> | null;
}

/** A journey of an {@link AgentDefinition}. */
export interface JourneyDefinition {
  readonly key: string;
  readonly title: string;
  readonly description: string;
  readonly conditions: readonly string[];
  readonly enabled: boolean;
  readonly tags: readonly string[];
  readonly labels: readonly string[];
  readonly customerTags: readonly string[];
  readonly initialState: string;
  readonly states: readonly JourneyStateDefinition[];
  readonly transitions: readonly JourneyTransitionDefinition[];
  readonly guidelines: readonly string[];
}

/** A variable of an {@link AgentDefinition}. */
export interface VariableDefinition {
  readonly name: string;
  readonly description: string;
  readonly tool: string | null;
  readonly freshness: Readonly<VariableFreshness> | null;
  readonly defaultValue: Variable['defaultValue'];
}

/** A glossary term of an {@link AgentDefinition}. */
export interface TermDefinition {
  readonly name: string;
  readonly description: string;
  readonly synonyms: readonly string[];
}

/** A canned response of an {@link AgentDefinition}. */
export interface CannedResponseDefinition {
  readonly template: string;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Metadata>;
}

/**
 * A checked agent definition, as {@link defineAgent} returns it: text trimmed as the store
 * keeps it, every omitted field at its default (omitting a field means "the default", so a
 * sync resets it), every guideline keyed. Deeply frozen, except the tools, which `tool()`
 * already froze. It is itself a valid {@link AgentDefinitionInput}.
 */
export interface AgentDefinition {
  readonly name: string;
  readonly description: string;
  readonly compositionMode: CompositionMode;
  readonly metadata: Readonly<Metadata>;
  readonly retrievers: readonly string[];
  readonly tools: readonly ToolDefinition[];
  readonly workflows: readonly WorkflowDefinition[];
  readonly providedTools: readonly ProvidedToolDefinition[];
  readonly guidelines: readonly GuidelineDefinition[];
  readonly relationships: readonly RelationshipDefinition[];
  readonly journeys: readonly JourneyDefinition[];
  readonly variables: readonly VariableDefinition[];
  readonly terms: readonly TermDefinition[];
  readonly cannedResponses: readonly CannedResponseDefinition[];
}

// ---------------------------------------------------------------------------------------------
// Schema: field rules borrowed from the domain schemas, so a definition that passes here is
// not rejected by the store for a field's shape.
// ---------------------------------------------------------------------------------------------

const agentShape = agentInputSchema.shape;
const guidelineShape = guidelineInputSchema.shape;
const journeyShape = journeyDocumentSchema.shape;
const stateShape = journeyStateInputSchema.shape;
const transitionShape = journeyTransitionInputSchema.shape;
const variableShape = variableInputSchema.shape;
const termShape = termInputSchema.shape;
const cannedShape = cannedResponseInputSchema.shape;
const workflowShape = agentWorkflowInputSchema.shape;

function isToolDefinition(value: unknown): value is ToolDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ToolDefinition>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.description === 'string' &&
    typeof candidate.handler === 'function' &&
    typeof candidate.jsonSchema === 'object' &&
    candidate.jsonSchema !== null &&
    candidate.parameters instanceof z.ZodObject
  );
}

const toolDefinitionSchema = z
  .custom<ToolDefinition>(isToolDefinition, { error: 'must be a tool made with tool()' })
  .superRefine((definition, context) => {
    // The declaration the store will keep must be valid too (name, description, schema).
    const declaration = toolInputSchema.safeParse({
      name: definition.name,
      description: definition.description,
      parameters: definition.jsonSchema,
    });
    if (declaration.success) return;
    for (const issue of declaration.error.issues) {
      const field = issue.path[0] === 'parameters' ? 'jsonSchema' : issue.path[0];
      context.addIssue({
        code: 'custom',
        path: field === undefined ? [] : [field as string],
        message: issue.message,
      });
    }
  });

const guidelineDefinitionSchema = z.strictObject({
  key: identifierSchema.optional(),
  condition: guidelineShape.condition,
  action: guidelineShape.action,
  criticality: guidelineShape.criticality,
  tags: guidelineShape.tags,
  enabled: guidelineShape.enabled,
  pinned: guidelineShape.pinned,
  priority: guidelineShape.priority,
  examples: guidelineShape.examples,
  compositionMode: guidelineShape.compositionMode,
  tools: z.array(identifierSchema).max(100).optional(),
  labels: guidelineShape.labels,
  customerTags: guidelineShape.customerTags,
  retrievers: guidelineShape.retrieverIds,
  metadata: guidelineShape.metadata,
});

const relationshipDefinitionSchema = z.strictObject({
  kind: relationshipKindSchema,
  source: identifierSchema,
  target: identifierSchema,
});

const journeyDefinitionSchema = z.strictObject({
  key: identifierSchema,
  title: journeyShape.title,
  description: journeyShape.description,
  conditions: journeyShape.conditions,
  enabled: journeyShape.enabled,
  tags: journeyShape.tags,
  labels: journeyShape.labels,
  customerTags: journeyShape.customerTags,
  initialState: journeyShape.initialState,
  states: z
    .array(
      z.strictObject({
        key: stateShape.key,
        kind: stateShape.kind,
        action: stateShape.action,
        tool: identifierSchema.nullable().optional(),
        description: stateShape.description,
        retrievers: stateShape.retrieverIds,
      }),
    )
    .min(1)
    .max(200),
  transitions: z
    .array(
      z.strictObject({
        from: transitionShape.from,
        to: transitionShape.to,
        condition: transitionShape.condition,
        when: transitionShape.when,
      }),
    )
    .max(1000),
  guidelines: z.array(identifierSchema).max(200).optional(),
});

const variableDefinitionSchema = z.strictObject({
  name: variableShape.name,
  description: variableShape.description,
  tool: identifierSchema.nullable().optional(),
  freshness: variableShape.freshness,
  defaultValue: variableShape.defaultValue,
});

const termDefinitionSchema = z.strictObject({
  name: termShape.name,
  description: termShape.description,
  synonyms: termShape.synonyms,
});

const cannedResponseDefinitionSchema = z.strictObject({
  template: cannedShape.template,
  tags: cannedShape.tags,
  metadata: cannedShape.metadata,
});

const workflowDefinitionSchema = z.strictObject({
  workflowId: workflowShape.workflowId,
  name: workflowShape.name,
  description: workflowShape.description,
  tool: workflowShape.toolName,
  inputSchema: workflowShape.inputSchema,
  triggers: workflowShape.triggers,
  timeoutMs: workflowShape.timeoutMs,
  enabled: workflowShape.enabled,
});

const toolShape = toolInputSchema.shape;
const providedToolDefinitionSchema = z.strictObject({
  name: toolShape.name,
  description: toolShape.description,
  parameters: toolShape.parameters,
});

type ParsedDefinition = z.output<typeof agentDefinitionShapeSchema>;

const agentDefinitionShapeSchema = z.strictObject({
  name: agentShape.name,
  description: agentShape.description,
  compositionMode: agentShape.compositionMode,
  metadata: agentShape.metadata,
  retrievers: agentShape.retrieverIds,
  tools: z.array(toolDefinitionSchema).optional(),
  workflows: z.array(workflowDefinitionSchema).optional(),
  providedTools: z.array(providedToolDefinitionSchema).optional(),
  guidelines: z.array(guidelineDefinitionSchema).optional(),
  relationships: z.array(relationshipDefinitionSchema).optional(),
  journeys: z.array(journeyDefinitionSchema).optional(),
  variables: z.array(variableDefinitionSchema).optional(),
  terms: z.array(termDefinitionSchema).optional(),
  cannedResponses: z.array(cannedResponseDefinitionSchema).optional(),
});

/**
 * The schema {@link defineAgent} validates with: field rules, then the cross-references
 * (unique keys and names, known guideline keys and tool names, coherent journey graphs).
 * Its issues' paths name the offending field, e.g. `guidelines.2.tools.0`.
 */
export const agentDefinitionSchema = agentDefinitionShapeSchema.superRefine(checkReferences);

// ---------------------------------------------------------------------------------------------
// Derived guideline keys
// ---------------------------------------------------------------------------------------------

const fnvOffset64 = 0xcbf29ce484222325n;
const fnvPrime64 = 0x100000001b3n;
const mask64 = 0xffffffffffffffffn;

/** FNV-1a (64 bits) over the UTF-8 bytes of `text`, hex: stable in every runtime, synchronous. */
function fnv1a64(text: string): string {
  let hash = fnvOffset64;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * fnvPrime64) & mask64;
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * The key of a guideline written without one: `g_` and 12 hex digits of a hash of its
 * (trimmed) condition and action. Stable across runs and machines, so a sync recognises it.
 */
export function deriveGuidelineKey(condition: string, action?: string | null): string {
  return `g_${fnv1a64(`${condition.trim()}\u0000${action?.trim() ?? ''}`).slice(0, 12)}`;
}

function keyOf(guideline: { key?: string | undefined; condition: string; action?: string | null }) {
  return guideline.key ?? deriveGuidelineKey(guideline.condition, guideline.action);
}

// ---------------------------------------------------------------------------------------------
// Cross-reference checks
// ---------------------------------------------------------------------------------------------

function checkReferences(definition: ParsedDefinition, context: z.RefinementCtx): void {
  const fail = (path: Array<string | number>, message: string) =>
    context.addIssue({ code: 'custom', path, message });

  /** Reports each repeat of a name, pointing at the first occurrence. */
  const checkUnique = <T>(
    items: readonly T[] | undefined,
    identity: (item: T) => string,
    path: (index: number) => Array<string | number>,
    describe: (item: T, firstIndex: number) => string,
  ): Set<string> => {
    const seen = new Map<string, number>();
    (items ?? []).forEach((item, index) => {
      const id = identity(item);
      const first = seen.get(id);
      if (first === undefined) seen.set(id, index);
      else fail(path(index), describe(item, first));
    });
    return new Set(seen.keys());
  };

  const toolNames = checkUnique(
    definition.tools,
    (tool) => tool.name,
    (index) => ['tools', index, 'name'],
    (tool, first) => `duplicate tool name "${tool.name}" (also tools.${first})`,
  );
  checkUnique(
    definition.workflows,
    (workflow) => workflow.workflowId,
    (index) => ['workflows', index, 'workflowId'],
    (workflow, first) => `duplicate workflow "${workflow.workflowId}" (also workflows.${first})`,
  );
  definition.workflows?.forEach((workflow, index) => {
    if (workflow.tool === null) {
      if (workflow.triggers.length === 0) {
        fail(['workflows', index, 'tool'], 'give the workflow a tool name, triggers, or both');
      }
      return;
    }
    if (toolNames.has(workflow.tool)) {
      fail(['workflows', index, 'tool'], `tool name "${workflow.tool}" is already taken`);
    }
    toolNames.add(workflow.tool);
  });
  definition.providedTools?.forEach((provided, index) => {
    if (toolNames.has(provided.name)) {
      fail(['providedTools', index, 'name'], `tool name "${provided.name}" is already taken`);
    }
    toolNames.add(provided.name);
  });
  const knownTool = (name: string | null | undefined, path: Array<string | number>) => {
    if (name != null && !toolNames.has(name)) {
      fail(path, `unknown tool "${name}": add it to the definition's tools`);
    }
  };

  const guidelineKeys = checkUnique(
    definition.guidelines,
    keyOf,
    (index) => ['guidelines', index, 'key'],
    (guideline, first) =>
      guideline.key === undefined
        ? `same condition and action as guidelines.${first} (derived key "${keyOf(guideline)}")`
        : `duplicate guideline key "${guideline.key}" (also guidelines.${first})`,
  );
  const knownGuideline = (key: string, path: Array<string | number>) => {
    if (!guidelineKeys.has(key)) fail(path, `unknown guideline key "${key}"`);
  };

  definition.guidelines?.forEach((guideline, index) => {
    guideline.tools?.forEach((name, toolIndex) => {
      knownTool(name, ['guidelines', index, 'tools', toolIndex]);
    });
  });

  checkUnique(
    definition.relationships,
    (relationship) =>
      `${relationship.kind}\u0000${relationship.source}\u0000${relationship.target}`,
    (index) => ['relationships', index],
    (relationship, first) =>
      `duplicate ${relationship.kind} relationship "${relationship.source}" → "${relationship.target}" (also relationships.${first})`,
  );
  definition.relationships?.forEach((relationship, index) => {
    knownGuideline(relationship.source, ['relationships', index, 'source']);
    knownGuideline(relationship.target, ['relationships', index, 'target']);
    if (relationship.source === relationship.target) {
      fail(['relationships', index, 'target'], 'a guideline cannot relate to itself');
    }
  });

  checkUnique(
    definition.journeys,
    (journey) => journey.key,
    (index) => ['journeys', index, 'key'],
    (journey, first) => `duplicate journey key "${journey.key}" (also journeys.${first})`,
  );
  definition.journeys?.forEach((journey, index) => {
    journey.states.forEach((state, stateIndex) => {
      knownTool(state.tool, ['journeys', index, 'states', stateIndex, 'tool']);
    });
    journey.guidelines?.forEach((key, guidelineIndex) => {
      knownGuideline(key, ['journeys', index, 'guidelines', guidelineIndex]);
    });
    // The store's own graph rules (state keys, initial state, transitions, tool and chat
    // states), applied with tool names standing in for the tool ids they will become.
    const graph = journeyDocumentSchema.safeParse({
      title: journey.title,
      conditions: journey.conditions,
      initialState: journey.initialState,
      states: journey.states.map(({ tool, ...state }) => ({ ...state, toolId: tool })),
      transitions: journey.transitions,
    });
    if (!graph.success) {
      for (const issue of graph.error.issues) {
        const path = issue.path.map((segment) => (segment === 'toolId' ? 'tool' : segment));
        fail(
          ['journeys', index, ...(path as Array<string | number>)],
          issue.message.replace('toolId', 'tool'),
        );
      }
    }
  });

  checkUnique(
    definition.variables,
    (variable) => variable.name,
    (index) => ['variables', index, 'name'],
    (variable, first) => `duplicate variable name "${variable.name}" (also variables.${first})`,
  );
  definition.variables?.forEach((variable, index) => {
    knownTool(variable.tool, ['variables', index, 'tool']);
  });

  checkUnique(
    definition.terms,
    (term) => term.name.toLowerCase(),
    (index) => ['terms', index, 'name'],
    (term, first) => `duplicate term name "${term.name}" (ignoring case; also terms.${first})`,
  );

  checkUnique(
    definition.cannedResponses,
    (cannedResponse) => cannedResponse.template,
    (index) => ['cannedResponses', index, 'template'],
    (_cannedResponse, first) =>
      `duplicate canned response template (also cannedResponses.${first})`,
  );
}

// ---------------------------------------------------------------------------------------------
// defineAgent
// ---------------------------------------------------------------------------------------------

/** Each item once, where it first appears: labels and customer tags are sets. */
const unique = (items: readonly string[]): string[] => [...new Set(items)];

/** Definitions made by {@link defineAgent}: a sync need not check them again. */
const definedAgents = new WeakSet<object>();

/** True when `value` came out of {@link defineAgent} (in this copy of the package). */
export function isAgentDefinition(value: unknown): value is AgentDefinition {
  return typeof value === 'object' && value !== null && definedAgents.has(value);
}

/** Freezes plain data all the way down; tool definitions (zod schemas inside) are left as they are. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

/**
 * Checks an agent kept in code and returns it normalized and frozen, ready for
 * `syncAgent`. Throws a `validation_failed` ParleyError whose message and `details.issues`
 * name each offending path (`journeys.0.states.2.tool: unknown tool "refund"`).
 *
 * @example
 * export const support = defineAgent({
 *   name: 'Support',
 *   tools: [lookupOrder],
 *   guidelines: [
 *     { key: 'greet', condition: 'the customer says hello', action: 'greet them back' },
 *     { key: 'order', condition: 'the customer asks about an order', action: 'look it up',
 *       tools: ['lookup_order'] },
 *   ],
 *   relationships: [{ kind: 'priority', source: 'order', target: 'greet' }],
 * });
 */
export function defineAgent(definition: AgentDefinitionInput): AgentDefinition {
  const parsed = agentDefinitionSchema.safeParse(definition);
  if (!parsed.success) throw validationError('agent definition', parsed.error);
  const input = parsed.data;

  const normalized: AgentDefinition = {
    name: input.name,
    description: input.description ?? '',
    compositionMode: input.compositionMode ?? 'fluid',
    metadata: input.metadata ?? {},
    retrievers: unique(input.retrievers ?? []),
    // A fresh array of the same (frozen) tool objects: the handlers stay callable.
    tools: Object.freeze([...(input.tools ?? [])]),
    workflows: (input.workflows ?? []).map((workflow) => ({
      workflowId: workflow.workflowId,
      name: workflow.name,
      description: workflow.description,
      tool: workflow.tool,
      inputSchema: workflow.inputSchema,
      triggers: workflow.triggers,
      timeoutMs: workflow.timeoutMs,
      enabled: workflow.enabled,
    })),
    providedTools: (input.providedTools ?? []).map((provided) => ({
      name: provided.name,
      description: provided.description,
      parameters: provided.parameters ?? { type: 'object', properties: {} },
    })),
    guidelines: (input.guidelines ?? []).map((guideline) => ({
      key: keyOf(guideline),
      condition: guideline.condition,
      action: guideline.action ?? null,
      criticality: guideline.criticality ?? 'medium',
      tags: guideline.tags ?? [],
      enabled: guideline.enabled ?? true,
      pinned: guideline.pinned ?? false,
      priority: guideline.priority ?? 0,
      examples: guideline.examples ?? [],
      compositionMode: guideline.compositionMode ?? null,
      tools: guideline.tools ?? [],
      labels: unique(guideline.labels ?? []),
      customerTags: unique(guideline.customerTags ?? []),
      retrievers: unique(guideline.retrievers ?? []),
      metadata: guideline.metadata ?? {},
    })),
    relationships: (input.relationships ?? []).map(({ kind, source, target }) => ({
      kind,
      source,
      target,
    })),
    journeys: (input.journeys ?? []).map((journey) => ({
      key: journey.key,
      title: journey.title,
      description: journey.description ?? '',
      conditions: journey.conditions,
      enabled: journey.enabled ?? true,
      tags: journey.tags ?? [],
      labels: unique(journey.labels ?? []),
      customerTags: unique(journey.customerTags ?? []),
      initialState: journey.initialState,
      states: journey.states.map((state) => ({
        key: state.key,
        kind: state.kind,
        action: state.action ?? null,
        tool: state.tool ?? null,
        description: state.description ?? '',
        retrievers: unique(state.retrievers ?? []),
      })),
      transitions: journey.transitions.map((transition) => ({
        from: transition.from,
        to: transition.to,
        condition: transition.condition ?? null,
        when: transition.when ?? null,
      })),
      guidelines: journey.guidelines ?? [],
    })),
    variables: (input.variables ?? []).map((variable) => ({
      name: variable.name,
      description: variable.description ?? '',
      tool: variable.tool ?? null,
      freshness: variable.freshness ?? null,
      defaultValue: variable.defaultValue ?? null,
    })),
    terms: (input.terms ?? []).map((term) => ({
      name: term.name,
      description: term.description,
      synonyms: term.synonyms ?? [],
    })),
    cannedResponses: (input.cannedResponses ?? []).map((cannedResponse) => ({
      template: cannedResponse.template,
      tags: cannedResponse.tags ?? [],
      metadata: cannedResponse.metadata ?? {},
    })),
  };

  const frozen = deepFreeze(normalized);
  definedAgents.add(frozen);
  return frozen;
}
