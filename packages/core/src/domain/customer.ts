import { z } from 'zod';
import { idSchema, metadataSchema, recordShape, tagSchema } from './common';

/** What a caller supplies to create a customer (a person who talks to agents). */
export const customerInputSchema = z.object({
  /** The site's own id for this person; unique among the workspace's live customers. */
  externalId: z.string().trim().min(1).max(256).nullable().optional(),
  /** A user of the host application, when the customer is one; nulled if that user is deleted. */
  userId: idSchema.nullable().optional(),
  name: z.string().trim().min(1).max(200).nullable().optional(),
  email: z.email().max(320).nullable().optional(),
  tags: z.array(tagSchema).max(50).optional(),
  metadata: metadataSchema.optional(),
});
export type CustomerInput = z.input<typeof customerInputSchema>;

/** Fields an update may change. */
export const customerPatchSchema = customerInputSchema.partial();
export type CustomerPatch = z.input<typeof customerPatchSchema>;

/** A stored customer. Anonymous widget visitors are customers with no external id. */
export const customerSchema = z.object({
  ...recordShape,
  externalId: z.string().nullable(),
  userId: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  tags: z.array(z.string()),
  metadata: metadataSchema,
});
export type Customer = z.infer<typeof customerSchema>;

/** Which customers a listing returns: all, or the one with an external id. */
export const customerListFilterSchema = z.object({
  externalId: z.string().trim().min(1).max(256).optional(),
});
export type CustomerListFilter = z.input<typeof customerListFilterSchema>;
