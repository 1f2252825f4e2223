import { EventBusConnector } from './connector';
import { forEachTopic } from './for-each-topic';
import { asBuslineError, type BuslineError } from './errors/busline.error';
import { HandlerError, HandlerRequiredError } from './errors/handler.error';
import { SubscriptionsRefusedError } from './errors/subscriptions-refused.error';
import type { Event } from './event';
import type { BuslineMessage } from './message';
import { toHandler, type BuslineEventHandler, type HandlerLike } from './handlers/event-handler';
import { InboundDispatcher } from './inbound-dispatcher';
import { checkedCount } from './option-checks';
import { RestoreGate } from './restore-gate';
import { Subscription, type HandledCallback, type SubscriptionOwner } from './subscription';
import type {
  MultiSubscribeOptions,
  SubscribeOptions,
  SubscriberOptions,
  Unsubscribe,
} from './subscriber.options';
import { SubscriptionIndex, type ReadonlySubscriptionIndex } from './subscription-index';
import { validateTopicFilter } from './topics/topic.validation';
import { InstrumentedEventHandler } from './telemetry/instrumented-event-handler';
import { LOCAL_MESSAGING_SYSTEM } from './telemetry/messaging-attributes';

/**
 * Receives events from topics and hands them to handlers and iterators. A transport extends it
 * and implements `internalSubscribe` / `internalUnsubscribe` and feeds inbound events to
 * `deliver()`.
 *
 * Handlers are registered before the transport subscription is made, so nothing that arrives in
 * between goes unhandled. Subscribing before `connect()` is fine: `connect()` makes the transport
 * subscriptions.
 */
export abstract class Subscriber<
  O extends SubscribeOptions = SubscribeOptions,
> extends EventBusConnector {
  /** Refuse to subscribe without a handler (and report events that arrive without one). */
  readonly handlerAlwaysRequired: boolean;
  /** Custom topic matching, if any (see {@link SubscriberOptions.topicNamesMatcher}). */
  readonly topicNamesMatcher: ((topic: string, subscribedTopic: string) => boolean) | undefined;
  /** Receives every error the subscriber reports; without it they are logged. */
  onError: ((error: BuslineError) => void) | undefined;
  /** See {@link SubscriberOptions.maxPendingEvents}. */
  readonly maxPendingEvents: number;
  private readonly drainTimeout: number;
  private readonly subscriptions = new SubscriptionIndex<Subscription<O>>();
  /** What the subscriptions see of this subscriber (the default handler lives there). */
  private readonly owner: SubscriptionOwner;
  private readonly dispatcher: InboundDispatcher;
  /** Closed from a lost connection until its subscriptions are restored. */
  private readonly restoring = new RestoreGate();

  constructor(options: SubscriberOptions = {}) {
    super(options);
    const { defaultHandler } = options;
    const fallback =
      defaultHandler === undefined ? undefined : toHandler(defaultHandler, 'defaultHandler');
    this.handlerAlwaysRequired = options.handlerAlwaysRequired ?? false;
    this.topicNamesMatcher = options.topicNamesMatcher;
    this.onError = options.onError;
    const inboundBufferSize = checkedCount('inboundBufferSize', options.inboundBufferSize, 1024);
    this.maxPendingEvents = checkedCount('maxPendingEvents', options.maxPendingEvents, 1024);
    this.drainTimeout = options.drainTimeout ?? 10_000;
    this.dispatcher = new InboundDispatcher(
      this.handlerAlwaysRequired,
      inboundBufferSize,
      (error) => this.reportError(error),
    );
    const traced = new WeakMap<
      Subscription,
      { handler: BuslineEventHandler; wrapped: BuslineEventHandler }
    >();
    this.owner = {
      defaultHandler: fallback,
      maxPendingEvents: this.maxPendingEvents,
      inFlight: this.dispatcher.inFlight,
      handlerFailed: (error, topic, event, handler) => {
        const name = handler.name ?? handler.constructor.name;
        this.reportError(new HandlerError(topic, event.identifier, name, error));
      },
      // Traced and measured when the application registers an OpenTelemetry provider: each
      // subscription's own handler is wrapped on its first traced event, and again only if the
      // subscription's handler changes.
      instrumented: (subscription, handler) => {
        const known = traced.get(subscription);
        if (known?.handler === handler) return known.wrapped;
        const wrapped = InstrumentedEventHandler.wrap(handler, {
          system: this.messagingSystem,
          clientId: this.identifier,
          filter: subscription.topic,
        });
        traced.set(subscription, { handler, wrapped });
        return wrapped;
      },
    };
  }

  /** Handles events of topics subscribed without a handler of their own. */
  get defaultHandler(): BuslineEventHandler | undefined {
    return this.owner.defaultHandler;
  }

  set defaultHandler(handler: HandlerLike | undefined) {
    this.owner.defaultHandler =
      handler === undefined ? undefined : toHandler(handler, 'defaultHandler');
  }

  /**
   * @internal The `messaging.system` of this transport in OpenTelemetry spans and metrics:
   * `busline` unless the transport names one (MQTT's is `mqtt`).
   */
  get messagingSystem(): string {
    return LOCAL_MESSAGING_SYSTEM;
  }

  /** The topic filters this subscriber has. */
  get topics(): string[] {
    return this.subscriptions.filters();
  }

  /**
   * @internal For a transport that matches topics itself (the local bus): this subscriber's
   * subscriptions, to read only, and for {@link deliverMatched}.
   */
  get subscriptionIndex(): ReadonlySubscriptionIndex<Subscription> {
    return this.subscriptions;
  }

  /**
   * Subscribe to `topic` (MQTT wildcards allowed). Events go to `handler`, else to the default
   * handler, else to `inboundUnhandledEvents`. Subscribing to a topic again replaces its handler.
   * Resolves with a function that undoes the subscription.
   */
  async subscribe<M extends BuslineMessage = BuslineMessage>(
    topic: string,
    handler?: HandlerLike<M>,
    options?: O,
  ): Promise<Unsubscribe> {
    validateTopicFilter(topic);
    const wrapped =
      handler === undefined ? undefined : toHandler(handler as HandlerLike, 'handler');
    if (wrapped === undefined && this.defaultHandler === undefined && this.handlerAlwaysRequired) {
      throw new HandlerRequiredError(topic);
    }
    const concurrency = checkedCount('options.concurrency', options?.concurrency, 1);
    await this.onSubscribing(topic, wrapped, options);
    let subscription = this.subscriptions.get(topic);
    const created = subscription === undefined;
    if (subscription === undefined) {
      subscription = new Subscription<O>(topic, wrapped, options, concurrency, this.owner);
      this.subscriptions.add(subscription);
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
  async multiSubscribe<M extends BuslineMessage = BuslineMessage>(
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
    const matched = this.subscriptions.match(topic, this.topicNamesMatcher);
    return this.dispatcher.dispatch(topic, event, matched, handled);
  }

  /**
   * @internal For a transport that matched `topic` itself (the local bus, or an MQTT subscriber
   * reading one message with several envelopes): like `deliver()`, to `matched` only,
   * subscriptions it took from {@link subscriptionIndex}. With a `topicNamesMatcher`, the
   * transport must have matched with it.
   */
  deliverMatched(
    topic: string,
    event: Event,
    matched: readonly Subscription[],
    handled?: HandledCallback,
  ): Promise<void> | undefined {
    return this.dispatcher.dispatch(topic, event, matched, handled);
  }

  /**
   * Every inbound event, as `[topic, event]`, for `for await`. Each loop gets its own bounded
   * buffer from the moment it starts (see `inboundBufferSize`); loops end on `disconnect()`.
   */
  get inboundEvents(): AsyncIterable<[topic: string, event: Event]> {
    return this.dispatcher.iterable(`${this}.inboundEvents`, false);
  }

  /** Inbound events that no handler took, as `[topic, event]`, for `for await`. */
  get inboundUnhandledEvents(): AsyncIterable<[topic: string, event: Event]> {
    return this.dispatcher.iterable(`${this}.inboundUnhandledEvents`, true);
  }

  /**
   * Resolves once no handler is running and nothing waits for one, or after `timeout` ms;
   * resolves `true` if it got there, `false` on time-out.
   */
  drain(timeout = this.drainTimeout): Promise<boolean> {
    return this.dispatcher.inFlight.idle(timeout);
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
      this.restoring.open();
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
      this.dispatcher.stopping = true;
      try {
        if (!(await this.drain())) {
          this.logger.warn(
            `${this}: handlers still running ${this.drainTimeout} ms after disconnect`,
          );
        }
        await super.disconnect();
      } finally {
        this.dispatcher.stopping = false;
      }
    } else {
      await super.disconnect();
    }
    this.restoring.open();
    this.markSubscriptionsInactive();
    this.dispatcher.endIterators();
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
    this.restoring.open();
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
    return this.restoring.opened();
  }

  /**
   * For transports: the connection was lost; `subscriptionsRestored()` waits until the next
   * `restoreSubscriptions()` is done.
   */
  protected connectionLost(): void {
    this.restoring.close();
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

  private forget(subscription: Subscription<O>): void {
    subscription.active = false;
    this.subscriptions.remove(subscription);
  }

  /** Transport work of subscribing to `topic`. */
  protected abstract internalSubscribe(topic: string, options?: O): Promise<void> | void;

  /** Transport work of unsubscribing from `topic`. */
  protected abstract internalUnsubscribe(topic: string): Promise<void> | void;

  /** Hook run before a subscription is registered; override to add behaviour. */
  protected onSubscribing(
    _topic: string,
    _handler: BuslineEventHandler | undefined,
    _options?: O,
  ): Promise<void> | void {}

  /** Hook run after a subscription is in place; override to add behaviour. */
  protected onSubscribed(
    _topic: string,
    _handler: BuslineEventHandler | undefined,
    _options?: O,
  ): Promise<void> | void {}

  /** Hook run before unsubscribing (`topic` undefined: from everything). */
  protected onUnsubscribing(_topic: string | undefined): Promise<void> | void {}

  /** Hook run after unsubscribing (`topic` undefined: from everything). */
  protected onUnsubscribed(_topic: string | undefined): Promise<void> | void {}
}
