import type { Event } from './event';
import type { BuslineEventHandler } from './handlers/event-handler';
import type { InFlight } from './in-flight';
import { OTEL_PRESENCE } from './telemetry/otel-api';

/** Read on every event: a constant of this module (see OTEL_PRESENCE). */
const otel = OTEL_PRESENCE;

/** What a {@link Subscription} needs from its subscriber. */
export interface SubscriptionOwner {
  /** The subscriber's default handler, for subscriptions without a handler of their own. */
  defaultHandler: BuslineEventHandler | undefined;
  readonly maxPendingEvents: number;
  /** Counts the handler calls not settled yet. */
  readonly inFlight: InFlight;
  /** Reports a handler that threw or rejected. */
  handlerFailed(error: unknown, topic: string, event: Event, handler: BuslineEventHandler): void;
  /**
   * `handler`, the subscription's own, traced and measured: what it calls while an OpenTelemetry
   * provider is registered.
   */
  instrumented(subscription: Subscription, handler: BuslineEventHandler): BuslineEventHandler;
}

/** Called once the handler of one delivered event has settled (returned, resolved or failed). */
export type HandledCallback = () => void;

/** Calls `done` once `tick` was called as often as `remaining` says (starting at one). */
export class Countdown {
  remaining = 1;
  constructor(private readonly done: HandledCallback) {}
  readonly tick = (): void => {
    if (--this.remaining === 0) this.done();
  };
}

/**
 * One topic filter of a subscriber: its handler and the events waiting for it. Events are handed
 * to the handler in arrival order, at most `concurrency` at a time (1 by default: the next event
 * waits until the handler's promise settles).
 */
export class Subscription<O = unknown> {
  /** Whether the transport currently has this subscription. */
  active = false;
  private running = 0;
  /** Waiting events, three slots each: topic, event, and what to call once handled (if any). */
  private readonly queue: (string | Event | HandledCallback | undefined)[] = [];
  /** How many events wait in `queue`. */
  private waiting = 0;
  private head = 0;
  private pumping = false;
  private waiters: (() => void)[] = [];
  // With concurrency 1 only one event is in flight: remember it instead of a closure per event.
  private currentTopic = '';
  private currentEvent: Event | undefined;
  private currentHandler: BuslineEventHandler | undefined;
  private currentHandled: HandledCallback | undefined;

  constructor(
    readonly topic: string,
    public handler: BuslineEventHandler | undefined,
    public options: O | undefined,
    public concurrency: number,
    private readonly owner: SubscriptionOwner,
  ) {}

  /** How many events wait for the handler (taken, not started yet). */
  get pending(): number {
    return this.waiting;
  }

  /** The handler that events get now: the subscription's own, else the subscriber's default. */
  get effectiveHandler(): BuslineEventHandler | undefined {
    return this.handler ?? this.owner.defaultHandler;
  }

  /**
   * Take an event; `handled`, if given, is called once its handler has settled (a transport that
   * acknowledges after handling waits for it). Returns a promise when the backlog passed
   * `maxPendingEvents`; it resolves once the backlog is down to half. The event is queued either
   * way: nothing is dropped.
   */
  deliver(topic: string, event: Event, handled?: HandledCallback): Promise<void> | undefined {
    if (this.running < this.concurrency && this.waiting === 0) {
      this.start(topic, event, handled);
      return undefined;
    }
    return this.enqueue(topic, event, handled);
  }

  /**
   * {@link deliver} while the handler is busy: the event waits its turn. A method of its own, so
   * that the JIT's inlining budget (counted in bytecode) goes to the path every event takes.
   */
  private enqueue(
    topic: string,
    event: Event,
    handled: HandledCallback | undefined,
  ): Promise<void> | undefined {
    this.queue.push(topic, event, handled);
    if (++this.waiting < this.owner.maxPendingEvents) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private start(topic: string, event: Event, handled: HandledCallback | undefined): void {
    let handler = this.effectiveHandler;
    if (handler === undefined) {
      handled?.();
      return;
    }
    // Without a registered OpenTelemetry provider, the handler is called as it is: no wrapper.
    if (otel.registered && handler === this.handler) {
      handler = this.owner.instrumented(this, handler);
    }
    this.running++;
    this.owner.inFlight.started();
    let result: unknown;
    try {
      result = handler.handle(topic, event);
    } catch (error) {
      this.failedAtOnce(error, topic, event, handler, handled);
      return;
    }
    if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') {
      handled?.();
      this.finish();
      return;
    }
    if (this.concurrency === 1) {
      this.currentTopic = topic;
      this.currentEvent = event;
      this.currentHandler = handler;
      this.currentHandled = handled;
      (result as PromiseLike<unknown>).then(this.onSettled, this.onRejected);
    } else {
      this.awaitConcurrent(result as PromiseLike<unknown>, topic, event, handler, handled);
    }
  }

  /** The handler threw instead of returning. */
  private failedAtOnce(
    error: unknown,
    topic: string,
    event: Event,
    handler: BuslineEventHandler,
    handled: HandledCallback | undefined,
  ): void {
    this.owner.handlerFailed(error, topic, event, handler);
    handled?.();
    this.finish();
  }

  /** With concurrency above 1, several events are in flight: a closure per event keeps each. */
  private awaitConcurrent(
    result: PromiseLike<unknown>,
    topic: string,
    event: Event,
    handler: BuslineEventHandler,
    handled: HandledCallback | undefined,
  ): void {
    result.then(
      () => {
        handled?.();
        this.finish();
      },
      (error: unknown) => {
        this.owner.handlerFailed(error, topic, event, handler);
        handled?.();
        this.finish();
      },
    );
  }

  /**
   * A handler is done. Start what waits before telling the owner, so `drain()` never sees the
   * subscriber idle between two queued events. Events queued while a sync handler ran (it
   * published on its own topic) are started here too; inside `pump()` its loop takes them.
   */
  private finish(): void {
    this.running--;
    if (this.waiting > 0 && !this.pumping) this.pump();
    this.owner.inFlight.settled();
  }

  private readonly onSettled = (): void => {
    const handled = this.currentHandled;
    this.currentEvent = undefined;
    this.currentHandler = undefined;
    this.currentHandled = undefined;
    handled?.();
    this.finish();
  };

  private readonly onRejected = (error: unknown): void => {
    this.owner.handlerFailed(error, this.currentTopic, this.currentEvent!, this.currentHandler!);
    this.onSettled();
  };

  private pump(): void {
    this.pumping = true;
    try {
      this.startQueued();
    } finally {
      this.pumping = false;
    }
  }

  private startQueued(): void {
    const queue = this.queue;
    while (this.running < this.concurrency && this.waiting > 0) {
      const head = this.head;
      const topic = queue[head] as string;
      const event = queue[head + 1] as Event;
      const handled = queue[head + 2] as HandledCallback | undefined;
      queue[head] = queue[head + 1] = queue[head + 2] = undefined;
      this.head += 3;
      if (--this.waiting === 0) {
        queue.length = 0;
        this.head = 0;
      } else if (this.head >= 6144 && this.head * 2 >= queue.length) {
        queue.splice(0, this.head);
        this.head = 0;
      }
      this.start(topic, event, handled);
    }
    if (this.waiters.length > 0 && this.waiting <= this.owner.maxPendingEvents >> 1) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
