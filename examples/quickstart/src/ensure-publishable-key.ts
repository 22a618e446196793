import path from 'node:path';
import { hashAgentKey, type Store, type WorkspaceStore } from '@parley/core';
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
 * `<dataDir>/publishable-key.json` while it is still live in the database for this agent,
 * else a new one issued and kept. A revoked key, or a fresh database, gets a new key.
 *
 * The key's allowed origins gain this instance's and are never narrowed: several instances
 * sharing one database and data folder (each on its own port, behind a balancer) each add
 * theirs, so none takes away the origin another's page and sessions use. An origin is
 * removed on purpose only, through the operator routes (`PATCH /v1/agents/:id/keys/:keyId`).
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
      await addAllowedOrigins(workspace, key.id, key.allowedOrigins, allowedOrigins);
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

/**
 * Adds `wanted` to a key's origins, keeping every origin it has. Two instances starting at
 * once may each write their own addition over the other's: each reads the key again after its
 * write and adds what is missing, so both additions stay (they only ever add, so it settles).
 */
async function addAllowedOrigins(
  workspace: WorkspaceStore,
  keyId: string,
  current: readonly string[],
  wanted: readonly string[],
): Promise<void> {
  let known = current;
  for (let attempt = 0; attempt < 10; attempt++) {
    const missing = wanted.filter((origin) => !known.includes(origin));
    if (missing.length === 0) return;
    await workspace.agentKeys.update(keyId, { allowedOrigins: [...known, ...missing] });
    // A little spread, so two instances racing do not write in lockstep every time.
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
    known = (await workspace.agentKeys.get(keyId)).allowedOrigins;
  }
  throw new Error('Could not add this instance’s origins to the publishable key');
}
