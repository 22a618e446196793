import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  type Agent,
  type AgentDefinitionInput,
  type CannedResponse,
  type Customer,
  defineAgent,
  type Guideline,
  type Page,
  type ParleyEvent,
  type Relationship,
  type Session,
  type Store,
  type Term,
  type Tool,
  type ToolContext,
  type ToolDefinition,
  tool,
} from '../src/index';
import type { parleySchema } from '../src/schema/default-schema';

type Row<TTable extends { $inferSelect: unknown }> = TTable['$inferSelect'];
type Tables = typeof parleySchema;

describe('public types', () => {
  it('keeps the domain types and the stored rows in step', () => {
    expectTypeOf<Row<Tables['agent']>>().toEqualTypeOf<Agent>();
    expectTypeOf<Row<Tables['guideline']>>().toEqualTypeOf<Guideline>();
    expectTypeOf<Row<Tables['guidelineRelationship']>>().toEqualTypeOf<Relationship>();
    expectTypeOf<Row<Tables['tool']>>().toEqualTypeOf<Tool>();
    expectTypeOf<Row<Tables['term']>>().toEqualTypeOf<Term>();
    expectTypeOf<Row<Tables['cannedResponse']>>().toEqualTypeOf<CannedResponse>();
    expectTypeOf<Row<Tables['customer']>>().toEqualTypeOf<Customer>();
    expectTypeOf<Omit<Row<Tables['session']>, 'nextEventOffset'>>().toEqualTypeOf<
      Omit<Session, 'lastOffset'>
    >();
  });

  it('types repository results by record kind', () => {
    type Workspace = ReturnType<Store['forWorkspace']>;
    expectTypeOf<Workspace['agents']['list']>().returns.resolves.toEqualTypeOf<Page<Agent>>();
    expectTypeOf<Workspace['sessions']['get']>().returns.resolves.toEqualTypeOf<Session>();
    expectTypeOf<Workspace['events']['append']>().returns.resolves.toEqualTypeOf<ParleyEvent[]>();
    expectTypeOf<Workspace['guidelines']['list']>()
      .parameter(0)
      .toExtend<{ agentId: string } | undefined>();
  });

  it('narrows an event by its kind', () => {
    expectTypeOf<
      Extract<ParleyEvent, { kind: 'message' }>['data']['text']
    >().toEqualTypeOf<string>();
    expectTypeOf<Extract<ParleyEvent, { kind: 'status' }>['data']['status']>().toEqualTypeOf<
      'acknowledged' | 'processing' | 'typing' | 'ready' | 'error' | 'cancelled'
    >();
  });

  it("types a tool handler's arguments from its parameters", () => {
    const parameters = z.object({
      reference: z.string(),
      limit: z.number().int().default(10),
      sort: z.enum(['newest', 'oldest']).optional(),
      address: z.object({ city: z.string(), line2: z.string().nullable() }),
      lines: z.array(z.object({ sku: z.string(), quantity: z.number() })),
    });
    const search = tool({
      name: 'search_orders',
      description: 'Searches orders',
      parameters,
      handler: (args, context) => {
        // What the handler receives is the parsed output: defaults filled in.
        expectTypeOf(args).toEqualTypeOf<{
          reference: string;
          limit: number;
          sort?: 'newest' | 'oldest' | undefined;
          address: { city: string; line2: string | null };
          lines: Array<{ sku: string; quantity: number }>;
        }>();
        expectTypeOf(context).toEqualTypeOf<ToolContext>();
        return { count: args.lines.length };
      },
    });
    expectTypeOf(search).toEqualTypeOf<ToolDefinition<typeof parameters, { count: number }>>();
    expectTypeOf(search.parameters).toEqualTypeOf<typeof parameters>();
  });

  it('takes an inline array of differently typed tools, and still refuses what is not a tool', () => {
    const lookup = tool({
      name: 'lookup_order',
      description: 'Finds an order',
      parameters: z.object({ reference: z.string(), history: z.boolean().default(false) }),
      handler: ({ reference, history }) => ({ reference, history }),
    });
    const cancel = tool({
      name: 'cancel_order',
      description: 'Cancels an order',
      parameters: z.object({ reference: z.string(), reason: z.enum(['duplicate', 'other']) }),
      handler: async ({ reason }) => reason === 'duplicate',
    });
    // Written inline, the array is typed as a tuple and each tool checked on its own against
    // `ToolDefinition` (the `| readonly []` of `AgentDefinitionInput.tools`).
    expectTypeOf(defineAgent).toBeCallableWith({ name: 'Support', tools: [lookup, cancel] });
    expectTypeOf([lookup, cancel] as const).toExtend<AgentDefinitionInput['tools']>();
    const tools: ToolDefinition[] = [lookup, cancel];
    expectTypeOf(tools).toExtend<AgentDefinitionInput['tools']>();
    expectTypeOf<readonly [{ name: string }]>().not.toExtend<AgentDefinitionInput['tools']>();
  });
});
