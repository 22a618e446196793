/**
 * The Playwright web server: the host as it is deployed, on a database of its own.
 *
 * 1. creates the database `SIM_HOST_E2E_DATABASE` on the server of `SIM_HOST_E2E_ADMIN_URL`,
 *    and starts Parley's fake OpenAI server (`startFakeOpenAIServer`), whose address is the
 *    `OPENAI_BASE_URL` of every step below: the seed embeds the help center's chunks and the
 *    host its customers' questions through it, with no API key and no network;
 * 2. `pnpm db:migrate` and `pnpm db:seed` on it, the commands of the README (Parley's tables are
 *    in the host's migrations; its SQL routines are applied by the store on the first request);
 * 3. `pnpm build` (`next build`), timed;
 * 4. starts a stand-in for Sim's workflow API (`startTestWorkflowServer`) running the seeded
 *    workflow "Refund request triage", whose address and key are the `SIM_WORKFLOWS_URL` and
 *    `SIM_WORKFLOWS_API_KEY` of the host (`lib/workflows.ts`);
 * 5. `pnpm start` (`next start`) twice on free ports of 127.0.0.1, with a
 *    `PARLEY_CUSTOMER_TOKEN_SECRET` made for the run: the host as the README runs it, with no
 *    language model (strict canned mode), and the same build with `PARLEY_CHAT_MODEL=gpt-fake`,
 *    whose agents judge, call tools and write replies through the fake OpenAI server, scripted
 *    by the tests through its control server (`startFakeOpenAIControlServer`). Once both are
 *    ready it prints `Sim host listening on http://…, with a model on http://…, fake OpenAI
 *    control at http://…`, which the config waits for.
 *
 * The database is dropped by the global teardown (`e2e/global-teardown.ts`), or here when a
 * step before the start fails (the teardown does not run then).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import {
  findFreePort,
  startFakeOpenAIControlServer,
  startFakeOpenAIServer,
} from '@parley/core/testing';
import postgres from 'postgres';
import { startTestWorkflowServer } from '../lib/start-test-workflow-server';
import { dropDatabase, harnessDatabase, openAdminConnection } from './database';

const projectDir = path.resolve(import.meta.dirname, '..');
const { name, url } = harnessDatabase();
// Its embeddings are hashes of the text, the same for the same text and unrelated otherwise: the
// retriever's vector arm then ranks chunks at random, and the question's words (its full-text
// arm) decide which comes first. It lives as long as this process, which ends with `next start`.
const fakeOpenAI = await startFakeOpenAIServer();
const environment: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: url,
  OPENAI_BASE_URL: fakeOpenAI.baseURL,
  // Never a real key: the fake takes any, and nothing must reach OpenAI.
  OPENAI_API_KEY: '',
  NEXT_TELEMETRY_DISABLED: '1',
  // The route file refuses to start Parley without it; one per run, as a deployment has one.
  PARLEY_CUSTOMER_TOKEN_SECRET:
    process.env.PARLEY_CUSTOMER_TOKEN_SECRET || randomBytes(32).toString('hex'),
};

/**
 * Runs one pnpm script of the example, output passed through; throws when it fails. Not
 * `spawnSync`: this process must go on answering the seed's embedding requests meanwhile.
 */
async function run(script: string): Promise<void> {
  const started = Date.now();
  const child = spawn('pnpm', ['run', '--silent', script], {
    cwd: projectDir,
    env: environment,
    stdio: 'inherit',
  });
  const [status] = (await once(child, 'exit')) as [number | null];
  if (status !== 0) throw new Error(`pnpm ${script} failed (exit ${status}).`);
  console.log(`[sim-host] pnpm ${script}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const admin = openAdminConnection();
try {
  await admin.unsafe(`create database "${name}"`);
  console.log(`[sim-host] database ${name} created`);
} finally {
  await admin.end();
}

/**
 * Sim's workflow API for the seeded workflow: it routes a refund request to a queue by the
 * order's number, and the conversation shows where it went.
 */
async function startWorkflows(): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [triage] = await client<{ id: string }[]>`
      select id from workflow where name = 'Refund request triage'`;
    if (!triage) throw new Error('the seed wrote no "Refund request triage" workflow');
    const apiKey = `sim_${randomBytes(16).toString('hex')}`;
    const workflows = await startTestWorkflowServer({
      apiKey,
      workflows: {
        [triage.id]: (input) => ({ orderNumber: input.orderNumber ?? null, queue: 'billing' }),
      },
    });
    environment.SIM_WORKFLOWS_URL = workflows.url;
    environment.SIM_WORKFLOWS_API_KEY = apiKey;
  } finally {
    await client.end();
  }
}

let ports: [number, number];
try {
  await run('db:migrate');
  await run('db:seed');
  await run('build');
  await startWorkflows();
  ports = [await findFreePort(), await findFreePort()];
} catch (error) {
  await dropDatabase(name);
  throw error;
}

/**
 * `next start` of the build on `port`, with `extra` in its environment; resolves with its
 * address once Next is ready. Either server ending ends this process (and the run).
 */
function startHost(port: number, extra: Record<string, string>): Promise<string> {
  const server = spawn(
    'pnpm',
    ['run', '--silent', 'start', '--hostname', '127.0.0.1', '--port', `${port}`],
    { cwd: projectDir, env: { ...environment, ...extra }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  servers.push(server);
  server.on('exit', (code) => stop(code ?? 1));
  return new Promise((resolve) => {
    let ready = false;
    server.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (!ready && chunk.toString().includes('Ready')) {
        ready = true;
        resolve(`http://127.0.0.1:${port}`);
      }
    });
  });
}

const servers: ChildProcess[] = [];
function stop(code: number): void {
  for (const server of servers) server.kill();
  process.exit(code);
}
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));

// The model's replies are scripted by the tests through the control server.
const control = await startFakeOpenAIControlServer(fakeOpenAI);
const [address, modelAddress] = await Promise.all([
  startHost(ports[0], {}),
  startHost(ports[1], { PARLEY_CHAT_MODEL: 'gpt-fake' }),
]);
console.log(
  `Sim host listening on ${address}, with a model on ${modelAddress}, fake OpenAI control at ${control.url}`,
);
