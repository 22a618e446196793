import { readFile } from 'node:fs/promises';
import { parseCsv } from './parse-csv';

/** One customer message and the category (guideline) it belongs to. */
export interface LabelledRow {
  readonly text: string;
  readonly category: string;
}

/**
 * Reads a CSV with `text` and `category` columns (any order, other columns ignored). Rows
 * with an empty text or category are skipped: they say nothing to retrieve or to check.
 */
export async function readLabelledRows(file: string): Promise<LabelledRow[]> {
  const [header, ...records] = parseCsv(await readFile(file, 'utf8'));
  if (header === undefined) throw new Error(`${file} is empty`);
  const columns = header.map((name) => name.trim().toLowerCase());
  const textColumn = columns.indexOf('text');
  const categoryColumn = columns.indexOf('category');
  if (textColumn < 0 || categoryColumn < 0) {
    throw new Error(`${file} needs "text" and "category" columns, found: ${header.join(', ')}`);
  }
  const rows: LabelledRow[] = [];
  for (const record of records) {
    const text = record[textColumn]?.trim() ?? '';
    const category = record[categoryColumn]?.trim() ?? '';
    if (text !== '' && category !== '') rows.push({ text, category });
  }
  return rows;
}
