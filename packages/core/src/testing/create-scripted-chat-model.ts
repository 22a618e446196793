import type { z } from 'zod';
import { ParleyError } from '../errors/parley-error';
import type {
  ChatMessage,
  ChatModel,
  FinishReason,
  ModelToolCall,
  ObjectGenerationRequest,
  TextStreamPart,
  TextStreamRequest,
  TokenUsage,
} from '../ports/chat-model';

/** What a scripted text reply streams: text, then tool calls, then the finish. */
export interface ScriptedTextReply {
  text?: string;
  /** Tool calls; an object `arguments` is sent as its JSON text, a missing `id` is numbered. */
  toolCalls?: Array<{ name: string; arguments: object | string; id?: string }>;
  /** Default `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: FinishReason;
  /** Default: estimated, about 4 characters per token. */
  usage?: TokenUsage;
}

/** Options of one queued reply. */
export interface ScriptedReplyOptions {
  /** Only a call with this `purpose` (or, for objects, this `schemaName`) takes the reply. */
  for?: string;
  /** Reported usage; default estimated, about 4 characters per token. */
  usage?: TokenUsage;
  /** Latency of this reply, instead of the model's `delayMs`. */
  delayMs?: number;
}

/** Computes an object from the request; the result is validated with the request's schema. */
export type ScriptedObjectHandler = (
  request: ObjectGenerationRequest<z.ZodType>,
) => unknown | Promise<unknown>;

/** Computes a text reply from the request: a string, or text with tool calls. */
export type ScriptedTextHandler = (
  request: TextStreamRequest,
) => string | ScriptedTextReply | Promise<string | ScriptedTextReply>;

/** Options of {@link createScriptedChatModel}. */
export interface ScriptedChatModelScript {
  /** Default `scripted`. */
  id?: string;
  /** Latency before every reply; default 0. */
  delayMs?: number;
  /** Characters per streamed text delta; default: one delta per word. */
  chunkSize?: number;
  /** Object handlers by `schemaName` or `purpose`, as {@link ScriptedChatModel.onObject} adds. */
  objects?: Record<string, ScriptedObjectHandler>;
  /** Text handlers by `purpose`, as {@link ScriptedChatModel.onText} adds. */
  texts?: Record<string, ScriptedTextHandler>;
}

/** One call the scripted model received, and how it ended. */
export interface RecordedModelCall {
  kind: 'object' | 'text';
  purpose: string | undefined;
  schemaName: string | undefined;
  /** The prompt, as sent. */
  messages: ChatMessage[];
  /** Names of the tools offered to a text call. */
  toolNames: string[];
  /** The prompt's size in tokens, estimated at about 4 characters per token. */
  estimatedPromptTokens: number;
  /** The usage the call reported; undefined when it failed. */
  usage: TokenUsage | undefined;
  /** The failure the call ended with, if any. */
  error: ParleyError | undefined;
}

/** A {@link ChatModel} whose replies each test programs; see {@link createScriptedChatModel}. */
export interface ScriptedChatModel extends ChatModel {
  /** Every call so far, in the order they started. */
  readonly calls: RecordedModelCall[];
  /** Replies queued and not yet used. */
  readonly pendingReplies: number;
  /** Queues an object for the next `generateObject` call (matching `options.for`, if set). */
  enqueueObject(object: unknown, options?: ScriptedReplyOptions): void;
  /** Queues text for the next `streamText` call (matching `options.for`, if set). */
  enqueueText(text: string, options?: ScriptedReplyOptions & { finishReason?: FinishReason }): void;
  /** Queues tool calls, optionally after some text, for the next `streamText` call. */
  enqueueToolCalls(
    toolCalls: NonNullable<ScriptedTextReply['toolCalls']>,
    options?: ScriptedReplyOptions & { text?: string },
  ): void;
  /**
   * Queues a failure for the next call of `options.kind` (default: either kind): the model
   * rejects (or its stream throws) with `error`.
   */
  enqueueFailure(error: Error, options?: { for?: string; kind?: 'object' | 'text' }): void;
  /** Answers every `generateObject` call whose `schemaName` or `purpose` is `key`. */
  onObject(key: string, handler: ScriptedObjectHandler): void;
  /** Answers every `streamText` call whose `purpose` is `key`. */
  onText(key: string, handler: ScriptedTextHandler): void;
}

type QueuedReply = {
  for: string | undefined;
  delayMs: number | undefined;
} & (
  | { kind: 'object'; object: unknown; usage: TokenUsage | undefined }
  | { kind: 'text'; reply: ScriptedTextReply }
  | { kind: 'failure'; error: Error; callKind: 'object' | 'text' | undefined }
);

/**
 * The deterministic model for engine tests. Each call takes, in this order: the first queued
 * reply scripted `for` its purpose (or schema name), a handler registered for them, then the
 * first queued reply scripted for no one in particular. Keys matter because the engine may
 * call in parallel, in no guaranteed order. A call with nothing scripted fails loudly with an
 * `internal` ParleyError (reason `unscripted_call`) naming its purpose and schema, never with
 * a silent default.
 *
 * Objects are validated with the request's schema, so a scripted object that does not match
 * makes the call fail with `model_failed` / `malformed_output`, as a real model's would.
 * Streamed text is split into deltas (word by word unless `chunkSize`), then whole tool
 * calls, then the finish. An AbortSignal rejects the call with `cancelled`, mid-stream too.
 * Replies arrive without latency unless `delayMs`. Usage, unless scripted, is estimated at
 * about 4 characters per token: good enough for budget tests, not for billing.
 */
export function createScriptedChatModel(script: ScriptedChatModelScript = {}): ScriptedChatModel {
  if (
    script.chunkSize !== undefined &&
    !(Number.isInteger(script.chunkSize) && script.chunkSize > 0)
  ) {
    throw new ParleyError('validation_failed', '`chunkSize` must be a positive integer', {
      details: { chunkSize: script.chunkSize },
    });
  }
  const calls: RecordedModelCall[] = [];
  const queue: QueuedReply[] = [];
  const objectHandlers = new Map(Object.entries(script.objects ?? {}));
  const textHandlers = new Map(Object.entries(script.texts ?? {}));
  let toolCallCount = 0;

  /** Takes the reply for a call: keyed queue entry, handler, then unkeyed queue entry. */
  function takeQueued(kind: 'object' | 'text', keys: (string | undefined)[], keyed: boolean) {
    const index = queue.findIndex(
      (entry) =>
        (entry.kind === kind || (entry.kind === 'failure' && (entry.callKind ?? kind) === kind)) &&
        (keyed ? entry.for !== undefined && keys.includes(entry.for) : entry.for === undefined),
    );
    return index === -1 ? undefined : queue.splice(index, 1)[0];
  }

  function record(
    kind: 'object' | 'text',
    request: { messages: ChatMessage[]; purpose?: string },
    extra: { schemaName?: string; toolNames?: string[] },
  ): RecordedModelCall {
    const call: RecordedModelCall = {
      kind,
      purpose: request.purpose,
      schemaName: extra.schemaName,
      messages: request.messages,
      toolNames: extra.toolNames ?? [],
      estimatedPromptTokens: estimateTokens(JSON.stringify(request.messages)),
      usage: undefined,
      error: undefined,
    };
    calls.push(call);
    return call;
  }

  function unscripted(kind: 'object' | 'text', purpose?: string, schemaName?: string) {
    const what = [
      schemaName === undefined ? undefined : `schemaName "${schemaName}"`,
      `purpose ${purpose === undefined ? '(none)' : `"${purpose}"`}`,
    ]
      .filter(Boolean)
      .join(', ');
    const remedy =
      kind === 'object'
        ? `model.enqueueObject(…) or model.onObject('${schemaName ?? purpose}', …)`
        : `model.enqueueText(…), model.enqueueToolCalls(…) or model.onText('${purpose ?? 'purpose'}', …)`;
    return new ParleyError(
      'internal',
      `Scripted chat model: no reply scripted for ${kind === 'object' ? 'generateObject' : 'streamText'} (${what}). Script one with ${remedy}.`,
      { reason: 'unscripted_call', details: { kind, purpose, schemaName } },
    );
  }

  async function wait(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
    throwIfAborted(signal);
    if (milliseconds <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(cancelled());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, milliseconds);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  return {
    id: script.id ?? 'scripted',
    calls,
    get pendingReplies() {
      return queue.length;
    },

    async generateObject<TSchema extends z.ZodType>(request: ObjectGenerationRequest<TSchema>) {
      const call = record('object', request, { schemaName: request.schemaName });
      try {
        throwIfAborted(request.signal);
        const keys = [request.schemaName, request.purpose];
        const handler =
          objectHandlers.get(request.schemaName) ??
          (request.purpose === undefined ? undefined : objectHandlers.get(request.purpose));
        const queued =
          takeQueued('object', keys, true) ??
          (handler ? undefined : takeQueued('object', keys, false));
        await wait(queued?.delayMs ?? script.delayMs ?? 0, request.signal);
        if (queued?.kind === 'failure') throw queued.error;
        let value: unknown;
        let usage: TokenUsage | undefined;
        if (queued?.kind === 'object') {
          value = queued.object;
          usage = queued.usage;
        } else if (handler) {
          value = await handler(request as ObjectGenerationRequest<z.ZodType>);
        } else {
          throw unscripted('object', request.purpose, request.schemaName);
        }
        throwIfAborted(request.signal);
        const parsed = request.schema.safeParse(value);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((issue) => ({
            path: issue.path.map(String).join('.') || '(root)',
            code: issue.code,
            message: issue.message,
          }));
          throw new ParleyError(
            'model_failed',
            `Scripted object for schema ${request.schemaName} does not match it: ${issues
              .map((issue) => `${issue.path}: ${issue.message}`)
              .join('; ')}`,
            {
              reason: 'malformed_output',
              retryable: true,
              details: { schemaName: request.schemaName, problem: 'schema_mismatch', issues },
            },
          );
        }
        call.usage = usage ?? {
          promptTokens: call.estimatedPromptTokens,
          completionTokens: estimateTokens(JSON.stringify(value) ?? ''),
        };
        return { object: parsed.data as z.output<TSchema>, usage: call.usage };
      } catch (error) {
        call.error = asParleyError(error);
        throw call.error;
      }
    },

    async *streamText(request: TextStreamRequest): AsyncGenerator<TextStreamPart> {
      const call = record('text', request, {
        toolNames: request.tools?.map((tool) => tool.name) ?? [],
      });
      try {
        throwIfAborted(request.signal);
        const keys = [request.purpose];
        const handler =
          request.purpose === undefined ? undefined : textHandlers.get(request.purpose);
        const queued =
          takeQueued('text', keys, true) ?? (handler ? undefined : takeQueued('text', keys, false));
        await wait(queued?.delayMs ?? script.delayMs ?? 0, request.signal);
        if (queued?.kind === 'failure') throw queued.error;
        let reply: ScriptedTextReply;
        if (queued?.kind === 'text') reply = queued.reply;
        else if (handler) {
          const answer = await handler(request);
          reply = typeof answer === 'string' ? { text: answer } : answer;
        } else throw unscripted('text', request.purpose);

        const text = reply.text ?? '';
        for (const piece of splitText(text, script.chunkSize)) {
          throwIfAborted(request.signal);
          yield { type: 'text-delta', text: piece };
        }
        const toolCalls: ModelToolCall[] = (reply.toolCalls ?? []).map((toolCall) => {
          toolCallCount += 1;
          return {
            id: toolCall.id ?? `call_${toolCallCount}`,
            name: toolCall.name,
            arguments:
              typeof toolCall.arguments === 'string'
                ? toolCall.arguments
                : JSON.stringify(toolCall.arguments),
          };
        });
        for (const toolCall of toolCalls) {
          throwIfAborted(request.signal);
          yield { type: 'tool-call', call: toolCall };
        }
        throwIfAborted(request.signal);
        call.usage = reply.usage ?? {
          promptTokens: call.estimatedPromptTokens,
          completionTokens: estimateTokens(text + JSON.stringify(toolCalls)),
        };
        yield {
          type: 'finish',
          finishReason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
          usage: call.usage,
        };
      } catch (error) {
        call.error = asParleyError(error);
        throw call.error;
      }
    },

    enqueueObject(object, options = {}) {
      queue.push({
        kind: 'object',
        object,
        usage: options.usage,
        for: options.for,
        delayMs: options.delayMs,
      });
    },
    enqueueText(text, options = {}) {
      const { for: key, delayMs, usage, finishReason } = options;
      queue.push({ kind: 'text', reply: { text, usage, finishReason }, for: key, delayMs });
    },
    enqueueToolCalls(toolCalls, options = {}) {
      const { for: key, delayMs, usage, text } = options;
      queue.push({ kind: 'text', reply: { text, toolCalls, usage }, for: key, delayMs });
    },
    enqueueFailure(error, options = {}) {
      queue.push({
        kind: 'failure',
        error,
        callKind: options.kind,
        for: options.for,
        delayMs: undefined,
      });
    },
    onObject(key, handler) {
      objectHandlers.set(key, handler);
    },
    onText(key, handler) {
      textHandlers.set(key, handler);
    },
  };
}

/** About 4 characters per token: the usual rule of thumb for English with GPT tokenizers. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Words with their surrounding spaces (so the deltas join back into the text), or fixed-size pieces. */
function splitText(text: string, chunkSize: number | undefined): string[] {
  if (chunkSize === undefined) return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += chunkSize) {
    pieces.push(text.slice(start, start + chunkSize));
  }
  return pieces;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

function cancelled(): ParleyError {
  return new ParleyError('cancelled', 'The model call was cancelled');
}

/** Scripted failures may be plain errors; callers of a ChatModel only ever see ParleyErrors. */
function asParleyError(error: unknown): ParleyError {
  if (ParleyError.isInstance(error)) return error;
  return new ParleyError('model_failed', error instanceof Error ? error.message : String(error), {
    reason: 'unknown',
    cause: error,
  });
}
