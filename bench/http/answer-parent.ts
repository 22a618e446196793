/** Answers to the questions a bench parent may ask; `close` must end the process's work. */
export type ParentQuestions = Record<string, () => unknown | Promise<unknown>> & {
  close: () => Promise<void>;
};

/**
 * The child side of `startBenchChild`: sends `ready` (with what the parent needs to know),
 * then answers each question by its id, and exits once `close` has been answered.
 */
export function answerParent(ready: Record<string, unknown>, questions: ParentQuestions): void {
  if (!process.send) {
    throw new Error('This file runs as a child of the HTTP bench, with an IPC channel');
  }
  const send = (message: object) =>
    new Promise<void>((resolve) => process.send?.(message, undefined, {}, () => resolve()));
  process.on('message', (message: { id: number; question: string }) => {
    const answerOf = questions[message.question];
    Promise.resolve()
      .then(() => {
        if (!answerOf) throw new Error(`no answer to ${message.question}`);
        return answerOf();
      })
      .then(
        (answer) => send({ id: message.id, answer: answer ?? null }),
        (error: unknown) => send({ id: message.id, error: String(error) }),
      )
      .then(() => {
        if (message.question === 'close') process.disconnect();
      });
  });
  // The parent going away (Ctrl-C, a crash) must not leave this process running.
  process.once('disconnect', () => setTimeout(() => process.exit(0), 100).unref());
  void send({ type: 'ready', ...ready });
}

/** The process's memory once garbage is collected (run with `--expose-gc`). */
export function collectedMemoryUsage(): NodeJS.MemoryUsage {
  const collect = (globalThis as { gc?: () => void }).gc;
  // Twice: the first pass may leave garbage only a second one frees (weak references, finalizers).
  collect?.();
  collect?.();
  return process.memoryUsage();
}
