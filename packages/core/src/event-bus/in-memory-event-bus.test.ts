import { describe, expect, it } from 'vitest';
import { describeEventBusContract } from '../testing/event-bus-contract-suite';
import { createInMemoryEventBus } from './in-memory-event-bus';

describeEventBusContract('in-memory', {
  async createPair() {
    // One process holds every subscriber, so one bus plays both ends.
    const bus = createInMemoryEventBus();
    return { first: bus, second: bus, close: () => bus.close() };
  },
});

describe('the in-memory bus connection', () => {
  it('is listening until closed, since it has no connection to lose', async () => {
    const bus = createInMemoryEventBus();
    expect(bus.connection?.()).toBe('listening');
    await bus.close();
    expect(bus.connection?.()).toBe('closed');
  });
});
