import { z } from 'zod';
import { idSchema } from '../domain/common';
import { type Clock, systemClock } from '../ports/clock';
import type { Store } from '../ports/store';
import { parseInput } from '../store/parse-input';

const millisecondsPerDay = 86_400_000;

const policiesSchema = z
  .array(
    z.object({
      workspaceId: idSchema,
      /** Events older than this many days are deleted. */
      horizonDays: z.number().positive().max(36_500),
    }),
  )
  .max(10_000);

/** How long one workspace keeps its conversations. */
export type EventRetentionPolicy = z.input<typeof policiesSchema>[number];

/**
 * Deletes, per workspace, the events older than that workspace's horizon, and returns how many
 * went in each. Run it on a schedule (a cron job, a queue); offsets of the events that remain
 * never change, so clients resuming a stream are unaffected.
 */
export async function applyEventRetention(
  store: Store,
  policies: readonly EventRetentionPolicy[],
  options: { clock?: Clock } = {},
): Promise<Record<string, number>> {
  const parsed = parseInput(policiesSchema, policies, 'retention policies');
  const now = (options.clock ?? systemClock).now().getTime();
  const deleted: Record<string, number> = {};
  for (const policy of parsed) {
    const before = new Date(now - policy.horizonDays * millisecondsPerDay);
    deleted[policy.workspaceId] = await store
      .forWorkspace(policy.workspaceId)
      .events.deleteCreatedBefore(before);
  }
  return deleted;
}
