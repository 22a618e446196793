import { test as base } from '@playwright/test';
import { type FakeModel, fakeModelAt } from './fake-model';

/** Fixtures of the end-to-end tests. */
export interface ParleyFixtures {
  /** The quickstart on the fake model (`baseURL` is the one with no LLM). */
  modelQuickstartUrl: string;
  /** The fake model behind it. */
  fakeModel: FakeModel;
}

/** An address the Playwright config's web servers printed, read into the environment. */
function serverAddress(variable: string): string {
  const value = process.env[variable];
  if (!value) throw new Error(`${variable} is not set: run the tests with playwright.config.ts`);
  return value;
}

/**
 * Playwright's `test`, with `baseURL` the quickstart with no LLM, and the quickstart on the
 * fake model and its control as fixtures.
 */
export const test = base.extend<ParleyFixtures>({
  // Playwright reads a fixture's dependencies from its first parameter, which must be a pattern.
  // biome-ignore lint/correctness/noEmptyPattern: these fixtures depend on no other
  baseURL: async ({}, use) => use(serverAddress('PARLEY_E2E_URL')),
  // biome-ignore lint/correctness/noEmptyPattern: as above
  modelQuickstartUrl: async ({}, use) => use(serverAddress('PARLEY_E2E_MODEL_URL')),
  // biome-ignore lint/correctness/noEmptyPattern: as above
  fakeModel: async ({}, use) => use(fakeModelAt(serverAddress('PARLEY_E2E_FAKE_CONTROL_URL'))),
});

export { expect } from '@playwright/test';
