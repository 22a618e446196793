import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';
import { createJsonLogger } from './json-logger';
import { type RunningQuickstart, startQuickstart } from './main';
import { sampleFallbackReply } from './sample-agent';

// PARLEY_MATCHING=meaning: the quickstart matches on meaning as well as words, through the
// Universal Sentence Encoder (an optional peer of @parley/core, installed in this workspace).
// Paraphrases of the opening-hours question that share no word with its guideline fall to
// the fallback on words alone and are answered with meaning.

const paraphrases = ['until what hour can I pop in today?', 'where can I find you in town?'];

describe.each([
  { matching: 'words', mode: 'Mode: no LLM (strict canned mode)', answered: false },
  {
    matching: 'meaning',
    mode: 'Mode: no LLM (strict canned mode), matching on words and meaning',
    answered: true,
  },
])('the quickstart with PARLEY_MATCHING=$matching', ({ matching, mode, answered }) => {
  let dataDir: string;
  let server: RunningQuickstart;
  const printed: string[] = [];
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-quickstart-'));
    server = await startQuickstart(
      loadConfig({ PORT: '0', PARLEY_DATA_DIR: dataDir, PARLEY_MATCHING: matching }),
      { print: (line) => printed.push(line), log: createJsonLogger(() => undefined) },
    );
  }, 60_000);
  afterAll(async () => {
    await server?.close({ deadlineMs: 2_000 });
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Opens a widget session, says `text` and waits for the agent's reply. */
  const ask = async (text: string) => {
    const api = (route: string) => `${server.url}/api/parley/v1${route}`;
    const created = (await fetch(api('/sessions'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ agentKey: server.publishableKey }),
    }).then((response) => response.json())) as {
      session: { id: string };
      customerToken: string;
    };
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${created.customerToken}`,
    };
    const posted = await fetch(api(`/sessions/${created.session.id}/events`), {
      method: 'POST',
      headers,
      body: JSON.stringify({ text, clientMessageId: globalThis.crypto.randomUUID() }),
    });
    expect(posted.status).toBe(201);
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const listed = (await fetch(api(`/sessions/${created.session.id}/events?wait=1`), {
        headers,
      }).then((response) => response.json())) as {
        events: Array<{ kind: string; source: string; data: { text?: string } }>;
      };
      const reply = listed.events.find(
        (event) => event.kind === 'message' && event.source === 'ai_agent',
      );
      if (reply?.data.text) return reply.data.text;
    }
    throw new Error(`no reply to "${text}"`);
  };

  it('prints the matching it uses', () => {
    expect(printed).toContain(mode);
  });

  it.each(paraphrases)(
    'answers "%s" with the opening hours only when matching on meaning',
    { timeout: 30_000 },
    async (text) => {
      const reply = await ask(text);
      if (answered) expect(reply).toMatch(/^Our shop at 12 Harbour Street, Portsmouth is open/);
      else expect(reply).toBe(sampleFallbackReply);
    },
  );
});

describe('PARLEY_MATCHING', () => {
  it('refuses a value other than words or meaning, naming the variable', () => {
    expect(() => loadConfig({ PARLEY_MATCHING: 'vectors' })).toThrow(ConfigError);
    expect(() => loadConfig({ PARLEY_MATCHING: 'vectors' })).toThrow(
      /^PARLEY_MATCHING must be "words" or "meaning" \(got "vectors"\)/,
    );
    expect(loadConfig({}).matching).toBe('words');
  });
});
