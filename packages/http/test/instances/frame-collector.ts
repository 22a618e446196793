import { readFrames, type SseFrame } from '../handler-kit';

/** SSE frames of one open stream, read in the background, with bounded waits on them. */
export interface FrameCollector {
  /** Every frame received so far, in order. */
  readonly frames: readonly SseFrame[];
  /** Whether the stream has ended (closed by the server, failed, or stopped). */
  readonly ended: boolean;
  /**
   * Resolves with the frames once `until` holds; rejects after `timeoutMs`, or when the stream
   * ends first, with `what` and the frames seen, so a regression fails instead of hanging.
   */
  waitFor(
    what: string,
    until: (frames: readonly SseFrame[]) => boolean,
    timeoutMs: number,
  ): Promise<readonly SseFrame[]>;
  /** Resolves once the stream has ended; rejects after `timeoutMs`. */
  waitForEnd(timeoutMs: number): Promise<void>;
  /** Stops reading (aborts the request when the collector was given its controller). */
  stop(): Promise<void>;
}

/**
 * Reads a streamed response's SSE frames with the kit's {@link readFrames} in the background.
 * `abort` (the request's controller) lets {@link FrameCollector.stop} end a stream that sends
 * nothing more.
 */
export function collectFrames(response: Response, abort?: AbortController): FrameCollector {
  let frames: SseFrame[] = [];
  let ended = false;
  let stopping = false;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const reading = readFrames(response, (seen) => {
    frames = seen;
    wake();
    return stopping;
  })
    .catch(() => undefined)
    .finally(() => {
      ended = true;
      wake();
    });

  const describe = () =>
    frames
      .map(
        (frame) => `${frame.event}${frame.id ? `#${frame.id}` : ''} ${JSON.stringify(frame.data)}`,
      )
      .join('\n  ');

  return {
    get frames() {
      return frames;
    },
    get ended() {
      return ended;
    },
    waitFor(what, until, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (until(frames)) {
            finish();
            resolve(frames);
          } else if (ended) {
            finish();
            reject(new Error(`The stream ended before ${what}; frames:\n  ${describe()}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`Waited ${timeoutMs} ms for ${what} in vain; frames:\n  ${describe()}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async waitForEnd(timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`The stream did not end within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([reading, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      stopping = true;
      abort?.abort();
      await reading;
    },
  };
}
