/** Words too common in steps' actions and parameters' descriptions to tell one from another. */
const commonWords = new Set(
  'the and for with you your they their them that this which what when from into ask asks tell say give its are was has have our all any one like would should could please about'.split(
    ' ',
  ),
);

/** A text's telling words: camelCase split, lower case, three letters or more, no common word. */
function tellingWords(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 2 && !commonWords.has(word));
}

/**
 * A parameter's choices as the customer may write them: its enum values (`family_suite` as
 * "family suite") and their `extract.synonyms`; empty for a parameter without an enum.
 */
export function choicePhrases(property: Record<string, unknown>): string[] {
  if (!Array.isArray(property.enum)) return [];
  const synonyms =
    (property.extract as { synonyms?: Record<string, unknown> } | undefined)?.synonyms ?? {};
  return [
    ...property.enum.map((value) => String(value).replace(/_/g, ' ')),
    ...Object.values(synonyms).flatMap((phrases) =>
      Array.isArray(phrases) ? phrases.map(String) : [],
    ),
  ];
}

/** A parameter's choices, as words. */
function choiceWords(property: Record<string, unknown>): string[] {
  return choicePhrases(property).flatMap(tellingWords);
}

function propertyOf(schema: unknown, name: string): Record<string, unknown> {
  const properties = ((schema as { properties?: Record<string, Record<string, unknown>> })
    .properties ?? {}) as Record<string, Record<string, unknown>>;
  return properties[name] ?? {};
}

/** The words a parameter is known by: its name, its description, its values and their synonyms. */
function parameterWords(schema: unknown, name: string): string[] {
  const property = propertyOf(schema, name);
  const texts = [name];
  if (typeof property.description === 'string') texts.push(property.description);
  return [...texts.flatMap(tellingWords), ...choiceWords(property)];
}

/**
 * Whether a step's action asks for one of the missing parameters: it uses a word that names
 * one of them (name, description, values) and names none of the parameters already given.
 * "Ask which pass they want: day, week or month" does not ask for the start date, though
 * "day" is in its description, because "day" is also one of the pass's values. A missing
 * parameter's own choices always name it: "as a book, an audiobook or a DVD?" asks for the
 * format, though the title's description says "the title of the book, audiobook or DVD".
 */
export function asksForMissing(
  action: string,
  schema: unknown,
  missing: readonly string[],
  given: readonly string[],
): boolean {
  const givenWords = new Set(given.flatMap((name) => parameterWords(schema, name)));
  const wanted = new Set([
    ...missing
      .flatMap((name) => parameterWords(schema, name))
      .filter((word) => !givenWords.has(word)),
    ...missing.flatMap((name) => choiceWords(propertyOf(schema, name))),
  ]);
  return tellingWords(action).some((word) => wanted.has(word));
}
