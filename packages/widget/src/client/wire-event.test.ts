import type * as protocol from '@parley/core/protocol';
import { describe, expectTypeOf, it } from 'vitest';
import type * as wire from './wire-event';

/**
 * The widget's copy of the wire types against `@parley/core/protocol`'s own (a dev dependency
 * only): the two must stay the same types, or the widget reads frames the server no longer
 * sends. Checked by the compiler (`pnpm --filter @parley/widget typecheck`).
 */
describe('the wire types', () => {
  it('are the protocol types of @parley/core', () => {
    expectTypeOf<wire.EventKind>().toEqualTypeOf<protocol.EventKind>();
    expectTypeOf<wire.EventSource>().toEqualTypeOf<protocol.EventSource>();
    expectTypeOf<wire.TurnStatus>().toEqualTypeOf<protocol.TurnStatus>();
    expectTypeOf<wire.MessageSource>().toEqualTypeOf<protocol.MessageSource>();
    expectTypeOf<wire.MessageEventData>().toEqualTypeOf<protocol.MessageEventData>();
    expectTypeOf<wire.StatusEventData>().toEqualTypeOf<protocol.StatusEventData>();
    expectTypeOf<wire.ToolCall>().toEqualTypeOf<protocol.ToolCall>();
    expectTypeOf<wire.ToolEventData>().toEqualTypeOf<protocol.ToolEventData>();
    expectTypeOf<wire.CustomEventData>().toEqualTypeOf<protocol.CustomEventData>();
    expectTypeOf<wire.WireEvent>().toEqualTypeOf<protocol.WireEvent>();
  });
});
