import type { Event } from '../../core/event';

/** What Busline knows about where an error happened; passed to the module's `onError` hook. */
export interface BuslineErrorContext {
  /** The handler, as `ClassName.method`, when a handler was involved. */
  binding?: string;
  /** The topic filter the handler subscribed to (as written in `@Subscribe`). */
  filter?: string;
  /** The topic the event arrived on. */
  topic?: string;
  /** The event, when the error is about one. */
  event?: Event;
  /** How many times the handler ran before giving up (handler errors only). */
  attempts?: number;
  /** Name of the transport that reported the error (transport errors only). */
  transport?: string;
}
