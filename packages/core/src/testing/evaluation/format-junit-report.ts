import { formatTranscriptLines } from './judge-criterion';
import type { EvaluatedTurn, EvaluationReport } from './run-evaluation';
import type { EvaluatedSimulation } from './run-simulated-customer';

/** Options of {@link formatJUnitReport}. */
export interface FormatJUnitReportOptions {
  /** The `name` of the root `<testsuites>`; default `parley-evaluate`. */
  name?: string;
}

/**
 * One or more reports as JUnit XML, the format CI systems show as test results: one
 * `<testsuite>` per suite, one `<testcase>` per turn of a scenario (`<scenario> › turn <n>`)
 * and per simulated conversation (`<scenario> › simulated customer`), each with ` (run <k>)`
 * when the suite ran more than once. A failed case holds a `<failure>` whose `message` is
 * its failures joined by `; ` and whose text shows the conversation and each failure. All
 * text is XML-escaped, characters XML cannot hold dropped.
 *
 * @example
 * await writeFile('evaluation.xml', formatJUnitReport(await runEvaluation(suite)));
 */
export function formatJUnitReport(
  reports: EvaluationReport | readonly EvaluationReport[],
  options: FormatJUnitReportOptions = {},
): string {
  const all: readonly EvaluationReport[] = Array.isArray(reports)
    ? reports
    : [reports as EvaluationReport];
  // Counted from the cases written, so every total matches the file's own content.
  const suites = all.map((report) => ({
    report,
    cases: [
      ...report.turns.map((turn) => turnCase(report, turn)),
      ...report.simulations.map((simulation) => simulationCase(report, simulation)),
    ],
  }));
  const everyCase = suites.flatMap((suite) => suite.cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      name: options.name ?? 'parley-evaluate',
      tests: everyCase.length,
      failures: everyCase.filter((testCase) => testCase.failure !== null).length,
      errors: 0,
    })}>`,
  ];
  for (const { report, cases } of suites) {
    const failures = cases.filter((testCase) => testCase.failure !== null).length;
    lines.push(
      `  <testsuite${attributes({ name: report.suite, tests: cases.length, failures, errors: 0, skipped: 0 })}>`,
    );
    for (const testCase of cases) {
      const opening = `    <testcase${attributes({ classname: report.suite, name: testCase.name })}`;
      if (testCase.failure === null) {
        lines.push(`${opening} />`);
        continue;
      }
      lines.push(`${opening}>`);
      lines.push(
        `      <failure${attributes({ message: testCase.failure.message, type: 'evaluation' })}>${escapeXml(testCase.failure.text)}</failure>`,
      );
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

interface TestCase {
  name: string;
  failure: { message: string; text: string } | null;
}

function runSuffix(report: EvaluationReport, run: number | undefined): string {
  return report.runs > 1 ? ` (run ${run ?? 1})` : '';
}

function turnCase(report: EvaluationReport, turn: EvaluatedTurn): TestCase {
  const name = `${turn.scenario} › turn ${turn.index + 1}${runSuffix(report, turn.run)}`;
  if (turn.passed) return { name, failure: null };
  const text = [
    `Customer: ${turn.customer}`,
    `Reply: ${turn.reply || '(none)'}`,
    '',
    ...turn.failures.map((failure) => `- ${failure}`),
  ].join('\n');
  return { name, failure: { message: turn.failures.join('; '), text } };
}

function simulationCase(report: EvaluationReport, simulation: EvaluatedSimulation): TestCase {
  const name = `${simulation.scenario} › simulated customer${runSuffix(report, simulation.run)}`;
  if (simulation.passed) return { name, failure: null };
  const text = [
    `Goal: ${simulation.goal}`,
    `Ended: ${simulation.ended}`,
    '',
    formatTranscriptLines(simulation.transcript),
    '',
    ...simulation.failures.map((failure) => `- ${failure}`),
  ].join('\n');
  return { name, failure: { message: simulation.failures.join('; '), text } };
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => {
      // A line break in an attribute would be read back as a space: keep it as a reference.
      const escaped = escapeXml(String(value)).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');
      return ` ${name}="${escaped}"`;
    })
    .join('');
}

/**
 * Text safe in XML content and attribute values: the five special characters as entities, and
 * the characters XML 1.0 forbids (most control characters, lone surrogates) dropped.
 */
export function escapeXml(text: string): string {
  return text
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '',
    )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
