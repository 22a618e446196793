import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashAgentKey } from '@parley/core';
import { createPostgresStore } from '@parley/core/postgres';
import { testDatabaseUrl } from '@parley/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type QuickstartConfig } from './config';
import { createJsonLogger } from './json-logger';
import { type RunningQuickstart, startQuickstart } from './main';
import { quickstartWorkspaceId } from './operator-token';

/**
 * Two quickstarts on one PostgreSQL and one data folder (one deployment, two instances, as
 * behind a load balancer). Regression: each start replaced the shared publishable key's
 * allowed origins with its own, so the other instance's page got `403 origin_not_allowed`,
 * also for sessions already open.
 */
describe.skipIf(!testDatabaseUrl)('two quickstarts sharing a database (needs DATABASE_URL)', () => {
  let admin: pg.Client;
  let databaseName: string;
  let config: QuickstartConfig;
  let dataDir: string;
  const running: RunningQuickstart[] = [];

  const start = () =>
    startQuickstart(config, { print: () => undefined, log: createJsonLogger(() => undefined) });

  beforeAll(async () => {
    // A database of the test's own: the quickstart keeps its tables in the default schema.
    databaseName = `parley_quickstarts_${randomBytes(4).toString('hex')}`;
    admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`create database ${databaseName}`);
    const url = new URL(testDatabaseUrl as string);
    url.pathname = `/${databaseName}`;
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-two-quickstarts-'));
    config = loadConfig({ PORT: '0', PARLEY_DATA_DIR: dataDir, DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    for (const server of running) await server.close({ deadlineMs: 1_000 });
    await admin?.query(`drop database if exists ${databaseName} with (force)`);
    await admin?.end();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Opens a widget session from `origin`'s page with the instance's key. */
  async function openFrom(server: RunningQuickstart, origin: string) {
    return fetch(`${server.url}/api/parley/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ agentKey: server.publishableKey }),
    });
  }

  /** The origins the shared key allows, as stored. */
  async function storedOrigins(publishableKey: string): Promise<string[]> {
    const store = await createPostgresStore({ connectionString: config.databaseUrl as string });
    try {
      const key = await store.findAgentKeyByHash(await hashAgentKey(publishableKey));
      expect(key?.workspaceId).toBe(quickstartWorkspaceId);
      return key?.allowedOrigins ?? [];
    } finally {
      await store.close();
    }
  }

  it('keeps the first instance’s origin, and its open session, when the second starts', async () => {
    const first = await start();
    running.push(first);
    const opened = await openFrom(first, first.url);
    expect(opened.status).toBe(201);
    const { session, customerToken } = (await opened.json()) as {
      session: { id: string };
      customerToken: string;
    };

    const second = await start();
    running.push(second);
    expect(second.publishableKey).toBe(first.publishableKey);
    expect(second.url).not.toBe(first.url);

    const origins = await storedOrigins(first.publishableKey);
    expect(origins).toEqual(expect.arrayContaining([first.url, second.url]));
    // Both pages open sessions, on either instance.
    expect((await openFrom(first, first.url)).status).toBe(201);
    expect((await openFrom(second, second.url)).status).toBe(201);
    expect((await openFrom(second, first.url)).status).toBe(201);
    // The session the first page opened before goes on, through either instance.
    for (const server of [first, second]) {
      const posted = await fetch(`${server.url}/api/parley/v1/sessions/${session.id}/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: first.url,
          authorization: `Bearer ${customerToken}`,
        },
        body: JSON.stringify({ text: 'What are your opening hours?' }),
      });
      expect(posted.status).toBe(201);
    }
    // A page of neither instance is still refused.
    const stranger = await openFrom(first, 'https://elsewhere.example');
    expect(stranger.status).toBe(403);
  });

  it('keeps both instances’ origins when they start at the same time', async () => {
    for (const server of running.splice(0)) await server.close({ deadlineMs: 1_000 });
    const both = await Promise.all([start(), start()]);
    running.push(...both);
    const [left, right] = both as [RunningQuickstart, RunningQuickstart];
    // The key kept in the shared data folder: both add their origins to it at once.
    expect(right.publishableKey).toBe(left.publishableKey);
    expect(await storedOrigins(left.publishableKey)).toEqual(
      expect.arrayContaining([left.url, right.url]),
    );
    for (const server of both) expect((await openFrom(server, server.url)).status).toBe(201);
  });
});
