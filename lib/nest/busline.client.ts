import type { Event } from '../core/event';
import { InvalidArgumentError } from '../core/errors/invalid-argument.error';
import type { HandlerLike } from '../core/handlers/event-handler';
import type { BuslineLogger } from '../core/logger';
import type { BuslineMessage } from '../core/message';
import type { Publishable, Publisher } from '../core/publisher';
import {
  PubSubClient,
  type ClientPublishOptions,
  type ClientSubscribeOptions,
  type RequestOptions,
} from '../core/pubsub-client';
import type { Subscriber } from '../core/subscriber';
import type { MultiSubscribeOptions, Unsubscribe } from '../core/subscriber.options';
import type { BuslineTransports } from './busline.transports';
import { BuslineConfigurationError } from './errors/busline-configuration.error';
import { BuslineConnectionError } from './errors/busline-connection.error';
import { TIMED_OUT, within } from './within';

/** Options of {@link BuslineClient.publish}: the core ones plus a choice of transports by name. */
export interface BuslinePublishOptions extends ClientPublishOptions {
  /** Publish only through the transports of these names (`'local'`, `'mqtt'`, a custom name). */
  transport?: string | readonly string[];
}

/** Options of {@link BuslineClient.subscribe}: the core ones plus a choice of transports by name. */
export interface BuslineSubscribeOptions extends ClientSubscribeOptions {
  /** Subscribe only through the transports of these names. */
  transport?: string | readonly string[];
}

/** Options of {@link BuslineClient.request}: the core ones plus a choice of transports by name. */
export interface BuslineRequestOptions extends RequestOptions {
  /** Send the request only through the transports of these names. */
  transport?: string | readonly string[];
}

/** @internal How a {@link BuslineClient} connects (from the module options). */
export interface BuslineClientOptions {
  /** Publisher identifier of the events it publishes (default: a UUID). */
  identifier?: string;
  /** How long each transport may take to connect, in ms (default 30,000). */
  connectTimeout?: number;
  /**
   * How long each transport may take to disconnect, in ms (default 10,000); a subscriber gets
   * one second more, for its own drain to time out first.
   */
  shutdownTimeout?: number;
  /** Default `timeout` of its publishes, in ms (default: no limit). */
  publishTimeout?: number;
  /** Default `timeout` of its requests, in ms (default 30,000). */
  requestTimeout?: number;
  /** The topic its replies come back on (default `busline/replies/<random UUID>`). */
  replyTopic?: string;
  /** Where it reports. */
  logger: BuslineLogger;
  /**
   * How many event identifiers a subscription made without `transport` remembers to hand its
   * handler each event once (default 10,000); see the module option of that name.
   */
  deduplicationWindow?: number;
}

const DEFAULT_CONNECT_TIMEOUT = 30_000;
const DEFAULT_SHUTDOWN_TIMEOUT = 10_000;

/**
 * The `PubSubClient` a NestJS application injects (`constructor(private readonly bus:
 * PubSubClient)`; inject `BuslineClient` itself to have the `transport` option typed). It knows
 * its transports by name, so `publish(topic, message, { transport: 'mqtt' })` picks them, and it
 * is started by the module: a publish made before the application finished starting waits until
 * the `@Subscribe` handlers are registered and the transports connected, so nothing published
 * during startup is lost.
 */
export class BuslineClient extends PubSubClient {
  /** The transport names, in the order they were configured. */
  readonly transportNames: readonly string[];
  private readonly names = new Map<Publisher | Subscriber, string>();
  private readonly connectTimeout: number;
  private readonly shutdownTimeout: number;
  private readonly logger: BuslineLogger;
  private readonly deduplicationWindow: number | undefined;
  private preparation: (() => Promise<void>) | undefined;
  private prepared: Promise<void> | undefined;
  private readonly preparedSignal: Promise<void>;
  private signalPrepared!: () => void;
  private startup: Promise<void> | undefined;
  private started = false;
  private stopped = false;

  /** @internal Built by {@link BuslineModule} from its options; inject it, do not construct it. */
  constructor(transports: BuslineTransports, options: BuslineClientOptions) {
    super(
      transports.publishers.map((p) => p.connector),
      transports.subscribers.map((s) => s.connector),
      {
        identifier: options.identifier,
        publishTimeout: options.publishTimeout,
        requestTimeout: options.requestTimeout,
        replyTopic: options.replyTopic,
      },
    );
    for (const { name, connector } of [...transports.publishers, ...transports.subscribers]) {
      this.names.set(connector, name);
    }
    this.transportNames = [...new Set(this.names.values())];
    this.connectTimeout = options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    this.shutdownTimeout = options.shutdownTimeout ?? DEFAULT_SHUTDOWN_TIMEOUT;
    this.logger = options.logger;
    this.deduplicationWindow = options.deduplicationWindow;
    this.preparedSignal = new Promise((resolve) => (this.signalPrepared = resolve));
  }

  /** The name of the transport a publisher or subscriber of this client belongs to. */
  transportOf(connector: Publisher | Subscriber): string | undefined {
    return this.names.get(connector);
  }

  /** The subscribers of the transports named (all of them when `names` is undefined). */
  subscribersOf(names: string | readonly string[] | undefined): Subscriber[] {
    return this.pick(this.subscribers, names, 'options.transport') as Subscriber[];
  }

  /**
   * Publish through every publisher, or through the transports `options.transport` names. Before
   * the application has started, waits for it to (handlers registered, transports connected).
   */
  override publish(
    topic: string,
    message?: Publishable,
    options?: BuslinePublishOptions,
  ): Promise<Event> {
    let routed: ClientPublishOptions | undefined;
    try {
      routed = this.route(options, this.publishers);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!this.started && !this.stopped) {
      return this.startedForPublish(topic).then(() => super.publish(topic, message, routed));
    }
    return super.publish(topic, message, routed);
  }

  /**
   * Send a request and resolve with its reply (see `PubSubClient.request`), through every
   * publisher or the transports `options.transport` names. A `@Subscribe` method answers it by
   * returning the reply. Before the application has started, waits for it, as `publish` does.
   */
  override request(
    topic: string,
    message?: Publishable,
    options?: BuslineRequestOptions,
  ): Promise<Event> {
    let routed: RequestOptions | undefined;
    try {
      routed = this.route(options, this.publishers);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!this.started && !this.stopped) {
      return this.startedForPublish(topic).then(() => super.request(topic, message, routed));
    }
    return super.request(topic, message, routed);
  }

  /**
   * Subscribe through every subscriber, or through the transports `options.transport` names.
   * Without `transport` (or `via`, or `deliver`), the handler gets each event once, whichever
   * transports carried it, as a `@Subscribe` method does; `deliver: 'per-subscriber'` gives it
   * what each subscriber carries, as a plain `PubSubClient` does.
   */
  override subscribe<M extends BuslineMessage = BuslineMessage>(
    topic: string,
    handler?: HandlerLike<M>,
    options?: BuslineSubscribeOptions,
  ): Promise<Unsubscribe> {
    try {
      return super.subscribe(
        topic,
        handler,
        this.route(this.delivery(handler, options), this.subscribers),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Subscribe to several topics, through the transports `options.transport` names; each event
   * once, as {@link BuslineClient.subscribe} says.
   */
  override multiSubscribe<M extends BuslineMessage = BuslineMessage>(
    topics: readonly string[],
    handler?: HandlerLike<M>,
    options?: BuslineSubscribeOptions & MultiSubscribeOptions,
  ): Promise<void> {
    try {
      return super.multiSubscribe(
        topics,
        handler,
        this.route(this.delivery(handler, options), this.subscribers),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Connect every transport, each within `connectTimeout`. If one fails, the others are
   * disconnected again and this rejects with a {@link BuslineConnectionError} naming it.
   */
  override async connect(): Promise<void> {
    this.observeMetrics(true);
    const all = [...this.subscribers, ...this.publishers];
    const results = await Promise.allSettled(all.map((connector) => this.connectOne(connector)));
    const failed = results.findIndex((r) => r.status === 'rejected');
    if (failed === -1) return;
    // Undo what connected; a connector still trying is told to stop, without waiting for it.
    await Promise.allSettled(
      all.map((connector, i) => {
        const disconnecting = connector.disconnect();
        return results[i].status === 'fulfilled'
          ? disconnecting
          : void disconnecting.catch(() => {});
      }),
    );
    throw (results[failed] as PromiseRejectedResult).reason;
  }

  /**
   * @internal Start the client once: prepare (bind the `@Subscribe` handlers), then connect.
   * Every later call gets the same promise.
   */
  whenReady(): Promise<void> {
    this.startup ??= (async () => {
      await this.prepare();
      await this.connect();
      this.started = true;
    })();
    return this.startup;
  }

  /**
   * @internal Run the preparation the module registered, once. The module calls it in its
   * `onModuleInit`, when every provider exists.
   */
  prepare(): Promise<void> {
    this.prepared ??= (async () => {
      await this.preparation?.();
      this.signalPrepared();
    })();
    return this.prepared;
  }

  /** @internal Set what {@link prepare} runs. */
  prepareWith(preparation: () => Promise<void>): void {
    this.preparation = preparation;
  }

  /**
   * A publish made before the application started waits for it. Once the handlers are bound it
   * starts the connection itself (a provider's own `onModuleInit` or `onApplicationBootstrap` may
   * run before the module's); before that it waits for the module, at most `connectTimeout`.
   */
  private async startedForPublish(topic: string): Promise<void> {
    if (
      this.prepared === undefined &&
      (await within(this.preparedSignal, this.connectTimeout)) === TIMED_OUT
    ) {
      throw new BuslineConfigurationError(
        `publish('${topic}') waited ${this.connectTimeout} ms for Busline to start. Busline ` +
          "starts in BuslineModule's onModuleInit, so a publish awaited earlier (in a factory " +
          'provider, or in the onModuleInit of a module initialized before BuslineModule) cannot ' +
          'complete. Publish from onModuleInit() or onApplicationBootstrap() of a provider, with ' +
          'BuslineModule global (the default)',
      );
    }
    await this.whenReady();
  }

  /** @internal Stop taking events: disconnect the subscribers, letting running handlers finish. */
  async stopReceiving(): Promise<void> {
    this.stopped = true;
    await Promise.all(
      this.subscribers.map((s) => this.disconnectOne(s, this.shutdownTimeout + 1_000)),
    );
    this.cancelRequests();
  }

  /**
   * Disconnect every subscriber (letting their handlers finish), then every publisher. A
   * transport that does not finish within the shutdown timeout is left behind with a warning.
   */
  override async disconnect(): Promise<void> {
    await this.stopReceiving();
    await Promise.all(this.publishers.map((p) => this.disconnectOne(p, this.shutdownTimeout)));
    this.observeMetrics(false);
  }

  private async disconnectOne(connector: Publisher | Subscriber, limit: number): Promise<void> {
    const transport = this.names.get(connector);
    try {
      if ((await within(connector.disconnect(), limit)) === TIMED_OUT) {
        this.logger.warn(
          `Transport '${transport}': ${connector} did not disconnect within ${limit} ms; going on without it`,
        );
      }
    } catch (error) {
      this.logger.error(
        `Transport '${transport}': ${connector} failed to disconnect: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  }

  private async connectOne(connector: Publisher | Subscriber): Promise<void> {
    const name = this.names.get(connector)!;
    try {
      if ((await within(connector.connect(), this.connectTimeout)) === TIMED_OUT) {
        throw new Error(`no connection after ${this.connectTimeout} ms (connectTimeout)`);
      }
      this.logger.debug?.(`Transport '${name}': ${connector} connected`);
    } catch (error) {
      throw new BuslineConnectionError(name, connector.toString(), error);
    }
  }

  /** The options with the module's delivery rule: once per event unless they choose otherwise. */
  private delivery<O extends BuslineSubscribeOptions>(
    handler: unknown,
    options: O | undefined,
  ): O | undefined {
    if (
      handler === undefined ||
      this.subscribers.length < 2 ||
      options?.transport !== undefined ||
      options?.via !== undefined ||
      options?.deliver !== undefined
    ) {
      return options;
    }
    return { deduplicationWindow: this.deduplicationWindow, ...options, deliver: 'once' } as O;
  }

  private route<O extends BuslinePublishOptions | BuslineSubscribeOptions | BuslineRequestOptions>(
    options: O | undefined,
    connectors: readonly (Publisher | Subscriber)[],
  ): O | undefined {
    if (options?.transport === undefined) return options;
    const { transport, via, ...rest } = options;
    const chosen = new Set<Publisher | Subscriber>(
      this.pick(connectors, transport, 'options.transport'),
    );
    return {
      ...rest,
      via: (c: Publisher | Subscriber) =>
        chosen.has(c) && (via === undefined || (via as (c: unknown) => boolean)(c)),
    } as O;
  }

  private pick(
    connectors: readonly (Publisher | Subscriber)[],
    names: string | readonly string[] | undefined,
    parameter: string,
  ): (Publisher | Subscriber)[] {
    if (names === undefined) return [...connectors];
    const wanted = typeof names === 'string' ? [names] : names;
    for (const name of wanted) {
      if (!this.transportNames.includes(name)) {
        throw new InvalidArgumentError(
          parameter,
          `a configured transport name (${this.transportNames.map((n) => `'${n}'`).join(', ')})`,
          name,
        );
      }
    }
    return connectors.filter((c) => wanted.includes(this.names.get(c)!));
  }
}
