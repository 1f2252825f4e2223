import type { ConnectorOptions } from './connector';
import type { BuslineError } from './errors/busline.error';
import type { HandlerLike } from './handlers/event-handler';
import type { SubscribeEnvelope } from './envelopes/envelope';

/** Undoes the `subscribe()` that returned it. */
export type Unsubscribe = () => Promise<void>;

/** Options of one `subscribe()`; transports add their own (QoS, ...). */
export interface SubscribeOptions {
  /**
   * How many events of this subscription may be handled at once. Default 1: events are handled
   * one after the other, in arrival order. `Infinity` hands every event over as it arrives.
   */
  concurrency?: number;
  /**
   * How the transport reads what arrives on this subscription (default `'auto'`: every envelope
   * that tells itself apart). `{ raw: MessageClass | 'json' | 'text' | 'bytes' }` takes payloads
   * with no envelope at all; see {@link SubscribeEnvelope}. The local bus carries the published
   * object itself and ignores it.
   */
  envelope?: SubscribeEnvelope;
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
