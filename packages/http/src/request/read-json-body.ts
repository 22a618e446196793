import { ParleyError } from '@parley/core';

/** How deep JSON may nest before it is refused: a guard against stack-exhausting bodies. */
const maximumDepth = 32;

/** Whether JSON nests deeper than the limit; iterative, so a hostile body cannot blow the stack. */
function nestsTooDeep(value: unknown): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop() as { value: unknown; depth: number };
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maximumDepth) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      pending.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}

/**
 * Reads a JSON request body: `application/json` only (415 otherwise), at most `maxBytes`
 * (413, counted while reading, so a lying or absent Content-Length cannot get past it),
 * well-formed (400) and not nested deeper than 32 levels (400). An empty body reads as `{}`.
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
  if (nestsTooDeep(body)) {
    throw new ParleyError('validation_failed', `The body nests deeper than ${maximumDepth} levels`);
  }
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
