import { randomUUID } from 'node:crypto';
import {
  statusesOf,
  watchStatuses,
  type ConnectorStatus,
  type ConnectorStatusChange,
} from './client-status';
import { delivery, pick } from './client-routing';
import { NotConnectedError } from './errors/not-connected.error';
import type { Event } from './event';
import { forEachTopic } from './for-each-topic';
import type { BuslineMessage } from './message';
import {
  createEvent,
  toMessage,
  type MultiPublishOptions,
  type Publishable,
  type PublishOptions,
  type Publisher,
} from './publisher';
import { checkedTimeout } from './option-checks';
import { validatePublishTopic } from './topics/topic.validation';
import { toHandler, type HandlerLike } from './handlers/event-handler';
import { observeClient } from './telemetry/client-telemetry';
import { LOCAL_MESSAGING_SYSTEM, messageTypeOf } from './telemetry/messaging-attributes';
import { OTEL_PRESENCE } from './telemetry/otel-api';
import { instrumentedPublish, instrumentedRequest } from './telemetry/publish-telemetry';
import { Replier } from './request/replier';
import { ReplyingEventHandler } from './request/replying-event-handler';
import { Requester } from './request/requester';
import type { Subscriber } from './subscriber';
import type { MultiSubscribeOptions, SubscribeOptions, Unsubscribe } from './subscriber.options';

/** Options of `PubSubClient.publish()`: the event's, the transports', and which publishers. */
export interface ClientPublishOptions extends PublishOptions {
  /** Only the publishers for which this returns true (default: all of them). */
  via?: (publisher: Publisher) => boolean;
  /** Anything a transport understands (QoS, retain, ...), passed to every publisher. */
  [option: string]: unknown;
}

/** Options of `PubSubClient.subscribe()`. */
export interface ClientSubscribeOptions extends SubscribeOptions {
  /** Only the subscribers for which this returns true (default: all of them). */
  via?: (subscriber: Subscriber) => boolean;
  /**
   * How the handler gets the events of the subscribers of this call.
   * - `'per-subscriber'` (default, the Python library's rule): from each subscriber, what it
   *   carries; an event published through a local and an MQTT transport runs it twice.
   * - `'once'`: once per event (by identifier), whichever of the subscribers carried it; see
   *   `DeduplicatingEventHandler`. It needs a handler.
   */
  deliver?: 'per-subscriber' | 'once';
  /**
   * With `deliver: 'once'`: how many event identifiers to remember (default 10,000); a copy that
   * arrives after this many other events runs the handler again.
   */
  deduplicationWindow?: number;
  /** Anything a transport understands (QoS, ...), passed to every subscriber. */
  [option: string]: unknown;
}

/** Options of `PubSubClient.request()`: the publish options of the request, and its timeout. */
export interface RequestOptions extends PublishOptions {
  /**
   * How long to wait for the reply, in ms, publishing included (default: the client's
   * `requestTimeout`); then the request rejects with `RequestTimeoutError`.
   */
  timeout?: number;
  /** Only the publishers for which this returns true (default: all of them). */
  via?: (publisher: Publisher) => boolean;
  /** Anything a transport understands (QoS, ...), passed to every publisher. */
  [option: string]: unknown;
}

/** Options of a {@link PubSubClient}. */
export interface PubSubClientOptions {
  /** Publisher identifier of the events the client builds (default: a random UUID). */
  identifier?: string;
  /**
   * Default `timeout` of the client's publishes, in ms (see `PublishOptions.timeout`); a
   * publisher's own `publishTimeout` applies when neither is given. Default: no limit.
   */
  publishTimeout?: number;
  /** Default `timeout` of the client's requests, in ms (default 30,000). */
  requestTimeout?: number;
  /**
   * The topic the client's replies come back on (default `busline/replies/<random UUID>`). It
   * must be this client's alone, so that a reply reaches only the requester.
   */
  replyTopic?: string;
}

const DEFAULT_REQUEST_TIMEOUT = 30_000;

/**
 * How long, at most, a client's publishers hold back what they queued during an outage once they
 * are connected again, waiting for its subscribers to restore their subscriptions (ms).
 */
const RESTORE_WAIT = 10_000;

/**
 * A set of publishers and subscribers used as one: `connect()`, `publish()`, `subscribe()` and
 * the rest fan out to all of them (or to those `via` picks). Transports can be mixed, for example
 * a local publisher with an MQTT subscriber.
 */
export class PubSubClient {
  /** Publisher identifier of the events this client builds. */
  readonly identifier: string;
  /** See {@link PubSubClientOptions.publishTimeout}. */
  readonly publishTimeout: number | undefined;
  /** See {@link PubSubClientOptions.requestTimeout}. */
  readonly requestTimeout: number;
  /** @internal Sends the replies of the handlers subscribed through this client. */
  readonly replier: Replier;
  private readonly requester: Requester;
  /** Stops the metrics observed while connected (with a meter provider registered). */
  private stopObserving: (() => void) | undefined;

  constructor(
    readonly publishers: readonly Publisher[] = [],
    readonly subscribers: readonly Subscriber[] = [],
    options: PubSubClientOptions = {},
  ) {
    this.identifier = options.identifier ?? randomUUID();
    this.publishTimeout = checkedTimeout('options.publishTimeout', options.publishTimeout);
    this.requestTimeout =
      checkedTimeout('options.requestTimeout', options.requestTimeout) ?? DEFAULT_REQUEST_TIMEOUT;
    const replyTopic = options.replyTopic ?? `busline/replies/${randomUUID()}`;
    validatePublishTopic(replyTopic);
    this.replier = new Replier((topic, message, headers) =>
      this.publish(topic, message, { headers }),
    );
    this.requester = new Requester(
      {
        identifier: this.identifier,
        // QoS 1 on a broker, so a reply sent at QoS 1 stays so (other transports ignore it).
        subscribeReplies: (topic, handler) =>
          this.subscribe(topic, handler, {
            qos: 1,
            ...(this.subscribers.length > 1 && { deliver: 'once' }),
          }),
      },
      replyTopic,
    );
    // After a broker restart, what the publishers queued goes out only once the subscribers have
    // their subscriptions back, so the client never misses its own events.
    if (subscribers.length > 0) {
      for (const publisher of publishers) {
        publisher.holdQueuedUntil(() => this.subscriptionsRestored());
      }
    }
  }

  /**
   * Resolves once every subscriber has its subscriptions in place after a reconnection, or
   * after `RESTORE_WAIT` ms (a subscriber whose own broker is still down must not hold
   * back the publishers for ever).
   */
  private subscriptionsRestored(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([
      Promise.all(this.subscribers.map((s) => s.subscriptionsRestored())).then(() => undefined),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, RESTORE_WAIT))),
    ]).finally(() => clearTimeout(timer));
  }

  /**
   * Where each publisher and subscriber stands with its event bus (see `ConnectionStatus`):
   * all `connected` means the client is fully up.
   */
  statuses(): ConnectorStatus[] {
    return statusesOf(this.publishers, this.subscribers);
  }

  /**
   * Call `listener` on every status change of any of the client's publishers and subscribers (a
   * lost broker, a reconnection); returns a function that stops it.
   */
  onStatus(listener: (change: ConnectorStatusChange) => void): () => void {
    return watchStatuses(this.publishers, this.subscribers, listener);
  }

  /** Connect every publisher and subscriber. */
  async connect(): Promise<void> {
    this.observeMetrics(true);
    await Promise.all([...this.publishers, ...this.subscribers].map((c) => c.connect()));
  }

  /**
   * Disconnect every subscriber (letting their handlers finish), then every publisher. Requests
   * still waiting for their reply reject with `NotConnectedError`.
   */
  async disconnect(): Promise<void> {
    await Promise.all(this.subscribers.map((s) => s.disconnect()));
    this.cancelRequests();
    await Promise.all(this.publishers.map((p) => p.disconnect()));
    this.observeMetrics(false);
  }

  /**
   * @internal Start (on connect) or stop (on disconnect) the client's observed metrics: backlog
   * and offline-queue gauges, connection changes. Nothing happens without a meter provider.
   */
  protected observeMetrics(on: boolean): void {
    if (on) {
      this.stopObserving ??= observeClient(this.identifier, this.publishers, this.subscribers);
    } else {
      this.stopObserving?.();
      this.stopObserving = undefined;
    }
  }

  /** @internal The subscribers are gone: no reply can come, so no request waits for one. */
  protected cancelRequests(): void {
    if (this.requester.waiting === 0) return;
    this.requester.cancelAll(
      (topic) =>
        new NotConnectedError(
          `PubSubClient('${this.identifier}')`,
          `receive the reply to its request on '${topic}'`,
        ),
    );
  }

  /**
   * Resolves once no subscriber has a handler running or waiting, or after `timeout` ms; resolves
   * `true` if it got there. On the local bus, `await publish(...)` then `await drain()` means the
   * handlers have run (useful in tests).
   */
  async drain(timeout?: number): Promise<boolean> {
    const done = await Promise.all(this.subscribers.map((s) => s.drain(timeout)));
    return done.every(Boolean);
  }

  /**
   * Publish one event through every publisher (or those `options.via` picks): the same identifier
   * and timestamp on every transport, with this client's identifier as publisher.
   */
  publish(topic: string, message?: Publishable, options?: ClientPublishOptions): Promise<Event> {
    try {
      return this.publishOnce(topic, message, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private publishOnce(
    topic: string,
    message: Publishable,
    options: ClientPublishOptions | undefined,
  ): Promise<Event> {
    const publishers = pick(this.publishers, options?.via, 'publisher', `publish on '${topic}'`);
    const event = createEvent(this.identifier, message, options);
    if (this.publishTimeout !== undefined && options?.timeout === undefined) {
      options = { ...options, timeout: this.publishTimeout };
    }
    if (!OTEL_PRESENCE.registered) return this.publishThrough(publishers, topic, event, options);
    return instrumentedPublish(systemOf(publishers), this.identifier, topic, event, (traced) =>
      this.publishThrough(publishers, topic, traced, options),
    );
  }

  private publishThrough(
    publishers: readonly Publisher[],
    topic: string,
    event: Event,
    options: ClientPublishOptions | undefined,
  ): Promise<Event> {
    return publishers.length === 1
      ? publishers[0].publishEvent(topic, event, options)
      : Promise.all(publishers.map((p) => p.publishEvent(topic, event, options))).then(() => event);
  }

  /**
   * Publish a request on `topic` and resolve with its reply: the event a responder's handler
   * sent back by returning a value (a `@Subscribe` method's return value; `undefined` sends no
   * reply). Rejects with `RequestTimeoutError` when no reply came within `options.timeout`,
   * `RemoteHandlerError` when the responder's handler threw, and `NoResponderError` (at once)
   * when every transport can tell that nobody is subscribed to `topic`. The reply comes back on
   * {@link PubSubClient.replyTopic}, subscribed on the first request.
   */
  async request(topic: string, message?: Publishable, options?: RequestOptions): Promise<Event> {
    const publishers = pick(this.publishers, options?.via, 'publisher', `request on '${topic}'`);
    const timeout = checkedTimeout('options.timeout', options?.timeout) ?? this.requestTimeout;
    pick(this.subscribers, undefined, 'subscriber', `receive the reply to a request on '${topic}'`);
    const { timeout: _timeout, via: _via, ...rest } = options ?? {};
    const publishOptions: PublishOptions =
      this.publishTimeout === undefined ? rest : { ...rest, timeout: this.publishTimeout };
    if (!OTEL_PRESENCE.registered) {
      return this.requester.request(topic, message, publishers, timeout, publishOptions);
    }
    return instrumentedRequest(
      systemOf(publishers),
      this.identifier,
      topic,
      messageTypeOf(toMessage(message)),
      publishOptions,
      (traced) => this.requester.request(topic, message, publishers, timeout, traced),
    );
  }

  /** The topic this client's replies come back on (see {@link PubSubClientOptions.replyTopic}). */
  get replyTopic(): string {
    return this.requester.replyTopic;
  }

  /**
   * How many replies arrived that no request waited for: replies to requests that had timed out
   * (they are dropped), or to requests this client never made.
   */
  get lateReplies(): number {
    return this.requester.lateReplies;
  }

  /** Publish the same message on several topics (one event each). */
  async multiPublish(
    topics: readonly string[],
    message?: Publishable,
    options?: ClientPublishOptions & MultiPublishOptions,
  ): Promise<Event[]> {
    return forEachTopic(topics, options?.parallel, (topic) =>
      this.publish(topic, message, options),
    );
  }

  /** Subscribe every subscriber (or those `options.via` picks); resolves with an undo function. */
  async subscribe<M extends BuslineMessage = BuslineMessage>(
    topic: string,
    handler?: HandlerLike<M>,
    options?: ClientSubscribeOptions,
  ): Promise<Unsubscribe> {
    const subscribers = pick(
      this.subscribers,
      options?.via,
      'subscriber',
      `subscribe to '${topic}'`,
    );
    const [target, forwarded] = this.replying(delivery(handler, options, subscribers.length));
    const results = await Promise.allSettled(
      subscribers.map((s) => s.subscribe(topic, target, forwarded)),
    );
    const undo = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) {
      // All or nothing: undo the subscriptions that were made, then report the failure.
      await Promise.allSettled(undo.map((u) => u()));
      throw failed.reason;
    }
    return async () => {
      await Promise.all(undo.map((u) => u()));
    };
  }

  /**
   * The handler of a subscription, made to reply to the requests it handles (as it is when the
   * client has no publisher to reply with).
   */
  private replying<M extends BuslineMessage, O>([handler, options]: [
    HandlerLike<M> | undefined,
    O,
  ]): [HandlerLike<M> | undefined, O] {
    if (handler === undefined || this.publishers.length === 0) return [handler, options];
    const wrapped = new ReplyingEventHandler(toHandler(handler as HandlerLike), this.replier);
    return [wrapped as unknown as HandlerLike<M>, options];
  }

  /** Unsubscribe every subscriber from `topic`, or from everything. */
  async unsubscribe(topic?: string): Promise<void> {
    await Promise.all(this.subscribers.map((s) => s.unsubscribe(topic)));
  }

  /** Subscribe to several topics with the same handler (every subscriber, or those `via` picks). */
  async multiSubscribe<M extends BuslineMessage = BuslineMessage>(
    topics: readonly string[],
    handler?: HandlerLike<M>,
    options?: ClientSubscribeOptions & MultiSubscribeOptions,
  ): Promise<void> {
    const subscribers = pick(
      this.subscribers,
      options?.via,
      'subscriber',
      `subscribe to ${topics.map((t) => `'${t}'`).join(', ')}`,
    );
    const [target, forwarded] = this.replying(delivery(handler, options, subscribers.length));
    await Promise.all(subscribers.map((s) => s.multiSubscribe(topics, target, forwarded)));
  }

  /** Unsubscribe from several topics. */
  async multiUnsubscribe(
    topics: readonly string[],
    options?: MultiSubscribeOptions,
  ): Promise<void> {
    await Promise.all(this.subscribers.map((s) => s.multiUnsubscribe(topics, options)));
  }
}

/** Builds a {@link PubSubClient} step by step. */
export class PubSubClientBuilder {
  private readonly publishers: Publisher[] = [];
  private readonly subscribers: Subscriber[] = [];
  private identifier: string | undefined;

  /** Give the client an identifier (the publisher identifier of its events). */
  withIdentifier(identifier: string): this {
    this.identifier = identifier;
    return this;
  }

  /** Add a publisher. */
  withPublisher(publisher: Publisher): this {
    this.publishers.push(publisher);
    return this;
  }

  /** Add publishers. */
  withPublishers(publishers: readonly Publisher[]): this {
    this.publishers.push(...publishers);
    return this;
  }

  /** Add a subscriber. */
  withSubscriber(subscriber: Subscriber): this {
    this.subscribers.push(subscriber);
    return this;
  }

  /** Add subscribers. */
  withSubscribers(subscribers: readonly Subscriber[]): this {
    this.subscribers.push(...subscribers);
    return this;
  }

  /** The client with everything added so far. */
  build(): PubSubClient {
    return new PubSubClient([...this.publishers], [...this.subscribers], {
      identifier: this.identifier,
    });
  }
}

/** The `messaging.system` of a publish through `publishers`: theirs when they agree. */
function systemOf(publishers: readonly Publisher[]): string {
  const system = publishers[0].messagingSystem;
  return publishers.every((p) => p.messagingSystem === system) ? system : LOCAL_MESSAGING_SYSTEM;
}
