import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The example's own folder: where the default data directory lives, whatever the working directory. */
export const exampleDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The quickstart's settings, read from the environment by {@link loadConfig}. */
export interface QuickstartConfig {
  port: number;
  host: string;
  /** PostgreSQL instead of PGlite when set. */
  databaseUrl: string | null;
  /** The PGlite directory, and where generated secrets and the publishable key are kept. */
  dataDir: string;
  openai: { apiKey: string | null; baseUrl: string | null; model: string };
  /** Signs operator tokens (HS256); generated and kept in `dataDir` when unset. */
  operatorSecret: string | null;
  /** Signs the widget's customer tokens; generated and kept in `dataDir` when unset. */
  customerTokenSecret: string | null;
  /** Origins besides the server's own whose pages may use the publishable key. */
  allowedOrigins: string[];
  /**
   * How guidelines are found without a model: `words` (the offline lexical embedder) or
   * `meaning` (fused with the Universal Sentence Encoder, an optional peer of `@parley/core`).
   */
  matching: 'words' | 'meaning';
}

/** A setting of the environment that is not valid; its message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable} ${message}`);
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? null : value))
  .nullable()
  .default(null);

const secretSchema = optionalText.refine(
  (value) => value === null || new TextEncoder().encode(value).byteLength >= 32,
  'must be at least 32 bytes long (e.g. `openssl rand -hex 32`), or unset to have one generated',
);

const urlSchema = (protocols: readonly string[], example: string) =>
  optionalText.refine((value) => {
    if (value === null) return true;
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL like ${example}`);

const originSchema = z
  .string()
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be an origin like https://example.com');

/** The environment variables the quickstart reads, each checked on its own. */
const environmentSchema = z.object({
  PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a port number between 0 and 65535')
    .transform(Number)
    .pipe(z.number().int().min(0, 'must be at least 0').max(65_535, 'must be at most 65535'))
    .default(3000),
  HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  DATABASE_URL: urlSchema(['postgres:', 'postgresql:'], 'postgres://user@host:5432/database'),
  PARLEY_DATA_DIR: optionalText,
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: urlSchema(['http:', 'https:'], 'http://localhost:11434/v1'),
  OPENAI_MODEL: z.string().trim().min(1, 'must not be empty').default('gpt-4o-mini'),
  PARLEY_OPERATOR_SECRET: secretSchema,
  PARLEY_CUSTOMER_TOKEN_SECRET: secretSchema,
  PARLEY_ALLOWED_ORIGINS: z
    .string()
    .trim()
    .transform((value) => value.split(',').map((origin) => origin.trim()))
    .transform((origins) => origins.filter(Boolean))
    .pipe(z.array(originSchema))
    .default([]),
  PARLEY_MATCHING: z
    .enum(['words', 'meaning'], { error: 'must be "words" or "meaning"' })
    .default('words'),
});

/**
 * Reads and checks the quickstart's configuration from an environment (`process.env` by
 * default). A bad value throws a {@link ConfigError} naming the variable, e.g.
 * `PORT must be a port number between 0 and 65535 (got "abc")`.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): QuickstartConfig {
  // Only the variables the schema knows: unrelated ones never reach an error message.
  const known = Object.fromEntries(
    Object.keys(environmentSchema.shape).flatMap((name) =>
      environment[name] === undefined ? [] : [[name, environment[name]]],
    ),
  );
  const parsed = environmentSchema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const variable = String(issue.path[0] ?? 'environment');
    const raw = environment[variable];
    // Secrets and keys are never echoed back; other values are, to show what was wrong.
    const shown =
      /SECRET|KEY|DATABASE_URL/.test(variable) || raw === undefined ? '' : ` (got "${raw}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const environmentValues = parsed.data;
  return {
    port: environmentValues.PORT,
    host: environmentValues.HOST,
    databaseUrl: environmentValues.DATABASE_URL,
    dataDir: path.resolve(
      environmentValues.PARLEY_DATA_DIR ?? path.join(exampleDirectory, '.parley-data'),
    ),
    openai: {
      apiKey: environmentValues.OPENAI_API_KEY,
      baseUrl: environmentValues.OPENAI_BASE_URL,
      model: environmentValues.OPENAI_MODEL,
    },
    operatorSecret: environmentValues.PARLEY_OPERATOR_SECRET,
    customerTokenSecret: environmentValues.PARLEY_CUSTOMER_TOKEN_SECRET,
    allowedOrigins: environmentValues.PARLEY_ALLOWED_ORIGINS,
    matching: environmentValues.PARLEY_MATCHING,
  };
}
