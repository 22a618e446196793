import { z } from 'zod';
import type { Guideline } from '../domain/guideline';
import type { JourneyState } from '../domain/journey';
import { runTool, type ToolRun } from '../tools/run-tool';
import type { ToolDefinition } from '../tools/tool';
import type { JourneyPosition } from './match-guidelines';
import { formatTranscript } from './prompts/conversation-lines';
import { buildToolCallMessages, toolCallProposalSchema } from './prompts/tool-call-prompt';
import type { TurnContext } from './turn-context';
import type { TurnModel } from './turn-model';
import type { TurnRecorder } from './turn-recorder';

/** What the tool stage did. */
export interface ToolStageOutcome {
  runs: ToolRun[];
  /** Required arguments the conversation did not give, by tool: the reply asks for them. */
  missingArguments: Array<{ tool: ToolDefinition; arguments: string[] }>;
  /** The journey position after tool and fork states were passed through. */
  journey: JourneyPosition | null;
}

/** The tool stage's inputs. */
export interface ToolStageInput {
  context: TurnContext;
  model: TurnModel | null;
  recorder: TurnRecorder;
  registry: ReadonlyMap<string, ToolDefinition>;
  applied: readonly Guideline[];
  journey: JourneyPosition | null;
  /** Called once, before the first tool runs, so the stage shows in the session's status. */
  onStart: () => Promise<void>;
}

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
    variables: Object.fromEntries(
      context.variables.map((entry) => [entry.variable.name, entry.value]),
    ),
    signal: context.signal,
  });
  const definitionOf = (toolId: string | null) => {
    const row = toolId ? context.catalog.tools.get(toolId) : undefined;
    return row ? input.registry.get(row.name) : undefined;
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
      : tools.map((tool) => ({
          tool,
          call: true,
          arguments: {} as unknown,
          missing: [] as string[],
        }));
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
        await runTool(proposal.tool, parsed.data as Record<string, unknown>, toolContext()),
      );
    }
    await record(batch);
  }

  // Journey tool and fork states: run and move on until a state that talks or ends.
  let journey = input.journey;
  for (let step = 0; journey && step < maximumAutomaticSteps; step += 1) {
    const { state } = journey;
    if (state.kind === 'tool') {
      const tool = definitionOf(state.toolId);
      const args = tool?.parameters.safeParse({});
      if (!tool) {
        break;
      }
      if (!args?.success) {
        const proposed = input.model
          ? (
              await proposeCalls(
                input.model,
                context,
                [tool],
                new Map([[tool.name, `journey step "${state.key}"`]]),
              )
            )[0]
          : undefined;
        const parsed = proposed ? tool.parameters.safeParse(proposed.arguments) : undefined;
        if (!parsed?.success) {
          missingArguments.push({
            tool,
            arguments: proposed?.missing.length ? proposed.missing : ['arguments'],
          });
          break;
        }
        await start();
        const run = await runTool(tool, parsed.data as Record<string, unknown>, toolContext());
        await record([run]);
        if (!run.ok) break;
      } else {
        await start();
        const run = await runTool(tool, args.data as Record<string, unknown>, toolContext());
        await record([run]);
        if (!run.ok) break;
      }
    } else if (state.kind !== 'fork') {
      break;
    }
    const next = await chooseNext(input.model, context, journey, runs);
    if (!next) break;
    journey = { journey: journey.journey, state: next, started: journey.started };
  }
  return { runs, missingArguments, journey };
}

/** The state after a tool or fork state: the only way out, or the model's pick among several. */
async function chooseNext(
  model: TurnModel | null,
  context: TurnContext,
  position: JourneyPosition,
  runs: readonly ToolRun[],
): Promise<JourneyState | null> {
  const { journey, state } = position;
  const options = journey.transitions.filter((transition) => transition.fromStateId === state.id);
  const stateOf = (key: string) =>
    journey.states.find((candidate) => candidate.key === key) ?? null;
  if (options.length === 0) return null;
  if (options.length === 1 || !model) return stateOf((options[0] as { to: string }).to);
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
