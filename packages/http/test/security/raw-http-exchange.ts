import net from 'node:net';

/** One HTTP/1.x response read off a raw socket. Header values are bytes (latin1). */
export interface RawResponse {
  /** The method of the request it answers, as the caller said (pipelined in order). */
  method: string;
  status: number;
  headers: Map<string, string>;
  body: Buffer;
}

/**
 * How a raw exchange ended: `answered` (at least one complete response), `closed` (the server
 * closed the connection, nothing sent), `garbled` (bytes that are no response), `reset` (the
 * connection broke before any answer) or `timeout` (nothing within the bound).
 */
export type RawOutcome = 'answered' | 'closed' | 'garbled' | 'reset' | 'timeout';

/** What the server sent back to one raw request. */
export interface RawExchange {
  outcome: RawOutcome;
  responses: RawResponse[];
  /** Bytes after the last complete response; empty unless a response was cut. */
  leftover: Buffer;
  /** The socket error, if any (`ECONNRESET`…), even after an answer. */
  error?: string;
  /** Whether the server still held the connection open when the bound ran out. */
  timedOut: boolean;
}

function indexOfBlankLine(data: Buffer, from: number): number {
  return data.indexOf('\r\n\r\n', from, 'latin1');
}

/** Decodes a chunked body from `offset`; `null` when it is incomplete. */
function readChunked(data: Buffer, offset: number): { body: Buffer; end: number } | null {
  const chunks: Buffer[] = [];
  let position = offset;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', position, 'latin1');
    if (lineEnd < 0) return null;
    const size = Number.parseInt(
      data.toString('latin1', position, lineEnd).split(';')[0] ?? '',
      16,
    );
    if (!Number.isFinite(size)) return null;
    position = lineEnd + 2;
    if (size === 0) {
      const trailerEnd = data.indexOf('\r\n', position, 'latin1');
      if (trailerEnd < 0) return null;
      // No trailers are sent: the last chunk is followed by the blank line at once.
      return { body: Buffer.concat(chunks), end: trailerEnd + 2 };
    }
    if (data.length < position + size + 2) return null;
    chunks.push(data.subarray(position, position + size));
    position += size + 2;
  }
}

/**
 * Splits what a server sent into its responses, skipping interim `1xx` ones. `methods` are
 * those of the requests in order: the answer to a HEAD has no body.
 */
export function parseResponses(
  data: Buffer,
  methods: readonly string[],
): { responses: RawResponse[]; leftover: Buffer } {
  const responses: RawResponse[] = [];
  let offset = 0;
  while (offset < data.length) {
    const headEnd = indexOfBlankLine(data, offset);
    if (headEnd < 0) break;
    const [statusLine = '', ...headerLines] = data
      .toString('latin1', offset, headEnd)
      .split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(statusLine);
    if (!status) break;
    const headers = new Map<string, string>();
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
    }
    const code = Number(status[1]);
    let position = headEnd + 4;
    if (code >= 100 && code < 200) {
      offset = position;
      continue;
    }
    const method = methods[responses.length] ?? 'GET';
    let body: Buffer = Buffer.alloc(0);
    if (method !== 'HEAD' && code !== 204 && code !== 304) {
      const length = headers.get('content-length');
      if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') {
        const chunked = readChunked(data, position);
        if (!chunked) break;
        body = chunked.body;
        position = chunked.end;
      } else if (length !== undefined) {
        if (data.length < position + Number(length)) break;
        body = data.subarray(position, position + Number(length));
        position += Number(length);
      } else {
        // Neither length nor chunks: the body runs to the end of the connection.
        body = data.subarray(position);
        position = data.length;
      }
    }
    responses.push({ method, status: code, headers, body });
    offset = position;
  }
  return { responses, leftover: data.subarray(offset) };
}

/**
 * Sends `bytes` on a fresh connection to `port`, half-closes it (so the server sees the end
 * of the request stream), and collects everything until the server closes, or `timeoutMs`.
 */
export function sendRaw(
  port: number,
  bytes: Buffer,
  methods: readonly string[],
  timeoutMs = 5_000,
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let error: string | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (failure: NodeJS.ErrnoException) => {
      error = failure.code ?? failure.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const { responses, leftover } = parseResponses(Buffer.concat(received), methods);
      let outcome: RawOutcome = 'answered';
      if (responses.length === 0) {
        if (timedOut) outcome = 'timeout';
        else if (error) outcome = 'reset';
        else outcome = received.length === 0 ? 'closed' : 'garbled';
      }
      resolve({ outcome, responses, leftover, timedOut, ...(error ? { error } : {}) });
    });
    socket.end(bytes);
  });
}

/** Runs `task` over `items`, `concurrency` at a time, keeping the order of results. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
