import type { ValidatorOptions } from 'class-validator';
import type { Publisher } from '../../core/publisher';
import type { Subscriber } from '../../core/subscriber';
import type { EventBus } from '../../local/event-bus';
import type { FlowPageOptions } from '../flow-page/flow-page-options.interface';
import type { BuslineErrorHook } from './busline-error-hook.interface';
import type { DeadLetterOptions } from './dead-letter-options.interface';
import type { MqttTransportOptions } from './mqtt-transport-options.interface';
import type { RetryOptions } from './retry-options.interface';

/** Options of the local (in-process) transport. */
export interface LocalTransportOptions {
  /** Name to choose this transport by in `transport` options (default `'local'`). */
  name?: string;
  /**
   * The bus to use. Default: a bus of this application only, so two applications in one process
   * do not see each other's events. Pass `new LocalEventBus()` (the process-wide bus) to connect
   * applications, or plain Busline code, on purpose.
   */
  eventbus?: EventBus;
}

/**
 * User-supplied publishers or subscribers (custom transports). An array is named `'custom'`; an
 * object names each entry by its key, so `{ audit: new KafkaPublisher() }` is chosen with
 * `{ transport: 'audit' }`. Busline connects and disconnects them with the application.
 */
export type NamedConnectors<T> = readonly T[] | Readonly<Record<string, T | readonly T[]>>;

/** Options of `BuslineModule.forRoot()` (and what `forRootAsync()`'s factory returns). */
export interface BuslineModuleOptions {
  /** The in-process transport: `true`, or its options. */
  local?: boolean | LocalTransportOptions;
  /**
   * MQTT: one broker connection (`{ url }` or `{ hostname, port }`, plus client options and a
   * default QoS), or several, each with its own `name`.
   */
  mqtt?: MqttTransportOptions | readonly MqttTransportOptions[];
  /** User-supplied publishers (custom transports). */
  publishers?: NamedConnectors<Publisher>;
  /** User-supplied subscribers (custom transports). */
  subscribers?: NamedConnectors<Subscriber>;
  /** Publisher identifier of the events the injected client publishes (default: a UUID). */
  identifier?: string;
  /**
   * Called with every error Busline reports (after logging it): failing handlers, invalid
   * messages, transport errors.
   */
  onError?: BuslineErrorHook;
  /** Dead-letter topic for events handlers could not handle (default: none). */
  deadLetter?: string | DeadLetterOptions;
  /** Retry policy of every `@Subscribe` handler unless it sets its own (default: no retry). */
  retry?: RetryOptions;
  /**
   * Validate payloads whose class carries class-validator decorators before handlers run
   * (default `true`). An object sets class-validator's options.
   */
  validation?: boolean | ValidatorOptions;
  /** How long connecting each transport may take at startup, in ms (default 30,000). */
  connectTimeout?: number;
  /**
   * How long `app.close()` waits for handlers still running, in ms (default 10,000). Applies to
   * the transports Busline builds; user-supplied subscribers use their own `drainTimeout`.
   */
  shutdownTimeout?: number;
  /**
   * Default `timeout` of the injected client's publishes, in ms: a publish that has not completed
   * by then (its broker is down, say) rejects with `PublishTimeoutError`, whose `mayStillBeSent`
   * tells whether the event was withdrawn. A publish's own `timeout` option wins. Default: no
   * limit (a publish waits for the broker as long as it takes).
   */
  publishTimeout?: number;
  /**
   * Default `timeout` of the injected client's `request()`, in ms (default 30,000): with no reply
   * by then, the request rejects with `RequestTimeoutError`. A request's own `timeout` wins.
   */
  requestTimeout?: number;
  /**
   * The topic the injected client's replies come back on (default `busline/replies/<random
   * UUID>`). It must be this application's alone: several instances of one service each need
   * their own, so leave the default unless your broker's ACLs ask for a known prefix (then make
   * it unique per instance, for example with the host name).
   */
  replyTopic?: string;
  /** Log each `@Subscribe` binding at startup (default `true`). */
  logBindings?: boolean;
  /**
   * With several subscribers, a `@Subscribe` method that names no transport (and a subscription
   * made through the injected client without `transport`) gets each event once, whichever
   * transports carried it: Busline remembers the last `deduplicationWindow` event identifiers
   * per topic filter (default 10,000, about 1 MB once full). A copy that arrives after more than
   * this many other events on its filter runs the handlers again: raise it if one transport can
   * lag that far behind another (a burst published faster than the broker delivers it).
   */
  deduplicationWindow?: number;
  /**
   * Serve a page that draws the event flow of this process's Busline applications with live
   * counters, such as `{ path: '/busline' }` (default: no page, and nothing is counted). Needs an
   * HTTP server: an application context has none, and its flow shows on the page of another
   * application of the process that serves one.
   */
  flowPage?: FlowPageOptions;
}
