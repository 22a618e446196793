import { existsSync } from 'node:fs';

/**
 * The Chromium the story tests run in: Debian's (no browser download works on these machines),
 * or the one `PARLEY_CHROMIUM_PATH` names (CI sets it).
 */
export const chromiumPath: string = process.env.PARLEY_CHROMIUM_PATH || '/usr/bin/chromium';

/** Headless, sandbox-free (CI runs as root), and quiet: no update, sync or QUIC traffic. */
export const chromiumArgs: string[] = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Fails, saying how to install one, when there is no browser to run the stories in. */
export function requireChromium(): void {
  if (existsSync(chromiumPath)) return;
  throw new Error(
    `No Chromium at ${chromiumPath}: the Storybook tests run in a real browser. Install Debian's ` +
      'with `apt-get update && apt-get install -y chromium`, or set PARLEY_CHROMIUM_PATH to a ' +
      'Chromium or Chrome executable.',
  );
}
