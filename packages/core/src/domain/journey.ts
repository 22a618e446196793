import { z } from 'zod';
import {
  customerTagListSchema,
  identifierSchema,
  idSchema,
  type JsonValue,
  metadataSchema,
  recordShape,
  retrieverIdListSchema,
  sessionLabelListSchema,
  tagSchema,
} from './common';

/**
 * A journey state's kind:
 * - `chat`: the agent says or asks something (its `action`) and waits for the customer;
 * - `tool`: the engine runs `toolId` and moves on;
 * - `fork`: no output; the next state is chosen among its transitions' conditions;
 * - `end`: the journey is complete.
 */
export const journeyStateKindSchema = z.enum(['chat', 'tool', 'fork', 'end']);
export type JourneyStateKind = z.infer<typeof journeyStateKindSchema>;

/** A state as written in a journey document; `key` names it within the journey. */
export const journeyStateInputSchema = z.object({
  key: identifierSchema,
  kind: journeyStateKindSchema,
  /** For chat states: what the agent should say or ask. */
  action: z.string().trim().min(1).max(4000).nullable().optional(),
  /** For tool states: the tool to run. */
  toolId: idSchema.nullable().optional(),
  description: z.string().max(2000).optional(),
  /** Retrievers searched while the journey is at this state (their passages reach its reply). */
  retrieverIds: retrieverIdListSchema.optional(),
});
export type JourneyStateInput = z.input<typeof journeyStateInputSchema>;

/**
 * A path into the turn's tool results: a tool's name, then a dot path into its result
 * (`lookup_booking.found`, `check_availability.slot.time`), as canned-response templates
 * write them (`{{lookup_booking.booking.date}}`).
 */
const toolResultPathSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/,
    'must be a tool name, then a dot path into its result (e.g. "lookup_booking.found")',
  );

/**
 * A predicate on tool results that decides a transition without a model: the value at
 * `path` equals `equals` (compared as JSON), or is present (not null) as `exists` says.
 */
export type JourneyTransitionPredicate =
  | { path: string; equals: JsonValue }
  | { path: string; exists: boolean };

/** A transition's `when`: `{ path, equals }` or `{ path, exists }`, nothing else. */
export const journeyTransitionPredicateSchema = z.union(
  [
    z.strictObject({ path: toolResultPathSchema, equals: z.json() }),
    z.strictObject({ path: toolResultPathSchema, exists: z.boolean() }),
  ],
  {
    error:
      'must be { path, equals } or { path, exists }: a path and exactly one of "equals" (any JSON value) and "exists" (true or false)',
  },
);

/** A transition as written in a journey document, between two state keys. */
export const journeyTransitionInputSchema = z.object({
  from: identifierSchema,
  to: identifierSchema,
  /**
   * When to take it, in words; with neither this nor `when`, always (the only way out of its
   * state).
   */
  condition: z.string().trim().min(1).max(2000).nullable().optional(),
  /** Taken when a tool result of this journey satisfies it (decided without a model). */
  when: journeyTransitionPredicateSchema.nullable().optional(),
});
export type JourneyTransitionInput = z.input<typeof journeyTransitionInputSchema>;

const journeyDocumentShape = {
  /** A stable name for code-first definitions; unique among the agent's live journeys. */
  key: identifierSchema.nullable().optional(),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(4000).optional(),
  /** Conditions that activate the journey ("the customer wants to book a flight"). */
  conditions: z.array(z.string().trim().min(1).max(2000)).min(1).max(20),
  enabled: z.boolean().optional(),
  tags: z.array(tagSchema).max(50).optional(),
  /** Labels the session gains when the journey starts or goes on in one of its turns. */
  labels: sessionLabelListSchema.optional(),
  /** Only for customers carrying at least one of these tags (empty or absent: everyone). */
  customerTags: customerTagListSchema.optional(),
  metadata: metadataSchema.optional(),
  /** The state the journey starts in. */
  initialState: identifierSchema,
  states: z.array(journeyStateInputSchema).min(1).max(200),
  transitions: z.array(journeyTransitionInputSchema).max(1000),
  /** Guidelines that are considered only while this journey is active. */
  guidelineIds: z.array(idSchema).max(200).optional(),
};

type JourneyDocumentDraft = {
  initialState: string;
  states: Array<{
    key: string;
    kind: JourneyStateKind;
    action?: string | null;
    toolId?: string | null;
  }>;
  transitions: Array<{ from: string; to: string }>;
};

/** Checks what zod's field rules cannot: the graph of states and transitions hangs together. */
function checkJourneyGraph(document: JourneyDocumentDraft, context: z.RefinementCtx): void {
  const keys = new Set<string>();
  document.states.forEach((state, index) => {
    if (keys.has(state.key)) {
      context.addIssue({
        code: 'custom',
        path: ['states', index, 'key'],
        message: `duplicate state key "${state.key}"`,
      });
    }
    keys.add(state.key);
    if (state.kind === 'tool' && !state.toolId) {
      context.addIssue({
        code: 'custom',
        path: ['states', index, 'toolId'],
        message: 'a tool state needs a toolId',
      });
    }
    if (state.kind === 'chat' && !state.action) {
      context.addIssue({
        code: 'custom',
        path: ['states', index, 'action'],
        message: 'a chat state needs an action',
      });
    }
  });
  if (!keys.has(document.initialState)) {
    context.addIssue({
      code: 'custom',
      path: ['initialState'],
      message: `no state has the key "${document.initialState}"`,
    });
  }
  const endKeys = new Set(
    document.states.filter((state) => state.kind === 'end').map((state) => state.key),
  );
  document.transitions.forEach((transition, index) => {
    for (const side of ['from', 'to'] as const) {
      if (!keys.has(transition[side])) {
        context.addIssue({
          code: 'custom',
          path: ['transitions', index, side],
          message: `no state has the key "${transition[side]}"`,
        });
      }
    }
    if (endKeys.has(transition.from)) {
      context.addIssue({
        code: 'custom',
        path: ['transitions', index, 'from'],
        message: `"${transition.from}" is an end state and cannot have outgoing transitions`,
      });
    }
  });
}

/**
 * A whole journey as one document: its states, the transitions between them (by state key)
 * and its trigger conditions. Creating and replacing a journey both take this document.
 */
export const journeyInputSchema = z
  .object({ agentId: idSchema, ...journeyDocumentShape })
  .superRefine(checkJourneyGraph);
export type JourneyInput = z.input<typeof journeyInputSchema>;

/** The document a replacement takes: everything but the agent, which never changes. */
export const journeyDocumentSchema = z.object(journeyDocumentShape).superRefine(checkJourneyGraph);
export type JourneyDocument = z.input<typeof journeyDocumentSchema>;

/** A stored journey state. Its id is stable across replacements that keep its key. */
export const journeyStateSchema = z.object({
  id: z.string(),
  key: z.string(),
  kind: journeyStateKindSchema,
  action: z.string().nullable(),
  toolId: z.string().nullable(),
  description: z.string(),
  retrieverIds: z.array(z.string()),
});
export type JourneyState = z.infer<typeof journeyStateSchema>;

/** A stored transition, with both state ids and keys. */
export const journeyTransitionSchema = z.object({
  id: z.string(),
  fromStateId: z.string(),
  toStateId: z.string(),
  from: z.string(),
  to: z.string(),
  condition: z.string().nullable(),
  /** The transition's predicate on tool results; null when it has none. */
  when: journeyTransitionPredicateSchema.nullable(),
});
export type JourneyTransition = z.infer<typeof journeyTransitionSchema>;

/** A stored journey with its states, transitions and scoped guidelines. */
export const journeySchema = z.object({
  ...recordShape,
  agentId: z.string(),
  key: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  conditions: z.array(z.string()),
  enabled: z.boolean(),
  tags: z.array(z.string()),
  labels: z.array(z.string()),
  customerTags: z.array(z.string()),
  metadata: metadataSchema,
  initialState: z.string(),
  states: z.array(journeyStateSchema),
  transitions: z.array(journeyTransitionSchema),
  guidelineIds: z.array(z.string()),
});
export type Journey = z.infer<typeof journeySchema>;

/** Header fields an update may change without touching the states and transitions. */
export const journeyPatchSchema = z
  .object({
    key: journeyDocumentShape.key,
    title: journeyDocumentShape.title,
    description: journeyDocumentShape.description,
    conditions: journeyDocumentShape.conditions,
    enabled: journeyDocumentShape.enabled,
    tags: journeyDocumentShape.tags,
    labels: journeyDocumentShape.labels,
    customerTags: journeyDocumentShape.customerTags,
    metadata: journeyDocumentShape.metadata,
  })
  .partial();
export type JourneyPatch = z.input<typeof journeyPatchSchema>;

/** Which journeys a listing returns: one agent's. */
export const journeyListFilterSchema = z.object({ agentId: idSchema });
export type JourneyListFilter = z.input<typeof journeyListFilterSchema>;
