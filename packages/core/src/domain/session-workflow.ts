import { z } from 'zod';
import { workflowTriggerSchema } from './agent-workflow';
import { idSchema } from './common';

/** Why a workflow ran: a tool call of a turn, or a session event. */
export const workflowRunTriggerSchema = z.union([z.literal('tool'), workflowTriggerSchema]);
export type WorkflowRunTrigger = z.infer<typeof workflowRunTriggerSchema>;

/** Where a run stands. */
export const workflowRunStatusSchema = z.enum(['running', 'succeeded', 'failed']);
export type WorkflowRunStatus = z.infer<typeof workflowRunStatusSchema>;

/** What a run records when it starts. */
export const sessionWorkflowInputSchema = z.object({
  sessionId: idSchema,
  /** The link it ran through; `null` once that link is deleted. */
  agentWorkflowId: idSchema.nullable(),
  workflowId: idSchema,
  trigger: workflowRunTriggerSchema,
  input: z.record(z.string(), z.json()),
});
export type SessionWorkflowInput = z.input<typeof sessionWorkflowInputSchema>;

/** How a run ended. */
export const sessionWorkflowOutcomeSchema = z.object({
  status: z.enum(['succeeded', 'failed']),
  output: z.json().nullable().default(null),
  error: z
    .object({ code: z.string().max(100), message: z.string().max(2000) })
    .nullable()
    .default(null),
  /** The host's id of the execution, when it gave one. */
  executionId: z.string().max(200).nullable().default(null),
  durationMs: z.number().int().min(0),
});
export type SessionWorkflowOutcome = z.input<typeof sessionWorkflowOutcomeSchema>;

/** One execution of a workflow for a session (`session_workflow`). */
export const sessionWorkflowSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  sessionId: z.string(),
  agentWorkflowId: z.string().nullable(),
  workflowId: z.string(),
  trigger: workflowRunTriggerSchema,
  status: workflowRunStatusSchema,
  input: z.record(z.string(), z.json()),
  output: z.json().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  executionId: z.string().nullable(),
  durationMs: z.number().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type SessionWorkflow = z.infer<typeof sessionWorkflowSchema>;

/** Which runs a listing returns: one session's, oldest first. */
export const sessionWorkflowListFilterSchema = z.object({ sessionId: idSchema });
export type SessionWorkflowListFilter = z.input<typeof sessionWorkflowListFilterSchema>;
