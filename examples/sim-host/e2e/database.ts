import postgres from 'postgres';

/**
 * The database of one end-to-end run, named in `SIM_HOST_E2E_DATABASE` (the config draws the
 * name), on the server that `SIM_HOST_E2E_ADMIN_URL` reaches.
 */
export function harnessDatabase(): { name: string; url: string } {
  const name = process.env.SIM_HOST_E2E_DATABASE;
  if (!name || !/^sim_host_e2e_[a-z0-9_]+$/.test(name)) {
    throw new Error(`SIM_HOST_E2E_DATABASE is not a run database's name: ${name}`);
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** The server the run databases are made on, through one of its existing databases. */
function adminUrl(): string {
  const url = process.env.SIM_HOST_E2E_ADMIN_URL;
  if (!url) throw new Error('SIM_HOST_E2E_ADMIN_URL is not set (the Playwright config sets it).');
  return url;
}

/** One connection to the admin database, for `create database` and `drop database`. */
export function openAdminConnection(): postgres.Sql {
  return postgres(adminUrl(), { max: 1, onnotice: () => {} });
}

/** Drops a run's database, closing whatever connections the server still holds to it. */
export async function dropDatabase(name: string): Promise<void> {
  const admin = openAdminConnection();
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}
