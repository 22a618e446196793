import type { AgentWorkflow } from '../domain/agent-workflow';
import type { JsonValue } from '../domain/common';
import { readAllPages } from '../domain/read-all-pages';
import { ParleyError } from '../errors/parley-error';
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import type { ToolProvider } from '../ports/tool-provider';
import type { WorkflowExecutor } from '../ports/workflow-executor';
import { jsonSchemaTool } from '../tools/json-schema-tool';
import type { ToolDefinition } from '../tools/tool';
import { runWorkflow } from './run-workflow';

/**
 * Extra time a workflow tool's call is given beyond its link's `timeoutMs`, so the run's own
 * deadline ends it first and its record says `workflow_timeout` rather than nothing.
 */
const recordingMarginMs = 1_000;

/**
 * The tool provider of an agent's workflow links that have a `toolName`: each becomes a tool
 * whose parameters are the workflow's input schema and whose call runs the workflow through
 * the host's executor, recorded in `session_workflow` (trigger `tool`). A run that fails
 * fails the call, with the run's code, so the turn's tool event shows it. Like any tool, one
 * runs where a guideline or journey state of the agent names it. The engine adds this
 * provider itself when it is given a `workflowExecutor`.
 */
export function createWorkflowToolProvider(input: {
  store: Store;
  executor: WorkflowExecutor;
  clock: Clock;
}): ToolProvider {
  const { store, executor, clock } = input;

  function toolOf(link: AgentWorkflow & { toolName: string }): ToolDefinition | null {
    try {
      return jsonSchemaTool({
        name: link.toolName,
        description: link.description || `Runs the workflow "${link.name}".`,
        parameters: { type: 'object', properties: {}, ...link.inputSchema },
        timeoutMs: link.timeoutMs + recordingMarginMs,
        // A workflow may have effects (a refund, a ticket): never run twice for one call.
        retries: 0,
        async handler(args, context) {
          const outcome = await runWorkflow({
            workspace: store.forWorkspace(context.workspaceId),
            executor,
            link,
            sessionId: context.sessionId,
            trigger: 'tool',
            input: args as Record<string, JsonValue>,
            signal: context.signal,
            clock,
          });
          if (outcome.status === 'failed') {
            throw new ParleyError('tool_failed', outcome.error.message, {
              reason: outcome.error.code,
            });
          }
          return outcome.output;
        },
      });
    } catch {
      // An input schema no JSON Schema reader understands: the tool is left out, not the agent.
      return null;
    }
  }

  return {
    id: 'workflows',
    async tools(request) {
      const links = await readAllPages((page) =>
        store
          .forWorkspace(request.workspaceId)
          .agentWorkflows.list({ ...page, agentId: request.agent.id }),
      );
      return links
        .filter(
          (link): link is AgentWorkflow & { toolName: string } =>
            link.enabled && link.toolName !== null,
        )
        .map(toolOf)
        .filter((definition): definition is ToolDefinition => definition !== null);
    },
  };
}
