import type { WidgetSession } from './widget-session';

/** One SSE frame as the bench reads it: `data` left as text, parsed only where needed. */
export interface StreamFrame {
  event: string;
  data: string | undefined;
}

/** A session's open event stream, read by `fetch` as the widget reads it. */
export interface SessionStreamConnection {
  /** Resolves on the server's `: connected` comment; rejects if the stream failed first. */
  readonly connected: Promise<void>;
  /** Settles when the stream ends: closed by either side, or failed. */
  readonly ended: Promise<void>;
  /** Bytes received so far. */
  readonly bytesReceived: number;
  close(): void;
}

/**
 * Opens `GET /v1/sessions/:id/stream` with the customer token and hands each frame to
 * `onFrame` with the time its bytes arrived (`performance.now()`, taken once per chunk read,
 * before any parsing, so the bench's own parsing never delays a timestamp).
 */
export function connectToSessionStream(
  baseUrl: string,
  session: WidgetSession,
  onFrame: (frame: StreamFrame, receivedAt: number) => void,
): SessionStreamConnection {
  const abort = new AbortController();
  let bytesReceived = 0;
  let markConnected: () => void = () => undefined;
  let failConnected: (error: unknown) => void = () => undefined;
  const connected = new Promise<void>((resolve, reject) => {
    markConnected = resolve;
    failConnected = reject;
  });
  // Rejections the caller does not wait for (a stream closed before it connected) are no crash.
  connected.catch(() => undefined);

  const read = async () => {
    const response = await fetch(`${baseUrl}/v1/sessions/${session.sessionId}/stream`, {
      headers: {
        authorization: `Bearer ${session.customerToken}`,
        accept: 'text/event-stream',
      },
      signal: abort.signal,
    });
    if (response.status !== 200 || !response.body) {
      throw new Error(`stream answered ${response.status}: ${await response.text()}`);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const receivedAt = performance.now();
      bytesReceived += value.byteLength;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(': connected')) {
          markConnected();
          continue;
        }
        let event = 'message';
        let data: string | undefined;
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data = line.slice(6);
        }
        if (data !== undefined) onFrame({ event, data }, receivedAt);
      }
    }
  };
  const ended = read().then(
    () => failConnected(new Error('the stream ended before it connected')),
    (error: unknown) => {
      failConnected(error);
      if (!abort.signal.aborted) throw error;
    },
  );
  ended.catch(() => undefined);

  return {
    connected,
    ended,
    get bytesReceived() {
      return bytesReceived;
    },
    close() {
      abort.abort();
    },
  };
}
