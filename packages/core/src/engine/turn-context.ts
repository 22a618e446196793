import type { Customer } from '../domain/customer';
import type { ParleyEvent } from '../domain/event';
import type { Session } from '../domain/session';
import type { Variable } from '../domain/variable';
import type { WorkspaceStore } from '../ports/store';
import { type RunToolOptions, runTool } from '../tools/run-tool';
import type { ToolDefinition } from '../tools/tool';
import type { AgentCatalog } from './agent-catalog';
import type { EngineLogger } from './engine-logger';
import { type ConversationLine, toConversationLines } from './prompts/conversation-lines';

/** What a turn knows before it decides anything. */
export interface TurnContext {
  workspace: WorkspaceStore;
  catalog: AgentCatalog;
  session: Session;
  customer: Customer | null;
  /** The recent messages and tool calls, oldest first. */
  history: ParleyEvent[];
  conversation: ConversationLine[];
  /** The text of the newest customer message ('' when there is none). */
  latestCustomerMessage: string;
  /** Every variable of the agent with its value for this conversation (default when unset). */
  variables: Array<{ variable: Variable; value: unknown }>;
  /** Earlier customer messages of the history window, newest first (the latest excluded). */
  earlierCustomerMessages: string[];
  /** The turn's instant, from the engine's clock: dates in words are relative to it. */
  now: Date;
  signal: AbortSignal;
}

/** Options of {@link loadTurnContext}. */
export interface TurnContextOptions {
  workspace: WorkspaceStore;
  catalog: AgentCatalog;
  session: Session;
  /** The recent messages and tool events, oldest first (from the turn snapshot). */
  history: ParleyEvent[];
  tools: ReadonlyMap<string, ToolDefinition>;
  /** The engine's tool health and rate limits, which variable refreshes go through too. */
  toolRuns?: RunToolOptions;
  signal: AbortSignal;
  now: Date;
  logger: EngineLogger;
}

/**
 * Loads a turn's context: the customer, the history window and the variables, refreshing a
 * tool-backed variable whose value is missing or older than its freshness allows. A refresh
 * that fails keeps the old value: a stale fact is better than no reply.
 */
export async function loadTurnContext(options: TurnContextOptions): Promise<TurnContext> {
  const { workspace, catalog, session } = options;
  const history = options.history;
  const customer = session.customerId ? await workspace.customers.find(session.customerId) : null;
  const resolution = {
    sessionId: session.id,
    customerId: customer?.id,
    customerTags: customer?.tags ?? [],
  };
  const values =
    catalog.variables.length > 0
      ? await workspace.variables.resolveValues(catalog.agent.id, resolution)
      : new Map();

  const variables: TurnContext['variables'] = [];
  for (const variable of catalog.variables) {
    const stored = values.get(variable.id) ?? null;
    let value: unknown = stored ? stored.value : variable.defaultValue;
    const stale =
      variable.toolId !== null &&
      (stored === null ||
        (variable.freshness !== null &&
          options.now.getTime() - stored.refreshedAt.getTime() >
            variable.freshness.seconds * 1000));
    if (stale && variable.toolId) {
      const refreshed = await refreshVariable(
        options,
        variable,
        variable.toolId,
        customer,
        variables,
      );
      if (refreshed !== undefined) value = refreshed;
    }
    variables.push({ variable, value });
  }

  const conversation = toConversationLines(history);
  const [latestCustomerMessage, ...earlierCustomerMessages] = customerTextsNewestFirst(history);
  return {
    workspace,
    catalog,
    session,
    customer,
    history,
    conversation,
    latestCustomerMessage: latestCustomerMessage ?? '',
    earlierCustomerMessages,
    variables,
    now: options.now,
    signal: options.signal,
  };
}

/** The texts of the history's customer messages, newest first. */
function customerTextsNewestFirst(history: readonly ParleyEvent[]): string[] {
  return history
    .filter((event) => event.kind === 'message' && event.source === 'customer')
    .map((event) => (event.data as { text: string }).text)
    .reverse();
}

/** The newest customer message's text; '' when there is none. */
function latestCustomerText(history: readonly ParleyEvent[]): string {
  return customerTextsNewestFirst(history)[0] ?? '';
}

/**
 * The context with the newest customer message replaced by `text` (its censored form) where
 * the model reads it: the latest message and the conversation's last customer line. The
 * stored message and the history's events stay as the customer wrote them.
 */
export function withCensoredMessage(context: TurnContext, text: string): TurnContext {
  if (text === context.latestCustomerMessage) return context;
  const conversation = [...context.conversation];
  for (let index = conversation.length - 1; index >= 0; index -= 1) {
    const line = conversation[index] as ConversationLine;
    if (line.speaker === 'customer') {
      conversation[index] = { ...line, text };
      break;
    }
  }
  return { ...context, conversation, latestCustomerMessage: text };
}

async function refreshVariable(
  options: TurnContextOptions,
  variable: Variable,
  toolId: string,
  customer: Customer | null,
  known: TurnContext['variables'],
): Promise<unknown> {
  const toolRow = options.catalog.tools.get(toolId);
  const definition = toolRow ? options.tools.get(toolRow.name) : undefined;
  if (!definition) {
    options.logger.warn('variable tool is not registered with the engine', {
      variable: variable.name,
      toolId,
    });
    return undefined;
  }
  const args = definition.parameters.safeParse({});
  if (!args.success) {
    options.logger.warn('variable tool needs arguments; it cannot refresh a variable', {
      variable: variable.name,
    });
    return undefined;
  }
  const run = await runTool(
    definition,
    args.data as Record<string, unknown>,
    {
      workspaceId: options.workspace.workspaceId,
      agentId: options.catalog.agent.id,
      sessionId: options.session.id,
      customerId: customer?.id ?? null,
      message: latestCustomerText(options.history),
      agent: options.catalog.agent,
      session: options.session,
      customer,
      variables: Object.fromEntries(known.map((entry) => [entry.variable.name, entry.value])),
      signal: options.signal,
    },
    options.toolRuns,
  );
  if (!run.ok) {
    options.logger.warn('variable refresh failed; keeping the previous value', {
      variable: variable.name,
      error: run.error,
    });
    return undefined;
  }
  // A customer's fact belongs to the customer; without one, to this conversation.
  const target = customer
    ? ({ scope: 'customer', customerId: customer.id } as const)
    : ({ scope: 'session', sessionId: options.session.id } as const);
  await options.workspace.variables.setValue(variable.id, target, run.result ?? null, {
    refreshedAt: options.now,
  });
  return run.result ?? null;
}
