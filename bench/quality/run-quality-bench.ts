// The no-LLM mode's quality on agents nobody tuned the engine to: the labelled suites of
// packages/core/test/evaluation, each turn scored by the evaluation kit. Prints the failed
// turns and the totals, in two configurations (words alone, and words fused with meaning
// through the Universal Sentence Encoder), and writes bench/results/quality.json.
// `--only lexical` or `--only semantic` runs one of them.
import { formatEvaluationReport, runEvaluation } from '@parley/core/testing';
import { createUniversalSentenceEncoderEmbedder } from '@parley/core/universal-sentence-encoder';
import { brightsmileFallbackReply } from '../../packages/core/test/evaluation/agents/brightsmile-dental';
import { citylineFallbackReply } from '../../packages/core/test/evaluation/agents/cityline-bikes';
import { greenwayFallbackReply } from '../../packages/core/test/evaluation/agents/greenway-energy';
import { harbourFallbackReply } from '../../packages/core/test/evaluation/agents/harbour-libraries';
import { northwindFallbackReply } from '../../packages/core/test/evaluation/agents/northwind-broadband';
import { riversideFallbackReply } from '../../packages/core/test/evaluation/agents/riverside-waste';
import { brightsmileDentalSuite } from '../../packages/core/test/evaluation/brightsmile-dental.suite';
import { citylineBikesSuite } from '../../packages/core/test/evaluation/cityline-bikes.suite';
import { greenwayEnergySuite } from '../../packages/core/test/evaluation/greenway-energy.suite';
import { harbourLibrariesSuite } from '../../packages/core/test/evaluation/harbour-libraries.suite';
import { northwindBroadbandSuite } from '../../packages/core/test/evaluation/northwind-broadband.suite';
import { riversideWasteSuite } from '../../packages/core/test/evaluation/riverside-waste.suite';
import { writeBenchResults } from '../shared/write-bench-results';

const startedAt = performance.now();
const suites = [
  { suite: brightsmileDentalSuite, fallbackReply: brightsmileFallbackReply },
  { suite: northwindBroadbandSuite, fallbackReply: northwindFallbackReply },
  { suite: citylineBikesSuite, fallbackReply: citylineFallbackReply },
  { suite: riversideWasteSuite, fallbackReply: riversideFallbackReply },
  { suite: harbourLibrariesSuite, fallbackReply: harbourFallbackReply },
  { suite: greenwayEnergySuite, fallbackReply: greenwayFallbackReply },
];
const only = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]
  : undefined;
const semanticEmbedder = createUniversalSentenceEncoderEmbedder();
const configurations = [
  { name: 'lexical', engine: {} },
  { name: 'semantic', engine: { semanticEmbedder } },
].filter((configuration) => !only || configuration.name === only);

const results = [];
for (const configuration of configurations) {
  const reports = [];
  for (const { suite, fallbackReply } of suites) {
    reports.push(
      await runEvaluation(suite, { engine: { fallbackReply, ...configuration.engine } }),
    );
  }
  console.log(`\n## ${configuration.name}\n`);
  console.log(formatEvaluationReport(reports));
  results.push({
    configuration: configuration.name,
    suites: reports.map((report) => ({
      suite: report.suite,
      passedTurns: report.passedTurns,
      totalTurns: report.totalTurns,
      score: Math.round(report.score * 1000) / 1000,
      failed: report.turns
        .filter((turn) => !turn.passed)
        .map((turn) => ({
          scenario: turn.scenario,
          turn: turn.index + 1,
          failures: turn.failures,
        })),
    })),
  });
}
await writeBenchResults(
  { name: 'quality', startedAt },
  { mode: 'no model (strict canned)', configurations: results },
);
