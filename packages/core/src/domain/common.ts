import { z } from 'zod';

/** An id as stored: opaque text (UUID v4 unless the host injects its own generator). */
export const idSchema = z.string().trim().min(1).max(128);

/**
 * Any JSON value, as `z.json()` accepts it. Named here rather than inferred, so that Parley's
 * declarations (the drizzle tables' column types) never point into zod's internal modules:
 * with zod 4.3 they did, and a declaration build could not name them (TS2742).
 */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** Free-form JSON attached to a record by its owner; Parley never interprets it. */
export const metadataSchema = z.record(z.string(), z.json());
export type Metadata = Record<string, JsonValue>;

/** A short label used to filter records (guidelines, canned responses, customers). */
export const tagSchema = z.string().trim().min(1).max(100);

/**
 * Labels a session gains when a guideline or journey carrying them applies in one of its
 * turns: tags, at most 50.
 */
export const sessionLabelListSchema = z.array(tagSchema).max(50);

/**
 * The customer tags a guideline or journey is for: with any, only sessions whose customer
 * carries at least one of them consider it; empty, everyone does. Tags, at most 50.
 */
export const customerTagListSchema = z.array(tagSchema).max(50);

/** A code-friendly identifier: tool names, variable names, state keys. */
export const identifierSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
    'must start with a letter and hold only letters, digits, "_" or "-" (at most 64)',
  );

/**
 * The retrievers an agent, a guideline or a journey state draws knowledge from, by the ids
 * the engine's `retrievers` option gives them (e.g. `help-center`); at most 20.
 */
export const retrieverIdListSchema = z.array(identifierSchema).max(20);

/** A name a person reads: trimmed, 1–200 characters. */
export const displayNameSchema = z.string().trim().min(1).max(200);

/** How replies are composed: free text, canned-first, or canned only (no LLM needed). */
export const compositionModeSchema = z.enum(['fluid', 'canned_fluid', 'canned_strict']);
export type CompositionMode = z.infer<typeof compositionModeSchema>;

/** Columns every stored record carries. */
export const recordShape = {
  id: idSchema,
  workspaceId: idSchema,
  createdAt: z.date(),
  updatedAt: z.date(),
  /** Set when the record was soft-deleted; archived records are invisible to reads. */
  archivedAt: z.date().nullable(),
};

/** One page of a cursor-paginated listing. */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** Options of every cursor-paginated listing. */
export const pageRequestSchema = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});
export type PageRequest = z.infer<typeof pageRequestSchema>;
