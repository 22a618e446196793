import { dropDatabase, harnessDatabase } from './database';

/** After the run: drops its database (the server may still be connected: `with (force)`). */
export default async function globalTeardown(): Promise<void> {
  const { name } = harnessDatabase();
  await dropDatabase(name);
  console.log(`[sim-host] database ${name} dropped`);
}
