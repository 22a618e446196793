import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Reads a JSON file, or `null` when there is none. */
export async function readJsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Writes a JSON file only its owner can read (mode 0600), atomically: written aside, then
 * renamed over the old one, so a crash never leaves half a secret. With `exclusive`, an
 * existing file is kept and `false` returned (another process wrote it first).
 */
export async function writePrivateJsonFile(
  file: string,
  value: unknown,
  options: { exclusive?: boolean } = {},
): Promise<boolean> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (options.exclusive) {
    try {
      await writeFile(file, text, { mode: 0o600, flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }
  const aside = `${file}.${randomUUID()}.tmp`;
  await writeFile(aside, text, { mode: 0o600 });
  await rename(aside, file);
  return true;
}
