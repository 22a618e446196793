import { z } from 'zod';
import {
  type AgentDefinition,
  type AgentDefinitionInput,
  agentDefinitionSchema,
  defineAgent,
  isAgentDefinition,
} from '../../definition/define-agent';
import { type CustomerInput, customerInputSchema } from '../../domain/customer';
import { maximumMessageLength } from '../../domain/event';
import { validationError } from '../../errors/parley-error';
import type { ToolDefinition } from '../../tools/tool';

/** An agent and the conversations it is evaluated on: what {@link runEvaluation} runs. */
export interface EvaluationSuite {
  name: string;
  /** The agent under test, from `defineAgent`; its tools are registered with the runner's engine. */
  agent: AgentDefinition;
  /** Conversations with fixed customer turns, each turn checked; may be empty when `simulations` is not. */
  scenarios: EvaluationScenario[];
  /**
   * Conversations a model writes the customer's side of, toward a goal, checked at the end
   * against success criteria. Names are unique across `scenarios` and `simulations`.
   */
  simulations?: SimulatedCustomerScenario[];
}

/** One conversation: a fresh session, its customer's messages in order, each turn checked. */
export interface EvaluationScenario {
  /** Unique in its suite: the report names turns by it. */
  name: string;
  /**
   * The instant the session's conversation happens at (the engine's clock), ISO; default a
   * fixed 2026-06-15T09:00:00Z.
   */
  at?: string;
  /**
   * The customer the session belongs to, created for it (templates may use `{{customer.name}}`);
   * default an anonymous session.
   */
  customer?: CustomerInput;
  turns: EvaluationTurn[];
}

/** One customer message and what the agent's turn must have done in reply. */
export interface EvaluationTurn {
  /** What the customer writes. */
  customer: string;
  expect: TurnExpectation;
}

/** Every field is optional; only the fields given are checked. */
export interface TurnExpectation {
  /** The template (exact text) of the canned response sent, or null when the reply must be no canned response. */
  cannedResponse?: string | null;
  /** true: the turn must end with the fallback reply; false: it must not. */
  fallback?: boolean;
  /**
   * Tools that ran this turn, in order, by name, each with the arguments that must be among the
   * call's arguments (deep equality per given key); [] = no tool ran.
   */
  tools?: Array<{ name: string; arguments?: Record<string, unknown> }>;
  /**
   * The journey (its definition key) and state key the session is in after the turn; null = in
   * no journey. An `end` state counts as no journey.
   */
  journey?: { journey: string; state: string } | null;
  /** Keys of the guidelines (definition keys) that must be among those applied. */
  guidelines?: string[];
  /** Substrings the reply text must contain (case-insensitive). */
  replyIncludes?: string[];
  /**
   * Free-form criteria the reply must meet, e.g. "apologises and offers a refund": the judge
   * model (`judgeModel` of `runEvaluation`) reads the conversation so far, the reply and the
   * criteria, and answers pass or fail with a reason. A suite with a `judge` and no judge
   * model is refused before it runs.
   */
  judge?: { criteria: string };
}

/**
 * A conversation whose customer is a model (`customerModel` of `runEvaluation`) playing a
 * person with a goal: it writes each customer message from the transcript, until it says it
 * is done or `maxTurns` messages were sent; then the judge model checks each success
 * criterion against the whole transcript.
 */
export interface SimulatedCustomerScenario {
  /** Unique in its suite (across `scenarios` too): the report names the conversation by it. */
  name: string;
  /** As {@link EvaluationScenario.at}. */
  at?: string;
  /** As {@link EvaluationScenario.customer}: the customer record the session belongs to. */
  customer?: CustomerInput;
  simulatedCustomer: SimulatedCustomer;
}

/** Who the simulated customer is, what they want, and how to tell that they got it. */
export interface SimulatedCustomer {
  /** What the customer wants from the conversation, e.g. "book a table for four tonight". */
  goal: string;
  /** How they write and behave, e.g. "terse, a little impatient"; default a polite customer. */
  persona?: string;
  /** Statements about the transcript that must all hold, each judged on its own. */
  successCriteria: string[];
  /** The most customer messages sent before the conversation is stopped (1 to 50). */
  maxTurns: number;
}

/** The fixed instant a scenario without `at` happens at. */
export const defaultScenarioInstant = '2026-06-15T09:00:00Z';

const nameSchema = z.string().trim().min(1).max(200);

/** A {@link TurnExpectation}; unknown fields are refused, so a misspelt check is not ignored. */
export const turnExpectationSchema = z.strictObject({
  cannedResponse: z.string().min(1).nullable().optional(),
  fallback: z.boolean().optional(),
  tools: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        arguments: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  journey: z
    .strictObject({ journey: z.string().min(1), state: z.string().min(1) })
    .nullable()
    .optional(),
  guidelines: z.array(z.string().min(1)).optional(),
  replyIncludes: z.array(z.string().min(1)).optional(),
  judge: z.strictObject({ criteria: z.string().trim().min(1).max(4000) }).optional(),
});

/** An {@link EvaluationTurn}. */
export const evaluationTurnSchema = z.strictObject({
  customer: z.string().trim().min(1).max(maximumMessageLength),
  expect: turnExpectationSchema,
});

/** An {@link EvaluationScenario}, checked on its own (without the agent its expectations name). */
export const evaluationScenarioSchema = z.strictObject({
  name: nameSchema,
  at: z.iso.datetime({ offset: true }).optional(),
  customer: customerInputSchema.optional(),
  turns: z.array(evaluationTurnSchema).min(1).max(1000),
});

/** A {@link SimulatedCustomerScenario}. */
export const simulatedCustomerScenarioSchema = z.strictObject({
  name: nameSchema,
  at: z.iso.datetime({ offset: true }).optional(),
  customer: customerInputSchema.optional(),
  simulatedCustomer: z.strictObject({
    goal: z.string().trim().min(1).max(4000),
    persona: z.string().trim().min(1).max(4000).optional(),
    successCriteria: z.array(z.string().trim().min(1).max(4000)).min(1).max(50),
    maxTurns: z.number().int().min(1).max(50),
  }),
});

/**
 * The suite's agent: a definition made by `defineAgent`, taken as it is, or its input, checked
 * by `defineAgent`'s own schema (issues keep their paths, under `agent`).
 */
const suiteAgentSchema = z.unknown().transform((value, context): AgentDefinition => {
  if (isAgentDefinition(value)) return value;
  const parsed = agentDefinitionSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
    return z.NEVER;
  }
  return defineAgent(parsed.data as AgentDefinitionInput);
});

/**
 * An {@link EvaluationSuite}, checked in full: the shape of every scenario and expectation, then
 * that each expectation names something the agent has (guideline and journey keys, state keys,
 * tool names and their arguments, canned response templates). Issues name their path, e.g.
 * `scenarios.0.turns.1.expect.journey.state: journey "book_table" has no state "ask_day"`.
 * Parse a suite written as JSON with {@link parseEvaluationSuite}.
 */
export const evaluationSuiteSchema: z.ZodType<EvaluationSuite> = z
  .strictObject({
    name: nameSchema,
    agent: suiteAgentSchema,
    scenarios: z.array(evaluationScenarioSchema).max(1000),
    simulations: z.array(simulatedCustomerScenarioSchema).max(1000).optional(),
  })
  .superRefine(checkExpectations);

function checkExpectations(suite: EvaluationSuite, context: z.RefinementCtx): void {
  const fail = (path: Array<string | number>, message: string) =>
    context.addIssue({ code: 'custom', path, message });
  const { agent } = suite;
  const guidelineKeys = new Set(agent.guidelines.map((guideline) => guideline.key));
  const templates = new Set(agent.cannedResponses.map((response) => response.template));
  const toolsByName = new Map(agent.tools.map((tool) => [tool.name, tool]));
  const journeysByKey = new Map(agent.journeys.map((journey) => [journey.key, journey]));
  const quoteAll = (names: Iterable<string>) => {
    const quoted = [...names].map((name) => `"${name}"`);
    return quoted.length === 0 ? 'none' : quoted.join(', ');
  };

  if (suite.scenarios.length === 0 && (suite.simulations ?? []).length === 0) {
    fail(['scenarios'], 'a suite needs at least one scenario or simulation');
  }
  // Names are unique across both lists: the report and the JUnit file name conversations by them.
  const firstByName = new Map<string, string>();
  const checkName = (name: string, path: string) => {
    const first = firstByName.get(name);
    if (first === undefined) firstByName.set(name, path);
    else
      fail(
        [...path.split('.').map(asPathPart), 'name'],
        `duplicate scenario name "${name}" (also ${first})`,
      );
  };
  suite.scenarios.forEach((scenario, scenarioIndex) => {
    checkName(scenario.name, `scenarios.${scenarioIndex}`);

    scenario.turns.forEach((turn, turnIndex) => {
      const at = (...path: Array<string | number>) => [
        'scenarios',
        scenarioIndex,
        'turns',
        turnIndex,
        'expect',
        ...path,
      ];
      const { expect } = turn;
      if (typeof expect.cannedResponse === 'string' && !templates.has(expect.cannedResponse)) {
        fail(
          at('cannedResponse'),
          `the agent has no canned response with this template: "${expect.cannedResponse}"`,
        );
      }
      if (expect.fallback === true && typeof expect.cannedResponse === 'string') {
        fail(at('fallback'), 'a turn that sends a canned response does not send the fallback');
      }
      expect.tools?.forEach((expected, toolIndex) => {
        const tool = toolsByName.get(expected.name);
        if (!tool) {
          fail(
            at('tools', toolIndex, 'name'),
            `unknown tool "${expected.name}" (the agent's tools: ${quoteAll(toolsByName.keys())})`,
          );
          return;
        }
        const parameters = Object.keys(tool.parameters.shape);
        for (const name of Object.keys(expected.arguments ?? {})) {
          if (!parameters.includes(name)) {
            fail(
              at('tools', toolIndex, 'arguments', name),
              `tool "${tool.name}" has no parameter "${name}" (its parameters: ${quoteAll(parameters)})`,
            );
          }
        }
      });
      if (expect.journey) {
        const journey = journeysByKey.get(expect.journey.journey);
        const state = journey?.states.find((candidate) => candidate.key === expect.journey?.state);
        if (!journey) {
          fail(
            at('journey', 'journey'),
            `unknown journey key "${expect.journey.journey}" (the agent's journeys: ${quoteAll(journeysByKey.keys())})`,
          );
        } else if (!state) {
          fail(
            at('journey', 'state'),
            `journey "${journey.key}" has no state "${expect.journey.state}" (its states: ${quoteAll(journey.states.map((candidate) => candidate.key))})`,
          );
        } else if (state.kind === 'end') {
          fail(
            at('journey', 'state'),
            `"${state.key}" is an end state: a finished journey is no journey, so expect null`,
          );
        }
      }
      expect.guidelines?.forEach((key, guidelineIndex) => {
        if (!guidelineKeys.has(key)) {
          fail(at('guidelines', guidelineIndex), `unknown guideline key "${key}"`);
        }
      });
    });
  });
  suite.simulations?.forEach((simulation, simulationIndex) => {
    checkName(simulation.name, `simulations.${simulationIndex}`);
  });
}

/** `scenarios.3` as the path parts `['scenarios', 3]`. */
function asPathPart(part: string): string | number {
  return /^\d+$/.test(part) ? Number(part) : part;
}

/** Options of {@link parseEvaluationSuite}. */
export interface ParseEvaluationSuiteOptions {
  /** The agent, when the suite leaves it out (scenarios in JSON, the agent in code). */
  agent?: AgentDefinition;
  /** Tools to add to an agent written as data (JSON cannot hold a tool's handler). */
  tools?: readonly ToolDefinition[];
}

/**
 * Checks a suite, typically read from a JSON file, and returns it ready for `runEvaluation`.
 * Throws a `validation_failed` ParleyError whose message and `details.issues` name each
 * offending path (`scenarios.0.turns.2.expect.guidelines.0: unknown guideline key "greet"`).
 *
 * @example
 * const suite = parseEvaluationSuite(JSON.parse(await readFile('support.eval.json', 'utf8')), {
 *   agent: support,
 * });
 */
export function parseEvaluationSuite(
  input: unknown,
  options: ParseEvaluationSuiteOptions = {},
): EvaluationSuite {
  let candidate = input;
  if (typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate)) {
    const record = candidate as Record<string, unknown>;
    let agent = record.agent ?? options.agent;
    if (
      options.tools?.length &&
      typeof agent === 'object' &&
      agent !== null &&
      !isAgentDefinition(agent)
    ) {
      const written = agent as { tools?: unknown };
      const tools = Array.isArray(written.tools) ? written.tools : [];
      agent = { ...agent, tools: [...tools, ...options.tools] };
    }
    candidate = { ...record, agent };
  }
  const parsed = evaluationSuiteSchema.safeParse(candidate);
  if (!parsed.success) throw validationError('evaluation suite', parsed.error);
  return parsed.data;
}
