import type { z } from 'zod';

/** Tokens a model call consumed, as the provider reports them. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** A tool call the model asked for; `arguments` is the raw JSON text the model wrote. */
export interface ModelToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** One message of a prompt, in the shape every OpenAI-compatible provider understands. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ModelToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

/** A tool the model may call while writing text: name, description, JSON Schema of its arguments. */
export interface ModelToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** Options every model call takes. */
export interface ModelCallOptions {
  messages: ChatMessage[];
  /** Aborts the call; the model rejects with a `cancelled` ParleyError. */
  signal?: AbortSignal;
  temperature?: number;
  maxOutputTokens?: number;
  /** What the call is for (a pipeline stage, e.g. `guideline_judgement`), for logs and metrics. */
  purpose?: string;
}

/** A request for a typed object: the model answers in JSON matching `schema`. */
export interface ObjectGenerationRequest<TSchema extends z.ZodType> extends ModelCallOptions {
  /** A short identifier of the schema (`[a-zA-Z0-9_-]+`), which providers require. */
  schemaName: string;
  schema: TSchema;
}

/** A typed object and what it cost. */
export interface ObjectGenerationResult<T> {
  object: T;
  usage: TokenUsage;
}

/** A request for streamed text, with the tools the model may call instead of (or before) writing. */
export interface TextStreamRequest extends ModelCallOptions {
  tools?: ModelToolDefinition[];
  /** `auto` (default): the model decides; `none`: text only; `required`: it must call a tool. */
  toolChoice?: 'auto' | 'none' | 'required';
}

/** Why a stream ended. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

/**
 * The parts of a text stream, in order: text deltas and whole tool calls (arguments already
 * assembled), then exactly one `finish` with the usage.
 */
export type TextStreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; call: ModelToolCall }
  | { type: 'finish'; finishReason: FinishReason; usage: TokenUsage };

/**
 * A language model, as the engine uses one: typed objects for its decisions (which
 * guidelines apply, which journey state comes next) and streamed text for replies.
 *
 * Failures are ParleyErrors with code `model_failed` and a `reason` — `timeout`,
 * `rate_limited`, `unavailable`, `malformed_output` (JSON that does not match the schema),
 * `refused` — and `retryable` set when calling again may succeed. An aborted call rejects
 * with code `cancelled`. Implementations: `@parley/core/openai` (any OpenAI-compatible
 * endpoint) and the scripted model of `@parley/core/testing`.
 */
export interface ChatModel {
  /** Names the model in logs, metrics and explanations, e.g. `openai:gpt-4o-mini`. */
  readonly id: string;
  /** Asks for an object matching the schema; resolves only with a validated object. */
  generateObject<TSchema extends z.ZodType>(
    request: ObjectGenerationRequest<TSchema>,
  ): Promise<ObjectGenerationResult<z.output<TSchema>>>;
  /** Streams a reply; errors after the stream started are thrown from the iterator. */
  streamText(request: TextStreamRequest): AsyncIterable<TextStreamPart>;
  /**
   * Checks the model can be reached without generating anything (OpenAI: reads the model's
   * entry, no tokens); rejects with a ParleyError when it cannot. Optional: a model without
   * one is shown as not probed.
   */
  probe?(options?: { signal?: AbortSignal }): Promise<void>;
}
