import type { Event } from '../core/event';
import type { Subscriber } from '../core/subscriber';
import type { Route } from '../core/subscription';
import { TopicTrie } from '../core/topics/topic.trie';
import { matchingFilter } from '../core/topics/topic.validation';
import { EventBus } from './event-bus';

/** A subscriber under one matching filter (the filter without any '$share/<group>/'). */
interface Entry {
  readonly subscriber: Subscriber;
  readonly filter: string;
  /** How many of the subscriber's filters share this entry ('$share/<group>/x' and 'x'). */
  sharing: number;
  /** The subscriber's subscriptions under `filter`, fetched again once dead. */
  route: Route;
}

/** The live route of an entry. */
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
  /**
   * One entry per subscriber and matching filter, holding the subscriber's route (its
   * subscriptions under that filter): the topic is matched once per event, not again by every
   * subscriber, and delivering needs no lookup.
   */
  private readonly trie = new TopicTrie<Entry>();
  private readonly filters = new Map<Subscriber, Set<string>>();
  /**
   * Per subscriber, its entries by matching filter: '$share/<group>/x' and 'x' are one entry (the
   * trie keys by the filter that decides matching), kept while any of them is.
   */
  private readonly entries = new Map<Subscriber, Map<string, Entry>>();
  private readonly counts = new Map<string, number>();

  addSubscriber(topic: string, subscriber: Subscriber): void {
    let filters = this.filters.get(subscriber);
    if (filters === undefined) this.filters.set(subscriber, (filters = new Set()));
    if (filters.has(topic)) return;
    filters.add(topic);
    let entries = this.entries.get(subscriber);
    if (entries === undefined) this.entries.set(subscriber, (entries = new Map()));
    const key = matchingFilter(topic);
    const entry = entries.get(key);
    if (entry !== undefined) entry.sharing++;
    else {
      const added: Entry = { subscriber, filter: key, sharing: 1, route: subscriber.routeFor(key) };
      entries.set(key, added);
      this.trie.add(topic, added);
    }
    this.counts.set(topic, (this.counts.get(topic) ?? 0) + 1);
  }

  removeSubscriber(subscriber: Subscriber, topic?: string): void {
    const filters = this.filters.get(subscriber);
    if (filters === undefined) return;
    const entries = this.entries.get(subscriber)!;
    for (const filter of topic === undefined ? [...filters] : [topic]) {
      if (!filters.delete(filter)) continue;
      const key = matchingFilter(filter);
      const entry = entries.get(key)!;
      if (--entry.sharing === 0) {
        entries.delete(key);
        this.trie.delete(filter, entry);
      }
      const count = this.counts.get(filter)! - 1;
      if (count === 0) this.counts.delete(filter);
      else this.counts.set(filter, count);
    }
    if (filters.size === 0) {
      this.filters.delete(subscriber);
      this.entries.delete(subscriber);
    }
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
    return [...this.counts.keys()];
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
