import { EventBusConnector, type ConnectorOptions } from './connector';
import { forEachTopic } from './for-each-topic';
import { BuslineError } from './errors/busline.error';
import { HandlerError, HandlerRequiredError } from './errors/handler.error';
import { InvalidArgumentError } from './errors/invalid-argument.error';
import { SubscriptionsRefusedError } from './errors/subscriptions-refused.error';
import type { Event } from './event';
import type { Message } from './message';
import { toHandler, type EventHandler, type HandlerLike } from './handlers/event-handler';
import { InboundStream } from './inbound-stream';
import { Route, Subscription, type HandledCallback, type SubscriptionOwner } from './subscription';
import { appended, TopicTrie } from './topics/topic.trie';
import { matchingFilter, validateTopicFilter } from './topics/topic.validation';

/** Undoes the `subscribe()` that returned it. */
export type Unsubscribe = () => Promise<void>;

/** Options of one `subscribe()`; transports add their own (QoS, ...). */
export interface SubscribeOptions {
  /**
   * How many events of this subscription may be handled at once. Default 1: events are handled
   * one after the other, in arrival order. `Infinity` hands every event over as it arrives.
   */
  concurrency?: number;
}

/** Options of `multiSubscribe()` / `multiUnsubscribe()`. */
export interface MultiSubscribeOptions {
  /** Subscribe to all topics at once (default) or one after the other. */
  parallel?: boolean;
}

/** Options every subscriber takes. */
export interface SubscriberOptions extends ConnectorOptions {
  /** Handles events of topics subscribed without a handler of their own. */
  defaultHandler?: HandlerLike;
  /** Refuse to subscribe without a handler (and report events that arrive without one). */
  handlerAlwaysRequired?: boolean;
  /**
   * Replaces MQTT wildcard matching between an inbound topic and a subscribed topic, as in
   * Python. Custom matchers are tried against every subscription (cost grows with their number).
   */
  topicNamesMatcher?: (topic: string, subscribedTopic: string) => boolean;
  /** Receives every error the subscriber reports (handler failures, bad input, overflows). */
  onError?: (error: BuslineError) => void;
  /**
   * How many events each `inboundEvents` / `inboundUnhandledEvents` iterator buffers while its
   * consumer is busy (default 1024). Past it the oldest buffered event is dropped and an
   * `InboundBufferOverflowError` reported. Nothing is buffered for nobody: with no iterator open,
   * no memory is used.
   */
  inboundBufferSize?: number;
  /**
   * How many events a subscription may have waiting for its handler (default 1024) before the
   * subscriber asks the transport to slow down (a local publish then waits). Nothing is dropped.
   */
  maxPendingEvents?: number;
  /** How long `disconnect()` waits for handlers still running, in ms (default 10,000). */
  drainTimeout?: number;
}

const NO_SUBSCRIPTIONS: readonly Subscription[] = [];

/** The route of a filter nobody subscribed (never live: the holder asks again). */
const NO_ROUTE: Route = Object.assign(new Route(), { live: false });

/**
 * Receives events from topics and hands them to handlers and iterators. A transport extends it
 * and implements `internalSubscribe` / `internalUnsubscribe` and feeds inbound events to
 * `deliver()`.
 *
 * Handlers are registered before the transport subscription is made, so nothing that arrives in
 * between goes unhandled. Subscribing before `connect()` is fine: `connect()` makes the transport
 * subscriptions.
 */
export abstract class Subscriber<O extends SubscribeOptions = SubscribeOptions>
  extends EventBusConnector
  implements SubscriptionOwner
{
  /** Refuse to subscribe without a handler (and report events that arrive without one). */
  readonly handlerAlwaysRequired: boolean;
  /** Custom topic matching, if any (see {@link SubscriberOptions.topicNamesMatcher}). */
  readonly topicNamesMatcher: ((topic: string, subscribedTopic: string) => boolean) | undefined;
  /** Receives every error the subscriber reports; without it they are logged. */
  onError: ((error: BuslineError) => void) | undefined;
  /** See {@link SubscriberOptions.maxPendingEvents}. */
  readonly maxPendingEvents: number;
  private readonly inboundBufferSize: number;
  private readonly drainTimeout: number;
  private fallback: EventHandler | undefined;
  private readonly subscriptions = new Map<string, Subscription<O>>();
  /**
   * The subscriptions by filter for `deliver()`; made on its first use, since a transport that
   * matches topics itself (the local bus, through routes) never needs it.
   */
  private trie: TopicTrie<Subscription<O>> | undefined;
  /** Subscriptions by matching filter (without '$share/<group>/'), for transports that match. */
  private readonly routes = new Map<string, Route>();
  private readonly allStreams = new Set<InboundStream>();
  private readonly unhandledStreams = new Set<InboundStream>();
  private inFlight = 0;
  /** Set while `disconnect()` waits for handlers: nothing new is taken. */
  private stopping = false;
  /** Set from a lost connection until its subscriptions are restored (see `connectionLost()`). */
  private restoring: { promise: Promise<void>; resolve: () => void } | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(options: SubscriberOptions = {}) {
    super(options);
    this.defaultHandler = options.defaultHandler;
    this.handlerAlwaysRequired = options.handlerAlwaysRequired ?? false;
    this.topicNamesMatcher = options.topicNamesMatcher;
    this.onError = options.onError;
    this.inboundBufferSize = positive('inboundBufferSize', options.inboundBufferSize, 1024);
    this.maxPendingEvents = positive('maxPendingEvents', options.maxPendingEvents, 1024);
    this.drainTimeout = options.drainTimeout ?? 10_000;
  }

  /** Handles events of topics subscribed without a handler of their own. */
  get defaultHandler(): EventHandler | undefined {
    return this.fallback;
  }

  set defaultHandler(handler: HandlerLike | undefined) {
    this.fallback = handler === undefined ? undefined : toHandler(handler, 'defaultHandler');
  }

  /** The topic filters this subscriber has. */
  get topics(): string[] {
    return [...this.subscriptions.keys()];
  }

  /**
   * Subscribe to `topic` (MQTT wildcards allowed). Events go to `handler`, else to the default
   * handler, else to `inboundUnhandledEvents`. Subscribing to a topic again replaces its handler.
   * Resolves with a function that undoes the subscription.
   */
  async subscribe<M extends Message = Message>(
    topic: string,
    handler?: HandlerLike<M>,
    options?: O,
  ): Promise<Unsubscribe> {
    validateTopicFilter(topic);
    const wrapped =
      handler === undefined ? undefined : toHandler(handler as HandlerLike, 'handler');
    if (wrapped === undefined && this.fallback === undefined && this.handlerAlwaysRequired) {
      throw new HandlerRequiredError(topic);
    }
    const concurrency = positive('options.concurrency', options?.concurrency, 1);
    await this.onSubscribing(topic, wrapped, options);
    let subscription = this.subscriptions.get(topic);
    const created = subscription === undefined;
    if (subscription === undefined) {
      subscription = new Subscription<O>(topic, wrapped, options, concurrency, this);
      this.subscriptions.set(topic, subscription);
      this.trie?.add(topic, subscription);
      const key = matchingFilter(topic);
      let route = this.routes.get(key);
      if (route === undefined) this.routes.set(key, (route = new Route()));
      route.subscriptions = appended(route.subscriptions, subscription);
    } else {
      subscription.handler = wrapped;
      subscription.options = options;
      subscription.concurrency = concurrency;
    }
    if (this.connected) {
      try {
        await this.internalSubscribe(topic, options);
        subscription.active = true;
      } catch (error) {
        if (created) this.forget(subscription);
        throw error;
      }
    }
    await this.onSubscribed(topic, wrapped, options);
    return () => this.unsubscribe(topic);
  }

  /** Unsubscribe from `topic`, or from every topic when none is given. */
  async unsubscribe(topic?: string): Promise<void> {
    await this.onUnsubscribing(topic);
    const targets =
      topic === undefined
        ? [...this.subscriptions.values()]
        : [this.subscriptions.get(topic)].filter((s) => s !== undefined);
    if (topic !== undefined && targets.length === 0) {
      this.logger.warn(`${this}: unsubscribe from '${topic}', which it is not subscribed to`);
    }
    for (const subscription of targets) {
      if (subscription.active && this.connected) await this.internalUnsubscribe(subscription.topic);
      this.forget(subscription);
    }
    await this.onUnsubscribed(topic);
  }

  /** Subscribe to several topics with the same handler. */
  async multiSubscribe<M extends Message = Message>(
    topics: readonly string[],
    handler?: HandlerLike<M>,
    options?: O & MultiSubscribeOptions,
  ): Promise<void> {
    await forEachTopic(topics, options?.parallel, (topic) =>
      this.subscribe(topic, handler, options),
    );
  }

  /** Unsubscribe from several topics. */
  async multiUnsubscribe(
    topics: readonly string[],
    options?: MultiSubscribeOptions,
  ): Promise<void> {
    await forEachTopic(topics, options?.parallel, (topic) => this.unsubscribe(topic));
  }

  /**
   * Hand an event to this subscriber as if it had arrived on `topic`. Resolves once the matching
   * handlers and iterators have it (handlers may still be running; see `drain()`).
   */
  notify(topic: string, event: Event): Promise<void> {
    return this.deliver(topic, event) ?? Promise.resolve();
  }

  /**
   * For transports: hand over an inbound event. Returns a promise only when a subscription's
   * backlog is full; a transport that can should wait for it before delivering more. `handled`,
   * if given, is called once every handler the event reached has settled (at once when none
   * matched): a transport that acknowledges after handling (MQTT QoS 1) acknowledges then.
   */
  deliver(topic: string, event: Event, handled?: HandledCallback): Promise<void> | undefined {
    return this.dispatch(
      topic,
      event,
      this.topicNamesMatcher ? this.scan(topic) : (this.trie ?? this.makeTrie()).match(topic),
      handled,
    );
  }

  /**
   * @internal The route of a matching filter (no '$share/<group>/'); a dead one when this
   * subscriber has no subscription under it (ask again once `route.live` is false).
   */
  routeFor(filter: string): Route {
    return this.routes.get(filter) ?? NO_ROUTE;
  }

  /**
   * @internal For a transport that matched the topic already (the local bus): like `deliver()`,
   * for the subscriptions of `routes` only (several when several filters of this subscriber
   * matched).
   */
  deliverRoutes(
    topic: string,
    event: Event,
    routes: Route | readonly Route[],
  ): Promise<void> | undefined {
    if (this.topicNamesMatcher) return this.deliver(topic, event);
    if (routes instanceof Route) {
      return this.dispatch(topic, event, routes.subscriptions as readonly Subscription<O>[]);
    }
    const matched: Subscription<O>[] = [];
    for (const route of routes) {
      for (const subscription of route.subscriptions) matched.push(subscription as Subscription<O>);
    }
    return this.dispatch(topic, event, matched);
  }

  private dispatch(
    topic: string,
    event: Event,
    matched: readonly Subscription<O>[],
    onHandled?: HandledCallback,
  ): Promise<void> | undefined {
    if (this.stopping) return undefined;
    let handled = false;
    let wait: Promise<void>[] | undefined;
    // Counts the handlers still to settle, plus one for this loop, so that a handler that settles
    // at once cannot report the event handled before the others got it.
    const countdown = onHandled && new Countdown(onHandled);
    for (let i = 0; i < matched.length; i++) {
      const subscription = matched[i];
      if (subscription.effectiveHandler === undefined) {
        if (this.handlerAlwaysRequired) this.reportError(new HandlerRequiredError(topic));
        continue;
      }
      handled = true;
      if (countdown) countdown.remaining++;
      const full = subscription.deliver(topic, event, countdown?.tick);
      if (full) (wait ??= []).push(full);
    }
    countdown?.tick();
    if (this.allStreams.size > 0) for (const stream of this.allStreams) stream.push(topic, event);
    if (!handled && this.unhandledStreams.size > 0) {
      for (const stream of this.unhandledStreams) stream.push(topic, event);
    }
    if (wait === undefined) return undefined;
    return wait.length === 1 ? wait[0] : Promise.all(wait).then(() => undefined);
  }

  /**
   * Every inbound event, as `[topic, event]`, for `for await`. Each loop gets its own bounded
   * buffer from the moment it starts (see `inboundBufferSize`); loops end on `disconnect()`.
   */
  get inboundEvents(): AsyncIterable<[topic: string, event: Event]> {
    return { [Symbol.asyncIterator]: () => this.openStream('inboundEvents', this.allStreams) };
  }

  /** Inbound events that no handler took, as `[topic, event]`, for `for await`. */
  get inboundUnhandledEvents(): AsyncIterable<[topic: string, event: Event]> {
    return {
      [Symbol.asyncIterator]: () =>
        this.openStream('inboundUnhandledEvents', this.unhandledStreams),
    };
  }

  /**
   * Resolves once no handler is running and nothing waits for one, or after `timeout` ms;
   * resolves `true` if it got there, `false` on time-out.
   */
  drain(timeout = this.drainTimeout): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeout);
      timer.unref?.();
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * Connect, then make the transport subscriptions of topics subscribed while disconnected. When
   * the transport refuses any of them, the subscriber disconnects again (nothing is left half
   * subscribed) and `connect()` rejects with the refusal, or with a
   * {@link SubscriptionsRefusedError} naming every refused topic when there are several.
   */
  override async connect(): Promise<void> {
    try {
      await super.connect();
    } catch (error) {
      this.restored();
      throw error;
    }
    try {
      await this.restoreSubscriptions();
    } catch (error) {
      await this.disconnect();
      throw error;
    }
  }

  /**
   * Stop taking events, let running and queued handlers finish (up to `drainTimeout`), then
   * disconnect the transport and end the iterators. Events that arrive meanwhile are not taken (a
   * transport that acknowledges after handling leaves them unacknowledged, for the broker to send
   * again). The subscriptions are kept: a later `connect()` restores them.
   */
  override async disconnect(): Promise<void> {
    if (this.connected) {
      this.stopping = true;
      try {
        if (!(await this.drain())) {
          this.logger.warn(
            `${this}: handlers still running ${this.drainTimeout} ms after disconnect`,
          );
        }
        await super.disconnect();
      } finally {
        this.stopping = false;
      }
    } else {
      await super.disconnect();
    }
    this.restored();
    this.markSubscriptionsInactive();
    for (const stream of [...this.allStreams, ...this.unhandledStreams]) stream.end();
    this.allStreams.clear();
    this.unhandledStreams.clear();
  }

  /**
   * Make the transport subscription of every subscription that lacks one (all of them after
   * `markSubscriptionsInactive()`), trying each even when others fail. Transports call it after a
   * reconnection with `report` true: a refused subscription is reported to `onError` and stays
   * inactive, for the next restore to try again. Without it (as in `connect()`), refusals are
   * thrown once all were tried: the one error, or a {@link SubscriptionsRefusedError}.
   */
  protected async restoreSubscriptions(report = false): Promise<void> {
    const refused: { topic: string; error: unknown }[] = [];
    for (const subscription of [...this.subscriptions.values()]) {
      if (subscription.active || !this.connected) continue;
      try {
        await this.internalSubscribe(subscription.topic, subscription.options);
        subscription.active = true;
      } catch (error) {
        refused.push({ topic: subscription.topic, error });
        if (report)
          this.reportError(
            asBuslineError(
              error,
              `${this} could not restore its subscription to '${subscription.topic}'`,
            ),
          );
      }
    }
    this.restored();
    if (report || refused.length === 0) return;
    throw refused.length === 1
      ? refused[0].error
      : new SubscriptionsRefusedError(this.toString(), refused);
  }

  /**
   * Resolves once this subscriber's subscriptions are in place on its transport: at once, unless
   * its connection was lost and the subscriptions are not restored yet (then when they are, or
   * when the subscriber is disconnected).
   */
  subscriptionsRestored(): Promise<void> {
    return this.restoring?.promise ?? Promise.resolve();
  }

  /**
   * For transports: the connection was lost; `subscriptionsRestored()` waits until the next
   * `restoreSubscriptions()` is done.
   */
  protected connectionLost(): void {
    if (this.restoring !== undefined) return;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.restoring = { promise, resolve };
  }

  private restored(): void {
    const restoring = this.restoring;
    this.restoring = undefined;
    restoring?.resolve();
  }

  /** Forget which subscriptions the transport has (for example when its session was lost). */
  protected markSubscriptionsInactive(): void {
    for (const subscription of this.subscriptions.values()) subscription.active = false;
  }

  /** Report an error to `onError`, or log it when there is none. */
  reportError(error: BuslineError): void {
    const onError = this.onError;
    if (onError === undefined) {
      this.logger.error(error.message);
      return;
    }
    try {
      onError(error);
    } catch (hookError) {
      this.logger.error(`${this}: onError threw while reporting "${error.message}": ${hookError}`);
    }
  }

  /** @internal Called by a subscription whose handler threw or rejected. */
  handlerFailed(error: unknown, topic: string, event: Event, handler: EventHandler): void {
    this.reportError(
      new HandlerError(topic, event.identifier, handler.name ?? handler.constructor.name, error),
    );
  }

  /** @internal */
  started(): void {
    this.inFlight++;
  }

  /** @internal */
  settled(): void {
    if (--this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private scan(topic: string): readonly Subscription<O>[] {
    const matcher = this.topicNamesMatcher!;
    let matched: Subscription<O>[] | undefined;
    for (const subscription of this.subscriptions.values()) {
      if (matcher(topic, subscription.topic)) (matched ??= []).push(subscription);
    }
    return matched ?? (NO_SUBSCRIPTIONS as readonly Subscription<O>[]);
  }

  private makeTrie(): TopicTrie<Subscription<O>> {
    const trie = new TopicTrie<Subscription<O>>();
    for (const [topic, subscription] of this.subscriptions) trie.add(topic, subscription);
    return (this.trie = trie);
  }

  private forget(subscription: Subscription<O>): void {
    subscription.active = false;
    if (this.subscriptions.get(subscription.topic) === subscription) {
      this.subscriptions.delete(subscription.topic);
      this.trie?.delete(subscription.topic, subscription);
      const key = matchingFilter(subscription.topic);
      const route = this.routes.get(key)!;
      route.subscriptions = route.subscriptions.filter((s) => s !== subscription);
      if (route.subscriptions.length === 0) {
        route.live = false;
        this.routes.delete(key);
      }
    }
  }

  private openStream(name: string, streams: Set<InboundStream>): InboundStream {
    const stream = new InboundStream(
      `${this}.${name}`,
      this.inboundBufferSize,
      (s) => streams.delete(s),
      (error) => this.reportError(error),
    );
    streams.add(stream);
    return stream;
  }

  /** Transport work of subscribing to `topic`. */
  protected abstract internalSubscribe(topic: string, options?: O): Promise<void> | void;

  /** Transport work of unsubscribing from `topic`. */
  protected abstract internalUnsubscribe(topic: string): Promise<void> | void;

  /** Hook run before a subscription is registered; override to add behaviour. */
  protected onSubscribing(
    _topic: string,
    _handler: EventHandler | undefined,
    _options?: O,
  ): Promise<void> | void {}

  /** Hook run after a subscription is in place; override to add behaviour. */
  protected onSubscribed(
    _topic: string,
    _handler: EventHandler | undefined,
    _options?: O,
  ): Promise<void> | void {}

  /** Hook run before unsubscribing (`topic` undefined: from everything). */
  protected onUnsubscribing(_topic: string | undefined): Promise<void> | void {}

  /** Hook run after unsubscribing (`topic` undefined: from everything). */
  protected onUnsubscribed(_topic: string | undefined): Promise<void> | void {}
}

/** `error` as a BuslineError: itself, or one saying `context` with the error as cause. */
function asBuslineError(error: unknown, context: string): BuslineError {
  if (error instanceof BuslineError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new BuslineError(`${context}: ${reason}`, { cause: error });
}

/** Calls `done` once `tick` was called as often as `remaining` says (starting at one). */
class Countdown {
  remaining = 1;
  constructor(private readonly done: HandledCallback) {}
  readonly tick = (): void => {
    if (--this.remaining === 0) this.done();
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value >= 1) || (!Number.isInteger(value) && value !== Infinity)) {
    throw new InvalidArgumentError(name, 'a whole number of at least 1 (or Infinity)', value);
  }
  return value;
}
