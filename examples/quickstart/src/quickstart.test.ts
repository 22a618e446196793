import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, exampleDirectory, loadConfig, type QuickstartConfig } from './config';
import { createJsonLogger } from './json-logger';
import { type RunningQuickstart, startQuickstart } from './main';
import { signOperatorToken } from './operator-token';
import { sampleAgentName } from './sample-agent';

const run = promisify(execFile);
const widgetScriptFile = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@parley/widget/package.json')),
  'dist',
  'parley-widget.js',
);
const tsx = path.join(exampleDirectory, '..', '..', 'node_modules', '.bin', 'tsx');

interface Frame {
  event: string;
  id: string | null;
  data: Record<string, unknown>;
}

/** Reads a session's SSE stream with fetch, as the page does, collecting its frames. */
function readStream(url: string, token: string, lastEventId?: number) {
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
  const opened = fetch(url, { headers, signal: controller.signal }).then((response) => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          const blocks = buffer.split('\n\n');
          buffer = blocks.pop() ?? '';
          for (const block of blocks) {
            const lines = block.split('\n').filter((line) => line && !line.startsWith(':'));
            const field = (name: string) =>
              lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2) ?? null;
            const data = field('data');
            if (data === null) continue;
            frames.push({
              event: field('event') ?? 'message',
              id: field('id'),
              data: JSON.parse(data),
            });
            for (const wake of waiters) wake();
          }
        }
      } catch {
        // Aborted by close().
      }
    })();
  });
  return {
    frames,
    opened,
    /** Resolves with the first frame matching, waiting for it to arrive. */
    async waitFor(predicate: (frame: Frame) => boolean, timeoutMs = 15_000): Promise<Frame> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = frames.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error('timed out waiting for a stream frame');
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
          setTimeout(wake, 200);
        });
      }
    },
    close: () => controller.abort(),
  };
}

describe('the quickstart server, with no LLM', () => {
  let dataDir: string;
  let config: QuickstartConfig;
  let server: RunningQuickstart;
  const printed: string[] = [];
  const logLines: string[] = [];
  let session: { id: string; token: string };
  let eventCount = 0;

  const start = () =>
    startQuickstart(config, {
      print: (line) => printed.push(line),
      log: createJsonLogger((line) => logLines.push(line)),
    });
  const api = (route: string) => `${server.url}/api/parley/v1${route}`;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-quickstart-'));
    config = loadConfig({ PORT: '0', PARLEY_DATA_DIR: dataDir });
    server = await start();
  });
  afterAll(async () => {
    await server?.close({ deadlineMs: 2_000 });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints its URL, publishable key, mode and data location', () => {
    expect(printed[0]).toBe(`Parley quickstart listening on ${server.url}`);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed).toContain(`Publishable key: ${server.publishableKey} (new)`);
    expect(server.publishableKey).toMatch(/^pk_[A-Za-z0-9_-]{20,}$/);
    expect(printed).toContain('Mode: no LLM (strict canned mode)');
    expect(printed).toContain(`Data: PGlite in ${path.join(dataDir, 'pglite')}`);
    expect(printed.join('\n')).toContain(
      'Generated PARLEY_OPERATOR_SECRET and PARLEY_CUSTOMER_TOKEN_SECRET',
    );
  });

  it('keeps the generated secrets and the key in files only their owner can read', async () => {
    for (const file of ['secrets.json', 'publishable-key.json']) {
      expect((await stat(path.join(dataDir, file))).mode & 0o777).toBe(0o600);
    }
  });

  it("serves the page with the widget's script tag, the key injected, and health", async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("default-src 'none'");
    const nonce = /script-src 'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toEqual(expect.any(String));
    const html = await page.text();
    // The embed's tag, allowed by the response's nonce; no inline script or handler at all.
    const tags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(tags).toHaveLength(1);
    const tag = tags[0] as string;
    expect(tag).toContain('src="/parley-widget.js"');
    expect(tag).toContain(`data-agent-key="${server.publishableKey}"`);
    expect(tag).toContain('data-endpoint="/api/parley"');
    expect(tag).toContain(`nonce="${nonce}"`);
    expect(tag).toMatch(/\sdefer>$/);
    expect(html).toContain('<script src="/parley-widget.js" data-agent-key="pk_');
    expect(html).not.toMatch(/\son[a-z]+=/i);
    // Found, or built at start on a fresh clone.
    expect(printed).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Chat widget: ${server.url}/parley-widget\\.js( \\(built now\\))?$`),
      ),
    );

    for (const route of ['/health', '/api/parley/v1/health']) {
      const health = await fetch(`${server.url}${route}`);
      expect(health.status).toBe(200);
      // Open to anyone: the status alone (operators read the services with a token).
      expect(await health.json()).toEqual({ status: 'healthy', timestamp: expect.any(String) });
    }
    expect((await fetch(`${server.url}/nothing-here`)).status).toBe(404);
  });

  it('serves the widget script as JavaScript, gzipped, revalidated by its ETag', async () => {
    const script = await fetch(`${server.url}/parley-widget.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-encoding')).toBe('gzip');
    const source = await script.text();
    expect(source).toBe(await readFile(widgetScriptFile, 'utf8'));
    // The embed defines its global and reads its own tag.
    expect(source).toContain('currentScript');
    expect(source).toContain('parley-widget');
    // A production build even when the quickstart built it under vitest (NODE_ENV=test): a
    // development JSX call would fail against the production React inside.
    expect(source).not.toContain('jsxDEV');

    const etag = script.headers.get('etag') as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${server.url}/parley-widget.js`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });

  it('holds a whole conversation through guidelines, tools and the return journey', async () => {
    // The page's own origin, as a browser sends it: the key allows it.
    const created = await fetch(api('/sessions'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ agentKey: server.publishableKey }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { session: { id: string }; customerToken: string };
    session = { id: body.session.id, token: body.customerToken };
    const stream = readStream(api(`/sessions/${session.id}/stream`), session.token);
    await stream.opened;

    const say = async (text: string) => {
      const posted = await fetch(api(`/sessions/${session.id}/events`), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
        body: JSON.stringify({ text, clientMessageId: globalThis.crypto.randomUUID() }),
      });
      expect(posted.status).toBe(201);
      const { event } = (await posted.json()) as { event: { offset: number } };
      const after = (frame: Frame) => frame.event === 'event' && Number(frame.id) > event.offset;
      const done = await stream.waitFor(
        (frame) =>
          after(frame) &&
          frame.data.kind === 'status' &&
          ['ready', 'error'].includes((frame.data.data as { status: string }).status),
      );
      expect((done.data.data as { status: string }).status).toBe('ready');
      const turn = stream.frames.filter(
        (frame) => after(frame) && Number(frame.id) < Number(done.id),
      );
      const reply = turn.find(
        (frame) => frame.data.kind === 'message' && frame.data.source === 'ai_agent',
      ) as Frame;
      const replyText = (reply.data.data as { text: string }).text;
      // The reply streamed first, word by word, as deltas of its message id.
      const deltas = stream.frames
        .filter((frame) => frame.event === 'delta' && frame.data.messageId === reply.data.id)
        .map((frame) => frame.data.text)
        .join('');
      expect(deltas).toBe(replyText);
      const tools = turn
        .filter((frame) => frame.data.kind === 'tool')
        .flatMap((frame) => (frame.data.data as { calls: Array<{ toolName: string }> }).calls)
        .map((call) => call.toolName);
      return { text: replyText, tools };
    };

    const greeting = await say('Hello!');
    expect(greeting.text).toMatch(/^Hello, and welcome to Parley Outfitters!/);

    const hours = await say('What are your opening hours?');
    expect(hours.text).toBe(
      'Our shop at 12 Harbour Street, Portsmouth is open 9:00 to 18:00 Monday to Friday and 10:00 to 16:00 on Saturday; on Sunday we are closed.',
    );

    const shipping = await say('How much does shipping cost?');
    expect(shipping.text).toContain('Standard shipping costs €4.95');

    const stock = await say('Do you have the Trailblazer jacket in stock?');
    expect(stock.tools).toEqual(['check_stock']);
    expect(stock.text).toBe(
      'Good news: the Trailblazer rain jacket (€129) is in stock in sizes S (4 left), L (7 left), XL (2 left).',
    );

    const order = await say('Where is order PO-1002?');
    expect(order.tools).toEqual(['lookup_order']);
    expect(order.text).toMatch(/^Order PO-1002 \(Summit hiking boots, size 42\) is shipped/);

    // The journey: it starts, branches on "refund", asks for the number, runs its tool state.
    const start = await say('I want to return an item');
    expect(start.text).toBe(
      'I can help you return an item. Would you like a refund, or an exchange for another size or colour?',
    );
    const refund = await say('A refund, please');
    expect(refund.text).toMatch(/^Which order is the item from\?/);
    const registered = await say('It is PO-1001');
    expect(registered.tools).toContain('lookup_order');
    expect(registered.text).toMatch(
      /^Done: the return of your Trailblazer rain jacket, size M \(order PO-1001\) is registered for a refund\. Write the return code RMA-1001 on the parcel/,
    );

    const thanks = await say('Thanks, bye!');
    expect(thanks.text).toMatch(/^You are welcome!/);

    const offTopic = await say('Tell me a joke about penguins');
    expect(offTopic.text).toMatch(/^Sorry, I can't help with that here\./);

    eventCount = stream.frames.filter((frame) => frame.event === 'event').length;
    stream.close();
  });

  it('writes JSON logs with request ids and no secrets', () => {
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = entries.filter((entry) => entry.msg === 'request');
    expect(requests.length).toBeGreaterThan(10);
    for (const entry of requests) expect(entry.requestId).toEqual(expect.any(String));
    const all = logLines.join('\n');
    expect(all).not.toContain(server.publishableKey);
    expect(all).not.toContain(session.token);
    expect(all).not.toContain('PO-1001');
  });

  it('keeps the conversation and the key across a restart', async () => {
    const before = server.publishableKey;
    await server.close({ deadlineMs: 2_000 });
    printed.length = 0;
    server = await start();
    expect(server.publishableKey).toBe(before);
    expect(printed).toContain(`Publishable key: ${before}`);

    // The customer token still verifies (its secret was kept), and the log is whole.
    const listed = await fetch(api(`/sessions/${session.id}/events?limit=1000`), {
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(listed.status).toBe(200);
    const { events } = (await listed.json()) as {
      events: Array<{ kind: string; source: string; data: { text?: string } }>;
    };
    expect(events).toHaveLength(eventCount);
    expect(events[0]?.data.text).toBe('Hello!');
    expect(events.filter((event) => event.kind === 'message')).toHaveLength(20);

    // A stream resumed with Last-Event-ID replays only what came after.
    const resumed = readStream(
      api(`/sessions/${session.id}/stream`),
      session.token,
      eventCount - 3,
    );
    await resumed.opened;
    await resumed.waitFor((frame) => Number(frame.id) === eventCount - 1);
    expect(resumed.frames.map((frame) => Number(frame.id))).toEqual([
      eventCount - 2,
      eventCount - 1,
    ]);
    resumed.close();
  });

  it('signs operator tokens the server accepts with the operator-token script', async () => {
    const { stdout } = await run(
      tsx,
      ['--conditions=@parley/source', 'src/sign-operator-token.ts'],
      {
        cwd: exampleDirectory,
        env: { ...process.env, PARLEY_DATA_DIR: dataDir, PARLEY_OPERATOR_SECRET: '' },
      },
    );
    const token = stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const agents = await fetch(api('/agents'), { headers: { authorization: `Bearer ${token}` } });
    expect(agents.status).toBe(200);
    const { items } = (await agents.json()) as { items: Array<{ name: string }> };
    expect(items.map((agent) => agent.name)).toEqual([sampleAgentName]);

    expect((await fetch(api('/agents'))).status).toBe(401);
    const forged = `${token.slice(0, -4)}AAAA`;
    expect(
      (await fetch(api('/agents'), { headers: { authorization: `Bearer ${forged}` } })).status,
    ).toBe(401);
  });

  it('refuses an operator token issued 30 days ago, even with a fresh expiry', async () => {
    const { operatorSecret } = JSON.parse(
      await readFile(path.join(dataDir, 'secrets.json'), 'utf8'),
    ) as { operatorSecret: string };
    const day = 24 * 3600;
    const monthOld = await signOperatorToken({
      secret: operatorSecret,
      now: new Date(Date.now() - 30 * day * 1000),
      ttlSeconds: 31 * day,
    });
    const fresh = await signOperatorToken({ secret: operatorSecret });

    const refused = await fetch(api('/agents'), {
      headers: { authorization: `Bearer ${monthOld}` },
    });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { reason: string } }).error.reason).toBe(
      'token_too_old',
    );
    const accepted = await fetch(api('/agents'), { headers: { authorization: `Bearer ${fresh}` } });
    expect(accepted.status).toBe(200);
  });

  it('refuses a bad PORT with a message naming it', async () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/^PORT must be a port number/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/^PORT must be at most 65535/);
    expect(() => loadConfig({ PARLEY_OPERATOR_SECRET: 'short' })).toThrow(
      /^PARLEY_OPERATOR_SECRET must be at least 32 bytes/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/^DATABASE_URL must be a URL/);

    const failed = await run(tsx, ['--conditions=@parley/source', 'src/cli.ts'], {
      cwd: exampleDirectory,
      env: { ...process.env, PORT: 'abc', PARLEY_DATA_DIR: dataDir },
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('Invalid configuration: PORT must be a port number');
  });
});
