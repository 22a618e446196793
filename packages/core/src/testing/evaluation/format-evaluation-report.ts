import type { EvaluationReport } from './run-evaluation';

/** Options of {@link formatEvaluationReport}. */
export interface FormatEvaluationReportOptions {
  /** Customer messages longer than this are cut in the table; default 40 characters. */
  customerWidth?: number;
}

/**
 * A plain-text table of one or more reports, for a terminal or a CI log: one line per failed
 * turn (suite, scenario, turn number from 1, run, what the customer wrote, then each failure:
 * what was expected and what happened) and per failed simulated conversation (turn `-`, the
 * customer's goal, each unmet success criterion with the judge's reason), then the totals of
 * each suite, with a `simulations` column (passed/total) when any suite has simulations.
 *
 * @example
 * const report = await runEvaluation(suite);
 * console.log(formatEvaluationReport(report));
 */
export function formatEvaluationReport(
  reports: EvaluationReport | readonly EvaluationReport[],
  options: FormatEvaluationReportOptions = {},
): string {
  const all: readonly EvaluationReport[] = Array.isArray(reports)
    ? reports
    : [reports as EvaluationReport];
  const customerWidth = options.customerWidth ?? 40;
  const lines: string[] = [];

  const failed = all.flatMap((report) =>
    report.turns
      .filter((turn) => !turn.passed)
      .map((turn) => [
        report.suite,
        turn.scenario,
        String(turn.index + 1),
        String(turn.run ?? 1),
        `"${cut(turn.customer, customerWidth)}"`,
        turn.failures.join('; '),
      ]),
  );
  failed.push(
    ...all.flatMap((report) =>
      report.simulations
        .filter((simulation) => !simulation.passed)
        .map((simulation) => [
          report.suite,
          simulation.scenario,
          '-',
          String(simulation.run),
          `goal: "${cut(simulation.goal, customerWidth)}"`,
          simulation.failures.join('; '),
        ]),
    ),
  );
  if (failed.length === 0) lines.push('No failed turns.');
  else {
    lines.push(
      ...table(['suite', 'scenario', 'turn', 'run', 'customer', 'failures'], failed, [2, 3]),
    );
  }

  lines.push('');
  const withSimulations = all.some((report) => report.totalSimulations > 0);
  lines.push(
    ...table(
      [
        'suite',
        'passed',
        'turns',
        ...(withSimulations ? ['simulations'] : []),
        'score',
        'runs',
        'passed in all runs',
      ],
      all.map((report) => [
        report.suite,
        String(report.passedTurns),
        String(report.totalTurns),
        ...(withSimulations ? [`${report.passedSimulations}/${report.totalSimulations}`] : []),
        percent(report.score),
        String(report.runs),
        report.passAllRuns === undefined ? '-' : percent(report.passAllRuns),
      ]),
      withSimulations ? [1, 2, 3, 4, 5] : [1, 2, 3, 4],
    ),
  );
  return lines.join('\n');
}

/**
 * Rows under a header, each column as wide as its widest cell, two spaces apart; the last
 * column is not padded (it holds the long text). Columns in `rightAligned` hold numbers.
 */
function table(header: string[], rows: string[][], rightAligned: number[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const render = (cells: string[]) =>
    cells
      .map((cell, column) => {
        if (column === cells.length - 1) return cell;
        const width = widths[column] ?? cell.length;
        return rightAligned.includes(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [
    render(header),
    render(
      widths.map((width, column) =>
        '-'.repeat(column === widths.length - 1 ? header[column]!.length : width),
      ),
    ),
    ...rows.map(render),
  ];
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** One line of at most `width` characters. */
function cut(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}
