import type { ToolCall } from '../../domain/event';
import { isSameJson } from '../../domain/is-same-json';
import { readAllPages } from '../../domain/read-all-pages';
import { createEngine, type EngineOptions, type WorkspaceEngine } from '../../engine/create-engine';
import { ParleyError } from '../../errors/parley-error';
import type { ChatModel } from '../../ports/chat-model';
import type { Store } from '../../ports/store';
import { createTestClock, type TestClock } from '../test-clock';
import { driveTurn, type ObservedTurn } from './drive-turn';
import {
  defaultScenarioInstant,
  type EvaluationScenario,
  type EvaluationSuite,
  parseEvaluationSuite,
  type SimulatedCustomerScenario,
  type TurnExpectation,
} from './evaluation-scenario';
import { type Judgement, judgeCriterion, type TranscriptLine } from './judge-criterion';
import {
  describeError,
  type EvaluatedSimulation,
  runSimulatedCustomer,
} from './run-simulated-customer';

/** One customer turn of a scenario, as it went in one run. */
export interface EvaluatedTurn {
  scenario: string;
  /** The turn's position in its scenario, from 0. */
  index: number;
  customer: string;
  /** The agent's reply text; empty when the turn sent none. */
  reply: string;
  passed: boolean;
  /** One readable sentence per unmet expectation, each starting with the field it checks. */
  failures: string[];
  /** Which run of the suite (1 to `runs`). */
  run?: number;
  /** The session the scenario ran in, to read its events in the store. */
  sessionId?: string;
  /** The judge's verdict, for a turn with a `judge` expectation that the judge answered. */
  judgement?: Judgement;
}

/** How an agent did on a suite. */
export interface EvaluationReport {
  suite: string;
  /** Every turn of every run, in the order they ran. */
  turns: EvaluatedTurn[];
  passedTurns: number;
  totalTurns: number;
  /** Every simulated-customer conversation of every run, in the order they ran. */
  simulations: EvaluatedSimulation[];
  passedSimulations: number;
  totalSimulations: number;
  /**
   * The share of checks that passed, a check being a turn or a simulated conversation:
   * (passedTurns + passedSimulations) / (totalTurns + totalSimulations).
   */
  score: number;
  /**
   * With repeat k > 1: the share of checks (turns and simulated conversations) that passed in
   * all k runs (pass^k, as τ-bench measures consistency).
   */
  passAllRuns?: number;
  runs: number;
}

/** Options of {@link runEvaluation}. */
export interface RunEvaluationOptions {
  /** null (default): the no-LLM mode; or any ChatModel port (the scripted model, the OpenAI adapter). */
  model?: ChatModel | null;
  /** How many times to run the whole suite (pass^k); default 1. */
  repeat?: number;
  /**
   * An open store to use (the runner leaves it open, and the conversations in it); default a
   * fresh in-memory PGlite store, created and closed by the runner.
   */
  store?: Store;
  /**
   * Extra engine options (`fallbackReply`, `matching`, more `tools`…). The store and model are
   * the options' own above; the clock is always the runner's, set to each scenario's `at`.
   */
  engine?: Partial<EngineOptions>;
  /**
   * The model that judges `judge` expectations and the success criteria of simulations, through
   * the same port the engine uses; may be the engine's own model. Required by a suite that has
   * either: without it, the suite is refused before anything runs.
   */
  judgeModel?: ChatModel;
  /** The model that plays the customer of `simulations`; required by a suite that has any. */
  customerModel?: ChatModel;
}

/**
 * Runs every scenario of the suite against a real engine and scores each turn. Per run: the
 * agent is synced into a fresh workspace; per scenario: a fresh session, the engine's clock
 * set to the scenario's `at`; per turn: the customer's message is posted, its turn awaited,
 * and the expectations compared with what the store recorded for that turn (the final status
 * event's explanation, the turn's `tool` events, the reply message). A turn that ends in
 * `error` (or is cancelled, or never runs) fails, each expectation saying so. A `judge`
 * expectation asks `judgeModel` about the reply; each of the suite's `simulations` then runs
 * with `customerModel` writing the customer's messages and `judgeModel` checking its success
 * criteria (see {@link EvaluatedSimulation}).
 *
 * Throws a `validation_failed` ParleyError for a suite whose expectations name what the agent
 * does not have (see `evaluationSuiteSchema`), or that needs a judge or customer model it was
 * not given, before anything runs.
 *
 * @example
 * const report = await runEvaluation(suite, { engine: { fallbackReply: 'Sorry?' } });
 * console.log(formatEvaluationReport(report));
 * expect(report.score).toBe(1);
 */
export async function runEvaluation(
  suite: EvaluationSuite,
  options: RunEvaluationOptions = {},
): Promise<EvaluationReport> {
  const checked = parseEvaluationSuite(suite);
  const runs = options.repeat ?? 1;
  if (!Number.isInteger(runs) || runs < 1) {
    throw new ParleyError('validation_failed', '`repeat` must be a positive integer', {
      details: { issues: [{ path: 'repeat', message: 'must be a positive integer' }] },
    });
  }
  const { judgeModel, customerModel } = options;
  const simulations = checked.simulations ?? [];
  const judged = checked.scenarios.find((scenario) =>
    scenario.turns.some((turn) => turn.expect.judge !== undefined),
  );
  if (!judgeModel && judged) {
    throw missingModelError('judgeModel', `has \`judge\` expectations (scenario "${judged.name}")`);
  }
  if (!judgeModel && simulations.length > 0) {
    throw missingModelError(
      'judgeModel',
      `has simulations, whose success criteria a judge checks (scenario "${simulations[0]?.name}")`,
    );
  }
  if (!customerModel && simulations.length > 0) {
    throw missingModelError(
      'customerModel',
      `has simulations, whose customer a model plays (scenario "${simulations[0]?.name}")`,
    );
  }
  const given = options.store ?? options.engine?.store;
  const store = given ?? (await openDefaultStore());
  const clock = createTestClock({ start: new Date(defaultScenarioInstant) });
  const engine = createEngine({
    ...options.engine,
    store,
    model: options.model !== undefined ? options.model : (options.engine?.model ?? null),
    clock,
    tools: [...(options.engine?.tools ?? []), ...checked.agent.tools],
  });
  try {
    const turns: EvaluatedTurn[] = [];
    const simulated: EvaluatedSimulation[] = [];
    for (let run = 1; run <= runs; run += 1) {
      // A workspace per run: every run starts from the agent as defined, nothing left over.
      const workspaceId = `evaluation-${globalThis.crypto.randomUUID()}`;
      const { agent } = await engine.sync(workspaceId, checked.agent);
      const workspace = engine.forWorkspace(workspaceId);
      const names = await readCatalogNames(workspace, agent.id);
      for (const scenario of checked.scenarios) {
        turns.push(
          ...(await runScenario({
            workspace,
            agentId: agent.id,
            names,
            clock,
            scenario,
            run,
            judgeModel,
          })),
        );
      }
      for (const scenario of simulations) {
        const session = await openSession(workspace, agent.id, clock, scenario);
        simulated.push(
          await runSimulatedCustomer({
            workspace,
            sessionId: session.id,
            scenario,
            // Both checked above, before anything ran.
            customerModel: customerModel as ChatModel,
            judgeModel: judgeModel as ChatModel,
            run,
          }),
        );
      }
    }
    return summarize(checked.name, turns, simulated, runs);
  } finally {
    await engine.close();
    if (!given) await store.close();
  }
}

function missingModelError(option: 'judgeModel' | 'customerModel', needs: string): ParleyError {
  return new ParleyError(
    'validation_failed',
    `The suite ${needs}, but runEvaluation was given no \`${option}\`: pass a ChatModel as \`${option}\` (parley-evaluate: --${option === 'judgeModel' ? 'judge' : 'customer'}-model, --mode openai, or the suite module's options)`,
    {
      reason: option === 'judgeModel' ? 'missing_judge_model' : 'missing_customer_model',
      details: { issues: [{ path: option, message: 'required by the suite' }] },
    },
  );
}

/** The store the runner opens itself: PGlite, loaded only when needed (an optional peer). */
async function openDefaultStore(): Promise<Store> {
  const { createPgliteStore } = await import('../../pglite/create-pglite-store');
  return createPgliteStore();
}

/** What the explanation's ids stand for in the definition: keys and templates. */
interface CatalogNames {
  guidelineKeys: Map<string, string>;
  journeys: Map<string, { key: string; endStates: Set<string> }>;
  templates: Map<string, string>;
}

async function readCatalogNames(workspace: WorkspaceEngine, agentId: string) {
  const [guidelines, journeys, cannedResponses] = await Promise.all([
    workspace.guidelines.listAll(agentId),
    readAllPages((page) => workspace.journeys.list({ ...page, agentId })),
    readAllPages((page) => workspace.cannedResponses.list({ ...page, agentId })),
  ]);
  const names: CatalogNames = {
    guidelineKeys: new Map(
      guidelines.map((guideline) => [guideline.id, guideline.key ?? guideline.id]),
    ),
    journeys: new Map(
      journeys.map((journey) => [
        journey.id,
        {
          key: journey.key ?? journey.title,
          endStates: new Set(
            journey.states.filter((state) => state.kind === 'end').map((state) => state.key),
          ),
        },
      ]),
    ),
    templates: new Map(cannedResponses.map((response) => [response.id, response.template])),
  };
  return names;
}

async function runScenario(input: {
  workspace: WorkspaceEngine;
  agentId: string;
  names: CatalogNames;
  clock: TestClock;
  scenario: EvaluationScenario;
  run: number;
  judgeModel: ChatModel | undefined;
}): Promise<EvaluatedTurn[]> {
  const { workspace, scenario, names } = input;
  const session = await openSession(workspace, input.agentId, input.clock, scenario);
  const evaluated: EvaluatedTurn[] = [];
  // The conversation so far, as the judge reads it.
  const transcript: TranscriptLine[] = [];
  for (const [index, turn] of scenario.turns.entries()) {
    const observed = await driveTurn(workspace, session.id, turn.customer);
    const failures = compareTurn(turn.expect, observed, names);
    transcript.push({ speaker: 'customer', text: turn.customer });
    if (observed.reply) transcript.push({ speaker: 'agent', text: observed.reply });
    let judgement: Judgement | undefined;
    // Without an explanation the turn broke down, and compareTurn already said so.
    if (turn.expect.judge && observed.explanation) {
      const { criteria } = turn.expect.judge;
      try {
        judgement = await judgeCriterion(input.judgeModel as ChatModel, {
          transcript,
          criterion: criteria,
          subject: 'reply',
        });
        if (!judgement.passed) {
          failures.push(`judge: "${shorten(criteria)}" not met: ${judgement.reason}`);
        }
      } catch (error) {
        failures.push(
          `judge: "${shorten(criteria)}" could not be judged: the judge model failed (${describeError(error)})`,
        );
      }
    }
    evaluated.push({
      scenario: scenario.name,
      index,
      customer: turn.customer,
      reply: observed.reply,
      passed: failures.length === 0,
      failures,
      run: input.run,
      sessionId: session.id,
      ...(judgement ? { judgement } : {}),
    });
  }
  return evaluated;
}

/** A fresh session for a scenario, the clock set to its instant, for the customer it names. */
async function openSession(
  workspace: WorkspaceEngine,
  agentId: string,
  clock: TestClock,
  scenario: EvaluationScenario | SimulatedCustomerScenario,
) {
  clock.set(new Date(scenario.at ?? defaultScenarioInstant));
  const customer = scenario.customer ? await findOrCreateCustomer(workspace, scenario) : null;
  return workspace.sessions.create({
    agentId,
    customerId: customer?.id ?? null,
    title: scenario.name,
  });
}

/** A customer with an external id is one person across scenarios (the id is unique). */
async function findOrCreateCustomer(
  workspace: WorkspaceEngine,
  scenario: EvaluationScenario | SimulatedCustomerScenario,
) {
  const input = scenario.customer ?? {};
  const existing = input.externalId
    ? await workspace.customers.findByExternalId(input.externalId)
    : null;
  return existing ?? (await workspace.customers.create(input));
}

const labels: Record<keyof TurnExpectation, string> = {
  cannedResponse: 'canned response',
  fallback: 'fallback',
  tools: 'tools',
  journey: 'journey',
  guidelines: 'guidelines',
  replyIncludes: 'reply',
  judge: 'judge',
};

/** The turn's failures: one sentence per unmet expectation, none when it passed. */
function compareTurn(
  expect: TurnExpectation,
  observed: ObservedTurn,
  names: CatalogNames,
): string[] {
  const given = (Object.keys(labels) as Array<keyof TurnExpectation>).filter(
    (field) => expect[field] !== undefined,
  );
  const { explanation } = observed;
  if (!explanation) {
    const problem = observed.problem ?? 'the turn did not explain itself';
    if (given.length === 0) return [`turn: ${problem}`];
    return given.map(
      (field) => `${labels[field]}: expected ${describeExpected(expect, field)}, but ${problem}`,
    );
  }
  const failures: string[] = [];
  // A tool failed: the customer got a reply and the turn its explanation, but it is no pass.
  if (observed.status !== 'ready') failures.push(`turn: ${observed.problem}`);

  const { composition } = explanation;
  const sentTemplate = composition.cannedResponseId
    ? (names.templates.get(composition.cannedResponseId) ??
      `(canned response ${composition.cannedResponseId})`)
    : null;
  const sent = composition.usedFallback
    ? `the fallback ("${shorten(observed.reply)}")`
    : sentTemplate !== null
      ? `"${sentTemplate}"`
      : `no canned response (the reply was "${shorten(observed.reply)}")`;
  if (typeof expect.cannedResponse === 'string' && sentTemplate !== expect.cannedResponse) {
    failures.push(`canned response: expected "${expect.cannedResponse}", got ${sent}`);
  }
  if (expect.cannedResponse === null && sentTemplate !== null) {
    failures.push(`canned response: expected none, got "${sentTemplate}"`);
  }

  if (expect.fallback === true && !composition.usedFallback) {
    failures.push(`fallback: expected the fallback reply, got "${shorten(observed.reply)}"`);
  }
  if (expect.fallback === false && composition.usedFallback) {
    failures.push(
      `fallback: expected no fallback, got the fallback ("${shorten(observed.reply)}")`,
    );
  }

  if (expect.tools) failures.push(...compareTools(expect.tools, observed.toolCalls));

  if (expect.journey !== undefined) {
    const actual = explanation.journey ? names.journeys.get(explanation.journey.journeyId) : null;
    const position =
      explanation.journey && !actual?.endStates.has(explanation.journey.state)
        ? {
            journey: actual?.key ?? explanation.journey.title,
            state: explanation.journey.state,
          }
        : null;
    const same =
      position === null || expect.journey === null
        ? position === expect.journey
        : position.journey === expect.journey.journey && position.state === expect.journey.state;
    if (!same) {
      failures.push(
        `journey: expected ${describeJourney(expect.journey)}, got ${describeJourney(position)}`,
      );
    }
  }

  if (expect.guidelines) {
    const applied = explanation.guidelines.map(
      (guideline) => names.guidelineKeys.get(guideline.id) ?? guideline.id,
    );
    const carriedOut = new Set(
      explanation.alreadyApplied.map((id) => names.guidelineKeys.get(id) ?? id),
    );
    for (const key of expect.guidelines) {
      if (applied.includes(key)) continue;
      const earlier = carriedOut.has(key)
        ? ` ("${key}" matched, but was carried out earlier in the conversation)`
        : '';
      failures.push(
        `guidelines: expected "${key}" to apply; applied: ${quoteAll(applied)}${earlier}`,
      );
    }
  }

  for (const part of expect.replyIncludes ?? []) {
    if (!observed.reply.toLowerCase().includes(part.toLowerCase())) {
      failures.push(`reply: expected it to include "${part}", got "${shorten(observed.reply)}"`);
    }
  }
  return failures;
}

function compareTools(
  expected: NonNullable<TurnExpectation['tools']>,
  calls: readonly ToolCall[],
): string[] {
  const describeCall = (call: ToolCall) =>
    `${call.toolName}(${JSON.stringify(call.arguments)})${call.error ? ` (failed: ${call.error.code})` : ''}`;
  const got = calls.length === 0 ? 'none ran' : calls.map(describeCall).join(', ');
  const expectedNames = expected.map((tool) => tool.name);
  if (
    expectedNames.length !== calls.length ||
    expectedNames.some((name, index) => calls[index]?.toolName !== name)
  ) {
    const wanted = expected.length === 0 ? 'no tool' : expectedNames.join(', ');
    return [`tools: expected ${wanted}, got ${got}`];
  }
  const failures: string[] = [];
  expected.forEach((tool, index) => {
    const call = calls[index] as ToolCall;
    for (const [name, value] of Object.entries(tool.arguments ?? {})) {
      const actual = (call.arguments as Record<string, unknown>)[name];
      if (isSameJson(actual, value)) continue;
      const was =
        actual === undefined ? `without ${name}` : `with ${name} = ${JSON.stringify(actual)}`;
      failures.push(
        `tools: ${tool.name} (call ${index + 1}) expected ${name} = ${JSON.stringify(value)}, was called ${was}`,
      );
    }
  });
  return failures;
}

function describeExpected(expect: TurnExpectation, field: keyof TurnExpectation): string {
  switch (field) {
    case 'cannedResponse':
      return expect.cannedResponse === null ? 'no canned response' : `"${expect.cannedResponse}"`;
    case 'fallback':
      return expect.fallback ? 'the fallback reply' : 'no fallback';
    case 'tools':
      return expect.tools?.length ? expect.tools.map((tool) => tool.name).join(', ') : 'no tool';
    case 'journey':
      return describeJourney(expect.journey ?? null);
    case 'guidelines':
      return `${quoteAll(expect.guidelines ?? [])} to apply`;
    case 'replyIncludes':
      return `a reply including ${quoteAll(expect.replyIncludes ?? [])}`;
    case 'judge':
      return `a reply meeting "${shorten(expect.judge?.criteria ?? '')}"`;
  }
}

function describeJourney(position: { journey: string; state: string } | null): string {
  return position ? `"${position.journey}" at "${position.state}"` : 'no journey';
}

function quoteAll(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.map((item) => `"${item}"`).join(', ');
}

/** Long replies cut for a failure line. */
function shorten(text: string, length = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

function summarize(
  suite: string,
  turns: EvaluatedTurn[],
  simulations: EvaluatedSimulation[],
  runs: number,
): EvaluationReport {
  const passedTurns = turns.filter((turn) => turn.passed).length;
  const passedSimulations = simulations.filter((simulation) => simulation.passed).length;
  const checks = turns.length + simulations.length;
  const report: EvaluationReport = {
    suite,
    turns,
    passedTurns,
    totalTurns: turns.length,
    simulations,
    passedSimulations,
    totalSimulations: simulations.length,
    score: checks === 0 ? 0 : (passedTurns + passedSimulations) / checks,
    runs,
  };
  if (runs > 1) {
    // The same check of every run (a turn by scenario and position, a simulation by its
    // name): passed only if it always did.
    const always = new Map<string, boolean>();
    for (const turn of turns) {
      const key = `${turn.scenario}\u0000${turn.index}`;
      always.set(key, (always.get(key) ?? true) && turn.passed);
    }
    for (const simulation of simulations) {
      const key = `${simulation.scenario}\u0000simulation`;
      always.set(key, (always.get(key) ?? true) && simulation.passed);
    }
    report.passAllRuns =
      always.size === 0 ? 0 : [...always.values()].filter(Boolean).length / always.size;
  }
  return report;
}
