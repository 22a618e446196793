import { expect, test } from '@playwright/test';
import { seeded, signIn } from './support/host';

const ada = seeded.owner;
const grace = seeded.outsider;

test('the owner signs in through the page and sees her workspace', async ({ browser }) => {
  const page = await signIn(browser, ada);

  const cookies = await page.context().cookies();
  const sessionCookie = cookies.find((cookie) => cookie.name === 'sim_host.session_token');
  expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

  const workspaces = page.getByRole('list', { name: 'Workspaces' });
  await expect(workspaces.getByRole('listitem')).toHaveCount(1);
  await expect(workspaces).toContainText('Acme Support');
  await expect(workspaces).toContainText('(admin)');

  await workspaces.getByRole('link', { name: 'Acme Support' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Support');
  await expect(page.getByRole('region', { name: 'Workflows' })).toContainText(
    'Refund request triage',
  );

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain(
    'sim_host.session_token',
  );
  await page.goto('/workspace');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('a user without permission on the workspace does not see it', async ({ browser }) => {
  const owner = await signIn(browser, ada);
  const acmeLink = owner.getByRole('link', { name: 'Acme Support' });
  const acmePath = await acmeLink.getAttribute('href');
  expect(acmePath).toMatch(/^\/workspace\/[0-9a-f-]{36}$/);
  const acmeId = acmePath!.split('/').pop();

  const page = await signIn(browser, grace);
  const workspaces = page.getByRole('list', { name: 'Workspaces' });
  await expect(workspaces).toContainText("Grace's Lab");
  await expect(workspaces).not.toContainText('Acme Support');

  // Not listed, and not reachable by its address either: a 404, as for a workspace that does
  // not exist.
  const direct = await page.goto(`/workspace/${acmeId}`);
  expect(direct?.status()).toBe(404);

  // Its public site is public.
  const site = await page.goto(`/site/${acmeId}`);
  expect(site?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Support');
});

test('a new email signs up and has no workspace yet', async ({ browser }) => {
  const page = await signIn(browser, `newcomer-${Date.now()}@example.com`);
  await expect(page.getByText('You have no workspace yet.')).toBeVisible();
});
