import type { z } from 'zod';
import { ParleyError } from '../errors/parley-error';
import type {
  ChatModel,
  ObjectGenerationRequest,
  ObjectGenerationResult,
  TextStreamPart,
  TextStreamRequest,
  TokenUsage,
} from '../ports/chat-model';

/** What a turn spent on the model: the figures its `ready` event and the benchmarks report. */
export interface ModelUsage {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** Model calls by purpose, in the order they were made. */
  purposes: string[];
}

/**
 * The turn's view of the model: every call counted, and a structured answer that does not
 * match its schema asked for once more before the stage fails (models slip on JSON now and
 * then; twice in a row means something is wrong).
 */
export interface TurnModel {
  readonly usage: ModelUsage;
  generateObject<TSchema extends z.ZodType>(
    request: ObjectGenerationRequest<TSchema>,
  ): Promise<ObjectGenerationResult<z.output<TSchema>>>;
  streamText(request: TextStreamRequest): AsyncIterable<TextStreamPart>;
}

/** Wraps a model for one turn. */
export function createTurnModel(model: ChatModel): TurnModel {
  const usage: ModelUsage = { calls: 0, promptTokens: 0, completionTokens: 0, purposes: [] };
  const count = (purpose: string | undefined, used: TokenUsage | undefined) => {
    usage.calls += 1;
    usage.purposes.push(purpose ?? 'unnamed');
    usage.promptTokens += used?.promptTokens ?? 0;
    usage.completionTokens += used?.completionTokens ?? 0;
  };
  return {
    usage,
    async generateObject(request) {
      for (let attempt = 0; ; attempt += 1) {
        try {
          const result = await model.generateObject(request);
          count(request.purpose, result.usage);
          return result;
        } catch (error) {
          count(request.purpose, undefined);
          const malformed = ParleyError.isInstance(error) && error.reason === 'malformed_output';
          if (!malformed || attempt >= 1) throw error;
        }
      }
    },
    async *streamText(request) {
      let finished = false;
      try {
        for await (const part of model.streamText(request)) {
          if (part.type === 'finish') {
            finished = true;
            count(request.purpose, part.usage);
          }
          yield part;
        }
      } finally {
        if (!finished) count(request.purpose, undefined);
      }
    },
  };
}
