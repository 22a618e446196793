import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../retrieval/parse-csv';

/** A guideline of the synthetic agent, as the bench inserts it. */
export interface SyntheticGuideline {
  condition: string;
  action: string;
  examples: string[];
}

/** Banking77's rows grouped by category: realistic customer wording for the synthetic agent. */
export function loadBankingRows(dataFolder: string): Map<string, string[]> {
  const rows = parseCsv(readFileSync(path.join(dataFolder, 'train.csv'), 'utf8'));
  const byCategory = new Map<string, string[]>();
  for (const row of rows.slice(1)) {
    const [text, category] = row;
    if (!text || !category) continue;
    byCategory.set(category, [...(byCategory.get(category) ?? []), text]);
  }
  return byCategory;
}

/**
 * `count` guidelines in the shape of a real support agent: each category of Banking77 gives
 * guidelines about one topic, told apart by a variant (a product line), each with three example
 * messages. Deterministic for a given count.
 */
export function syntheticGuidelines(
  byCategory: Map<string, string[]>,
  count: number,
): SyntheticGuideline[] {
  const categories = [...byCategory.keys()].sort();
  const products = [
    '',
    ' for a business account',
    ' for a joint account',
    ' for a student account',
    ' for a savings account',
  ];
  const guidelines: SyntheticGuideline[] = [];
  for (let index = 0; index < count; index += 1) {
    const category = categories[index % categories.length] as string;
    const round = Math.floor(index / categories.length);
    const product = products[round % products.length] as string;
    const topic = category.replaceAll('_', ' ');
    const suffix = round >= products.length ? ` (case ${Math.floor(round / products.length)})` : '';
    const rows = byCategory.get(category) ?? [];
    guidelines.push({
      condition: `the customer asks about ${topic}${product}${suffix}`,
      action: `explain our policy on ${topic}${product}`,
      examples: [0, 1, 2].map((offset) => rows[(round * 3 + offset) % rows.length] ?? topic),
    });
  }
  return guidelines;
}
