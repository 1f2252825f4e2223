import type { Event } from '../core/event';
import type { Subscriber } from '../core/subscriber';
import { TopicTrie } from '../core/topics/topic.trie';
import { EventBus } from './event-bus';

/**
 * An independent in-process bus with MQTT topic matching. Subscribers get the very event object
 * published (no serialization); each subscriber gets an event once, however many of its filters
 * match it.
 */
export class AsyncLocalEventBus extends EventBus {
  private readonly trie = new TopicTrie<Subscriber>();
  private readonly filters = new Map<Subscriber, Set<string>>();
  private readonly counts = new Map<string, number>();

  addSubscriber(topic: string, subscriber: Subscriber): void {
    let filters = this.filters.get(subscriber);
    if (filters === undefined) this.filters.set(subscriber, (filters = new Set()));
    if (filters.has(topic)) return;
    filters.add(topic);
    this.trie.add(topic, subscriber);
    this.counts.set(topic, (this.counts.get(topic) ?? 0) + 1);
  }

  removeSubscriber(subscriber: Subscriber, topic?: string): void {
    const filters = this.filters.get(subscriber);
    if (filters === undefined) return;
    for (const filter of topic === undefined ? [...filters] : [topic]) {
      if (!filters.delete(filter)) continue;
      this.trie.delete(filter, subscriber);
      const count = this.counts.get(filter)! - 1;
      if (count === 0) this.counts.delete(filter);
      else this.counts.set(filter, count);
    }
    if (filters.size === 0) this.filters.delete(subscriber);
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
