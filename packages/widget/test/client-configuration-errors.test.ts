import { hashAgentKey } from '@parley/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type ChatClient,
  type ChatClientOptions,
  type ChatMessage,
  createChatClient,
  createHttpTransport,
  type HttpTransportOptions,
} from '../src/index';
import { type ChatServer, shopAgent, startChatServer } from './chat-server';
import { createFlakyFetch, type FlakyFetch } from './flaky-fetch';
import { createManualTimers, type ManualTimers } from './manual-timers';

/**
 * Failures no retry can mend (the page's origin refused, the key unknown or revoked, the
 * endpoint blocked by the page's Content-Security-Policy), against the real handler over HTTP:
 * the chat becomes `unavailable` with an error that says so, makes no further request, and
 * tells the site's owner once what to fix; a passing failure (a 503) is still tried again.
 * Every timer is manual, so "no further request" is counted, not waited for.
 */

const pageOrigin = 'https://elsewhere.example';
const unavailable = "This chat isn't available on this site right now.";
let server: ChatServer;
let agentKey: string;
const clients: ChatClient[] = [];

beforeAll(async () => {
  server = await startChatServer();
  // The key allows no browser origin: any page that sends an Origin is refused.
  ({ agentKey } = await server.addAgent(shopAgent));
});
afterEach(() => {
  for (const client of clients.splice(0)) client.dispose();
  vi.unstubAllGlobals();
});
afterAll(async () => {
  await server?.close();
});

/** A page at `origin`: its requests carry the `Origin` a browser would send. */
function fromPage(flaky: FlakyFetch, origin: string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('origin', origin);
    return flaky.fetch(input, { ...init, headers });
  };
}

interface Chat {
  client: ChatClient;
  timers: ManualTimers;
  logger: { error: ReturnType<typeof vi.fn> };
}

function openChat(
  options: Partial<ChatClientOptions> & Pick<HttpTransportOptions, 'fetch' | 'policyEvents'>,
): Chat {
  const { fetch: fetchImplementation, policyEvents, ...rest } = options;
  const timers = createManualTimers();
  const logger = { error: vi.fn() };
  const client = createChatClient({
    transport: createHttpTransport({
      endpoint: server.endpoint,
      ...(fetchImplementation ? { fetch: fetchImplementation } : {}),
      ...(policyEvents === undefined ? {} : { policyEvents }),
    }),
    session: { agentKey },
    storage: null,
    timers,
    logger,
    random: () => 0.5,
    ...rest,
  });
  clients.push(client);
  return { client, timers, logger };
}

/** Every timer the client set fires, over and over: a client that retries would request again. */
async function runAllTimers(timers: ManualTimers) {
  for (let round = 0; round < 5; round += 1) {
    timers.fire();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ownerLine = (logger: Chat['logger']) => String(logger.error.mock.calls[0]?.[0]);

describe('a page whose origin the agent key does not allow', () => {
  it('makes the chat unavailable at once, requests nothing more, and tells the owner once', async () => {
    vi.stubGlobal('location', { origin: pageOrigin, href: `${pageOrigin}/shop` });
    const flaky = createFlakyFetch();
    const { client, timers, logger } = openChat({ fetch: fromPage(flaky, pageOrigin) });
    await client.start();

    expect(client.getState()).toMatchObject({
      sessionId: null,
      connection: 'unavailable',
      error: { code: 'origin_not_allowed', message: unavailable, retryable: false },
    });
    expect(flaky.requests.map((request) => `${request.method} ${request.status}`)).toEqual([
      'POST 403',
    ]);
    // No reconnection waits: nothing left to fire.
    expect(timers.pending()).toEqual([]);
    await runAllTimers(timers);
    expect(flaky.requests).toHaveLength(1);

    expect(logger.error).toHaveBeenCalledOnce();
    const line = ownerLine(logger);
    expect(line).toContain(`origin ${pageOrigin} is not among the allowed origins`);
    expect(line).toContain(agentKey.slice(0, 11));
    expect(line).not.toContain(agentKey);
    expect(line).toContain('PATCH /v1/agents/:agentId/keys/:keyId');

    // A message written anyway is not sent: no request, the same reason.
    await client.send('when are you open?');
    const [message] = client.getState().items as ChatMessage[];
    expect(message).toMatchObject({ delivery: 'failed', error: { code: 'origin_not_allowed' } });
    expect(flaky.requests).toHaveLength(1);
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('tries again only when started again, and says so again then', async () => {
    const flaky = createFlakyFetch();
    const { client, logger } = openChat({ fetch: fromPage(flaky, pageOrigin) });
    await client.start();
    await client.start();
    expect(flaky.requests).toHaveLength(2);
    expect(client.getState().connection).toBe('unavailable');
    expect(logger.error).toHaveBeenCalledTimes(2);
  });
});

describe('a key the server does not accept', () => {
  it('makes the chat unavailable when the key is unknown, without the key in the console', async () => {
    const unknownKey = 'pk_UnknownKeyOfNoAgent0123456789';
    const flaky = createFlakyFetch();
    const { client, timers, logger } = openChat({
      fetch: flaky.fetch,
      session: { agentKey: unknownKey },
    });
    await client.start();
    expect(client.getState()).toMatchObject({
      connection: 'unavailable',
      error: { code: 'agent_key_invalid', retryable: false },
    });
    await runAllTimers(timers);
    expect(flaky.requests).toHaveLength(1);
    expect(logger.error).toHaveBeenCalledOnce();
    expect(ownerLine(logger)).toContain('agent_key_invalid');
    expect(ownerLine(logger)).toContain('pk_UnknownK…');
    expect(ownerLine(logger)).not.toContain(unknownKey);
  });

  it('makes the chat unavailable when its key is revoked during the conversation, opening no new session', async () => {
    const { agentKey: doomedKey } = await server.addAgent({ name: 'Doomed' });
    const flaky = createFlakyFetch();
    const { client, timers, logger } = openChat({
      fetch: flaky.fetch,
      session: { agentKey: doomedKey },
    });
    await client.start();
    await vi.waitFor(() => expect(client.getState().connection).toBe('open'));
    const key = await server.engine.store.findAgentKeyByHash(await hashAgentKey(doomedKey));
    if (!key) throw new Error('key not found');
    await server.engine.forWorkspace(key.workspaceId).agentKeys.revoke(key.id);

    // The stream drops; the next attempt meets the revoked key. (The token's renewal waits
    // too, a day away: only the reconnection is fired.)
    const before = flaky.requests.length;
    server.dropConnections();
    const reconnectionMs = 15_000;
    await vi.waitFor(() =>
      expect(timers.pending().filter((delay) => delay <= reconnectionMs)).toHaveLength(1),
    );
    timers.fire(reconnectionMs);
    await vi.waitFor(() => expect(client.getState().connection).toBe('unavailable'));
    expect(client.getState().error).toMatchObject({ code: 'agent_key_revoked', retryable: false });
    await runAllTimers(timers);
    const after = flaky.requests.slice(before);
    expect(after.map((request) => `${request.method} ${request.status}`)).toEqual(['GET 401']);
    expect(after.some((request) => request.path.endsWith('/v1/sessions'))).toBe(false);
    expect(logger.error).toHaveBeenCalledOnce();
    expect(ownerLine(logger)).toContain('agent_key_revoked');
  });
});

describe('a passing failure', () => {
  it('is still tried again: a 503 while opening the session, then the chat opens', async () => {
    const flaky = createFlakyFetch();
    let refusals = 1;
    const unavailableOnce: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method === 'POST' && refusals > 0) {
        refusals -= 1;
        flaky.requests.push({
          method: 'POST',
          path: new URL(request.url).pathname,
          search: '',
          headers: request.headers,
          status: 503,
        });
        return Response.json(
          { error: { code: 'not_ready', message: 'Restarting', retryable: true } },
          { status: 503 },
        );
      }
      return flaky.fetch(request);
    };
    const { client, timers, logger } = openChat({ fetch: unavailableOnce });
    await client.start();
    expect(client.getState().connection).toBe('reconnecting');
    expect(client.getState().error).toBeNull();
    expect(timers.pending()).toHaveLength(1);
    timers.fire();
    await vi.waitFor(() => expect(client.getState().connection).toBe('open'));
    expect(
      flaky.requests.map((request) => `${request.method} ${request.status}`).slice(0, 2),
    ).toEqual(['POST 503', 'POST 201']);
    expect(logger.error).not.toHaveBeenCalled();
  });
});

describe('a page whose Content-Security-Policy blocks the endpoint', () => {
  /** A `securitypolicyviolation` event as the browser fires it on the document. */
  function violation(fields: {
    blockedURI: string;
    effectiveDirective?: string;
    disposition?: 'enforce' | 'report';
  }): Event {
    return Object.assign(new Event('securitypolicyviolation'), {
      effectiveDirective: 'connect-src',
      violatedDirective: 'connect-src',
      disposition: 'enforce',
      ...fields,
    });
  }

  /** What `fetch` does for a request the policy blocks: it fails as a network error does. */
  function blockedFetch() {
    const calls: string[] = [];
    const fetchImplementation: typeof fetch = async (input) => {
      calls.push(String(input));
      throw new TypeError('Failed to fetch');
    };
    return { calls, fetch: fetchImplementation };
  }

  it('stops retrying when the violation is heard after the request failed (the browser order)', async () => {
    const page = new EventTarget();
    const blocked = blockedFetch();
    const { client, timers, logger } = openChat({ fetch: blocked.fetch, policyEvents: page });
    await client.start();
    // At first it looks like any network failure: a reconnection waits.
    expect(client.getState().connection).toBe('reconnecting');
    expect(timers.pending()).toHaveLength(1);

    page.dispatchEvent(violation({ blockedURI: `${server.endpoint}/v1/sessions` }));
    expect(client.getState()).toMatchObject({
      connection: 'unavailable',
      error: { code: 'blocked_by_content_security_policy', retryable: false },
    });
    expect(timers.pending()).toEqual([]);
    await runAllTimers(timers);
    expect(blocked.calls).toHaveLength(1);
    expect(logger.error).toHaveBeenCalledOnce();
    const line = ownerLine(logger);
    expect(line).toContain('Content-Security-Policy');
    expect(line).toContain(`connect-src to ${new URL(server.endpoint).origin}`);
  });

  it('classifies the failure at once when the violation came first', async () => {
    const page = new EventTarget();
    const blocked = blockedFetch();
    const { client, timers, logger } = openChat({ fetch: blocked.fetch, policyEvents: page });
    const started = client.start();
    // The origin alone, as browsers report some blocked URLs.
    page.dispatchEvent(violation({ blockedURI: new URL(server.endpoint).origin }));
    await started;
    expect(client.getState()).toMatchObject({
      connection: 'unavailable',
      error: { code: 'blocked_by_content_security_policy' },
    });
    await runAllTimers(timers);
    expect(blocked.calls).toHaveLength(1);
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('ignores report-only policies, other directives and other servers: those are still retried', async () => {
    const page = new EventTarget();
    const blocked = blockedFetch();
    const { client, timers, logger } = openChat({ fetch: blocked.fetch, policyEvents: page });
    await client.start();
    page.dispatchEvent(
      violation({ blockedURI: `${server.endpoint}/v1/sessions`, disposition: 'report' }),
    );
    page.dispatchEvent(
      violation({ blockedURI: `${server.endpoint}/v1/sessions`, effectiveDirective: 'img-src' }),
    );
    page.dispatchEvent(violation({ blockedURI: 'https://analytics.example/collect' }));
    expect(client.getState().connection).toBe('reconnecting');
    timers.fire();
    await vi.waitFor(() => expect(blocked.calls).toHaveLength(2));
    expect(client.getState().connection).toBe('reconnecting');
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('stops listening to the page when the chat is disposed', async () => {
    const page = new EventTarget();
    const listening = { added: 0, removed: 0 };
    const counted = {
      addEventListener: (...args: Parameters<EventTarget['addEventListener']>) => {
        listening.added += 1;
        page.addEventListener(...args);
      },
      removeEventListener: (...args: Parameters<EventTarget['removeEventListener']>) => {
        listening.removed += 1;
        page.removeEventListener(...args);
      },
    };
    const { client } = openChat({ fetch: blockedFetch().fetch, policyEvents: counted });
    await client.start();
    expect(listening).toEqual({ added: 1, removed: 0 });
    client.dispose();
    expect(listening).toEqual({ added: 1, removed: 1 });
  });
});
