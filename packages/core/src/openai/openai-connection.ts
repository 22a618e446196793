import OpenAI from 'openai';
import { ParleyError } from '../errors/parley-error';

/** How to reach an OpenAI-compatible endpoint: the options both OpenAI factories share. */
export interface OpenAIConnectionOptions {
  /**
   * Defaults to `OPENAI_API_KEY`. Local servers (Ollama, vLLM, LM Studio) need none: with a
   * `baseURL` and no key, a placeholder is sent.
   */
  apiKey?: string;
  /** Any OpenAI-compatible endpoint, ending with its version, e.g. `http://localhost:11434/v1`. */
  baseURL?: string;
  /**
   * A client built elsewhere (shared connection pool, custom fetch). When given, `apiKey`,
   * `baseURL`, `organization`, `headers` and `fetch` are ignored; `timeoutMs` and `maxRetries` apply per
   * request only when set.
   */
  client?: OpenAI;
  /** How long one attempt may wait for the response to start (and a stream for its next chunk); default 60 s. */
  timeoutMs?: number;
  /** Retries the client makes itself (connection errors, 408, 409, 429, 5xx) before failing; default 2. */
  maxRetries?: number;
  /** Sent as `OpenAI-Organization`. */
  organization?: string;
  /** Extra headers sent with every request (proxy routing, tracing). */
  headers?: Record<string, string>;
  /**
   * The `fetch` the client sends its requests with; default the global one. For a proxy
   * agent, or `createCassetteFetch` of `@parley/core/testing` to record and replay calls.
   */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

/** How long a request may wait for its response to start when no timeout is given. */
export const defaultTimeoutMs = 60_000;
const defaultMaxRetries = 2;

/**
 * The client both OpenAI factories use: the one supplied, or a new one from the options.
 * Not part of the public entry.
 */
export function openAIClientOf(options: OpenAIConnectionOptions): OpenAI {
  if (options.client) return options.client;
  const apiKey = options.apiKey ?? process.env.OPENAI_API_KEY;
  const baseURL = options.baseURL ?? process.env.OPENAI_BASE_URL;
  if (!apiKey && !baseURL) {
    throw new ParleyError(
      'validation_failed',
      'OpenAI needs an API key: pass `apiKey` or set OPENAI_API_KEY',
      { reason: 'missing_api_key' },
    );
  }
  return new OpenAI({
    // Local servers need no key, but the client refuses to start without one.
    apiKey: apiKey || 'no-key',
    baseURL,
    organization: options.organization ?? null,
    defaultHeaders: options.headers,
    timeout: options.timeoutMs ?? defaultTimeoutMs,
    maxRetries: options.maxRetries ?? defaultMaxRetries,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/**
 * Timeout and retries for each request: a supplied client keeps its own settings unless the
 * caller overrides them explicitly. Not part of the public entry.
 */
export function perRequestOptionsOf(options: OpenAIConnectionOptions): {
  timeout?: number;
  maxRetries?: number;
} {
  return {
    ...(options.client === undefined || options.timeoutMs !== undefined
      ? { timeout: options.timeoutMs ?? defaultTimeoutMs }
      : {}),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  };
}

/**
 * `openai` for OpenAI's own API, else the endpoint's host (with its port), so a model id says
 * which server answered. Not part of the public entry.
 */
export function endpointHost(baseURL: string): string {
  try {
    const host = new URL(baseURL).host;
    return host === 'api.openai.com' || host === '' ? 'openai' : host;
  } catch {
    return 'openai';
  }
}
