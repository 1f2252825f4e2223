import { AsyncLocalEventBus } from './async-local-event-bus';

let processBus: LocalEventBus | undefined;

/**
 * The process-wide local bus: `new LocalEventBus()` always returns the same instance, as the
 * Python singleton does. Local publishers and subscribers use it unless given another bus.
 */
export class LocalEventBus extends AsyncLocalEventBus {
  constructor() {
    super();
    if (processBus) return processBus;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    processBus = this;
  }
}
