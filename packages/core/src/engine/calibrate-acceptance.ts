import type { TextRetriever } from './text-retriever';

/** When the best guideline or journey is taken, without a model. */
export interface Acceptance {
  /** At or above this score the best is taken whatever the runner-up's score. */
  confident: number;
  /** Below this score nothing is taken. */
  minimum: number;
  /** Between the two, the best is taken only this far ahead of the runner-up. */
  margin: number;
}

/** Most examples scored to calibrate one agent (spread evenly over its guidelines). */
const maximumCalibrationExamples = 300;

/** Share of the messages meant for another intent that must score below `confident`. */
const confidentQuantile = 0.7;

/**
 * Calibrates acceptance on the agent's own examples: each example is a message meant for
 * its guideline, so its score against the *other* guidelines and journeys is what a message
 * meant for something else reaches. `confident` is the level 70 % of those stay below
 * (never under `minimum + margin`, nor above 0.9): above it, a message is rarely meant for
 * another intent, even with a close runner-up. An agent with no examples is confident at
 * twice the minimum.
 */
export async function calibrateAcceptance(
  intents: TextRetriever,
  guidelines: ReadonlyArray<{ id: string; examples: readonly string[] }>,
  settings: { minimum: number; margin: number },
): Promise<Acceptance> {
  const examples = spreadEvenly(
    guidelines.flatMap((guideline) =>
      guideline.examples.map((example, index) => ({ owner: guideline.id, example, index })),
    ),
    maximumCalibrationExamples,
  );
  const floor = settings.minimum + settings.margin;
  if (examples.length === 0) return { ...settings, confident: Math.min(0.9, settings.minimum * 2) };
  const impostorScores = await Promise.all(
    examples.map(async ({ owner, example }) => {
      const hits = await intents.search(example, 2, (itemId) => itemId !== owner);
      return hits[0]?.score ?? 0;
    }),
  );
  impostorScores.sort((left, right) => left - right);
  const position = Math.min(
    impostorScores.length - 1,
    Math.floor(confidentQuantile * impostorScores.length),
  );
  const confident = Math.min(0.9, Math.max(floor, impostorScores[position] ?? floor));
  return { ...settings, confident };
}

/** At most `limit` items, taken at even steps (by index within each owner first). */
function spreadEvenly<T extends { index: number }>(items: readonly T[], limit: number): T[] {
  if (items.length <= limit) return [...items];
  const ordered = [...items].sort((left, right) => left.index - right.index);
  return ordered.slice(0, limit);
}
