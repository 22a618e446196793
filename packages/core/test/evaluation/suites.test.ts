import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { AgentDefinition } from '../../src/definition/define-agent';
import { brightsmileDentalSuite } from './brightsmile-dental.suite';
import { citylineBikesSuite } from './cityline-bikes.suite';
import type { EvaluationSuite } from './evaluation-suite-types';
import { greenwayEnergySuite } from './greenway-energy.suite';
import { harbourLibrariesSuite } from './harbour-libraries.suite';
import { northwindBroadbandSuite } from './northwind-broadband.suite';
import { riversideWasteSuite } from './riverside-waste.suite';

// Structure only: the suites name what their agents have, and hold enough labelled turns. How
// the engine does on them is the evaluation runner's business, not this test's.

const suites: EvaluationSuite[] = [
  brightsmileDentalSuite,
  northwindBroadbandSuite,
  citylineBikesSuite,
  riversideWasteSuite,
  harbourLibrariesSuite,
  greenwayEnergySuite,
];

/** Every labelled turn of a suite with a readable place, for failure messages. */
function turnsOf(suite: EvaluationSuite) {
  return suite.scenarios.flatMap((scenario) =>
    scenario.turns.map((turn, index) => ({
      ...turn,
      place: `${scenario.name} #${index + 1} ("${turn.customer}")`,
    })),
  );
}

/** The roots a template's `{{fields}}` may start with: variables and tools. */
function fieldRoots(agent: AgentDefinition): Set<string> {
  return new Set([
    ...agent.variables.map((variable) => variable.name),
    ...agent.tools.map((tool) => tool.name),
  ]);
}

describe.each(suites)('the $name suite', (suite) => {
  const { agent } = suite;
  const turns = turnsOf(suite);

  it('has 15 to 25 scenarios with unique names, and at least 50 customer turns', () => {
    expect(suite.scenarios.length).toBeGreaterThanOrEqual(15);
    expect(suite.scenarios.length).toBeLessThanOrEqual(25);
    const names = suite.scenarios.map((scenario) => scenario.name);
    expect(new Set(names).size).toBe(names.length);
    expect(turns.length).toBeGreaterThanOrEqual(50);
  });

  it('expects only canned responses the agent has, never one together with the fallback', () => {
    const templates = new Set(agent.cannedResponses.map((response) => response.template));
    for (const turn of turns) {
      const { cannedResponse, fallback } = turn.expect;
      if (typeof cannedResponse === 'string') {
        expect(templates.has(cannedResponse), turn.place).toBe(true);
        expect(fallback, turn.place).not.toBe(true);
      }
    }
  });

  it('names only tools the agent has, with arguments their parameters accept', () => {
    const tools = new Map(agent.tools.map((tool) => [tool.name, tool]));
    for (const turn of turns) {
      for (const expected of turn.expect.tools ?? []) {
        const tool = tools.get(expected.name);
        expect(tool, `${turn.place}: tool ${expected.name}`).toBeDefined();
        const shape = (tool?.parameters.shape ?? {}) as Record<string, z.ZodType>;
        for (const [name, value] of Object.entries(expected.arguments ?? {})) {
          const parameter = shape[name];
          expect(parameter, `${turn.place}: ${expected.name}.${name}`).toBeDefined();
          const parsed = parameter?.safeParse(value);
          expect(parsed?.success, `${turn.place}: ${expected.name}.${name} = ${value}`).toBe(true);
        }
      }
    }
  });

  it('names only journeys, states and guidelines the agent has, and no end state', () => {
    const guidelineKeys = new Set(agent.guidelines.map((guideline) => guideline.key));
    for (const turn of turns) {
      const { journey, guidelines } = turn.expect;
      if (journey) {
        const definition = agent.journeys.find((candidate) => candidate.key === journey.journey);
        expect(definition, `${turn.place}: journey ${journey.journey}`).toBeDefined();
        const state = definition?.states.find((candidate) => candidate.key === journey.state);
        expect(state, `${turn.place}: state ${journey.state}`).toBeDefined();
        expect(state?.kind, `${turn.place}: an end state counts as no journey`).not.toBe('end');
      }
      for (const key of guidelines ?? []) {
        expect(guidelineKeys.has(key), `${turn.place}: guideline ${key}`).toBe(true);
      }
    }
  });

  it('never repeats a guideline example word for word', () => {
    const normalize = (text: string) =>
      text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim();
    const examples = new Set(
      agent.guidelines.flatMap((guideline) => guideline.examples.map(normalize)),
    );
    const repeats = turns.filter((turn) => examples.has(normalize(turn.customer)));
    expect(repeats.map((turn) => turn.place)).toEqual([]);
  });

  it("fills its templates only from the agent's variables and tools", () => {
    const roots = fieldRoots(agent);
    for (const { template } of agent.cannedResponses) {
      for (const [, path] of template.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g)) {
        expect(roots.has(path?.split('.')[0] ?? ''), `${path} in "${template}"`).toBe(true);
      }
    }
  });
});
