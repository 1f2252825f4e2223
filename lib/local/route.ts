import type { Event } from '../core/event';
import type { Subscriber } from '../core/subscriber';
import type { Subscription } from '../core/subscription';

const NONE: readonly Subscription[] = Object.freeze([]);

/**
 * How the local bus reaches one subscriber under one matching filter (the filter without
 * '$share/<group>/'; several subscribed filters may share it: 'x', '$share/g/x'). The bus matches
 * a topic once for all subscribers and delivers through the routes it found: no second lookup in
 * the subscriber. A route keeps the subscriber's subscriptions under its filter and looks them up
 * again only after the subscriber's subscriptions changed, so it never goes stale.
 */
export class Route {
  /** The filters as subscribed on the bus, `$share/<group>/` included. */
  readonly filters = new Set<string>();
  private subscriptions = NONE;
  /** The subscriber's index version `subscriptions` was read at (-1: not yet). */
  private version = -1;

  constructor(
    readonly subscriber: Subscriber,
    readonly filter: string,
  ) {}

  /** The subscriber's subscriptions under `filter`, as they are now. */
  current(): readonly Subscription[] {
    const index = this.subscriber.subscriptionIndex;
    if (this.version !== index.version) {
      this.subscriptions = index.under(this.filter);
      this.version = index.version;
    }
    return this.subscriptions;
  }

  /** Hand `event` to the subscriber's subscriptions under this route. */
  deliver(topic: string, event: Event): Promise<void> | undefined {
    const subscriber = this.subscriber;
    // A custom matcher decides for itself which subscriptions match.
    if (subscriber.topicNamesMatcher) return subscriber.deliver(topic, event);
    return subscriber.deliverMatched(topic, event, this.current());
  }
}

/**
 * Hand `event` once to a subscriber that several of its routes matched, with the subscriptions of
 * all of them (each subscription once: routes of one subscriber have distinct filters).
 */
export function deliverRoutes(
  subscriber: Subscriber,
  topic: string,
  event: Event,
  routes: readonly Route[],
): Promise<void> | undefined {
  if (subscriber.topicNamesMatcher) return subscriber.deliver(topic, event);
  const matched: Subscription[] = [];
  for (const route of routes) {
    for (const subscription of route.current()) matched.push(subscription);
  }
  return subscriber.deliverMatched(topic, event, matched);
}
