import type { Agent } from '../domain/agent';
import { ParleyError } from '../errors/parley-error';
import type { Clock } from '../ports/clock';
import type { ToolProvider } from '../ports/tool-provider';
import type { ToolDefinition } from '../tools/tool';
import type { EngineLogger } from './engine-logger';
import { withinDeadline } from './within-deadline';

/** Options of run-time tools (`EngineOptions.toolProvision`). */
export interface ToolProvisionOptions {
  /** How long an agent's provided tools are kept while its catalog revision stays; default 60 s. */
  cacheMs?: number;
  /** How long a provider may take to answer before the turn goes on without it; default 5 s. */
  timeoutMs?: number;
}

/** The engine's own tools and those its providers give an agent; see {@link createProvidedTools}. */
export interface ProvidedTools {
  /**
   * The tools an agent's turn may call, by name: the engine's registry, then each provider's
   * (an engine-registered name wins). Never rejects: a failing provider only loses its tools.
   */
  resolve(request: {
    workspaceId: string;
    agent: Agent;
    /** The catalog revision the turn reads: a new revision asks the providers again. */
    revision: string;
    signal: AbortSignal;
  }): Promise<ReadonlyMap<string, ToolDefinition>>;
}

const defaultCacheMs = 60_000;
const defaultTimeoutMs = 5_000;
/** Agents whose provided tools are kept at once; the oldest entry goes first beyond it. */
const cacheLimit = 1_000;

/**
 * Run-time tools with a cache per workspace and agent: an entry is used while the agent's
 * catalog revision is the one it was made for and for `cacheMs` after; a provider that failed
 * is asked again by the next turn. Without providers it is the registry itself, at no cost.
 */
export function createProvidedTools(input: {
  registry: ReadonlyMap<string, ToolDefinition>;
  providers: readonly ToolProvider[];
  options: ToolProvisionOptions | undefined;
  clock: Clock;
  logger: EngineLogger;
}): ProvidedTools {
  const { registry, providers, clock, logger } = input;
  for (const [index, provider] of providers.entries()) {
    if (typeof provider?.tools !== 'function' || typeof provider.id !== 'string') {
      throw new ParleyError(
        'validation_failed',
        `\`toolProviders[${index}]\` must be a ToolProvider (an id and a tools() function)`,
        { details: { option: `toolProviders.${index}` } },
      );
    }
  }
  const cacheMs = positive(input.options?.cacheMs ?? defaultCacheMs, 'toolProvision.cacheMs');
  const timeoutMs = positive(
    input.options?.timeoutMs ?? defaultTimeoutMs,
    'toolProvision.timeoutMs',
  );
  const cache = new Map<
    string,
    { revision: string; expiresAt: number; tools: Promise<ReadonlyMap<string, ToolDefinition>> }
  >();

  async function ask(
    provider: ToolProvider,
    request: { workspaceId: string; agent: Agent; signal: AbortSignal },
  ): Promise<readonly ToolDefinition[] | null> {
    const log = { providerId: provider.id, agentId: request.agent.id };
    const outcome = await withinDeadline({
      signal: request.signal,
      clock,
      timeoutMs,
      work: async (signal) => {
        const tools = await provider.tools({
          workspaceId: request.workspaceId,
          agent: request.agent,
          signal,
        });
        if (!Array.isArray(tools)) throw new TypeError('the provider returned no array');
        const kept = tools.filter(isToolDefinition);
        if (kept.length < tools.length) {
          logger.warn('tool provider returned something that is not a tool', {
            ...log,
            dropped: tools.length - kept.length,
          });
        }
        return kept;
      },
    });
    if (outcome.status === 'done') return outcome.value;
    if (outcome.status === 'timeout') logger.warn('tool provider timed out', log);
    if (outcome.status === 'failed') {
      logger.warn('tool provider failed', {
        ...log,
        error: outcome.error instanceof Error ? outcome.error.name : typeof outcome.error,
      });
    }
    return null;
  }

  return {
    async resolve(request) {
      if (providers.length === 0) return registry;
      const key = `${request.workspaceId}\u0000${request.agent.id}`;
      const now = clock.now().getTime();
      const cached = cache.get(key);
      if (cached && cached.revision === request.revision && cached.expiresAt > now) {
        return cached.tools;
      }
      let complete = true;
      const tools = Promise.all(providers.map((provider) => ask(provider, request))).then(
        (answers) => {
          const merged = new Map(registry);
          for (const answer of answers) {
            if (answer === null) {
              complete = false;
              continue;
            }
            for (const definition of answer) {
              if (!merged.has(definition.name)) merged.set(definition.name, definition);
            }
          }
          return merged as ReadonlyMap<string, ToolDefinition>;
        },
      );
      cache.delete(key);
      if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as string);
      cache.set(key, { revision: request.revision, expiresAt: now + cacheMs, tools });
      const resolved = await tools;
      // What a failed provider did not give is not kept: the next turn asks again.
      if (!complete && cache.get(key)?.tools === tools) cache.delete(key);
      return resolved;
    },
  };
}

function positive(value: number, option: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ParleyError('validation_failed', `\`${option}\` must be more than 0`, {
      details: { option, value },
    });
  }
  return value;
}

/** Whether a provider's answer is a tool the engine can run. */
function isToolDefinition(value: unknown): value is ToolDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ToolDefinition>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.handler === 'function' &&
    typeof candidate.parameters?.safeParse === 'function' &&
    typeof candidate.jsonSchema === 'object' &&
    candidate.jsonSchema !== null &&
    typeof candidate.timeoutMs === 'number' &&
    typeof candidate.retries === 'number'
  );
}
