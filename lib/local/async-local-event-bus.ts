import type { Event } from '../core/event';
import type { Subscriber } from '../core/subscriber';
import { TopicTrie } from '../core/topics/topic.trie';
import { matchingFilter } from '../core/topics/topic.validation';
import { EventBus } from './event-bus';

/**
 * An independent in-process bus with MQTT topic matching. Subscribers get the very event object
 * published (no serialization); each subscriber gets an event once, however many of its filters
 * match it.
 */
export class AsyncLocalEventBus extends EventBus {
  private readonly trie = new TopicTrie<Subscriber>();
  private readonly filters = new Map<Subscriber, Set<string>>();
  /**
   * Per subscriber, how many of its filters share each trie entry: '$share/<group>/x' and 'x' are
   * one entry (the trie keys by the filter that decides matching), kept while any of them is.
   */
  private readonly entries = new Map<Subscriber, Map<string, number>>();
  private readonly counts = new Map<string, number>();

  addSubscriber(topic: string, subscriber: Subscriber): void {
    let filters = this.filters.get(subscriber);
    if (filters === undefined) this.filters.set(subscriber, (filters = new Set()));
    if (filters.has(topic)) return;
    filters.add(topic);
    let entries = this.entries.get(subscriber);
    if (entries === undefined) this.entries.set(subscriber, (entries = new Map()));
    const key = matchingFilter(topic);
    const sharing = entries.get(key) ?? 0;
    entries.set(key, sharing + 1);
    if (sharing === 0) this.trie.add(topic, subscriber);
    this.counts.set(topic, (this.counts.get(topic) ?? 0) + 1);
  }

  removeSubscriber(subscriber: Subscriber, topic?: string): void {
    const filters = this.filters.get(subscriber);
    if (filters === undefined) return;
    const entries = this.entries.get(subscriber)!;
    for (const filter of topic === undefined ? [...filters] : [topic]) {
      if (!filters.delete(filter)) continue;
      const key = matchingFilter(filter);
      const sharing = entries.get(key)! - 1;
      if (sharing > 0) entries.set(key, sharing);
      else {
        entries.delete(key);
        this.trie.delete(filter, subscriber);
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
    if (matched.length === 1) return matched[0].deliver(topic, event);
    let wait: Promise<void>[] | undefined;
    // A subscriber may match through several filters only when wildcards are in play.
    const subscribers = matched.length > 1 && this.trie.hasWildcards ? new Set(matched) : matched;
    for (const subscriber of subscribers) {
      const full = subscriber.deliver(topic, event);
      if (full) (wait ??= []).push(full);
    }
    if (wait) return Promise.all(wait).then(() => undefined);
  }

  get topics(): string[] {
    return [...this.counts.keys()];
  }
}
