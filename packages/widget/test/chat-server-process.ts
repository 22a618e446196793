import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { AgentDefinitionInput } from '@parley/core';

/**
 * A {@link ChatServer} in a child Node process, for tests that run in jsdom: there the handler's
 * token signing fails (jsdom's globals are another realm than Node's crypto expects), so the
 * server must live outside. Serves one agent; `close()` ends the process.
 */
export interface ChatServerProcess {
  /** The handler's base URL. */
  endpoint: string;
  /** The agent's publishable key. */
  agentKey: string;
  close(): Promise<void>;
}

const tsx = path.join(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
const main = path.join(import.meta.dirname, 'chat-server-process-main.ts');

/** Starts the server with `definition` (plain data: it travels as JSON) and waits until it listens. */
export async function startChatServerProcess(
  definition: AgentDefinitionInput,
): Promise<ChatServerProcess> {
  const child: ChildProcess = spawn(tsx, ['--conditions=@parley/source', main], {
    // The IPC channel closes when this process ends, however it ends: the child then exits too.
    stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
  });
  child.stdin?.end(JSON.stringify(definition));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = await new Promise<{ endpoint: string; agentKey: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the chat server process exited (${code})`)));
    lines.once('line', (line) => resolve(JSON.parse(line)));
  });
  return {
    ...ready,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
