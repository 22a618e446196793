import { z } from 'zod';
import { idSchema, metadataSchema, recordShape, tagSchema } from './common';

const fieldPattern = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

/**
 * The field names a template refers to, in order of first use, without repeats:
 * `templateFields('Hi {{name}}, your plan is {{plan}}')` → `['name', 'plan']`.
 */
export function templateFields(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(fieldPattern), (match) => match[1] as string))];
}

/** What a caller supplies to add a canned response to an agent. */
export const cannedResponseInputSchema = z.object({
  agentId: idSchema,
  /** The reply text; `{{field}}` placeholders are filled from variables and tool results. */
  template: z.string().trim().min(1).max(4000),
  tags: z.array(tagSchema).max(50).optional(),
  metadata: metadataSchema.optional(),
});
export type CannedResponseInput = z.input<typeof cannedResponseInputSchema>;

/** Fields an update may change; the agent of a canned response never changes. */
export const cannedResponsePatchSchema = cannedResponseInputSchema
  .omit({ agentId: true })
  .partial();
export type CannedResponsePatch = z.input<typeof cannedResponsePatchSchema>;

/** A stored canned response; `fields` is derived from the template on every write. */
export const cannedResponseSchema = z.object({
  ...recordShape,
  agentId: z.string(),
  template: z.string(),
  fields: z.array(z.string()),
  tags: z.array(z.string()),
  metadata: metadataSchema,
});
export type CannedResponse = z.infer<typeof cannedResponseSchema>;

/**
 * The tag that makes a canned response a preamble: a short holding line ("Let me look that
 * up") the agent sends while a slow turn works, never a reply. A tag rather than a field of
 * its own, so marking one needs no migration and the listing's tag filter finds them.
 */
export const preambleTag = 'preamble';

/** Whether a canned response is a preamble (tagged {@link preambleTag}). */
export function isPreamble(response: Pick<CannedResponse, 'tags'>): boolean {
  return response.tags.includes(preambleTag);
}

/** Which canned responses a listing returns: one agent's, optionally by tag. */
export const cannedResponseListFilterSchema = z.object({
  agentId: idSchema,
  tag: tagSchema.optional(),
});
export type CannedResponseListFilter = z.input<typeof cannedResponseListFilterSchema>;
