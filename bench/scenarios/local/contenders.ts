import { StringMessage } from '../../../lib/core/messages/string.message';
import type { PublishFn } from '../../harness/loop';
import { distinctTopics, type LocalWorkload } from './workload';

/** A contender set up for a workload: how to publish, and how many deliveries arrived. */
export interface LocalContender {
  publish: PublishFn;
  received: () => number;
  /** Undo the setup (lets the memory scenario check what is left). */
  close: () => Promise<void>;
}

/**
 * The payload every contender passes: one object made once, so the figures are the cost of the
 * bus, not of building messages. Busline needs a `BuslineMessage`; the others take it as it is.
 */
function payload(): StringMessage {
  return new StringMessage('21.5');
}

/** An MQTT filter as a predicate on topics, compiled once (what an RxJS user writes by hand). */
function compileFilter(filter: string): (topic: string) => boolean {
  if (!filter.includes('+') && !filter.includes('#')) return (topic) => topic === filter;
  const source = filter
    .split('/')
    .map((level) => (level === '+' ? '[^/]+' : level === '#' ? '.*' : level))
    .join('/')
    .replace(/\/\.\*$/, '(?:/.*)?');
  const pattern = new RegExp(`^${source}$`);
  return (topic) => pattern.test(topic);
}

/** Options of the Busline contender. */
export interface BuslineContenderOptions {
  /** Open an `inboundEvents` iterator on every subscriber and never read it. */
  idleIterator?: boolean;
}

/** Busline's local bus: one `LocalPublisher`, one `LocalSubscriber` per listener. */
async function busline(
  workload: LocalWorkload,
  options: BuslineContenderOptions = {},
): Promise<LocalContender> {
  const { AsyncLocalEventBus, LocalPublisher, LocalSubscriber } = await import('busline');
  const eventbus = new AsyncLocalEventBus();
  const publisher = new LocalPublisher({ eventbus });
  let received = 0;
  // A function per listener: some libraries ignore a listener added twice.
  const handler = (): (() => Promise<void>) => async () => {
    received++;
  };
  const subscribers = Array.from(
    { length: workload.handlersPerFilter },
    // The idle iterator overflows on purpose: do not log it.
    () => new LocalSubscriber({ eventbus, onError: options.idleIterator ? () => {} : undefined }),
  );
  for (const subscriber of subscribers) {
    await subscriber.connect();
    if (options.idleIterator) subscriber.inboundEvents[Symbol.asyncIterator]();
    for (const filter of workload.filters) await subscriber.subscribe(filter, handler());
  }
  await publisher.connect();
  const message = payload();
  const topics = workload.topics;
  const n = topics.length;
  return {
    publish: (i) => publisher.publish(topics[i % n], message),
    received: () => received,
    close: async () => {
      await publisher.disconnect();
      for (const subscriber of subscribers) await subscriber.disconnect();
    },
  };
}

/**
 * Node's `EventEmitter`: the floor. It has no wildcards: in the wildcard cases it listens to the
 * exact topics published, so it shows what dispatch costs with no matching at all.
 */
async function eventemitter(workload: LocalWorkload): Promise<LocalContender> {
  const { EventEmitter } = await import('node:events');
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let received = 0;
  // A function per listener: some libraries ignore a listener added twice.
  const handler = (): (() => Promise<void>) => async () => {
    received++;
  };
  const names = workload.wildcard ? distinctTopics(workload) : workload.filters;
  for (const name of names) {
    for (let h = 0; h < workload.handlersPerFilter; h++) emitter.on(name, handler());
  }
  const message = payload();
  const topics = workload.topics;
  const n = topics.length;
  return {
    publish: (i) => {
      emitter.emit(topics[i % n], message);
    },
    received: () => received,
    close: async () => {
      emitter.removeAllListeners();
    },
  };
}

/** `eventemitter2` with `wildcard: true` and '/' as delimiter, as `@nestjs/event-emitter` runs it. */
async function eventemitter2(workload: LocalWorkload): Promise<LocalContender> {
  const { EventEmitter2 } = await import('eventemitter2');
  const emitter = new EventEmitter2({ wildcard: true, delimiter: '/', maxListeners: 0 });
  let received = 0;
  // A function per listener: some libraries ignore a listener added twice.
  const handler = (): (() => Promise<void>) => async () => {
    received++;
  };
  for (const filter of workload.filters) {
    const name = filter
      .split('/')
      .map((level) => (level === '+' ? '*' : level === '#' ? '**' : level))
      .join('/');
    for (let h = 0; h < workload.handlersPerFilter; h++) emitter.on(name, handler());
  }
  const message = payload();
  const topics = workload.topics;
  const n = topics.length;
  return {
    publish: (i) => {
      emitter.emit(topics[i % n], message);
    },
    received: () => received,
    close: async () => {
      emitter.removeAllListeners();
    },
  };
}

/** `emittery` (no wildcards): `await emitter.emit(topic, payload)`. */
async function emittery(workload: LocalWorkload): Promise<LocalContender> {
  if (workload.wildcard) throw new Error('emittery has no wildcard subscriptions');
  const { default: Emittery } = await import('emittery');
  const emitter = new Emittery();
  let received = 0;
  // A function per listener: some libraries ignore a listener added twice.
  const handler = (): (() => Promise<void>) => async () => {
    received++;
  };
  for (const filter of workload.filters) {
    for (let h = 0; h < workload.handlersPerFilter; h++) emitter.on(filter, handler());
  }
  const message = payload();
  const topics = workload.topics;
  const n = topics.length;
  return {
    publish: (i) => emitter.emit(topics[i % n], message),
    received: () => received,
    close: async () => {
      emitter.clearListeners();
    },
  };
}

/** RxJS: one `Subject` of `{ topic, payload }`, one `filter` per subscription. */
async function rxjs(workload: LocalWorkload): Promise<LocalContender> {
  const { Subject, filter } = await import('rxjs');
  const subject = new Subject<{ topic: string; payload: object }>();
  let received = 0;
  // A function per listener: some libraries ignore a listener added twice.
  const handler = (): (() => Promise<void>) => async () => {
    received++;
  };
  const subscriptions: { unsubscribe(): void }[] = [];
  for (const topicFilter of workload.filters) {
    const matches = compileFilter(topicFilter);
    for (let h = 0; h < workload.handlersPerFilter; h++) {
      subscriptions.push(
        subject.pipe(filter((message) => matches(message.topic))).subscribe(handler()),
      );
    }
  }
  const message = payload();
  const topics = workload.topics;
  const n = topics.length;
  return {
    publish: (i) => {
      subject.next({ topic: topics[i % n], payload: message });
    },
    received: () => received,
    close: async () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
    },
  };
}

/** An event of the floor: the payload and the time it was published, as Busline stamps it. */
class StampedEvent {
  readonly time = Date.now();
  constructor(readonly payload: unknown) {}
}
/*
 * `publish()` resolves with the event, and resolving a promise with an object looks `then` up on
 * it: found on the event's prototype, the lookup stops there (as Busline's Event does).
 */
Object.defineProperty(StampedEvent.prototype, 'then', { value: undefined });

/**
 * The floor (exact topics only): the least every publish costs a bus that keeps Busline's
 * promises: an event stamped with the time, each handler's promise observed (to keep order per
 * subscription and report a rejection; one derived promise per handler), and the promise
 * `publish()` returns. A Map from topic to handlers; no matching, no options, no checks (the
 * contract floor below adds those).
 */
async function floor(workload: LocalWorkload): Promise<LocalContender> {
  if (workload.wildcard) throw new Error('the floor has no wildcard subscriptions');
  const byTopic = new Map<string, ((topic: string, event: StampedEvent) => Promise<void>)[]>();
  let received = 0;
  for (const filter of workload.filters) {
    byTopic.set(
      filter,
      Array.from({ length: workload.handlersPerFilter }, () => async () => {
        received++;
      }),
    );
  }
  // Busline's counterparts start the next queued event and report a rejection.
  const onSettled = (): void => {};
  const onRejected = (): void => {};
  const message = payload();
  const topics = workload.topics;
  const n = topics.length;
  return {
    publish: (i) => {
      const topic = topics[i % n];
      const event = new StampedEvent(message);
      const handlers = byTopic.get(topic)!;
      for (let k = 0; k < handlers.length; k++) {
        handlers[k](topic, event).then(onSettled, onRejected);
      }
      return Promise.resolve(event);
    },
    received: () => received,
    close: async () => {
      byTopic.clear();
    },
  };
}

/** An event of the contract floor: Busline's fields, the identifier made only when read. */
class ContractEvent {
  readonly time = Date.now();
  readonly id: string | undefined = undefined;
  constructor(
    readonly publisherIdentifier: string,
    readonly payload: unknown,
  ) {}
}
Object.defineProperty(ContractEvent.prototype, 'then', { value: undefined });

/** Stands for a module-level switch read on every event (OpenTelemetry's, in Busline). */
const SWITCHES = { traced: false };

/** A subscriber of the contract floor: what its subscriptions share. */
interface ContractOwner {
  inFlight: number;
  idle: (() => void)[];
  failures: number;
  stopping: boolean;
  iterators: number;
}

/**
 * One subscription of the contract floor: one handler call at a time, later events queued in
 * order, the running event kept for the rejection report, and the calls counted for `drain()`.
 */
class ContractSubscription {
  running = 0;
  readonly queue: unknown[] = [];
  private topic = '';
  private event: ContractEvent | undefined;

  constructor(
    private readonly handler: (topic: string, event: ContractEvent) => unknown,
    readonly owner: ContractOwner,
  ) {}

  take(topic: string, event: ContractEvent): void {
    if (this.running > 0 || this.queue.length > 0) {
      this.queue.push(topic, event);
      return;
    }
    this.start(topic, event);
  }

  private start(topic: string, event: ContractEvent): void {
    this.running++;
    this.owner.inFlight++;
    let result: unknown;
    try {
      result = this.handler(topic, event);
    } catch {
      this.owner.failures++;
      this.settled();
      return;
    }
    if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') {
      this.settled();
      return;
    }
    this.topic = topic;
    this.event = event;
    (result as PromiseLike<unknown>).then(this.onSettled, this.onRejected);
  }

  private settled(): void {
    this.running--;
    if (this.queue.length > 0) {
      const [topic, event] = this.queue.splice(0, 2) as [string, ContractEvent];
      this.start(topic, event);
    }
    if (--this.owner.inFlight === 0 && this.owner.idle.length > 0) {
      for (const resolve of this.owner.idle.splice(0)) resolve();
    }
  }

  private readonly onSettled = (): void => {
    this.event = undefined;
    this.settled();
  };

  private readonly onRejected = (): void => {
    // The report names the topic and the event.
    if (this.topic !== '' && this.event !== undefined) this.owner.failures++;
    this.onSettled();
  };
}

/**
 * The contract floor (exact topics only): the floor plus every per-event duty Busline's contract
 * sets, in plain code in one place. Publishing checks the options, the message, a tracing switch,
 * the topic (once per new topic), the connection and the payload's class (once per new class);
 * the event carries the publisher's identifier and makes its UUID only when read; each
 * subscriber checks that it is not stopping and has no iterator open; each subscription keeps
 * order (one call at a time, the rest queued), keeps the running event for the rejection report
 * and counts the calls for `drain()`.
 */
async function floorContract(workload: LocalWorkload): Promise<LocalContender> {
  if (workload.wildcard) throw new Error('the floor has no wildcard subscriptions');
  const byTopic = new Map<string, ContractSubscription[]>();
  let received = 0;
  for (const filter of workload.filters) {
    const subscriptions: ContractSubscription[] = [];
    for (let h = 0; h < workload.handlersPerFilter; h++) {
      const owner: ContractOwner = {
        inFlight: 0,
        idle: [],
        failures: 0,
        stopping: false,
        iterators: 0,
      };
      const handler = async (): Promise<void> => {
        received++;
      };
      subscriptions.push(new ContractSubscription(handler, owner));
    }
    byTopic.set(filter, subscriptions);
  }
  const publisherIdentifier = 'floor';
  // A field, not a constant: the JIT must not fold the check away.
  const publisher = { connected: true };
  let validTopic = '';
  let knownClass: unknown;
  const publishWith = (options: object): never => {
    throw new Error(`the contract floor takes no options: ${String(options)}`);
  };
  const message = payload();
  const topics = workload.topics;
  const n = topics.length;
  return {
    publish: (i) => {
      const topic = topics[i % n];
      // Never given here, but checked on every publish, as publish(topic, message, options) must.
      const options: object | undefined = i < 0 ? {} : undefined;
      if (options !== undefined) publishWith(options);
      if (typeof message !== 'object' || typeof message.serialize !== 'function') {
        return Promise.reject(new Error('not a message'));
      }
      const event = new ContractEvent(publisherIdentifier, message);
      if (SWITCHES.traced) return Promise.reject(new Error('not traced'));
      if (topic !== validTopic) {
        if (topic.includes('+') || topic.includes('#')) {
          return Promise.reject(new Error('a wildcard'));
        }
        validTopic = topic;
      }
      if (!publisher.connected) return Promise.reject(new Error('not connected'));
      if (message.constructor !== knownClass) knownClass = message.constructor;
      const subscriptions = byTopic.get(topic);
      if (subscriptions !== undefined) {
        for (let k = 0; k < subscriptions.length; k++) {
          const subscription = subscriptions[k];
          if (subscription.owner.stopping || subscription.owner.iterators > 0) continue;
          subscription.take(topic, event);
        }
      }
      return Promise.resolve(event);
    },
    received: () => received,
    close: async () => {
      byTopic.clear();
    },
  };
}

/** The local contenders by name. */
export const LOCAL_CONTENDERS: Record<
  string,
  (workload: LocalWorkload) => Promise<LocalContender>
> = {
  busline,
  'busline-idle-iterator': (workload) => busline(workload, { idleIterator: true }),
  /** Busline with an OpenTelemetry tracer provider registered (spans made, then dropped). */
  // The SDK is loaded by this contender only: the others run without its modules in the heap.
  'busline-traced': async (workload) => {
    const { registerDroppingTracerProvider } = await import('../traced-provider.js');
    registerDroppingTracerProvider();
    return busline(workload);
  },
  eventemitter,
  eventemitter2,
  emittery,
  rxjs,
  floor,
  'floor-contract': floorContract,
};
