import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

/** Where the page loads the widget from. */
export const widgetScriptPath = '/parley-widget.js';

/** The command that builds the script, for messages. */
export const buildWidgetScriptCommand = 'pnpm --filter @parley/widget build:embed';

/** The `<script>` embed of `@parley/widget`, served by the quickstart. */
export interface WidgetScript {
  /** The file on disk (`packages/widget/dist/parley-widget.js` in this repository). */
  file: string;
  /** `found`, `built` at this start, or `missing` (it could not be built; the reason is in `problem`). */
  origin: 'found' | 'built' | 'missing';
  /** Why it is missing: the build's first line of error. */
  problem: string | null;
  /**
   * Answers a GET or HEAD of {@link widgetScriptPath}: the file as JavaScript (gzipped when
   * the browser accepts it), revalidated by ETag so a rebuilt widget shows on the next load.
   * Resolves with the status sent.
   */
  serve(request: IncomingMessage, response: ServerResponse): Promise<number>;
}

interface Loaded {
  version: string;
  etag: string;
  body: Buffer;
  gzipped: Buffer;
}

/** The package's folder, found through its `package.json` export. */
function widgetPackageDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@parley/widget/package.json'));
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * Finds the widget's built `<script>` embed, building it first when it is missing (a fresh
 * clone before `pnpm build`: about a second). When it cannot be built the server still starts
 * (`origin: 'missing'`, for the start banner to say how to build it) and answers 404 for the
 * script until the file exists.
 */
export async function prepareWidgetScript(): Promise<WidgetScript> {
  const packageDirectory = widgetPackageDirectory();
  const file = path.join(packageDirectory, 'dist', 'parley-widget.js');
  let origin: WidgetScript['origin'] = 'found';
  let problem: string | null = null;
  if (!(await exists(file))) {
    try {
      await promisify(execFile)('pnpm', ['run', '--silent', 'build:embed'], {
        cwd: packageDirectory,
        timeout: 120_000,
      });
    } catch (error) {
      const reason = (error as { stderr?: string }).stderr?.trim() || String(error);
      problem = reason.split('\n')[0] ?? reason;
    }
    origin = (await exists(file)) ? 'built' : 'missing';
  }

  let loaded: Loaded | null = null;
  async function load(): Promise<Loaded | null> {
    const stats = await stat(file).catch(() => null);
    if (!stats) return null;
    const version = `${stats.size}:${stats.mtimeMs}`;
    if (loaded?.version !== version) {
      const body = await readFile(file);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      loaded = { version, etag, body, gzipped: gzipSync(body, { level: 9 }) };
    }
    return loaded;
  }

  return {
    file,
    origin,
    problem,
    async serve(request, response) {
      const script = await load();
      if (!script) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`The chat widget is not built: run ${buildWidgetScriptCommand}\n`);
        return 404;
      }
      const headers: Record<string, string> = {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'no-cache',
        etag: script.etag,
        vary: 'accept-encoding',
        'x-content-type-options': 'nosniff',
      };
      if (request.headers['if-none-match'] === script.etag) {
        response.writeHead(304, headers);
        response.end();
        return 304;
      }
      const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
      const body = gzip ? script.gzipped : script.body;
      if (gzip) headers['content-encoding'] = 'gzip';
      headers['content-length'] = String(body.length);
      response.writeHead(200, headers);
      response.end(request.method === 'HEAD' ? undefined : body);
      return 200;
    },
  };
}
