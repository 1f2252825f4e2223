import type { Event } from '../core/event';
import type { Subscriber } from '../core/subscriber';
import type { Route } from '../core/subscription';
import { TopicTrie } from '../core/topics/topic.trie';
import { matchingFilter } from '../core/topics/topic.validation';
import { EventBus } from './event-bus';

/** One subscriber under one matching filter (several filters may share it: 'x', '$share/g/x'). */
interface Entry {
  readonly subscriber: Subscriber;
  readonly filter: string;
  /** The filters as subscribed, `$share/<group>/` included. */
  readonly filters: Set<string>;
  route: Route;
}

function routeOf(entry: Entry): Route {
  const route = entry.route;
  return route.live ? route : (entry.route = entry.subscriber.routeFor(entry.filter));
}

/**
 * An independent in-process bus with MQTT topic matching. Subscribers get the very event object
 * published (no serialization); each subscriber gets an event once, however many of its filters
 * match it.
 */
export class AsyncLocalEventBus extends EventBus {
  private readonly trie = new TopicTrie<Entry>();
  private readonly entries = new Map<Subscriber, Map<string, Entry>>();

  addSubscriber(topic: string, subscriber: Subscriber): void {
    let entries = this.entries.get(subscriber);
    if (entries === undefined) this.entries.set(subscriber, (entries = new Map()));
    const filter = matchingFilter(topic);
    const entry = entries.get(filter);
    if (entry !== undefined) {
      entry.filters.add(topic);
      return;
    }
    const route = subscriber.routeFor(filter);
    const added: Entry = { subscriber, filter, filters: new Set([topic]), route };
    entries.set(filter, added);
    this.trie.add(filter, added);
  }

  removeSubscriber(subscriber: Subscriber, topic?: string): void {
    const entries = this.entries.get(subscriber);
    if (entries === undefined) return;
    const targets =
      topic === undefined ? [...entries.values()] : [entries.get(matchingFilter(topic))];
    for (const entry of targets) {
      if (entry === undefined) continue;
      if (topic === undefined) entry.filters.clear();
      else entry.filters.delete(topic);
      if (entry.filters.size > 0) continue;
      entries.delete(entry.filter);
      this.trie.delete(entry.filter, entry);
    }
    if (entries.size === 0) this.entries.delete(subscriber);
  }

  putEvent(topic: string, event: Event): Promise<void> | void {
    const matched = this.trie.match(topic);
    const n = matched.length;
    if (n === 1) return matched[0].subscriber.deliverRoutes(topic, event, routeOf(matched[0]));
    if (n === 0) return;
    // A subscriber matches through several filters only when wildcards are in play.
    if (this.trie.hasWildcards && repeats(matched)) return this.putGrouped(topic, event, matched);
    let wait: Promise<void>[] | undefined;
    for (let i = 0; i < n; i++) {
      const full = matched[i].subscriber.deliverRoutes(topic, event, routeOf(matched[i]));
      if (full) (wait ??= []).push(full);
    }
    if (wait) return settle(wait);
  }

  /** Deliver once per subscriber, with every route of its that matched. */
  private putGrouped(topic: string, event: Event, matched: readonly Entry[]): Promise<void> | void {
    const groups = new Map<Subscriber, Route[]>();
    for (const entry of matched) {
      const routes = groups.get(entry.subscriber);
      if (routes === undefined) groups.set(entry.subscriber, [routeOf(entry)]);
      else routes.push(routeOf(entry));
    }
    let wait: Promise<void>[] | undefined;
    for (const [subscriber, routes] of groups) {
      const full = subscriber.deliverRoutes(topic, event, routes);
      if (full) (wait ??= []).push(full);
    }
    if (wait) return settle(wait);
  }

  get topics(): string[] {
    const topics = new Set<string>();
    for (const entries of this.entries.values()) {
      for (const entry of entries.values()) for (const filter of entry.filters) topics.add(filter);
    }
    return [...topics];
  }
}

/** Whether a subscriber comes twice in `matched` (pairwise for a few, else by set). */
function repeats(matched: readonly Entry[]): boolean {
  const n = matched.length;
  if (n > 16) return new Set(matched.map((entry) => entry.subscriber)).size < n;
  for (let i = 1; i < n; i++) {
    const subscriber = matched[i].subscriber;
    for (let j = 0; j < i; j++) if (matched[j].subscriber === subscriber) return true;
  }
  return false;
}

function settle(wait: Promise<void>[]): Promise<void> {
  return wait.length === 1 ? wait[0] : Promise.all(wait).then(() => undefined);
}
