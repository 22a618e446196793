import { createEngine } from '@parley/core';
import { createPostgresJsEventBus, createPostgresJsStore } from '@parley/core/postgres-js';
import { createParleyRouteHandlers } from '@parley/http';
import { db } from '../../../../db';
import { parley } from '../../../../db/parley-schema';
import { currentUser, isSameOrigin } from '../../../../lib/auth';
import { hasWorkspacePermission } from '../../../../lib/workspaces';

/** Parley at /api/parley on the host's database; its operators are the host's signed-in users. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = createParleyRouteHandlers(async () => {
  const customerTokenSecret = process.env.PARLEY_CUSTOMER_TOKEN_SECRET;
  if (!customerTokenSecret) throw new Error('PARLEY_CUSTOMER_TOKEN_SECRET is not set (≥ 32 bytes)');
  // PgBouncer in transaction mode: `db` prepares nothing; locks and LISTEN need a direct address.
  const direct = process.env.DIRECT_DATABASE_URL;
  const pgBouncer = { namedStatements: false, directConnectionString: direct };
  const store = await createPostgresJsStore({ database: db, schema: parley, ...pgBouncer });
  const eventBus = createPostgresJsEventBus({ sql: db.$client, listenConnectionString: direct });
  return {
    engine: createEngine({ store, eventBus }),
    basePath: '/api/parley',
    customerTokenSecret,
    trustedProxies: Number(process.env.PARLEY_TRUSTED_PROXIES ?? 0),
    authenticate: async (request) => {
      const user = isSameOrigin(request) ? await currentUser(request) : null;
      return user && { userId: user.id, email: user.email, name: user.name };
    },
    authorize: ({ userId }, workspaceId, level) =>
      hasWorkspacePermission(userId, workspaceId, level),
  };
});
