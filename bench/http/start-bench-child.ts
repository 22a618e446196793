import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A process the bench started: what it said when ready, and a way to ask it questions. */
export interface BenchChild<TReady> {
  readonly pid: number;
  /** The message the child sent once it was ready to be measured. */
  readonly ready: TReady;
  /** Asks the child a question (see `answerParent`); rejects with the child's error. */
  ask<TAnswer>(question: string): Promise<TAnswer>;
  /** Asks the child to `close`, then waits for it to exit (killing it after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/** Options of {@link startBenchChild}. */
export interface BenchChildOptions {
  /** Extra Node flags, e.g. `--cpu-prof`. */
  nodeFlags?: readonly string[];
  /** How long the child may take to say it is ready; default 120 s. */
  readyTimeoutMs?: number;
}

const benchFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Forks `entry` (a TypeScript file run through tsx, workspace packages from their sources)
 * with `argument` as JSON in its argv, and resolves once it sends its `ready` message. The
 * children are separate processes so that what the clients do (thousands of fetches, SSE
 * parsing) never shows in a server's CPU time or memory.
 */
export async function startBenchChild<TReady extends { type: 'ready' }>(
  entry: URL,
  argument: unknown,
  options: BenchChildOptions = {},
): Promise<BenchChild<TReady>> {
  const child: ChildProcess = fork(fileURLToPath(entry), [JSON.stringify(argument)], {
    // tsx is resolved from the bench folder (the workspace root's node_modules).
    cwd: benchFolder,
    execArgv: [
      '--import',
      'tsx',
      '--conditions=@parley/source',
      '--expose-gc',
      ...(options.nodeFlags ?? []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  exited.then((code) => {
    for (const waiter of pending.values())
      waiter.reject(new Error(`${path.basename(entry.pathname)} exited (code ${code})`));
    pending.clear();
  });

  const ready = await new Promise<TReady>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${path.basename(entry.pathname)} was not ready in time`));
    }, options.readyTimeoutMs ?? 120_000);
    child.on(
      'message',
      (message: { type?: string; id?: number; answer?: unknown; error?: string }) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve(message as TReady);
          return;
        }
        const waiter = message.id === undefined ? undefined : pending.get(message.id);
        if (!waiter || message.id === undefined) return;
        pending.delete(message.id);
        if (message.error !== undefined) waiter.reject(new Error(message.error));
        else waiter.resolve(message.answer);
      },
    );
    exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(`${path.basename(entry.pathname)} exited (code ${code}) before it was ready`),
      );
    });
  });

  const ask = <TAnswer>(question: string) =>
    new Promise<TAnswer>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, question });
    });

  return {
    pid: child.pid as number,
    ready,
    ask,
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await ask('close').catch(() => undefined);
      await exited;
      clearTimeout(timer);
    },
  };
}
