import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '@parley/core/testing';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of a test's own, on a free port of 127.0.0.1 with trust
 * authentication, that the test may crash and restart without disturbing anyone else.
 */
export interface PrivatePostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  /** Kills the server without a clean shutdown (`pg_ctl stop -m immediate`): a crash. */
  crash(): Promise<void>;
  /** Starts the server again, on the same port and data directory. */
  start(): Promise<void>;
  /** Stops the server and deletes its files. */
  destroy(): Promise<void>;
}

/**
 * Where the PostgreSQL server binaries are: `PARLEY_POSTGRES_BIN`, else the newest of
 * Debian's `/usr/lib/postgresql/<version>/bin`, else `pg_config --bindir`.
 */
async function findBinaries(): Promise<string> {
  const candidates: string[] = [];
  if (process.env.PARLEY_POSTGRES_BIN) candidates.push(process.env.PARLEY_POSTGRES_BIN);
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((name) => /^\d+$/.test(name))
      .sort((left, right) => Number(right) - Number(left));
    for (const version of versions) candidates.push(`/usr/lib/postgresql/${version}/bin`);
  }
  try {
    candidates.push((await run('pg_config', ['--bindir'])).stdout.trim());
  } catch {
    // No pg_config on the PATH: the other candidates decide.
  }
  const found = candidates.find((directory) => existsSync(join(directory, 'initdb')));
  if (!found) {
    throw new Error(
      'The PostgreSQL server binaries (initdb, pg_ctl) were not found: install PostgreSQL ' +
        '(apt-get install postgresql) or set PARLEY_POSTGRES_BIN to their directory. ' +
        `Looked in: ${candidates.join(', ') || 'nothing'}`,
    );
  }
  return found;
}

/**
 * Creates and starts a private cluster (`initdb` into a temporary directory, `pg_ctl start`).
 * `initdb` refuses to run as root, so as root every command runs as the `postgres` user
 * (`runuser`), which owns the directory. Fails with a message that says what went wrong.
 */
export async function startPrivatePostgresCluster(): Promise<PrivatePostgresCluster> {
  const binaries = await findBinaries();
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    try {
      const [uid, gid] = await Promise.all([
        run('id', ['-u', 'postgres']),
        run('id', ['-g', 'postgres']),
      ]);
      owner = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    } catch (error) {
      throw new Error(
        `Running as root, the private PostgreSQL cluster needs a "postgres" user to run initdb: ${String(error)}`,
      );
    }
  }
  const directory = await mkdtemp(join(tmpdir(), 'parley-postgres-'));
  if (owner) await chown(directory, owner.uid, owner.gid);
  const dataDirectory = join(directory, 'data');
  const logFile = join(directory, 'server.log');
  const port = await findFreePort();

  /** Runs one of the PostgreSQL binaries, as `postgres` when we are root. */
  const postgresCommand = async (binary: string, args: string[]) => {
    const command = join(binaries, binary);
    try {
      return asRoot
        ? await run('runuser', ['-u', 'postgres', '--', command, ...args], { timeout: 60_000 })
        : await run(command, args, { timeout: 60_000 });
    } catch (error) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      const { stderr = '', stdout = '' } = error as { stderr?: string; stdout?: string };
      throw new Error(
        `${binary} ${args.join(' ')} failed: ${String(error)}\n${stdout}${stderr}${log ? `\nserver log:\n${log}` : ''}`,
      );
    }
  };
  const start = async () => {
    await postgresCommand('pg_ctl', [
      '--pgdata',
      dataDirectory,
      '--log',
      logFile,
      '--wait',
      '--timeout',
      '60',
      '--options',
      `-p ${port} -c listen_addresses=127.0.0.1 -k ${directory} -c fsync=off`,
      'start',
    ]);
  };
  const stop = (mode: 'immediate' | 'fast') =>
    postgresCommand('pg_ctl', ['--pgdata', dataDirectory, '--mode', mode, '--wait', 'stop']);

  try {
    await postgresCommand('initdb', [
      '--pgdata',
      dataDirectory,
      '--username',
      'postgres',
      '--auth',
      'trust',
      '--encoding',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ]);
    await start();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async crash() {
      await stop('immediate');
    },
    start,
    async destroy() {
      await stop('immediate').catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
