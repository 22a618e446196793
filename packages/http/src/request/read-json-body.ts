import { ParleyError } from '@parley/core';

/** How deep JSON may nest before it is refused: a guard against stack-exhausting bodies. */
const maximumDepth = 32;

/** A string PostgreSQL cannot store (NUL) or UTF-8 cannot encode as sent (a lone surrogate). */
function isUnstorable(text: string): boolean {
  // In unicode mode a proper surrogate pair is one code point: only lone halves match \p{Cs}.
  return text.includes('\u0000') || /\p{Cs}/u.test(text);
}

/**
 * Walks parsed JSON once, iteratively (a hostile body cannot blow the stack): refuses nesting
 * deeper than the limit and any string, value or key, the database would refuse or silently
 * change, naming where it is.
 */
function checkJsonShape(body: unknown): void {
  const pending: Array<{ value: unknown; path: string[] }> = [{ value: body, path: [] }];
  const unstorable: Array<{ path: string; message: string }> = [];
  while (pending.length > 0) {
    const { value, path } = pending.pop() as { value: unknown; path: string[] };
    if (typeof value === 'string') {
      if (isUnstorable(value)) {
        unstorable.push({
          path: path.join('.') || '(root)',
          message: 'holds a NUL character or a lone surrogate, which cannot be stored',
        });
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= maximumDepth) {
      throw new ParleyError(
        'validation_failed',
        `The body nests deeper than ${maximumDepth} levels`,
      );
    }
    for (const [key, child] of Object.entries(value)) {
      if (isUnstorable(key)) {
        unstorable.push({
          path: [...path, '(key)'].join('.'),
          message: 'a key holds a NUL character or a lone surrogate',
        });
      }
      pending.push({ value: child, path: [...path, key] });
    }
  }
  if (unstorable.length > 0) {
    const summary = unstorable.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new ParleyError('validation_failed', `Invalid body: ${summary}`, {
      details: { issues: unstorable.slice(0, 20) },
    });
  }
}

/**
 * Reads a JSON request body: `application/json` only (415 otherwise), at most `maxBytes`
 * (413, counted while reading, so a lying or absent Content-Length cannot get past it),
 * well-formed (400), not nested deeper than 32 levels (400) and free of text the database
 * cannot store (NUL, lone surrogates: 400 naming the field). An empty body reads as `{}`.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const contentType = request.headers.get('content-type') ?? '';
  const declaredLength = Number(request.headers.get('content-length') ?? '0');
  if (request.body === null) return {};
  if (!/^application\/json\b/i.test(contentType)) {
    throw new ParleyError(
      'unsupported_media_type',
      'Send JSON, with Content-Type: application/json',
      {
        details: { received: contentType.slice(0, 100) || null },
      },
    );
  }
  if (declaredLength > maxBytes) throw tooLarge(maxBytes);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(concatenate(chunks, received));
  if (text.trim().length === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ParleyError('validation_failed', 'The body is not valid JSON', {
      details: {
        issues: [
          { path: '(root)', message: error instanceof Error ? error.message : 'invalid JSON' },
        ],
      },
    });
  }
  checkJsonShape(body);
  return body;
}

function tooLarge(maxBytes: number): ParleyError {
  return new ParleyError('payload_too_large', `The body is larger than ${maxBytes} bytes`, {
    details: { maxBytes },
  });
}

function concatenate(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}
