import { type ChatModel, ParleyError } from '@parley/core';
import { createScriptedChatModel, type ScriptedChatModel } from '@parley/core/testing';

/** A reply held after some words, until the test lets it go on. */
export interface ReplyGate {
  /** Resolves once the reply has streamed its words up to the gate. */
  reached: Promise<void>;
  /** Lets the reply go on. */
  release(): void;
}

/**
 * The scripted model of `@parley/core/testing` (replies come from `script`), whose next reply
 * can be held mid-stream: how a test drops a connection or cancels in the middle of a reply,
 * at a known point and without sleeping. No guideline ever applies, so every reply is the
 * model's fluid text (purpose `reply`).
 */
export interface GatedChatModel extends ChatModel {
  readonly script: ScriptedChatModel;
  /** Holds the next reply after its `words`-th streamed piece. */
  holdNextReply(words: number): ReplyGate;
}

/** Creates a {@link GatedChatModel}. */
export function createGatedChatModel(): GatedChatModel {
  const script = createScriptedChatModel();
  script.onObject('guideline_judgement', () => ({
    guidelines: [],
    journey: { id: null, nextState: null },
    cannedResponse: null,
  }));
  let next: { words: number; onReached: () => void; released: Promise<void> } | null = null;
  return {
    id: 'gated',
    script,
    generateObject(request) {
      return script.generateObject(request);
    },
    async *streamText(request) {
      const gate = request.purpose === 'reply' ? next : null;
      if (gate) next = null;
      let words = 0;
      for await (const part of script.streamText(request)) {
        yield part;
        if (gate && part.type === 'text-delta' && ++words === gate.words) {
          gate.onReached();
          await new Promise<void>((resolve, reject) => {
            const onAbort = () =>
              reject(new ParleyError('cancelled', 'The model call was cancelled'));
            if (request.signal?.aborted) return onAbort();
            request.signal?.addEventListener('abort', onAbort, { once: true });
            void gate.released.then(() => {
              request.signal?.removeEventListener('abort', onAbort);
              resolve();
            });
          });
        }
      }
    },
    holdNextReply(words) {
      let onReached: () => void = () => undefined;
      let release: () => void = () => undefined;
      const reached = new Promise<void>((resolve) => {
        onReached = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      next = { words, onReached, released };
      return { reached, release };
    },
  };
}
