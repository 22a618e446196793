import { z } from 'zod';
import { identifierSchema, metadataSchema, recordShape } from './common';

/** A JSON Schema object describing a tool's parameters (as zod 4's `z.toJSONSchema` emits). */
export const jsonSchemaObjectSchema = z
  .record(z.string(), z.json())
  .refine((schema) => schema.type === undefined || schema.type === 'object', {
    message: 'tool parameters must be described by an object schema',
  });

/**
 * What a caller supplies to declare a tool. The handler itself is TypeScript code registered
 * with the engine under the same name; the store keeps the declaration the model sees.
 */
export const toolInputSchema = z.object({
  /** Unique among the workspace's live tools; the name the model calls. */
  name: identifierSchema,
  description: z.string().trim().min(1).max(4000),
  parameters: jsonSchemaObjectSchema.optional(),
  metadata: metadataSchema.optional(),
});
export type ToolInput = z.input<typeof toolInputSchema>;

/** Fields an update may change. */
export const toolPatchSchema = toolInputSchema.partial();
export type ToolPatch = z.input<typeof toolPatchSchema>;

/** A stored tool declaration. Tools belong to the workspace and are attached to agents. */
export const toolSchema = z.object({
  ...recordShape,
  name: z.string(),
  description: z.string(),
  parameters: z.record(z.string(), z.json()),
  metadata: metadataSchema,
});
export type Tool = z.infer<typeof toolSchema>;
