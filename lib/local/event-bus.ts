import type { Event } from '../core/event';
import type { Subscriber } from '../core/subscriber';

/**
 * An in-process event bus: local subscribers register their topics on it, local publishers put
 * events on it. Extend it to write another one.
 */
export abstract class EventBus {
  /** Have `subscriber` receive events on `topic` (a topic filter; MQTT wildcards allowed). */
  abstract addSubscriber(topic: string, subscriber: Subscriber): void;

  /** Stop `subscriber` receiving events on `topic`, or on every topic when none is given. */
  abstract removeSubscriber(subscriber: Subscriber, topic?: string): void;

  /**
   * Deliver `event` to every subscriber with a matching topic. May return a promise when a
   * subscriber asks to slow down; a publisher waits for it.
   */
  abstract putEvent(topic: string, event: Event): Promise<void> | void;

  /**
   * Whether some subscriber takes `topic`; `undefined` when the bus cannot tell (the default).
   * A publish with `requireSubscriber` fails when this is `false`.
   */
  hasSubscribers(_topic: string): boolean | undefined {
    return undefined;
  }

  /** The topic filters someone is subscribed to. */
  abstract get topics(): string[];
}
