import { readFile } from 'node:fs/promises';
import { createPgliteStore, type PgliteStore } from '@parley/core/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerKit } from './handler-kit';

const rulesFile = new URL('../../../deploy/prometheus/parley-alerts.yml', import.meta.url);

/** Histograms are exposed as `_bucket`, `_sum` and `_count` series of their name. */
const seriesSuffix = /_(bucket|sum|count)$/;

describe('the shipped Prometheus alert rules', () => {
  let store: PgliteStore;
  beforeAll(async () => {
    store = await createPgliteStore();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('name only metrics the handler exposes, and every alert has an expression and a summary', async () => {
    const rules = await readFile(rulesFile, 'utf8');
    const kit = await createHandlerKit({ store });
    try {
      const exposition = await (await kit.call('GET', '/v1/metrics')).text();
      const exposed = new Set(
        [...exposition.matchAll(/^# TYPE (\w+) /gm)].map((match) => match[1] as string),
      );
      const named = new Set(
        [...rules.matchAll(/\bparley_\w+/g)].map((match) => match[0].replace(seriesSuffix, '')),
      );
      expect(named.size).toBeGreaterThanOrEqual(4);
      for (const metric of named) expect(exposed, metric).toContain(metric);

      const alerts = rules.split(/\n\s+- alert: /).slice(1);
      expect(alerts.length).toBeGreaterThanOrEqual(5);
      for (const alert of alerts) {
        expect(alert).toMatch(/\n\s+expr: /);
        expect(alert).toMatch(/\n\s+summary: \S/);
      }
    } finally {
      await kit.close();
    }
  });
});
