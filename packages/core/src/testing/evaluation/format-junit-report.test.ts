import { describe, expect, it } from 'vitest';
import { escapeXml, formatJUnitReport } from './format-junit-report';
import type { EvaluationReport } from './run-evaluation';

const report: EvaluationReport = {
  suite: 'Bistro & "Friends"',
  turns: [
    {
      scenario: 'hours',
      index: 0,
      customer: 'when?',
      reply: 'Noon.',
      passed: true,
      failures: [],
      run: 1,
    },
    {
      scenario: 'hours',
      index: 1,
      customer: 'a <joke>?',
      reply: 'Sorry\u0007.',
      passed: false,
      failures: ['fallback: expected no fallback', 'judge: "funny" not met: it\'s not'],
      run: 1,
    },
  ],
  passedTurns: 1,
  totalTurns: 2,
  simulations: [
    {
      scenario: 'visit',
      goal: 'know the hours',
      transcript: [
        { speaker: 'customer', text: 'open?' },
        { speaker: 'agent', text: 'Noon.' },
      ],
      ended: 'done',
      criteria: [{ criterion: 'offers a discount', passed: false, reason: 'none' }],
      passed: false,
      failures: ['criterion: "offers a discount" not met: none'],
      run: 1,
      sessionId: 's1',
    },
  ],
  passedSimulations: 0,
  totalSimulations: 1,
  score: 1 / 3,
  runs: 1,
};

describe('formatJUnitReport', () => {
  it('writes one testsuite per suite and one testcase per turn and simulation, failures escaped', () => {
    const xml = formatJUnitReport([
      report,
      { ...report, suite: 'Second', simulations: [], totalSimulations: 0 },
    ]);
    const lines = xml.split('\n');
    expect(lines[0]).toBe('<?xml version="1.0" encoding="UTF-8"?>');
    expect(lines[1]).toBe('<testsuites name="parley-evaluate" tests="5" failures="3" errors="0">');
    expect(lines[2]).toBe(
      '  <testsuite name="Bistro &amp; &quot;Friends&quot;" tests="3" failures="2" errors="0" skipped="0">',
    );
    expect(lines[3]).toBe(
      '    <testcase classname="Bistro &amp; &quot;Friends&quot;" name="hours › turn 1" />',
    );
    expect(lines[4]).toBe(
      '    <testcase classname="Bistro &amp; &quot;Friends&quot;" name="hours › turn 2">',
    );
    expect(lines[5]).toBe(
      '      <failure message="fallback: expected no fallback; judge: &quot;funny&quot; not met: it&apos;s not" type="evaluation">Customer: a &lt;joke&gt;?',
    );
    // The bell character is not allowed in XML: dropped.
    expect(lines[6]).toBe('Reply: Sorry.');
    expect(xml).toContain(
      '- judge: &quot;funny&quot; not met: it&apos;s not</failure>\n    </testcase>',
    );
    expect(xml).toContain(
      '<testcase classname="Bistro &amp; &quot;Friends&quot;" name="visit › simulated customer">',
    );
    expect(xml).toContain(
      'Goal: know the hours\nEnded: done\n\nCustomer: open?\nAgent: Noon.\n\n- criterion: &quot;offers a discount&quot; not met: none</failure>',
    );
    expect(xml).toContain(
      '<testsuite name="Second" tests="2" failures="1" errors="0" skipped="0">',
    );
    expect(xml.endsWith('</testsuites>\n')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect(xml.match(/<failure /g)).toHaveLength(3);
  });

  it('names each run when the suite ran more than once, and keeps line breaks in attributes', () => {
    const twice: EvaluationReport = {
      ...report,
      runs: 2,
      turns: [
        { ...(report.turns[1] as EvaluationReport['turns'][number]), run: 2, failures: ['a\nb'] },
      ],
      simulations: [],
      totalSimulations: 0,
    };
    const xml = formatJUnitReport(twice, { name: 'nightly' });
    expect(xml).toContain('<testsuites name="nightly" tests="1"');
    expect(xml).toContain('name="hours › turn 2 (run 2)"');
    expect(xml).toContain('<failure message="a&#10;b"');
  });
});

describe('escapeXml', () => {
  it('escapes the five special characters and drops what XML 1.0 cannot hold', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
    expect(escapeXml('tab\there\u0000\u001b[31m\ud800 ok 😀\n')).toBe('tab\there[31m ok 😀\n');
  });
});
