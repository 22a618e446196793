import { boolean, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// A host's own tables as Sim writes them (text ids made in code, snake_case singular names):
// the `user`, `workspace` and `knowledge_base` that Parley's tables reference. The drizzle-kit tests copy this
// file into a temporary host project as its schema file, so it imports drizzle-orm only.

export const user = pgTable('user', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  role: text('role'),
  createdAt: timestamp('created_at').notNull().defaultNow(),
});

export const workspace = pgTable('workspace', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  ownerId: text('owner_id')
    .notNull()
    .references(() => user.id, { onDelete: 'cascade' }),
  organizationId: text('organization_id'),
  archivedAt: timestamp('archived_at'),
});

export const knowledgeBase = pgTable('knowledge_base', {
  id: text('id').primaryKey(),
  workspaceId: text('workspace_id').references(() => workspace.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  deletedAt: timestamp('deleted_at'),
});
