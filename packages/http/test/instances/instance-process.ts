import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CallHandler } from '../handler-kit';
import type { InstanceEnvironment } from './instance-server';

const serverEntry = fileURLToPath(new URL('./instance-server.ts', import.meta.url));
/** tsx's loader, as `node --import tsx` finds it (the repository root's devDependency). */
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Every child started by this test file, killed when the worker exits whatever happens. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A Parley instance running in a child process. */
export interface InstanceProcess {
  /** The handler's base URL, e.g. `http://127.0.0.1:41234/api/parley`. */
  readonly baseUrl: string;
  readonly pid: number;
  /** What the instance wrote on stderr so far (its failures), for assertion messages. */
  readonly stderr: () => string;
  /** Calls the instance over real HTTP: path under the base path, JSON body, bearer token. */
  call: CallHandler;
  /** Sends `signal` and waits (at most `timeoutMs`) for the process to exit. */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

/**
 * Starts `instance-server.ts` in a new Node process (tsx, workspace packages from source) and
 * resolves once it listens. Fails with its stderr when it exits or stays silent for
 * `startTimeoutMs`.
 */
export async function startInstanceProcess(
  environment: InstanceEnvironment,
  startTimeoutMs = 60_000,
): Promise<InstanceProcess> {
  const child = spawn(
    process.execPath,
    ['--import', tsxLoader, '--conditions=@parley/source', serverEntry],
    // stdin stays open as a lifeline: the instance exits when this process goes away.
    { env: { ...process.env, ...environment }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The instance did not start within ${startTimeoutMs} ms:\n${stderr}`));
    }, startTimeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { port: number });
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(
        new Error(`The instance exited before it listened (code ${child.exitCode}):\n${stderr}`),
      );
    });
  });
  const baseUrl = `http://127.0.0.1:${port}${environment.PARLEY_BASE_PATH}`;
  return {
    baseUrl,
    pid: child.pid as number,
    stderr: () => stderr,
    call(method, path, options = {}) {
      const headers = new Headers(options.headers);
      if (options.token) headers.set('authorization', `Bearer ${options.token}`);
      if (options.body !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal ?? AbortSignal.timeout(30_000),
      });
    },
    async kill(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timeout = new Promise<'timeout'>((resolve) => {
        setTimeout(() => resolve('timeout'), timeoutMs).unref();
      });
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
