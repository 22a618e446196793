import { describe, expectTypeOf, it } from 'vitest';
import type {
  Agent,
  CannedResponse,
  Customer,
  Guideline,
  Page,
  ParleyEvent,
  Relationship,
  Session,
  Store,
  Term,
  Tool,
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
});
