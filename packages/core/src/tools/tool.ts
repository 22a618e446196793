import { z } from 'zod';
import type { Agent } from '../domain/agent';
import { identifierSchema } from '../domain/common';
import type { Customer } from '../domain/customer';
import type { Session } from '../domain/session';
import type { Tool } from '../domain/tool';
import { ParleyError } from '../errors/parley-error';
import type { ToolRateLimit } from './tool-rate-limiter';

/** What a tool handler knows of the conversation it runs for. */
export interface ToolContext {
  workspaceId: string;
  agentId: string;
  sessionId: string;
  customerId: string | null;
  /**
   * The customer's latest message, as the turn reads it (censored when moderation censored
   * it); '' when there is none.
   */
  message: string;
  /** The agent the turn is for. */
  agent: Agent;
  /** The session, as it was when the turn started. */
  session: Session;
  /** The session's customer; `null` for an anonymous session. */
  customer: Customer | null;
  /** The agent's context variables as resolved for this turn, by name. */
  variables: Readonly<Record<string, unknown>>;
  /** Aborted when the turn is cancelled or the tool's time is up: stop work then. */
  signal: AbortSignal;
}

/** What {@link tool} takes: a typed TypeScript function the agent can call. */
export interface ToolOptions<TParameters extends z.ZodObject, TResult> {
  /** The name the model calls it by; unique in the engine. */
  name: string;
  /** What it does and when to use it, written for the model. */
  description: string;
  /** Its arguments; the model's proposals are validated against this before the handler runs. */
  parameters: TParameters;
  handler: (args: z.output<TParameters>, context: ToolContext) => Promise<TResult> | TResult;
  /** How long one attempt may take; default 10 s. */
  timeoutMs?: number;
  /** Attempts after the first when one throws or times out; default 0. */
  retries?: number;
  /**
   * At most `calls` calls in any `perMilliseconds` window, per engine process; a call over it
   * fails at once (`tool_rate_limited`, retryable) without running. Default (or `null`): no
   * limit.
   */
  rateLimit?: ToolRateLimit | null;
}

/** A registered tool: the options, checked, with the JSON Schema the model sees. */
export interface ToolDefinition<TParameters extends z.ZodObject = z.ZodObject, TResult = unknown> {
  readonly name: string;
  readonly description: string;
  readonly parameters: TParameters;
  readonly timeoutMs: number;
  readonly retries: number;
  /** See {@link ToolOptions.rateLimit}; absent or `null`: no limit. */
  readonly rateLimit?: Readonly<ToolRateLimit> | null;
  /** The parameters as JSON Schema (zod 4's own conversion), as the model receives them. */
  readonly jsonSchema: Tool['parameters'];
  // A method, not a function-typed property, so a tool with specific arguments still fits
  // where any tool is expected (`ToolDefinition[]`): the engine validates arguments first.
  handler(args: z.output<TParameters>, context: ToolContext): Promise<TResult> | TResult;
}

/**
 * Declares a tool: `tool({ name: 'lookup_order', description, parameters: z.object({…}),
 * handler })`. Register it with the engine; attach it to guidelines or journey states by name.
 */
export function tool<TParameters extends z.ZodObject, TResult>(
  options: ToolOptions<TParameters, TResult>,
): ToolDefinition<TParameters, TResult> {
  const name = identifierSchema.safeParse(options.name);
  if (!name.success) {
    throw new ParleyError(
      'validation_failed',
      `Invalid tool name "${String(options.name)}": ${name.error.issues[0]?.message}`,
    );
  }
  if (typeof options.handler !== 'function') {
    throw new ParleyError('validation_failed', `Tool "${options.name}" needs a handler function`);
  }
  const limit = options.rateLimit;
  if (
    limit !== undefined &&
    limit !== null &&
    !(
      Number.isInteger(limit?.calls) &&
      limit.calls > 0 &&
      Number.isFinite(limit.perMilliseconds) &&
      limit.perMilliseconds > 0
    )
  ) {
    throw new ParleyError(
      'validation_failed',
      `Tool "${options.name}": rateLimit needs a whole number of calls above 0 and perMilliseconds above 0`,
    );
  }
  return Object.freeze({
    name: options.name,
    description: options.description,
    parameters: options.parameters,
    handler: options.handler,
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 0,
    rateLimit: limit ? Object.freeze({ ...limit }) : null,
    jsonSchema: jsonSchemaOf(options.parameters),
  });
}

/**
 * The parameters' JSON Schema as plain JSON. zod 4.3 also hangs a non-enumerable
 * `~standard` object (with functions) on what `toJSONSchema` returns, which is no JSON: the
 * round trip keeps only what the model and the store should see, on every zod of the range.
 */
function jsonSchemaOf(parameters: z.ZodType): Tool['parameters'] {
  return JSON.parse(
    JSON.stringify(z.toJSONSchema(parameters, { io: 'input' })),
  ) as Tool['parameters'];
}
