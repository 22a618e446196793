import { randomUUID } from 'node:crypto';
import { type Browser, expect, type Page } from '@playwright/test';
import postgres from 'postgres';
import { harnessDatabase } from '../database';

/** The seeded users (`db/seed.ts`). */
export const seeded = { owner: 'ada@example.com', outsider: 'grace@example.com' } as const;

/** An email no one has signed in with yet: its first sign-in makes its user. */
export function newEmail(name: string): string {
  return `${name}-${randomUUID().slice(0, 8)}@example.com`;
}

/**
 * Signs in through the sign-in page, in a browser context of its own; ends on `/workspace`.
 * `baseURL` is the host's address when not the config's (the host with a model).
 */
export async function signIn(browser: Browser, email: string, baseURL?: string): Promise<Page> {
  const page = await (await browser.newContext(baseURL ? { baseURL } : {})).newPage();
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/workspace$/);
  await expect(page.getByRole('banner')).toContainText(email);
  return page;
}

/** The id of the workspace a signed-in page lists under `name`. */
export async function listedWorkspaceId(page: Page, name: string): Promise<string> {
  const path = await page.getByRole('link', { name, exact: true }).getAttribute('href');
  expect(path).toMatch(/^\/workspace\/[0-9a-f-]{36}$/);
  return path!.split('/').pop() as string;
}

/** A JSON answer as a test reads it. */
export interface Answer<TBody = Record<string, unknown>> {
  status: number;
  body: TBody;
}

/**
 * Calls a route of the host from one of its pages, as its own screens would: `fetch` in the
 * page, so the browser sends the session cookie and its `Origin`.
 */
export async function callFromPage<TBody = Record<string, unknown>>(
  page: Page,
  method: string,
  url: string,
  body?: unknown,
): Promise<Answer<TBody>> {
  return page.evaluate(
    async (request) => {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { method, url, body },
  );
}

/** Parley's operator route `path` for one workspace: under `/api/parley`, `?workspaceId=`. */
export function operatorRoute(path: string, workspaceId: string): string {
  const separator = path.includes('?') ? '&' : '?';
  return `/api/parley${path}${separator}workspaceId=${encodeURIComponent(workspaceId)}`;
}

/** The run's database (`e2e/database.ts`), for what the host has no page for, and for checks. */
export function openRunDatabase(): postgres.Sql {
  return postgres(harnessDatabase().url, { max: 2, onnotice: () => {} });
}

/** The id of the user with this email. */
export async function userIdOf(sql: postgres.Sql, email: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`select id from "user" where email = ${email}`;
  if (!row) throw new Error(`No user ${email}`);
  return row.id;
}

/**
 * A workspace made as `createWorkspace` (`lib/workspaces.ts`) makes one, with more members:
 * the host has no page for creating workspaces or inviting people.
 */
export async function createWorkspace(
  sql: postgres.Sql,
  name: string,
  ownerId: string,
  members: Record<string, 'admin' | 'write' | 'read'> = {},
): Promise<string> {
  const id = randomUUID();
  await sql.begin(async (transaction) => {
    await transaction`insert into workspace (id, name, owner_id) values (${id}, ${name}, ${ownerId})`;
    for (const [userId, permission] of Object.entries({ [ownerId]: 'admin', ...members })) {
      await transaction`
        insert into permissions (id, user_id, entity_type, entity_id, permission_type)
        values (${randomUUID()}, ${userId}, 'workspace', ${id}, ${permission})`;
    }
  });
  return id;
}
