/**
 * `work`, or a rejection with `signal.reason` as soon as the signal aborts, whichever comes
 * first. drizzle cannot cancel a statement in flight, so an aborted search lets its statement
 * finish on the server (one bounded query: at most `candidates` rows an arm) and drops the
 * answer; the caller is released at once.
 */
export function rejectOnAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The work goes on; its outcome, success or failure, is no one's concern any more.
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
