import { afterAll, beforeAll, describe } from 'vitest';
import type { EventBus } from '../../ports/event-bus';
import type { Store } from '../../ports/store';
import { createTestClock } from '../test-clock';
import { registerCascadeCases } from './cascade-cases';
import type { StoreContractContext, StoreContractFactory } from './contract-context';
import { registerEventCases } from './event-cases';
import { registerIsolationCases } from './isolation-cases';
import { registerLabelCases } from './label-cases';
import { registerRecordCases } from './record-cases';
import { registerTurnCases } from './turn-cases';
import { registerUsageCases } from './usage-cases';

/**
 * Registers the store contract: every behaviour a {@link Store} must have, as vitest cases.
 * Parley runs it against PGlite and PostgreSQL; run it against your own implementation to
 * know it can stand in for them. Cases share one store and isolate themselves by workspace,
 * so the database needs no cleaning between them.
 */
export function describeStoreContract(name: string, factory: StoreContractFactory): void {
  describe(`Store contract: ${name}`, () => {
    const clock = createTestClock();
    let store: Store | undefined;
    let secondStore: Store | undefined;
    let buses: { first: EventBus; second: EventBus } | null = null;

    beforeAll(async () => {
      store = await factory.createStore({ clock });
      secondStore = factory.createSecondStore ? await factory.createSecondStore({ clock }) : store;
      buses = factory.createEventBuses ? await factory.createEventBuses() : null;
    }, 120_000);

    afterAll(async () => {
      await buses?.first.close();
      await buses?.second.close();
      if (secondStore && secondStore !== store) await secondStore.close();
      await store?.close();
    });

    const context: StoreContractContext = {
      clock,
      store: () => {
        if (!store) throw new Error('the store contract suite has no store: createStore failed');
        return store;
      },
      secondStore: () => secondStore ?? context.store(),
      eventBuses: () => buses,
      freshWorkspace: () =>
        context.store().forWorkspace(`workspace-${globalThis.crypto.randomUUID()}`),
    };

    registerRecordCases(context);
    registerLabelCases(context);
    registerIsolationCases(context);
    registerCascadeCases(context);
    registerTurnCases(context);
    registerUsageCases(context);
    registerEventCases(context, { withEventBuses: factory.createEventBuses !== undefined });
  });
}
