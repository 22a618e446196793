/** One request that went through a {@link FlakyFetch}. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string, `?after=…`, or empty. */
  search: string;
  headers: Headers;
  /** The status the server answered, if the answer reached the client. */
  status: number | null;
}

/**
 * The real `fetch`, on a network the test can break: event streams that cannot connect, or the
 * answer to a request lost on its way back after the server handled it. Every request is
 * recorded. It fakes nothing of the server: requests that go through reach the real handler.
 */
export interface FlakyFetch {
  fetch: typeof globalThis.fetch;
  requests: RecordedRequest[];
  /** While true, opening an event stream fails as an unreachable server would. */
  refuseStreams: boolean;
  /** Loses the answer to the next request matching `method` and a path ending in `pathEnd`. */
  loseNextAnswer(method: string, pathEnd: string): void;
}

/** Creates a {@link FlakyFetch}. */
export function createFlakyFetch(): FlakyFetch {
  const losses: Array<{ method: string; pathEnd: string }> = [];
  const flaky: FlakyFetch = {
    requests: [],
    refuseStreams: false,
    loseNextAnswer(method, pathEnd) {
      losses.push({ method, pathEnd });
    },
    async fetch(input, init) {
      const request = new Request(input, init);
      const { pathname: path, search } = new URL(request.url);
      const recorded: RecordedRequest = {
        method: request.method,
        path,
        search,
        headers: new Headers(request.headers),
        status: null,
      };
      flaky.requests.push(recorded);
      if (flaky.refuseStreams && path.endsWith('/stream')) throw new TypeError('fetch failed');
      const response = await globalThis.fetch(request);
      const loss = losses.findIndex(
        (candidate) => candidate.method === request.method && path.endsWith(candidate.pathEnd),
      );
      if (loss !== -1) {
        losses.splice(loss, 1);
        await response.body?.cancel();
        throw new TypeError('fetch failed');
      }
      recorded.status = response.status;
      return response;
    },
  };
  return flaky;
}
