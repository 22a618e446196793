import path from 'node:path';
import { hashAgentKey, type Store } from '@parley/core';
import { z } from 'zod';
import { readJsonFile, writePrivateJsonFile } from './private-file';

/** Options of {@link ensurePublishableKey}. */
export interface EnsurePublishableKeyOptions {
  store: Store;
  workspaceId: string;
  agentId: string;
  /** Origins whose pages may use the key: the server's own, plus any configured. */
  allowedOrigins: readonly string[];
  /** Where the key's secret is kept between starts (mode 0600). */
  dataDir: string;
}

const storedKeySchema = z.object({ secret: z.string().startsWith('pk_') });

/**
 * The sample agent's publishable key, the same on every start: the one kept in
 * `<dataDir>/publishable-key.json` while it is still live in the database for this agent
 * (its allowed origins brought up to date), else a new one issued and kept. A revoked key,
 * or a fresh database, gets a new key.
 */
export async function ensurePublishableKey(
  options: EnsurePublishableKeyOptions,
): Promise<{ secret: string; issued: boolean }> {
  const file = path.join(options.dataDir, 'publishable-key.json');
  const workspace = options.store.forWorkspace(options.workspaceId);
  const allowedOrigins = [...new Set(options.allowedOrigins)];
  const kept = storedKeySchema.safeParse(await readJsonFile(file));
  if (kept.success) {
    const key = await options.store.findAgentKeyByHash(await hashAgentKey(kept.data.secret));
    if (
      key &&
      !key.revokedAt &&
      key.workspaceId === options.workspaceId &&
      key.agentId === options.agentId
    ) {
      const same =
        key.allowedOrigins.length === allowedOrigins.length &&
        key.allowedOrigins.every((origin) => allowedOrigins.includes(origin));
      if (!same) await workspace.agentKeys.update(key.id, { allowedOrigins });
      return { secret: kept.data.secret, issued: false };
    }
  }
  const issued = await workspace.agentKeys.issue({
    agentId: options.agentId,
    name: 'Quickstart page',
    allowedOrigins,
  });
  await writePrivateJsonFile(file, { secret: issued.secret });
  return { secret: issued.secret, issued: true };
}
