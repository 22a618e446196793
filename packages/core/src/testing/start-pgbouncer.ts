import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort } from './find-free-port';

/** A PgBouncer of the test's own, in transaction mode, in front of the test server. */
export interface PgBouncer {
  /** The port it listens on (127.0.0.1). */
  readonly port: number;
  /** The URL of `databaseUrl`'s database through the pooler (same user and database name). */
  pooledUrl(databaseUrl: string): string;
  /** The URL of PgBouncer's admin console (database `pgbouncer`, simple queries only). */
  readonly adminUrl: string;
  /** Stops it and removes its files. */
  stop(): Promise<void>;
}

/** Options of {@link startPgBouncer}. */
export interface PgBouncerOptions {
  /** The server PgBouncer forwards to, as a URL (its host, port and user are used). */
  serverUrl: string;
  /** Server connections per database and user; default 10 (fewer than clients, as in production). */
  poolSize?: number;
  /** The executable; default `PARLEY_PGBOUNCER_PATH` or `pgbouncer` on the PATH. */
  executable?: string;
}

/**
 * Starts Debian's `pgbouncer` (`apt-get install -y pgbouncer`) with a configuration of its own
 * on a free port: `pool_mode = transaction` (how Sim runs in production, and where session
 * advisory locks, `LISTEN` and named prepared statements stop working), trust authentication,
 * every database of the server. Run as root (CI), it drops to the `postgres` user, since
 * PgBouncer refuses to run as root. Fails with how to install it when it is missing.
 */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const executable = options.executable ?? process.env.PARLEY_PGBOUNCER_PATH ?? 'pgbouncer';
  if (spawnSync(executable, ['--version']).status !== 0) {
    throw new Error(
      `PgBouncer was not found (${executable}): install Debian's package with ` +
        '`apt-get install -y pgbouncer` (.ci/run does), or set PARLEY_PGBOUNCER_PATH',
    );
  }
  const server = new URL(options.serverUrl);
  const user = decodeURIComponent(server.username || 'postgres');
  const port = await findFreePort();
  const folder = mkdtempSync(path.join(tmpdir(), 'parley-pgbouncer-'));
  const asRoot = process.getuid?.() === 0;
  writeFileSync(path.join(folder, 'users.txt'), `"${user}" ""\n`);
  writeFileSync(
    path.join(folder, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || '5432'}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `admin_users = ${user}`,
      `auth_file = ${path.join(folder, 'users.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize ?? 10}`,
      'max_client_conn = 1000',
      // node-postgres and postgres-js send nothing else PgBouncer 1.18 would refuse.
      'ignore_startup_parameters = extra_float_digits',
      `logfile = ${path.join(folder, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  );
  if (asRoot) {
    const owner = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    const uid = Number(owner.stdout.trim());
    const gid = Number(group.stdout.trim());
    if (!Number.isInteger(uid) || owner.status !== 0) {
      throw new Error(
        'PgBouncer refuses to run as root, and there is no `postgres` user to run as',
      );
    }
    chmodSync(folder, 0o755);
    chownSync(folder, uid, gid);
  }
  const child: ChildProcess = spawn(
    executable,
    [...(asRoot ? ['-u', 'postgres'] : []), path.join(folder, 'pgbouncer.ini')],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const stop = async () => {
    if (!exited) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(folder, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`PgBouncer did not start: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const adminUrl = new URL(options.serverUrl);
  adminUrl.hostname = '127.0.0.1';
  adminUrl.port = String(port);
  adminUrl.pathname = '/pgbouncer';
  return {
    port,
    adminUrl: adminUrl.toString(),
    pooledUrl(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    stop,
  };
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}
