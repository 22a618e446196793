import { eq } from 'drizzle-orm';
import {
  type AgentWorkflow,
  type AgentWorkflowInput,
  type AgentWorkflowListFilter,
  type AgentWorkflowPatch,
  agentWorkflowInputSchema,
  agentWorkflowListFilterSchema,
  agentWorkflowPatchSchema,
} from '../../domain/agent-workflow';
import { ParleyError } from '../../errors/parley-error';
import type { AgentWorkflowRepository } from '../../ports/store';
import { parseInput } from '../parse-input';
import { createRecordRepository } from '../record-repository';
import type { RepositoryContext } from '../repository-context';

/** Links between agents and the host's workflows. */
export function createAgentWorkflowRepository(context: RepositoryContext): AgentWorkflowRepository {
  const { schema } = context;
  const table = schema.agentWorkflow;
  const records = createRecordRepository<
    AgentWorkflow,
    AgentWorkflowInput,
    AgentWorkflowPatch,
    AgentWorkflowListFilter
  >(context, {
    entity: 'workflow link',
    table,
    inputSchema: agentWorkflowInputSchema,
    patchSchema: agentWorkflowPatchSchema,
    parents: [{ field: 'agentId', table: schema.agent, entity: 'agent' }],
    filterSchema: agentWorkflowListFilterSchema,
    filters: (filter) => [eq(table.agentId, filter.agentId)],
  });
  return {
    ...records,
    async update(id, patch) {
      const parsed = parseInput(agentWorkflowPatchSchema, patch, 'workflow link update');
      if (parsed.toolName === null || (parsed.triggers && parsed.triggers.length === 0)) {
        // A link must keep a reason to run: a tool name, triggers, or both.
        const current = await records.get(id);
        const toolName = parsed.toolName === undefined ? current.toolName : parsed.toolName;
        const triggers = parsed.triggers ?? current.triggers;
        if (toolName === null && triggers.length === 0) {
          throw new ParleyError(
            'validation_failed',
            'Invalid workflow link update: toolName: give the workflow a toolName, triggers, or both',
            {
              details: {
                issues: [
                  { path: 'toolName', message: 'give the workflow a toolName, triggers, or both' },
                ],
              },
            },
          );
        }
      }
      return records.update(id, patch);
    },
  };
}
