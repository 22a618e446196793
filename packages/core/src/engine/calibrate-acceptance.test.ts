import { describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '../retrieval/offline-embedder';
import { calibrateAcceptance } from './calibrate-acceptance';
import { buildTextRetriever } from './text-retriever';

const settings = { minimum: 0.2, margin: 0.04 };

async function intentsOf(guidelines: Array<{ id: string; texts: string[] }>) {
  return buildTextRetriever(
    createOfflineEmbedder(),
    guidelines.map((guideline) => ({ ...guideline, revision: guideline.id })),
    new Map(),
  );
}

describe('calibrateAcceptance', () => {
  it('is confident above what messages meant for other guidelines reach', async () => {
    const guidelines = [
      { id: 'hours', texts: ['when are you open', 'opening hours', 'are you open on sunday'] },
      { id: 'parking', texts: ['where can I park', 'is there parking', 'car park nearby'] },
      { id: 'prices', texts: ['how much is it', 'what are your prices', 'price of a lesson'] },
    ];
    const intents = await intentsOf(guidelines);
    const acceptance = await calibrateAcceptance(
      intents,
      guidelines.map((guideline) => ({ id: guideline.id, examples: guideline.texts })),
      settings,
    );
    expect(acceptance.minimum).toBe(0.2);
    expect(acceptance.margin).toBe(0.04);
    // Nothing shares words across these guidelines: the floor, minimum plus margin, holds.
    expect(acceptance.confident).toBeCloseTo(0.24);
  });

  it('rises when the guidelines share words, so a close runner-up needs a margin', async () => {
    const guidelines = [
      { id: 'book', texts: ['book a lesson for tomorrow', 'can I book a lesson'] },
      { id: 'cancel', texts: ['cancel my lesson for tomorrow', 'can I cancel a lesson'] },
      { id: 'move', texts: ['move my lesson to tomorrow', 'can I move a lesson'] },
    ];
    const acceptance = await calibrateAcceptance(
      await intentsOf(guidelines),
      guidelines.map((guideline) => ({ id: guideline.id, examples: guideline.texts })),
      settings,
    );
    expect(acceptance.confident).toBeGreaterThan(0.3);
    expect(acceptance.confident).toBeLessThanOrEqual(0.9);
  });

  it('is confident at twice the minimum for an agent without examples', async () => {
    const acceptance = await calibrateAcceptance(await intentsOf([]), [], settings);
    expect(acceptance.confident).toBeCloseTo(0.4);
  });
});
