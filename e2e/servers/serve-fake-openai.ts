/**
 * @module The fake OpenAI server of the end-to-end tests, as a process of its own (a Playwright
 * `webServer`): `startFakeOpenAIServer` from `@parley/core/testing` for the second quickstart's
 * `OPENAI_BASE_URL`, plus its control server (`startFakeOpenAIControlServer`: enqueue a reply,
 * fail the next request, list the requests) through which the tests, in their own worker
 * processes, script it.
 *
 * It prints one line naming both addresses (the Playwright config reads them into the
 * environment), and stops on SIGTERM or SIGINT.
 */
import { startFakeOpenAIControlServer, startFakeOpenAIServer } from '@parley/core/testing';

const fake = await startFakeOpenAIServer();
const control = await startFakeOpenAIControlServer(fake);

process.stdout.write(`Fake OpenAI server at ${fake.baseURL}, control at ${control.url}\n`);

async function stop(): Promise<void> {
  await Promise.all([fake.close(), control.close()]);
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
