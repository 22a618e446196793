// The no-LLM mode's quality on agents nobody tuned the engine to: the labelled suites of
// packages/core/test/evaluation, each turn scored by the evaluation kit. Prints the failed
// turns and the totals, and writes bench/results/quality.json.
import { formatEvaluationReport, runEvaluation } from '@parley/core/testing';
import { brightsmileFallbackReply } from '../../packages/core/test/evaluation/agents/brightsmile-dental';
import { northwindFallbackReply } from '../../packages/core/test/evaluation/agents/northwind-broadband';
import { brightsmileDentalSuite } from '../../packages/core/test/evaluation/brightsmile-dental.suite';
import { northwindBroadbandSuite } from '../../packages/core/test/evaluation/northwind-broadband.suite';
import { writeBenchResults } from '../shared/write-bench-results';

const startedAt = performance.now();
const suites = [
  { suite: brightsmileDentalSuite, fallbackReply: brightsmileFallbackReply },
  { suite: northwindBroadbandSuite, fallbackReply: northwindFallbackReply },
];
const reports = [];
for (const { suite, fallbackReply } of suites) {
  reports.push(await runEvaluation(suite, { engine: { fallbackReply } }));
}
console.log(formatEvaluationReport(reports));
await writeBenchResults(
  { name: 'quality', startedAt },
  {
    mode: 'no model (strict canned)',
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
  },
);
