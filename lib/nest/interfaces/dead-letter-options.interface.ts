import type { Event } from '../../core/event';

/**
 * Where events go that a handler could not handle (it failed, after its retries) or that were
 * invalid: a {@link DeadLetterMessage} carrying the original payload and the reason is published on
 * `topic`.
 */
export interface DeadLetterOptions {
  /** The dead-letter topic, or a function of the original topic and event that returns it. */
  topic: string | ((topic: string, event: Event) => string);
  /** Publish only through these transports (by name); default all publishers. */
  transport?: string | readonly string[];
}
