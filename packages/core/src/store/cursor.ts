import { ParleyError } from '../errors/parley-error';

/** Where a listing stopped: the creation time and id of the last record returned. */
export interface CursorPosition {
  createdAt: Date;
  id: string;
}

/** Encodes a position as an opaque, URL-safe cursor. */
export function encodeCursor(position: CursorPosition): string {
  const json = JSON.stringify([position.createdAt.toISOString(), position.id]);
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; anything else is a `validation_failed`. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const [createdAt, id] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as unknown[];
    const date = new Date(String(createdAt));
    if (typeof id !== 'string' || id.length === 0 || Number.isNaN(date.getTime())) {
      throw new Error('bad cursor fields');
    }
    return { createdAt: date, id };
  } catch {
    throw new ParleyError(
      'validation_failed',
      'Invalid cursor: pass back a nextCursor exactly as received',
      {
        details: { issues: [{ path: 'cursor', message: 'not a cursor this store issued' }] },
      },
    );
  }
}
