import type { ServerResponse } from 'node:http';

/** Resolves once `target` can take more bytes, or once it closed and never will. */
function drainedOrClosed(target: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const settle = () => {
      target.off('drain', settle);
      target.off('close', settle);
      resolve();
    };
    target.on('drain', settle);
    target.on('close', settle);
  });
}

/** The headers of a Web Response as Node writes them, each cookie on its own line. */
function nodeHeadersOf(response: Response): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie?.() ?? [];
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  return headers;
}

/**
 * Writes a small Web Response (an error envelope) whole: body read first, then head, length
 * and body in one go. Nothing is sent until the answer is complete, so if Node gives up on the
 * connection meanwhile (the rest of the bytes were no HTTP: it answers 400 itself and closes),
 * no half answer is left on it.
 */
export async function writeWholeResponse(
  response: Response,
  target: ServerResponse,
): Promise<void> {
  const body = new Uint8Array(await response.arrayBuffer());
  if (target.destroyed || target.headersSent) return;
  target.writeHead(response.status, {
    ...nodeHeadersOf(response),
    'content-length': body.byteLength,
  });
  target.end(body);
}

/**
 * Writes a Web Response to a Node response, streaming its body with backpressure. A client
 * that goes away mid-body cancels the body's stream and ends the write quietly.
 */
export async function writeWebResponse(response: Response, target: ServerResponse): Promise<void> {
  target.writeHead(response.status, nodeHeadersOf(response));
  if (!response.body) {
    target.end();
    return;
  }
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  target.on('close', cancel);
  try {
    // Streams flush every chunk at once: SSE must not sit in a buffer.
    target.flushHeaders();
    for (;;) {
      const { done, value } = await reader.read();
      if (done || target.destroyed) break;
      // Without the close, a client gone while its buffer was full would be waited on forever.
      if (!target.write(value)) await drainedOrClosed(target);
    }
  } finally {
    target.off('close', cancel);
  }
  if (target.destroyed) cancel();
  else target.end();
}
