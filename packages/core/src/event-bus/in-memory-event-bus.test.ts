import { describeEventBusContract } from '../testing/event-bus-contract-suite';
import { createInMemoryEventBus } from './in-memory-event-bus';

describeEventBusContract('in-memory', {
  async createPair() {
    // One process holds every subscriber, so one bus plays both ends.
    const bus = createInMemoryEventBus();
    return { first: bus, second: bus, close: () => bus.close() };
  },
});
