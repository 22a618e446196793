import { createEngine } from '@parley/core';
import { createPostgresJsEventBus, createPostgresJsStore } from '@parley/core/postgres-js';
import { createParleyRouteHandlers } from '@parley/http';
import { db } from '../../../../db';
import { parley } from '../../../../db/parley-schema';
import { currentUser } from '../../../../lib/auth';
import { chatModel } from '../../../../lib/chat-model';
import { retrievers } from '../../../../lib/knowledge';
import { workflowExecutor } from '../../../../lib/workflows';
import { hasWorkspacePermission } from '../../../../lib/workspaces';

/** Parley at /api/parley on the host's database; its operators are the host's signed-in users. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = createParleyRouteHandlers(async () => {
  const direct = process.env.DIRECT_DATABASE_URL; // behind PgBouncer: locks and LISTEN go direct
  const store = await createPostgresJsStore({
    database: db,
    schema: parley,
    directConnectionString: direct,
  });
  const eventBus = createPostgresJsEventBus({ sql: db.$client, listenConnectionString: direct });
  return {
    // The model if any; linked knowledge bases in Sim's `embedding`; workflows by Sim's API.
    engine: createEngine({ store, eventBus, model: chatModel, retrievers, workflowExecutor }),
    basePath: '/api/parley',
    customerTokenSecret: process.env.PARLEY_CUSTOMER_TOKEN_SECRET,
    trustedProxies: Number(process.env.PARLEY_TRUSTED_PROXIES ?? 0),
    // Parley asks only for requests from this site's own pages (or `operatorOrigins`).
    authenticate: async (request) => {
      const user = await currentUser(request);
      return user && { userId: user.id, email: user.email, name: user.name };
    },
    authorize: ({ userId }, workspace, level) => hasWorkspacePermission(userId, workspace, level),
  };
});
