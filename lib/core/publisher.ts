import { EventBusConnector, type ConnectorOptions } from './connector';
import { InvalidArgumentError } from './errors/invalid-argument.error';
import { NotConnectedError } from './errors/not-connected.error';
import { PublishTimeoutError } from './errors/publish-timeout.error';
import { checkedTimeout } from './option-checks';
import { Event, type EventHeaders } from './event';
import { checkedHeaders } from './event-headers';
import { forEachTopic } from './for-each-topic';
import { isMessage, type BuslineMessage } from './message';
import { Float64Message } from './messages/float64.message';
import { Int64Message } from './messages/int64.message';
import { StringMessage } from './messages/string.message';
import { validatePublishTopic } from './topics/topic.validation';
import type { PublishEnvelope } from './envelopes/envelope';
import { LOCAL_MESSAGING_SYSTEM } from './telemetry/messaging-attributes';
import { OTEL_PRESENCE } from './telemetry/otel-api';
import { instrumentedPublish } from './telemetry/publish-telemetry';

/** Read on every event: a constant of this module (see OTEL_PRESENCE). */
const otel = OTEL_PRESENCE;

/**
 * What `publish()` accepts: a {@link BuslineMessage}, or a plain value it wraps (a string in
 * `StringMessage`, an integer or bigint in `Int64Message`, any other number in `Float64Message`),
 * or nothing for an event without payload.
 */
export type Publishable = BuslineMessage | string | number | bigint | null | undefined;

/** Options of one `publish()`; transports add their own (QoS, retain, ...). */
export interface PublishOptions {
  /** The event's identifier, instead of a random UUID. */
  identifier?: string;
  /** The event's timestamp, instead of now. */
  timestamp?: Date;
  /**
   * Reject with {@link PublishTimeoutError} if the publish has not completed after this many ms
   * (default: the publisher's `publishTimeout`, else no limit).
   */
  timeout?: number;
  /**
   * Metadata to send with the event (see `Event.headers`): names to strings. Over MQTT 5 they
   * travel as user properties, elsewhere in the envelope.
   */
  headers?: EventHeaders;
  /**
   * Reject with `NoSubscriberError` when the transport can tell that no subscriber takes the
   * topic: the local bus always can, MQTT 5 for QoS 1 and 2 (the broker's "no matching
   * subscribers" acknowledgement). A transport that cannot tell publishes as usual.
   */
  requireSubscriber?: boolean;
  /**
   * How a broker transport writes the event (default: the publisher's serializer, Python
   * Busline's JSON envelope unless configured): `'raw'` sends the payload alone, `'nest'` and
   * `'cloudevents'` what those systems read; see {@link PublishEnvelope}. The local bus carries
   * the published object itself and ignores it.
   */
  envelope?: PublishEnvelope;
}

/** Options every publisher takes. */
export interface PublisherOptions extends ConnectorOptions {
  /**
   * Default `timeout` of every publish, in ms: a publish not complete by then (say, waiting for a
   * broker that is down) rejects with {@link PublishTimeoutError}. Default: no limit.
   */
  publishTimeout?: number;
}

/** Options of `multiPublish()`. */
export interface MultiPublishOptions {
  /** Publish to all topics at once (default) or one after the other. */
  parallel?: boolean;
}

const INT64_MIN = -(2 ** 63);
const INT64_LIMIT = 2 ** 63;
const INT64_MIN_BIG = -(2n ** 63n);
const INT64_LIMIT_BIG = 2n ** 63n;

/**
 * Turn what `publish()` was given into a message, or `null` for no payload. An integral number
 * beyond the signed 64-bit range (such as `1e300`) can only be a `Float64Message`; a bigint beyond
 * it is an {@link InvalidArgumentError}.
 */
export function toMessage(message: Publishable): BuslineMessage | null {
  // A message is the common case; the wrapping is a function of its own, off every publish's path.
  if (typeof message === 'object' && message !== null && isMessage(message)) return message;
  return wrapValue(message);
}

function wrapValue(message: Publishable): BuslineMessage | null {
  switch (typeof message) {
    case 'object':
      if (message === null) return null;
      break;
    case 'undefined':
      return null;
    case 'string':
      return new StringMessage(message);
    case 'number':
      return Number.isInteger(message) && message >= INT64_MIN && message < INT64_LIMIT
        ? new Int64Message(message)
        : new Float64Message(message);
    case 'bigint':
      if (message >= INT64_MIN_BIG && message < INT64_LIMIT_BIG) return new Int64Message(message);
      throw new InvalidArgumentError('message', 'a bigint in the signed 64-bit range', message);
  }
  throw new InvalidArgumentError(
    'message',
    'a BuslineMessage, a string, a number, a bigint, or nothing',
    message,
  );
}

/** The event `publish(message, options)` sends for a publisher (or client) `publisherIdentifier`. */
export function createEvent(
  publisherIdentifier: string,
  message: Publishable,
  options: PublishOptions | undefined,
): Event {
  return new Event({
    publisherIdentifier,
    payload: toMessage(message),
    identifier: options?.identifier,
    timestamp: options?.timestamp,
    headers: headersOf(options),
  });
}

/** The publish's headers, checked (apart from `createEvent`, which stays small enough to inline). */
function headersOf(options: PublishOptions | undefined): EventHeaders | undefined {
  const headers = options?.headers;
  return headers === undefined ? undefined : checkedHeaders('options.headers', headers);
}

const NO_TOPIC = Symbol('no topic validated yet');

/**
 * Sends events to topics. A transport extends it and implements `internalPublish`; the hooks
 * `onPublishing` / `onPublished` run around it when a subclass overrides them.
 */
export abstract class Publisher<
  O extends PublishOptions = PublishOptions,
> extends EventBusConnector {
  /** See {@link PublisherOptions.publishTimeout}. */
  readonly publishTimeout: number | undefined;
  private readonly hooked: boolean;
  /** The last topic that passed validation: publishing on one topic again skips the checks. */
  private validTopic: unknown = NO_TOPIC;
  private readonly gates: (() => Promise<unknown>)[] = [];

  constructor(options?: PublisherOptions) {
    super(options);
    this.publishTimeout = checkedTimeout('options.publishTimeout', options?.publishTimeout);
    this.hooked =
      this.onPublishing !== Publisher.prototype.onPublishing ||
      this.onPublished !== Publisher.prototype.onPublished;
  }

  /**
   * Publish `message` on `topic` (a concrete topic: no wildcard). Resolves with the event sent
   * once the transport has taken it; for the local bus that is when every subscription has it
   * (handlers may still be running), for a broker when the client has sent it (QoS 0) or the
   * broker acknowledged it (QoS 1, 2).
   */
  publish(topic: string, message?: Publishable, options?: O): Promise<Event> {
    let event: Event;
    try {
      event = createEvent(this.identifier, message, options);
    } catch (error) {
      return Promise.reject(error);
    }
    if (otel.registered) return this.publishTraced(topic, event, options);
    return this.publishEvent(topic, event, options);
  }

  /** `publish()` while an OpenTelemetry provider is registered: in a producer span. */
  private publishTraced(topic: string, event: Event, options: O | undefined): Promise<Event> {
    return instrumentedPublish(this.messagingSystem, this.identifier, topic, event, (traced) =>
      this.publishEvent(topic, traced, options),
    );
  }

  /**
   * @internal The `messaging.system` of this transport in OpenTelemetry spans and metrics:
   * `busline` unless the transport names one (MQTT's is `mqtt`).
   */
  get messagingSystem(): string {
    return LOCAL_MESSAGING_SYSTEM;
  }

  /**
   * Send an event that is already built (its publisher identifier is kept): what `publish()` does
   * after building its event, and how a `PubSubClient` sends one event through several transports.
   */
  publishEvent(topic: string, event: Event, options?: O): Promise<Event> {
    try {
      // Publishers mostly publish on the same topics again: validate each new one only.
      if (topic !== this.validTopic) {
        validatePublishTopic(topic);
        this.validTopic = topic;
      }
      if (!this.connected) throw this.notConnected(topic);
      const timeout =
        options?.timeout === undefined
          ? this.publishTimeout
          : checkedTimeout('options.timeout', options.timeout);
      const sent = this.hooked
        ? this.publishWithHooks(topic, event, options)
        : this.internalPublish(topic, event, options);
      if (sent === undefined) return Promise.resolve(event);
      if (timeout === undefined) return sent.then(() => event);
      return this.bounded(sent, topic, event, timeout);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // The rare branches of publishEvent() are methods of their own: the path of every publish stays
  // small enough for the JIT to inline it whole.
  private notConnected(topic: string): NotConnectedError {
    return new NotConnectedError(this.toString(), `publish on '${topic}'`);
  }

  private bounded(
    sent: Promise<void>,
    topic: string,
    event: Event,
    timeout: number,
  ): Promise<Event> {
    return new Promise<Event>((resolve, reject) => {
      const timer = setTimeout(() => {
        // Whatever the transport does with it later must not become an unhandled rejection.
        sent.catch(() => undefined);
        reject(new PublishTimeoutError(topic, event.identifier, timeout, !this.withdraw(event)));
      }, timeout);
      sent.then(
        () => {
          clearTimeout(timer);
          resolve(event);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /**
   * Called when a publish of `event` timed out: a transport that still holds the event unsent
   * (queued while offline) drops it and returns true; false means it may still be sent.
   */
  protected withdraw(_event: Event): boolean {
    return false;
  }

  /**
   * Have what this publisher queued while its connection was down wait for `gate` before it is
   * sent, after each reconnection. A `PubSubClient` uses it so that its subscribers restore their
   * subscriptions before its own queued events go out. Transports without an offline queue
   * ignore it.
   */
  holdQueuedUntil(gate: () => Promise<unknown>): void {
    this.gates.push(gate);
  }

  /** For transports: resolves once every gate of {@link Publisher.holdQueuedUntil} has opened. */
  protected async queuedMayGo(): Promise<void> {
    if (this.gates.length > 0) await Promise.all(this.gates.map((gate) => gate()));
  }

  private async publishWithHooks(topic: string, event: Event, options?: O): Promise<void> {
    await this.onPublishing(topic, event, options);
    await this.internalPublish(topic, event, options);
    await this.onPublished(topic, event, options);
  }

  /** Publish the same message on several topics (one event each); resolves with the events. */
  async multiPublish(
    topics: readonly string[],
    message?: Publishable,
    options?: O & MultiPublishOptions,
  ): Promise<Event[]> {
    return forEachTopic(topics, options?.parallel, (topic) =>
      this.publish(topic, message, options),
    );
  }

  /** Transport work of publishing: hand `event` to the bus or broker. */
  protected abstract internalPublish(
    topic: string,
    event: Event,
    options?: O,
  ): Promise<void> | void;

  /** Hook run before `internalPublish`; override to add behaviour. */
  protected onPublishing(_topic: string, _event: Event, _options?: O): Promise<void> | void {}

  /** Hook run after `internalPublish` succeeded; override to add behaviour. */
  protected onPublished(_topic: string, _event: Event, _options?: O): Promise<void> | void {}
}
