import type { z } from 'zod';
import { validationError } from '../errors/parley-error';

/** Validates input with its zod schema; a failure is a `validation_failed` naming each field. */
export function parseInput<TSchema extends z.ZodType>(
  schema: TSchema,
  value: unknown,
  subject: string,
): z.output<TSchema> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(subject, result.error);
  return result.data;
}
