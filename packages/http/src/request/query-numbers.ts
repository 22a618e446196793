import { z } from 'zod';

/** The largest event offset the database holds (a PostgreSQL `integer`). */
export const maximumOffset = 2_147_483_647;

/**
 * A whole number written in plain decimal digits, within `[minimum, maximum]`. Stricter than
 * `z.coerce.number()`, which takes `0x1f`, `1e3` or an empty string and lets an offset past
 * the column's range reach the database.
 */
export function wholeNumberParameter(minimum: number, maximum: number) {
  return z
    .string()
    .regex(/^-?\d{1,10}$/, 'must be a whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().int().min(minimum).max(maximum));
}

/** A number of seconds, decimals allowed (`0.5`), within `[0, maximum]`. */
export function secondsParameter(maximum: number) {
  return z
    .string()
    .regex(/^\d{1,6}(\.\d{1,3})?$/, 'must be a number of seconds in decimal digits')
    .transform(Number)
    .pipe(z.number().min(0).max(maximum));
}

/** An event offset to read after: `-1` (from the start) up to the largest offset. */
export const afterOffsetParameter = wholeNumberParameter(-1, maximumOffset);
