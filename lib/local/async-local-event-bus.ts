import type { Event } from '../core/event';
import type { Subscriber } from '../core/subscriber';
import { TopicTrie } from '../core/topics/topic.trie';
import { matchingFilter } from '../core/topics/topic.validation';
import { EventBus } from './event-bus';
import { deliverRoutes, Route } from './route';

/**
 * An independent in-process bus with MQTT topic matching. Subscribers get the very event object
 * published (no serialization); each subscriber gets an event once, however many of its filters
 * match it.
 */
export class AsyncLocalEventBus extends EventBus {
  private readonly trie = new TopicTrie<Route>();
  private readonly routes = new Map<Subscriber, Map<string, Route>>();

  addSubscriber(topic: string, subscriber: Subscriber): void {
    let routes = this.routes.get(subscriber);
    if (routes === undefined) this.routes.set(subscriber, (routes = new Map()));
    const filter = matchingFilter(topic);
    let route = routes.get(filter);
    if (route === undefined) {
      route = new Route(subscriber, filter);
      routes.set(filter, route);
      this.trie.add(filter, route);
    }
    route.filters.add(topic);
  }

  removeSubscriber(subscriber: Subscriber, topic?: string): void {
    const routes = this.routes.get(subscriber);
    if (routes === undefined) return;
    const targets =
      topic === undefined ? [...routes.values()] : [routes.get(matchingFilter(topic))];
    for (const route of targets) {
      if (route === undefined) continue;
      if (topic === undefined) route.filters.clear();
      else route.filters.delete(topic);
      if (route.filters.size > 0) continue;
      routes.delete(route.filter);
      this.trie.delete(route.filter, route);
    }
    if (routes.size === 0) this.routes.delete(subscriber);
  }

  putEvent(topic: string, event: Event): Promise<void> | void {
    const matched = this.trie.match(topic);
    const n = matched.length;
    if (n === 1) return matched[0].deliver(topic, event);
    if (n === 0) return;
    // A subscriber matches through several filters only when wildcards are in play.
    if (this.trie.hasWildcards && repeats(matched)) return this.putGrouped(topic, event, matched);
    let wait: Promise<void>[] | undefined;
    for (let i = 0; i < n; i++) {
      const full = matched[i].deliver(topic, event);
      if (full) (wait ??= []).push(full);
    }
    if (wait) return settle(wait);
  }

  /** Deliver once per subscriber, with every route of its that matched. */
  private putGrouped(topic: string, event: Event, matched: readonly Route[]): Promise<void> | void {
    const groups = new Map<Subscriber, Route[]>();
    for (const route of matched) {
      const routes = groups.get(route.subscriber);
      if (routes === undefined) groups.set(route.subscriber, [route]);
      else routes.push(route);
    }
    let wait: Promise<void>[] | undefined;
    for (const [subscriber, routes] of groups) {
      const full = deliverRoutes(subscriber, topic, event, routes);
      if (full) (wait ??= []).push(full);
    }
    if (wait) return settle(wait);
  }

  override hasSubscribers(topic: string): boolean {
    return this.trie.match(topic).length > 0;
  }

  get topics(): string[] {
    const topics = new Set<string>();
    for (const routes of this.routes.values()) {
      for (const route of routes.values()) for (const filter of route.filters) topics.add(filter);
    }
    return [...topics];
  }
}

/** Whether a subscriber comes twice in `matched` (pairwise for a few, else by set). */
function repeats(matched: readonly Route[]): boolean {
  const n = matched.length;
  if (n > 16) return new Set(matched.map((route) => route.subscriber)).size < n;
  for (let i = 1; i < n; i++) {
    const subscriber = matched[i].subscriber;
    for (let j = 0; j < i; j++) if (matched[j].subscriber === subscriber) return true;
  }
  return false;
}

function settle(wait: Promise<void>[]): Promise<void> {
  return wait.length === 1 ? wait[0] : Promise.all(wait).then(() => undefined);
}
