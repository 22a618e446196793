import { defineConfig } from 'drizzle-kit';

/** Generates the shipped migrations from the default standalone tables. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/default-schema.ts',
  out: './migrations',
});
