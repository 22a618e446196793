/** A `{{field}}` placeholder; group 1 is the field's dotted path. */
export const fieldPattern = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

/** A template filled in: its text, and the fields no value was found for. */
export interface RenderedTemplate {
  text: string;
  missingFields: string[];
}

/** Reads `a.b.c` from nested plain objects; `undefined` when any step is missing. */
export function readPath(values: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = values;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function format(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value);
}

/**
 * Fills `{{field}}` placeholders from `values` (variables, tool results, customer fields;
 * dotted paths reach into objects). A field without a value (missing or null) is listed in
 * `missingFields` and left as it was, so a caller in strict mode can refuse the template
 * rather than send a reply with a hole in it.
 */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, unknown>>,
): RenderedTemplate {
  const missing = new Set<string>();
  const text = template.replace(fieldPattern, (placeholder, field: string) => {
    const value = readPath(values, field);
    if (value === undefined || value === null) {
      missing.add(field);
      return placeholder;
    }
    return format(value);
  });
  return { text, missingFields: [...missing] };
}
