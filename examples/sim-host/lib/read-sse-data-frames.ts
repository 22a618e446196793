/**
 * @module The `data` of each frame of a server-sent event stream, read as the bytes arrive: what
 * the Sim workflow executor needs from `POST /api/workflows/:id/execute` with `stream: true`.
 * Only `data:` lines matter there (Sim names no `event:` and sends no `id:`), so this is a few
 * lines rather than a dependency.
 */

/**
 * Yields the data of each frame of `body`, its `data:` lines joined by `\n`, following the
 * WHATWG event stream rules: lines end with CRLF, LF or CR, anywhere in a chunk (a frame or a
 * multi-byte character may be split across chunks); a blank line ends a frame; `:` lines
 * (keep-alive comments) and other fields are ignored; a frame with no `data:` line is skipped,
 * and one cut off by the end of the body is dropped. Breaking out of the loop cancels the body.
 */
export async function* readSseDataFrames(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<string, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let dataLines: string[] = [];
  let done = false;
  try {
    while (!done) {
      const chunk = await reader.read();
      done = chunk.done;
      buffer += done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      for (;;) {
        const end = buffer.search(/\r\n|\r|\n/);
        // A CR that ends the buffer may be the first half of a CRLF: wait for the next chunk.
        if (end === -1 || (end === buffer.length - 1 && buffer[end] === '\r' && !done)) break;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(buffer.startsWith('\r\n', end) ? end + 2 : end + 1);
        if (line === '') {
          if (dataLines.length > 0) yield dataLines.join('\n');
          dataLines = [];
        } else if (line === 'data' || line.startsWith('data:')) {
          const value = line.slice(5);
          dataLines.push(value.startsWith(' ') ? value.slice(1) : value);
        }
      }
    }
  } finally {
    // Ended early (the caller broke off, or threw): close the connection rather than drain it.
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
