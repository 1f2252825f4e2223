import { TopicTrie } from './topics/topic.trie';

const NONE: readonly never[] = Object.freeze([]);

/** What the index needs of what it holds: the topic filter it was made for. */
interface Subscribed {
  readonly topic: string;
}

/**
 * A subscriber's subscriptions: the one place they are kept. Each is found by its filter, by the
 * inbound topics it matches (a trie: the cost grows with the topic's depth, not with the number of
 * subscriptions) and by its matching filter (the filter without '$share/<group>/').
 *
 * The lists handed out are never modified afterwards, so a caller may iterate one while handlers
 * subscribe and unsubscribe.
 */
export class SubscriptionIndex<S extends Subscribed> {
  private readonly byFilter = new Map<string, S>();
  private readonly trie = new TopicTrie<S>();
  private changes = 0;

  /**
   * Grows with every addition and removal: whoever keeps a list from {@link under} asks again
   * once it changed.
   */
  get version(): number {
    return this.changes;
  }

  /** The subscription of exactly `filter`, if any. */
  get(filter: string): S | undefined {
    return this.byFilter.get(filter);
  }

  /** Every subscription, in the order they were added. */
  values(): IterableIterator<S> {
    return this.byFilter.values();
  }

  /** Every subscribed filter, in the order they were added. */
  filters(): string[] {
    return [...this.byFilter.keys()];
  }

  /** Add `subscription` under its filter, which must have none yet. */
  add(subscription: S): void {
    this.byFilter.set(subscription.topic, subscription);
    this.trie.add(subscription.topic, subscription);
    this.changes++;
  }

  /** Remove `subscription`, if it is still the one of its filter; returns whether it was. */
  remove(subscription: S): boolean {
    if (this.byFilter.get(subscription.topic) !== subscription) return false;
    this.byFilter.delete(subscription.topic);
    this.trie.delete(subscription.topic, subscription);
    this.changes++;
    return true;
  }

  /**
   * The subscriptions whose filter matches `topic`: by MQTT wildcards, or by `matcher` when given
   * (tried against every subscription, as Python's `topic_names_matcher`).
   */
  match(
    topic: string,
    matcher?: (topic: string, subscribedTopic: string) => boolean,
  ): readonly S[] {
    if (matcher === undefined) return this.trie.match(topic);
    let matched: S[] | undefined;
    for (const subscription of this.byFilter.values()) {
      if (matcher(topic, subscription.topic)) (matched ??= []).push(subscription);
    }
    return matched ?? NONE;
  }

  /**
   * The subscriptions under the matching filter `filter` (several when they differ only by a
   * '$share/<group>/' prefix), for a transport that matched the topic itself.
   */
  under(filter: string): readonly S[] {
    return this.trie.get(filter);
  }
}

/** A {@link SubscriptionIndex} to read only (its subscriber adds and removes). */
export type ReadonlySubscriptionIndex<S extends Subscribed> = Omit<
  SubscriptionIndex<S>,
  'add' | 'remove'
>;
