import { z } from 'zod';
import { displayNameSchema, identifierSchema, idSchema, recordShape } from './common';

/** Session events a workflow can react to. */
export const workflowTriggerSchema = z.enum([
  'session_started',
  'handoff_requested',
  'session_closed',
]);
export type WorkflowTrigger = z.infer<typeof workflowTriggerSchema>;

/** A JSON Schema object describing a workflow's input (Sim's start block fields). */
const inputSchemaSchema = z
  .record(z.string(), z.json())
  .refine((schema) => schema.type === undefined || schema.type === 'object', {
    error: 'must describe an object (type "object")',
  })
  .refine((schema) => JSON.stringify(schema).length <= 20_000, {
    error: 'must be at most 20,000 characters of JSON',
  });

const agentWorkflowFields = {
  agentId: idSchema,
  /** The host's workflow id (Sim's `workflow.id`). */
  workflowId: idSchema,
  name: displayNameSchema,
  /** What the workflow does: the tool's description for the model. */
  description: z.string().trim().max(2000),
  /**
   * The tool name the agent calls the workflow by (a guideline or journey state names it);
   * none when the workflow only reacts to session events.
   */
  toolName: identifierSchema.nullable(),
  /** The JSON Schema of the workflow's input: the tool's parameters. */
  inputSchema: inputSchemaSchema,
  /** Session events that run the workflow, each once. */
  triggers: z
    .array(workflowTriggerSchema)
    .max(workflowTriggerSchema.options.length)
    .refine((triggers) => new Set(triggers).size === triggers.length, {
      error: 'must not repeat a trigger',
    }),
  /** How long a run may take before it counts as failed; default 30 s. */
  timeoutMs: z.number().int().min(100).max(600_000),
  enabled: z.boolean(),
};

/**
 * What links an agent to one of the host's workflows: as a tool (`toolName`), on session
 * events (`triggers`), or both.
 */
export const agentWorkflowInputSchema = z
  .object({
    ...agentWorkflowFields,
    description: agentWorkflowFields.description.default(''),
    toolName: agentWorkflowFields.toolName.default(null),
    inputSchema: agentWorkflowFields.inputSchema.default({ type: 'object', properties: {} }),
    triggers: agentWorkflowFields.triggers.default([]),
    timeoutMs: agentWorkflowFields.timeoutMs.default(30_000),
    enabled: agentWorkflowFields.enabled.default(true),
  })
  .refine((input) => input.toolName !== null || input.triggers.length > 0, {
    error: 'give the workflow a toolName, triggers, or both',
    path: ['toolName'],
  });
export type AgentWorkflowInput = z.input<typeof agentWorkflowInputSchema>;

/** Fields an update may change (no defaults: what a patch leaves out stays). */
export const agentWorkflowPatchSchema = z
  .object(agentWorkflowFields)
  .omit({ agentId: true })
  .partial();
export type AgentWorkflowPatch = z.input<typeof agentWorkflowPatchSchema>;

/** A stored workflow link. */
export const agentWorkflowSchema = z.object({
  ...recordShape,
  agentId: z.string(),
  workflowId: z.string(),
  name: z.string(),
  description: z.string(),
  toolName: z.string().nullable(),
  inputSchema: z.record(z.string(), z.json()),
  triggers: z.array(workflowTriggerSchema),
  timeoutMs: z.number(),
  enabled: z.boolean(),
});
export type AgentWorkflow = z.infer<typeof agentWorkflowSchema>;

/** Which links a listing returns: one agent's. */
export const agentWorkflowListFilterSchema = z.object({ agentId: idSchema });
export type AgentWorkflowListFilter = z.input<typeof agentWorkflowListFilterSchema>;
