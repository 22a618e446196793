import { describe, expect, it } from 'vitest';
import { runEvaluation } from '../../src/testing/evaluation/run-evaluation';
import { createUniversalSentenceEncoderEmbedder } from '../../src/universal-sentence-encoder/create-universal-sentence-encoder-embedder';
import { brightsmileFallbackReply } from './agents/brightsmile-dental';
import { citylineFallbackReply } from './agents/cityline-bikes';
import { greenwayFallbackReply } from './agents/greenway-energy';
import { harbourFallbackReply } from './agents/harbour-libraries';
import { northwindFallbackReply } from './agents/northwind-broadband';
import { riversideFallbackReply } from './agents/riverside-waste';
import { brightsmileDentalSuite } from './brightsmile-dental.suite';
import { citylineBikesSuite } from './cityline-bikes.suite';
import { greenwayEnergySuite } from './greenway-energy.suite';
import { harbourLibrariesSuite } from './harbour-libraries.suite';
import { northwindBroadbandSuite } from './northwind-broadband.suite';
import { riversideWasteSuite } from './riverside-waste.suite';

// The target as a floor: the no-LLM mode, words fused with meaning, must keep 90 % of the
// turns right on each of the first three evaluation agents (93.5 %, 93.3 % and 97.3 % on
// 2026-12-03, see docs/benchmarks.md); the fourth, fifth and sixth, written blind afterwards,
// must keep what they reach (82.1 %, 83.0 % and 70.6 %), the target still ahead of them. A change that makes it worse
// fails here; one that makes it better should raise the floor. `pnpm bench:quality` prints
// every failed turn.

const semanticEmbedder = createUniversalSentenceEncoderEmbedder();

describe('conversation quality without a model', () => {
  it.each([
    { suite: brightsmileDentalSuite, fallbackReply: brightsmileFallbackReply, floor: 0.9 },
    { suite: northwindBroadbandSuite, fallbackReply: northwindFallbackReply, floor: 0.9 },
    { suite: citylineBikesSuite, fallbackReply: citylineFallbackReply, floor: 0.9 },
    // Written blind after the others reached 90 %: below the target, kept from falling.
    { suite: riversideWasteSuite, fallbackReply: riversideFallbackReply, floor: 0.82 },
    // Written blind after that: 42.6 % at its first run (free-text titles, journeys lost to
    // a guideline of the same words), 81.9 % since; kept from falling.
    { suite: harbourLibrariesSuite, fallbackReply: harbourFallbackReply, floor: 0.81 },
    // Written blind after the changes the fifth prompted: 57.8 % at its first run (values
    // said before their step, "no" as a correction, past dates), 70.6 % since.
    { suite: greenwayEnergySuite, fallbackReply: greenwayFallbackReply, floor: 0.7 },
  ])(
    'keeps $suite.name at or above its floor',
    { timeout: 120_000 },
    async ({ suite, fallbackReply, floor }) => {
      const report = await runEvaluation(suite, { engine: { fallbackReply, semanticEmbedder } });
      expect(report.totalTurns).toBeGreaterThanOrEqual(50);
      expect(report.score).toBeGreaterThanOrEqual(floor);
    },
  );
});
