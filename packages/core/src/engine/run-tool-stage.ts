import { z } from 'zod';
import type { Guideline } from '../domain/guideline';
import type { Journey, JourneyState } from '../domain/journey';
import { extractArguments } from '../tools/extract-arguments';
import { type RunToolOptions, runTool, type ToolRun } from '../tools/run-tool';
import type { ToolDefinition } from '../tools/tool';
import { freeTextAnswers, freeTextAnswersKey, journeyOwnWords } from './free-text-answers';
import { journeyRoutes } from './journey-routes';
import type { JourneyPosition } from './match-guidelines';
import { formatTranscript } from './prompts/conversation-lines';
import { buildToolCallMessages, toolCallProposalSchema } from './prompts/tool-call-prompt';
import { asksForMissing } from './step-asks-for';
import { transitionPredicateHolds } from './transition-predicate-holds';
import type { TurnContext } from './turn-context';
import type { TurnModel } from './turn-model';
import type { TurnRecorder } from './turn-recorder';
import { conditionExpects } from './yes-or-no';

/** What the tool stage did. */
export interface ToolStageOutcome {
  runs: ToolRun[];
  /** Required arguments the conversation did not give, by tool: the reply asks for them. */
  missingArguments: Array<{ tool: ToolDefinition; arguments: string[] }>;
  /** The journey position after tool and fork states were passed through. */
  journey: JourneyPosition | null;
  /**
   * Tool results the journey in progress keeps for its later steps, by tool name: earlier
   * turns' and this one's. Empty outside a journey. Templates read them like this turn's.
   */
  journeyMemory: Record<string, unknown>;
}

/** The tool stage's inputs. */
export interface ToolStageInput {
  context: TurnContext;
  model: TurnModel | null;
  recorder: TurnRecorder;
  registry: ReadonlyMap<string, ToolDefinition>;
  /** The engine's tool health and rate limits, which every call goes through. */
  toolRuns: RunToolOptions;
  applied: readonly Guideline[];
  journey: JourneyPosition | null;
  /** Called once, before the first tool runs, so the stage shows in the session's status. */
  onStart: () => Promise<void>;
  /** Without a model: the least fit of a transition's condition that counts. */
  minimumScore: number;
}

/** The most of a journey's memory kept between turns, serialized; beyond it only this turn's results stay. */
const maximumMemoryCharacters = 32_000;

/** How far ahead a message may carry a journey: chat steps it already answered, up to a tool step. */
const maximumSkippedSteps = 6;

/** How many tool or fork states a journey may pass through in one turn: a guard against loops. */
const maximumAutomaticSteps = 8;

const branchSchema = z.object({ nextState: z.string() });

/**
 * Runs the tools this turn needs: those attached to the applied guidelines (the model
 * proposes arguments, validated by each tool's schema; a missing required argument makes the
 * reply ask for it) and those of journey tool states, which run and move the journey on —
 * without a model call when a single transition leaves them. Records one `tool` event per
 * batch of calls. A failing tool never throws: its failure is in the run.
 */
export async function runToolStage(input: ToolStageInput): Promise<ToolStageOutcome> {
  const { context } = input;
  const runs: ToolRun[] = [];
  const missingArguments: ToolStageOutcome['missingArguments'] = [];
  let started = false;
  const start = async () => {
    if (!started) {
      started = true;
      await input.onStart();
    }
  };
  const record = async (batch: ToolRun[]) => {
    if (batch.length === 0) return;
    runs.push(...batch);
    await input.recorder.append([
      {
        kind: 'tool',
        source: 'ai_agent',
        data: { calls: batch.map(({ ok: _ok, retryable: _retryable, ...call }) => call) },
      },
    ]);
  };
  const toolContext = () => ({
    workspaceId: context.workspace.workspaceId,
    agentId: context.catalog.agent.id,
    sessionId: context.session.id,
    customerId: context.customer?.id ?? null,
    message: context.latestCustomerMessage,
    agent: context.catalog.agent,
    session: context.session,
    customer: context.customer,
    variables: Object.fromEntries(
      context.variables.map((entry) => [entry.variable.name, entry.value]),
    ),
    signal: context.signal,
  });
  const definitionOf = (toolId: string | null) => {
    const row = toolId ? context.catalog.tools.get(toolId) : undefined;
    return row ? input.registry.get(row.name) : undefined;
  };
  const previous = context.session.turnState.journey;
  let journey = input.journey;
  // The journey goes on from where the last turn left it: its memory is kept.
  const continuing = Boolean(
    journey && !journey.started && previous?.journeyId === journey.journey.id,
  );
  const memory: Record<string, unknown> = continuing ? { ...(previous?.memory ?? {}) } : {};
  // Without a model, the journey's free-text answers so far ("The Thursday Murder Club" to
  // "which title?"), and this message's when it answered the step the journey was at.
  const answers: Record<string, string> = {
    ...((memory[freeTextAnswersKey] as Record<string, string> | undefined) ?? {}),
  };
  // A step the journey was at and left this turn was answered by this message; a journey
  // starting now may be given a value in the sentence that starts it ("reserve wolf hall").
  const answeredStep =
    !input.model && continuing && journey && previous && journey.state.key !== previous.stateKey
      ? journey.journey.states.find((state) => state.key === previous.stateKey)
      : undefined;
  const journeyTools = journey
    ? journey.journey.states.flatMap((state) => {
        const tool = state.kind === 'tool' ? definitionOf(state.toolId) : undefined;
        return tool ? [tool] : [];
      })
    : [];
  const readAnswers = (stepActions: string[], plainAnswers: boolean) =>
    journey
      ? freeTextAnswers({
          stepActions,
          schemas: journeyTools.map((tool) => tool.jsonSchema),
          message: context.latestCustomerMessage,
          now: context.now,
          plainAnswers,
          knownTexts: journeyOwnWords(
            journey.journey,
            journeyTools.map((tool) => ({
              description: tool.description,
              schema: tool.jsonSchema,
            })),
            context.catalog.terms,
          ),
        })
      : {};
  const answeredNow =
    answeredStep?.kind === 'chat' && answeredStep.action
      ? readAnswers([answeredStep.action], true)
      : !input.model && journey?.started
        ? readAnswers(
            journey.journey.states.flatMap((state) =>
              state.kind === 'chat' && state.action ? [state.action] : [],
            ),
            false,
          )
        : {};
  Object.assign(answers, answeredNow);
  if (Object.keys(answers).length > 0) memory[freeTextAnswersKey] = answers;
  /** Without a model: the tool's arguments as the customer's words give them. */
  const extract = (tool: ToolDefinition, withEarlierMessages: boolean) => {
    const extraction = extractArguments({
      schema: tool.jsonSchema as Record<string, unknown>,
      text: context.latestCustomerMessage,
      earlierTexts: withEarlierMessages ? context.earlierCustomerMessages : [],
      now: context.now,
    });
    const filled = extraction.missing.filter((name) => name in answers);
    if (filled.length === 0) return extraction;
    const argumentsFilled = { ...extraction.arguments };
    const sources = { ...extraction.sources };
    for (const name of filled) {
      argumentsFilled[name] = answers[name];
      sources[name] = name in answeredNow ? 'latest' : 'earlier';
    }
    return {
      arguments: argumentsFilled,
      missing: extraction.missing.filter((name) => !filled.includes(name)),
      sources,
    };
  };

  // Guideline tools: proposed by the model (or, without one, those needing no arguments).
  const wanted = new Map<string, { tool: ToolDefinition; reason: string }>();
  for (const guideline of input.applied) {
    for (const toolId of context.catalog.guidelineToolIds.get(guideline.id) ?? []) {
      const tool = definitionOf(toolId);
      if (tool && !wanted.has(tool.name))
        wanted.set(tool.name, { tool, reason: guideline.condition });
    }
  }
  if (wanted.size > 0) {
    const tools = [...wanted.values()].map((entry) => entry.tool);
    const calls = input.model
      ? await proposeCalls(
          input.model,
          context,
          tools,
          new Map([...wanted].map(([name, entry]) => [name, entry.reason])),
        )
      : tools.map((tool) => {
          const extraction = extract(tool, true);
          return { tool, call: true, arguments: extraction.arguments, missing: extraction.missing };
        });
    const batch: ToolRun[] = [];
    for (const proposal of calls) {
      const parsed = proposal.tool.parameters.safeParse(proposal.arguments);
      if (!proposal.call && proposal.missing.length === 0) continue;
      if (!parsed.success || proposal.missing.length > 0) {
        const missing = new Set(proposal.missing);
        if (!parsed.success)
          for (const issue of parsed.error.issues)
            missing.add(issue.path.map(String).join('.') || 'arguments');
        missingArguments.push({ tool: proposal.tool, arguments: [...missing] });
        continue;
      }
      await start();
      batch.push(
        await runTool(
          proposal.tool,
          parsed.data as Record<string, unknown>,
          toolContext(),
          input.toolRuns,
        ),
      );
    }
    await record(batch);
  }

  // Without a model, a message may already answer the steps ahead ("a hygiene appointment
  // next Tuesday" answers "which treatment?" and "which day?"): go to the first one it does not.
  const movedThisTurn =
    journey !== null && (journey.started || journey.state.key !== previous?.stateKey);

  // Journey tool and fork states: run and move on until a state that talks or ends.

  for (let step = 0; journey && step < maximumAutomaticSteps; step += 1) {
    const { state } = journey;
    if (state.kind === 'chat') {
      // A chat step reached this turn may be one the message already answered.
      if (input.model || !(movedThisTurn || step > 0)) break;
      const used = new Set(
        runs.flatMap((run) => Object.values(run.arguments).map((value) => JSON.stringify(value))),
      );
      // Reached through a tool step this turn, the step has not been asked yet: what the
      // customer said in earlier messages answers it too ("my electricity reading" before the
      // account was looked up answers "which meter?").
      const skipped = skipAnsweredSteps(
        journey,
        definitionOf,
        (tool) => extract(tool, true),
        used,
        step > 0,
      );
      journey = skipped;
      if (skipped.state.kind !== 'tool') break;
      continue;
    }
    if (state.kind === 'tool') {
      const tool = definitionOf(state.toolId);
      if (!tool) {
        break;
      }
      // A matched guideline may have run the same tool this turn: its result serves the
      // journey too, rather than calling the tool a second time.
      const earlier = runs.find((run) => run.toolName === tool.name && run.ok);
      if (!earlier) {
        // With a model: no arguments when the tool needs none, else the model's proposal.
        // Without one: what the customer's words give, even for optional parameters.
        const empty = tool.parameters.safeParse({});
        const proposed = !input.model
          ? extract(tool, true)
          : empty.success
            ? { arguments: {}, missing: [] }
            : (
                await proposeCalls(
                  input.model,
                  context,
                  [tool],
                  new Map([[tool.name, `journey step "${state.key}"`]]),
                )
              )[0];
        const parsed = tool.parameters.safeParse(proposed?.arguments);
        if (!parsed.success || (proposed?.missing.length ?? 0) > 0) {
          missingArguments.push({
            tool,
            arguments: proposed?.missing.length
              ? proposed.missing
              : missingOf(parsed.error?.issues ?? []),
          });
          break;
        }
        await start();
        const run = await runTool(
          tool,
          parsed.data as Record<string, unknown>,
          toolContext(),
          input.toolRuns,
        );
        await record([run]);
        if (!run.ok) break;
      }
    } else if (state.kind !== 'fork') {
      break;
    }
    const next = await chooseNext(input, journey, runs, { ...memory, ...resultsOf(runs) });
    if (!next) break;
    journey = { journey: journey.journey, state: next, started: journey.started };
  }
  return {
    runs,
    missingArguments,
    journey,
    journeyMemory: journeyMemoryAfter(journey, memory, runs),
  };
}

/** Successful runs' results by tool name, the latest run of a tool winning. */
function resultsOf(runs: readonly ToolRun[]): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  for (const run of runs) if (run.ok) results[run.toolName] = run.result;
  return results;
}

/** What the journey keeps for its next turns: nothing once it is over, and never too much. */
function journeyMemoryAfter(
  journey: JourneyPosition | null,
  memory: Record<string, unknown>,
  runs: readonly ToolRun[],
): Record<string, unknown> {
  if (!journey || journey.state.kind === 'end') return {};
  // Kept as JSON (a Date becomes its ISO text), as the session row will hold it.
  const fresh = JSON.parse(JSON.stringify(resultsOf(runs))) as Record<string, unknown>;
  const kept = { ...memory, ...fresh };
  return JSON.stringify(kept).length <= maximumMemoryCharacters ? kept : fresh;
}

/** The parameters zod refused, by path, for the reply to ask about. */
function missingOf(issues: ReadonlyArray<{ path: PropertyKey[] }>): string[] {
  const names = issues.map((issue) => issue.path.map(String).join('.') || 'arguments');
  return names.length > 0 ? [...new Set(names)] : ['arguments'];
}

/** Every way from the position's chat step through chat steps to a tool step, one per tool step. */
function routesToTools(
  position: JourneyPosition,
  definitionOf: (toolId: string | null) => ToolDefinition | undefined,
): { chats: JourneyState[]; toolState: JourneyState; tool: ToolDefinition }[] {
  const routes = [];
  const reached = new Set<string>();
  for (const route of journeyRoutes(position.journey, position.state, maximumSkippedSteps)) {
    const tool = definitionOf(route.toolState.toolId);
    if (!tool || reached.has(route.toolState.id)) continue;
    reached.add(route.toolState.id);
    routes.push({ chats: route.chats, toolState: route.toolState, tool });
  }
  return routes;
}

/**
 * From a chat step, looks along every way on through chat steps to the next tool step (a
 * fork among chat steps included: "which pass?" leads on to the quote, or to "nothing
 * bought"). When the conversation gives every argument a tool needs (the latest message one
 * of them at least, not used by a tool already run this turn), the journey goes straight to
 * that tool step ("12007" after "the brakes have gone" logs the damage); when it gives
 * some, to the first chat step on the way that asks for one it lacks (see `asksForMissing`). The way whose tool the message gives most for wins.
 */
function skipAnsweredSteps(
  position: JourneyPosition,
  definitionOf: (toolId: string | null) => ToolDefinition | undefined,
  extract: (tool: ToolDefinition) => {
    arguments: Record<string, unknown>;
    missing: string[];
    sources: Record<string, 'latest' | 'earlier'>;
  },
  usedThisTurn: ReadonlySet<string>,
  /** Whether values from earlier messages count as said for these steps. */
  earlierCount: boolean,
): JourneyPosition {
  let best: { state: JourneyState; given: number; complete: boolean } | null = null;
  for (const { chats, toolState, tool } of routesToTools(position, definitionOf)) {
    const extraction = extract(tool);
    // The message must say something new for these steps: a reference it gave for the lookup
    // that just ran does not answer "shall I cancel it?".
    const given = Object.entries(extraction.arguments).filter(
      ([name, value]) =>
        (earlierCount || extraction.sources[name] === 'latest') &&
        !usedThisTurn.has(JSON.stringify(value)),
    ).length;
    if (given === 0) continue;
    const complete = extraction.missing.length === 0;
    // A confirmation on the way ("shall I place the reservation?") is never passed: the
    // customer says yes to what they have seen, not to what their arguments would do.
    // That includes the step just reached: the customer has not been asked it yet.
    const confirmation = chats.find((state) => asksForConfirmation(position.journey, state));
    const asking = complete
      ? (confirmation ?? toolState)
      : chats.find((state) =>
          asksForMissing(
            state.action ?? '',
            tool.jsonSchema,
            extraction.missing,
            Object.keys(extraction.arguments),
          ),
        );
    if (!asking) continue;
    const better =
      !best || given > best.given || (given === best.given && complete && !best.complete);
    if (better) best = { state: asking, given, complete };
  }
  return best && best.state !== position.state ? { ...position, state: best.state } : position;
}

/** Whether a chat step asks the customer to agree: one of its ways on expects a yes. */
function asksForConfirmation(journey: Journey, state: JourneyState): boolean {
  return journey.transitions.some(
    (transition) =>
      transition.fromStateId === state.id &&
      transition.condition !== null &&
      transition.condition !== undefined &&
      conditionExpects(transition.condition) === 'yes',
  );
}

/**
 * The state after a tool or fork state. Transitions whose `when` fails on the tool results
 * are out; one whose `when` holds is taken. Among those left: the only one, or the model's
 * pick, or without a model the one whose condition best fits the latest result and message.
 */
async function chooseNext(
  input: ToolStageInput,
  position: JourneyPosition,
  runs: readonly ToolRun[],
  values: Record<string, unknown>,
): Promise<JourneyState | null> {
  const { model, context } = input;
  const { journey, state } = position;
  const exits = journey.transitions.filter((transition) => transition.fromStateId === state.id);
  const stateOf = (key: string) =>
    journey.states.find((candidate) => candidate.key === key) ?? null;
  const verdicts = exits.map((transition) => transitionPredicateHolds(transition.when, values));
  const holding = exits.find((_, index) => verdicts[index] === true);
  if (holding) return stateOf(holding.to);
  const options = exits.filter((_, index) => verdicts[index] === null);
  if (options.length === 0) return null;
  if (options.length === 1) return stateOf((options[0] as { to: string }).to);
  if (!model) {
    const latest = runs[runs.length - 1];
    const query = [
      latest ? describeResult(latest.result ?? latest.error ?? null) : '',
      context.latestCustomerMessage,
    ].join('\n');
    const retriever = await context.catalog.retrieverOver(
      options.map((option, index) => ({
        id: String(index),
        revision: `condition:${option.condition ?? ''}`,
        texts: [option.condition ?? ''],
      })),
    );
    const [fit] = await retriever.search(query, 1);
    const chosen =
      fit && fit.score >= input.minimumScore / 2 ? options[Number(fit.itemId)] : options[0];
    return stateOf((chosen as { to: string }).to);
  }
  const result = await model.generateObject({
    purpose: 'journey_branch',
    schemaName: 'journey_branch',
    schema: branchSchema,
    signal: context.signal,
    temperature: 0,
    messages: [
      {
        role: 'system',
        content: [
          `In the journey "${journey.title}", step "${state.key}" is done. Choose the next step: set nextState to one of these keys.`,
          ...options.map(
            (option) => `- "${option.to}"${option.condition ? `: if ${option.condition}` : ''}`,
          ),
          runs.length > 0
            ? `Results so far:\n${runs.map((run) => `- ${run.toolName}: ${JSON.stringify(run.result ?? run.error ?? null)}`).join('\n')}`
            : '',
        ]
          .filter(Boolean)
          .join('\n'),
      },
      { role: 'user', content: `Conversation so far:\n${formatTranscript(context.conversation)}` },
    ],
  });
  const chosen = options.find((option) => option.to === result.object.nextState) ?? options[0];
  return stateOf((chosen as { to: string }).to);
}

/** A tool result as words for retrieval: `{ found: false, reference: "HX-9" }` → "found false reference HX-9". */
function describeResult(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(describeResult).join(' ');
  return Object.entries(value as Record<string, unknown>)
    .map(
      ([key, inner]) =>
        `${key.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ')} ${describeResult(inner)}`,
    )
    .join(' ');
}

async function proposeCalls(
  model: TurnModel,
  context: TurnContext,
  tools: readonly ToolDefinition[],
  reasons: ReadonlyMap<string, string>,
): Promise<Array<{ tool: ToolDefinition; call: boolean; arguments: unknown; missing: string[] }>> {
  const result = await model.generateObject({
    purpose: 'tool_calls',
    schemaName: 'tool_calls',
    schema: toolCallProposalSchema,
    signal: context.signal,
    temperature: 0,
    messages: buildToolCallMessages({ conversation: context.conversation, tools, reasons }),
  });
  return tools.map((tool) => {
    const proposal = result.object.calls.find((call) => call.tool === tool.name);
    let args: unknown = {};
    try {
      args = proposal ? JSON.parse(proposal.arguments || '{}') : {};
    } catch {
      args = undefined;
    }
    return {
      tool,
      call: proposal?.call ?? false,
      arguments: args,
      missing: proposal?.missingArguments ?? [],
    };
  });
}
