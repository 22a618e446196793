import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README's "Use the packages from another project" holds: `scripts/try-packed-packages.mjs`
 * packs the built packages, installs the tarballs with npm into a scratch project outside the
 * workspace, and runs a plain Node server there that answers `/v1/health` and one
 * conversation turn over HTTP. It needs `dist` (CI's `pnpm test` builds before vitest runs)
 * and the npm registry for the packages' own dependencies.
 */

const repositoryRoot = path.resolve(import.meta.dirname, '../../../..');
const script = path.join(repositoryRoot, 'scripts/try-packed-packages.mjs');
const packageFolders = ['packages/core', 'packages/http', 'packages/widget'];

describe('the packed packages, installed with npm in another project', () => {
  it('pack, install and serve a conversation as built files only', async () => {
    const unbuilt = packageFolders.filter(
      (folder) => !existsSync(path.join(repositoryRoot, folder, 'dist', 'index.js')),
    );
    expect(unbuilt, `no dist in ${unbuilt.join(', ')}: run \`pnpm build\` first`).toEqual([]);

    const { code, output } = await new Promise<{ code: number | null; output: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          [script],
          { cwd: repositoryRoot, timeout: 280_000, maxBuffer: 16 * 1024 * 1024 },
          (error, stdout, stderr) =>
            resolve({
              code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
              output: `${stdout}${stderr}`,
            }),
        );
      },
    );
    expect(code, output).toBe(0);
    const lines = output.split('\n').map((line) => line.trim());
    for (const name of ['core', 'http', 'widget']) {
      expect(lines.some((line) => line.startsWith(`[try-packed] packed @parley/${name}@`))).toBe(
        true,
      );
    }
    for (const expected of [
      '[app] require() of @parley/core, @parley/core/pglite and @parley/http works',
      '[app] @parley/widget loads (createChatClient) and ships parley-widget.js',
      '[app] GET /v1/health -> 200',
      '[app] POST /v1/sessions -> 201',
      '[app] POST /v1/sessions/:id/events -> 201',
      '[app] turn status: ready',
      '[app] reply: Today we are open from 9:00 to 18:00.',
      '[try-packed] OK: the packed packages install and serve a conversation',
    ]) {
      expect(lines, output).toContain(expected);
    }
    // Its temporary folder is gone.
    const folder = /\[try-packed\] working in (\S+)/.exec(output)?.[1];
    expect(folder, output).toBeDefined();
    expect(existsSync(folder as string)).toBe(false);
  }, 300_000);
});
