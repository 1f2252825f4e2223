import type { Event } from '../event';
import { InvalidArgumentError } from '../errors/invalid-argument.error';
import type { BuslineMessage } from '../message';
import { toHandler, type BuslineEventHandler, type HandlerLike } from './event-handler';

/** How many event identifiers a {@link DeduplicatingEventHandler} remembers unless told. */
export const DEFAULT_DEDUPLICATION_WINDOW = 10_000;

/** Options of a {@link DeduplicatingEventHandler}. */
export interface DeduplicatingEventHandlerOptions {
  /**
   * How many event identifiers it remembers (default 10,000). A
   * copy that arrives after this many other events is handled again. Each costs about 100 bytes
   * once the window is full.
   */
  window?: number;
}

/**
 * Runs `handler` once per event, by event identifier, however many times it is given the event.
 * Give the same instance to several subscribers (a local and an MQTT one, say) and an event
 * published through all of them runs the handler once, whichever arrives first; an event that
 * comes through one of them only (from another process) runs it once as well.
 *
 * It remembers the last `window` identifiers it saw, so memory stays bounded: a copy that arrives
 * after more than `window` other events is handled again. Identifiers must be unique per event,
 * as Busline's are (a UUID per publish, the same on every transport).
 *
 * A copy given while the first is still being handled settles when the first does, and never
 * rejects (the failure is the first delivery's to report). A transport that acknowledges an event
 * once its handler settled (MQTT QoS 1 and 2) therefore acknowledges no copy before the event was
 * handled.
 */
export class DeduplicatingEventHandler<
  M extends BuslineMessage = BuslineMessage,
> implements BuslineEventHandler<M> {
  /** The handler that gets each event once. */
  readonly handler: BuslineEventHandler<M>;
  /** How many event identifiers it remembers. */
  readonly window: number;
  private readonly seen = new Set<string>();
  /** What `seen` holds, in a ring whose oldest entry is at `oldest` once it is full. */
  private readonly ring: string[] = [];
  private oldest = 0;
  /** The first deliveries still running, each as a promise that settles with it, never rejecting. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(handler: HandlerLike<M>, options: DeduplicatingEventHandlerOptions = {}) {
    this.handler = toHandler(handler);
    this.window = checkDeduplicationWindow('options.window', options.window);
  }

  /** The wrapped handler's name. */
  get name(): string | undefined {
    return this.handler.name;
  }

  handle(topic: string, event: Event<M>): unknown {
    const identifier = event.identifier;
    if (this.seen.has(identifier)) return this.running.get(identifier);
    this.remember(identifier);
    const result = this.handler.handle(topic, event);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') return result;
    const done = (): void => {
      if (this.running.get(identifier) === settled) this.running.delete(identifier);
    };
    const settled = Promise.resolve(result).then(done, done);
    this.running.set(identifier, settled);
    return result;
  }

  private remember(identifier: string): void {
    if (this.ring.length < this.window) {
      this.ring.push(identifier);
    } else {
      this.seen.delete(this.ring[this.oldest]);
      this.ring[this.oldest] = identifier;
      this.oldest = (this.oldest + 1) % this.window;
    }
    this.seen.add(identifier);
  }
}

/**
 * @internal The window `value` asks for (the default when undefined); throws an
 * {@link InvalidArgumentError} naming `parameter` unless it is a whole number of at least 1.
 */
export function checkDeduplicationWindow(parameter: string, value: unknown): number {
  if (value === undefined) return DEFAULT_DEDUPLICATION_WINDOW;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(parameter, 'a whole number of at least 1', value);
  }
  return value;
}
