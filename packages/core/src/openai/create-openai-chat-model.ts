import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { z } from 'zod';
import { ParleyError } from '../errors/parley-error';
import type {
  ChatMessage,
  ChatModel,
  FinishReason,
  ModelCallOptions,
  ModelToolCall,
  ModelToolDefinition,
  ObjectGenerationRequest,
  ObjectGenerationResult,
  TextStreamPart,
  TextStreamRequest,
  TokenUsage,
} from '../ports/chat-model';
import {
  defaultTimeoutMs,
  endpointHost,
  type OpenAIConnectionOptions,
  openAIClientOf,
  perRequestOptionsOf,
} from './openai-connection';
import { cancelledError, toModelError } from './to-model-error';

/** Options of {@link createOpenAIChatModel}. */
export interface OpenAIChatModelOptions extends OpenAIConnectionOptions {
  /** The model name the endpoint knows, e.g. `gpt-4o-mini` or `llama3.1:8b`. */
  model: string;
  /**
   * The request field that carries `maxOutputTokens`. OpenAI's reasoning models reject
   * `max_tokens`, while many compatible servers only know it: the default is
   * `max_completion_tokens` for api.openai.com and `max_tokens` for any other `baseURL`.
   */
  maxTokensParameter?: 'max_completion_tokens' | 'max_tokens';
}

/**
 * A {@link ChatModel} on the `openai` client, for OpenAI and any OpenAI-compatible endpoint
 * (Azure-compatible proxies, Ollama, vLLM, LM Studio).
 *
 * - `generateObject` sends the zod schema as a JSON Schema `response_format`, in strict mode
 *   when the schema allows it (every property required, no open objects), and validates the
 *   answer with the zod schema itself, so constraints the endpoint ignores are still enforced.
 * - `streamText` streams deltas, assembles tool calls whose arguments arrive in pieces, and
 *   ends with one `finish` part carrying the usage (zeros from servers that report none).
 * - `id` is `openai:<model>` for api.openai.com and `<host>:<model>` for any other endpoint,
 *   e.g. `localhost:11434:llama3.1`, so logs tell the two apart.
 *
 * Failures are ParleyErrors as described by {@link OpenAIFailureReason}; the client's own
 * retries (`maxRetries`) run first. The API key never appears in a message or details, even
 * when a proxy echoes it back.
 */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  const client = openAIClientOf(options);
  const host = endpointHost(client.baseURL);
  const id = `${host}:${options.model}`;
  const maxTokensParameter =
    options.maxTokensParameter ?? (host === 'openai' ? 'max_completion_tokens' : 'max_tokens');
  const timeoutMs = options.timeoutMs ?? options.client?.timeout ?? defaultTimeoutMs;
  const failure = (error: unknown, signal: AbortSignal | undefined) =>
    toModelError(error, { modelId: id, signal, secrets: [client.apiKey] });

  const perRequest = perRequestOptionsOf(options);

  function commonParameters(request: ModelCallOptions) {
    return {
      model: options.model,
      messages: request.messages.map(toOpenAIMessage),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.maxOutputTokens === undefined
        ? {}
        : { [maxTokensParameter]: request.maxOutputTokens }),
    };
  }

  return {
    id,

    async probe(probeOptions = {}) {
      throwIfAborted(probeOptions.signal);
      try {
        // One attempt: a probe reports what it finds now, quickly.
        await client.models.retrieve(options.model, {
          ...perRequest,
          maxRetries: 0,
          signal: probeOptions.signal,
        });
      } catch (error) {
        throw failure(error, probeOptions.signal);
      }
    },

    async generateObject<TSchema extends z.ZodType>(
      request: ObjectGenerationRequest<TSchema>,
    ): Promise<ObjectGenerationResult<z.output<TSchema>>> {
      throwIfAborted(request.signal);
      const { schema, strict } = responseSchemaOf(request.schema);
      const parameters: ChatCompletionCreateParamsNonStreaming = {
        ...commonParameters(request),
        response_format: {
          type: 'json_schema',
          json_schema: { name: request.schemaName, schema, strict },
        },
      };
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create(parameters, {
          ...perRequest,
          signal: request.signal,
        });
      } catch (error) {
        throw failure(error, request.signal);
      }

      const choice = completion.choices[0];
      const finishReason = choice?.finish_reason ?? null;
      const subject = `Model ${id} (schema ${request.schemaName})`;
      if (choice?.message.refusal) {
        throw new ParleyError('model_failed', `${subject} refused to answer`, {
          reason: 'refused',
          details: { schemaName: request.schemaName, finishReason },
        });
      }
      const content = choice?.message.content ?? '';
      if (content === '' && finishReason === 'content_filter') {
        throw new ParleyError('model_failed', `${subject}: the answer was filtered`, {
          reason: 'refused',
          details: { schemaName: request.schemaName, finishReason },
        });
      }
      const object = parseStructuredOutput(request.schema, content, {
        subject,
        details: { schemaName: request.schemaName, finishReason },
      });
      return { object, usage: usageOf(completion.usage) };
    },

    async *streamText(request: TextStreamRequest): AsyncGenerator<TextStreamPart> {
      throwIfAborted(request.signal);
      const tools = request.tools?.length ? request.tools.map(toOpenAITool) : undefined;
      const parameters: ChatCompletionCreateParamsStreaming = {
        ...commonParameters(request),
        stream: true,
        stream_options: { include_usage: true },
        ...(tools ? { tools, tool_choice: request.toolChoice ?? 'auto' } : {}),
      };

      // Our own controller, so that a stalled stream can be cut off: the client's timeout
      // only covers the wait for the response headers, not the chunks after them.
      const controller = new AbortController();
      const abort = () => controller.abort();
      request.signal?.addEventListener('abort', abort, { once: true });
      let stalled = false;
      let stallTimer: ReturnType<typeof setTimeout> | undefined;
      const watchForStall = () => {
        clearTimeout(stallTimer);
        stallTimer = setTimeout(() => {
          stalled = true;
          controller.abort();
        }, timeoutMs);
      };

      const toolCalls = new Map<number, ModelToolCall>();
      let finishReason: FinishReason | undefined;
      let usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
      let refusal = '';
      try {
        const stream = await client.chat.completions.create(parameters, {
          ...perRequest,
          signal: controller.signal,
        });
        watchForStall();
        for await (const chunk of stream) {
          // The clock only runs while we wait for the server, not while a slow consumer
          // holds the part we yielded.
          clearTimeout(stallTimer);
          if (chunk.usage) usage = usageOf(chunk.usage);
          const choice = chunk.choices[0];
          if (choice?.delta.content) yield { type: 'text-delta', text: choice.delta.content };
          if (choice?.delta.refusal) refusal += choice.delta.refusal;
          for (const piece of choice?.delta.tool_calls ?? []) mergeToolCallPiece(toolCalls, piece);
          if (choice?.finish_reason) finishReason = toFinishReason(choice.finish_reason);
          watchForStall();
        }
        // The client ends an aborted stream quietly instead of throwing: tell the two apart here.
        if (stalled) throw stallError(id, timeoutMs);
        throwIfAborted(request.signal);
      } catch (error) {
        if (ParleyError.isInstance(error)) throw error;
        throw stalled ? stallError(id, timeoutMs) : failure(error, request.signal);
      } finally {
        clearTimeout(stallTimer);
        request.signal?.removeEventListener('abort', abort);
      }

      if (refusal) {
        throw new ParleyError('model_failed', `Model ${id} refused to answer`, {
          reason: 'refused',
        });
      }
      const calls = [...toolCalls.entries()].sort(([left], [right]) => left - right);
      for (const [, call] of calls) yield { type: 'tool-call', call };
      yield {
        type: 'finish',
        finishReason: finishReason ?? (calls.length > 0 ? 'tool_calls' : 'other'),
        usage,
      };
    },
  };
}

function toOpenAIMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant':
      if (!message.toolCalls?.length) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        // OpenAI wants null rather than an empty string next to tool calls.
        content: message.content || null,
        tool_calls: message.toolCalls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: { name: call.name, arguments: call.arguments },
        })),
      };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

function toOpenAITool(tool: ModelToolDefinition): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  };
}

/** Adds one streamed piece of a tool call; pieces of the same call share an `index`. */
function mergeToolCallPiece(
  calls: Map<number, ModelToolCall>,
  piece: ChatCompletionChunk.Choice.Delta.ToolCall,
): void {
  const call = calls.get(piece.index) ?? { id: '', name: '', arguments: '' };
  if (piece.id) call.id = piece.id;
  if (piece.function?.name) call.name += piece.function.name;
  if (piece.function?.arguments) call.arguments += piece.function.arguments;
  // Some compatible servers omit ids; the engine needs one to pair the tool's result.
  if (!call.id) call.id = `call_${piece.index}`;
  calls.set(piece.index, call);
}

function toFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'other';
  }
}

function usageOf(
  usage: { prompt_tokens?: number; completion_tokens?: number } | null | undefined,
): TokenUsage {
  return {
    promptTokens: usage?.prompt_tokens ?? 0,
    completionTokens: usage?.completion_tokens ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Structured output

type JsonSchema = Record<string, unknown>;

const responseSchemas = new WeakMap<z.ZodType, { schema: JsonSchema; strict: boolean }>();

/**
 * The JSON Schema sent for a zod schema, converted once per schema. It describes what the model
 * writes, the schema's input (`io: 'input'`); types JSON Schema cannot express become `{}`,
 * which only costs strict mode.
 */
function responseSchemaOf(zodSchema: z.ZodType): { schema: JsonSchema; strict: boolean } {
  const cached = responseSchemas.get(zodSchema);
  if (cached) return cached;
  const { $schema: _dialect, ...schema } = z.toJSONSchema(zodSchema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  const strictSchema = structuredClone(schema);
  const result =
    strictSchema.type === 'object' && makeStrict(strictSchema)
      ? { schema: strictSchema, strict: true }
      : { schema, strict: false };
  responseSchemas.set(zodSchema, result);
  return result;
}

/** Keywords strict Structured Outputs rejects (the list `openai`'s own zod helper enforces). */
const keywordsStrictModeRejects = new Set([
  '$anchor',
  '$dynamicAnchor',
  '$dynamicRef',
  '$recursiveAnchor',
  '$recursiveRef',
  'additionalItems',
  'allOf',
  'contains',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  'dependencies',
  'dependentRequired',
  'dependentSchemas',
  'else',
  'if',
  'maxContains',
  'maxProperties',
  'minContains',
  'minProperties',
  'not',
  'patternProperties',
  'prefixItems',
  'propertyNames',
  'then',
  'unevaluatedItems',
  'unevaluatedProperties',
  'uniqueItems',
]);

/**
 * Rewrites a schema in place into strict Structured Outputs form, or returns false when it
 * cannot be without changing what it accepts (an optional property, an open record, a tuple,
 * an untyped `{}`): the caller then sends the original schema with `strict: false`.
 */
function makeStrict(node: unknown): boolean {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const schema = node as JsonSchema;
  if (Object.keys(schema).some((keyword) => keywordsStrictModeRejects.has(keyword))) return false;
  if (Array.isArray(schema.items)) return false;
  if (!['type', 'anyOf', 'oneOf', '$ref', 'enum', 'const'].some((keyword) => keyword in schema)) {
    return false;
  }
  if ('oneOf' in schema) {
    // zod writes discriminated unions as `oneOf`, which strict mode lacks; their branches
    // exclude one another, so `anyOf` accepts the same values.
    if ('anyOf' in schema) return false;
    schema.anyOf = schema.oneOf;
    delete schema.oneOf;
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('object') || 'properties' in schema) {
    if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
      return false;
    }
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    const required = new Set((schema.required ?? []) as string[]);
    if (Object.keys(properties).some((key) => !required.has(key))) return false;
    // zod strips unknown keys anyway; closing the object only narrows what the model writes.
    schema.additionalProperties = false;
    schema.properties = properties;
    schema.required = Object.keys(properties);
  }
  if (types.includes('array') && schema.items === undefined) return false;
  const children = [
    ...Object.values((schema.properties ?? {}) as Record<string, unknown>),
    ...Object.values((schema.definitions ?? {}) as Record<string, unknown>),
    ...Object.values((schema.$defs ?? {}) as Record<string, unknown>),
    ...((schema.anyOf ?? []) as unknown[]),
    ...(schema.items === undefined ? [] : [schema.items]),
  ];
  return children.every(makeStrict);
}

/**
 * Parses a model's structured answer and validates it with the zod schema, or throws a
 * retryable `malformed_output` whose details carry the zod issues (never the prompt). A
 * single Markdown code fence around the JSON is tolerated, as small local models add one.
 */
function parseStructuredOutput<TSchema extends z.ZodType>(
  schema: TSchema,
  content: string,
  context: { subject: string; details: Record<string, unknown> },
): z.output<TSchema> {
  let value: unknown;
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/.exec(content.trim());
  try {
    value = JSON.parse(fenced?.[1] ?? content);
  } catch (error) {
    throw new ParleyError('model_failed', `${context.subject} did not answer with JSON`, {
      reason: 'malformed_output',
      retryable: true,
      details: { ...context.details, problem: 'invalid_json' },
      cause: error,
    });
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.output<TSchema>;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    code: issue.code,
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new ParleyError(
    'model_failed',
    `${context.subject} answered JSON that does not match the schema: ${summary}`,
    {
      reason: 'malformed_output',
      retryable: true,
      details: { ...context.details, problem: 'schema_mismatch', issues },
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Errors

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

function stallError(modelId: string, timeoutMs: number): ParleyError {
  return new ParleyError(
    'model_failed',
    `Model ${modelId} stopped streaming: no chunk for ${timeoutMs} ms`,
    { reason: 'timeout', retryable: true, details: { timeoutMs } },
  );
}
