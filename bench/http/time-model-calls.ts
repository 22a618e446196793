import type { ChatModel } from '@parley/core';
import { type LatencySummary, summarizeLatencies } from '../shared/percentiles';

/** How long the engine waited on its model, by call, as the engine sees it. */
export interface ModelCallTimes {
  /** Whole structured calls (the guideline judgement). */
  structured: LatencySummary;
  /** From a streamed call's start to its first part (the reply's first token). */
  streamFirstPart: LatencySummary;
  /** Whole streamed calls. */
  streamWhole: LatencySummary;
}

/** A model that times every call of the one it wraps; see {@link ModelCallTimes}. */
export interface TimedChatModel extends ChatModel {
  /** The times since the last call of `takeTimes`, then forgets them. */
  takeTimes(): ModelCallTimes;
}

/**
 * Wraps a model to time its calls, so the bench can tell the model's share of a turn (the
 * `openai` client, the HTTP round trip and the fake server) from Parley's own.
 */
export function timeModelCalls(model: ChatModel): TimedChatModel {
  let structured: number[] = [];
  let streamFirstPart: number[] = [];
  let streamWhole: number[] = [];
  return {
    id: model.id,
    async generateObject(request) {
      const started = performance.now();
      const result = await model.generateObject(request);
      structured.push(performance.now() - started);
      return result;
    },
    async *streamText(request) {
      const started = performance.now();
      let first = true;
      for await (const part of model.streamText(request)) {
        if (first) {
          streamFirstPart.push(performance.now() - started);
          first = false;
        }
        yield part;
      }
      streamWhole.push(performance.now() - started);
    },
    takeTimes() {
      const times = {
        structured: summarizeLatencies(structured),
        streamFirstPart: summarizeLatencies(streamFirstPart),
        streamWhole: summarizeLatencies(streamWhole),
      };
      structured = [];
      streamFirstPart = [];
      streamWhole = [];
      return times;
    },
  };
}
