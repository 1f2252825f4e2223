import { hasWildcard, matchingFilter } from './topic.validation';

/**
 * A level of the wildcard trie. Most nodes have one child (a wide trie is mostly chains, as in
 * 'sensors/<n>/+/temp'): it sits in `key`/`child`, and a `Map` is made only for a second one. That
 * keeps a lookup in a large trie to few memory reads, and a node small.
 */
interface Node<T> {
  /** The only child's level, while there is at most one child. */
  key: string | undefined;
  child: Node<T> | undefined;
  /** The children once there are two or more (then `key`/`child` are unused). */
  children: Map<string, Node<T>> | undefined;
  plus: Node<T> | undefined;
  /** Values of filters ending in '#' at this node. */
  hash: readonly T[] | undefined;
  /** Values of filters ending exactly at this node. */
  values: readonly T[] | undefined;
}

const NONE: readonly never[] = Object.freeze([]);

function node<T>(): Node<T> {
  return {
    key: undefined,
    child: undefined,
    children: undefined,
    plus: undefined,
    hash: undefined,
    values: undefined,
  };
}

function childOf<T>(at: Node<T>, level: string): Node<T> | undefined {
  if (at.children !== undefined) return at.children.get(level);
  return at.key === level ? at.child : undefined;
}

function addChild<T>(at: Node<T>, level: string): Node<T> {
  const existing = childOf(at, level);
  if (existing !== undefined) return existing;
  const child = node<T>();
  if (at.children !== undefined) at.children.set(level, child);
  else if (at.child === undefined) {
    at.key = level;
    at.child = child;
  } else {
    at.children = new Map([
      [at.key!, at.child],
      [level, child],
    ]);
    at.key = at.child = undefined;
  }
  return child;
}

function removeChild<T>(at: Node<T>, level: string): void {
  if (at.children === undefined) {
    at.key = at.child = undefined;
    return;
  }
  at.children.delete(level);
  if (at.children.size === 1) {
    const [[key, child]] = at.children;
    at.key = key;
    at.child = child;
    at.children = undefined;
  }
}

function isEmpty<T>(at: Node<T>): boolean {
  return !at.values && !at.hash && !at.plus && !at.child && !at.children;
}

/** `list` and `value` in a new array of exactly that size (spreading leaves spare capacity). */
function appended<T>(list: readonly T[] | undefined, value: T): readonly T[] {
  return list === undefined ? [value] : list.concat([value]);
}

function without<T>(list: readonly T[] | undefined, value: T): readonly T[] | undefined {
  if (!list) return undefined;
  const next = list.filter((v) => v !== value);
  return next.length === 0 ? undefined : next.length === list.length ? list : next;
}

/**
 * Values keyed by MQTT topic filters, looked up by a concrete topic.
 *
 * Filters without wildcards sit in a hash map (one lookup per publish); wildcard filters in a trie
 * walked level by level, so a lookup costs the topic's depth times the wildcard branches taken,
 * never the number of filters. The arrays handed out are never mutated afterwards (every change
 * copies), so a caller may iterate one while handlers subscribe and unsubscribe.
 */
export class TopicTrie<T> {
  private readonly exact = new Map<string, readonly T[]>();
  private readonly root: Node<T> = node();
  private wildcards = 0;

  /** Add `value` under `filter` (once: adding it again does nothing). */
  add(filter: string, value: T): void {
    const key = matchingFilter(filter);
    if (!hasWildcard(key)) {
      const list = this.exact.get(key);
      if (!list?.includes(value)) this.exact.set(key, appended(list, value));
      return;
    }
    let at = this.root;
    const levels = key.split('/');
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i];
      if (level === '#') {
        if (!at.hash?.includes(value)) {
          at.hash = appended(at.hash, value);
          this.wildcards++;
        }
        return;
      }
      at = level === '+' ? (at.plus ??= node()) : addChild(at, level);
    }
    if (!at.values?.includes(value)) {
      at.values = appended(at.values, value);
      this.wildcards++;
    }
  }

  /** Remove `value` from `filter`; returns whether it was there. */
  delete(filter: string, value: T): boolean {
    const key = matchingFilter(filter);
    if (!hasWildcard(key)) {
      const list = this.exact.get(key);
      const next = without(list, value);
      if (next === list) return false;
      if (next) this.exact.set(key, next);
      else this.exact.delete(key);
      return true;
    }
    const removed = this.deleteAt(this.root, key.split('/'), 0, value);
    if (removed) this.wildcards--;
    return removed;
  }

  private deleteAt(at: Node<T>, levels: string[], i: number, value: T): boolean {
    const level = levels[i];
    if (level === '#') {
      const next = without(at.hash, value);
      if (next === at.hash) return false;
      at.hash = next;
      return true;
    }
    if (i === levels.length) {
      const next = without(at.values, value);
      if (next === at.values) return false;
      at.values = next;
      return true;
    }
    const child = level === '+' ? at.plus : childOf(at, level);
    if (!child || !this.deleteAt(child, levels, i + 1, value)) return false;
    if (isEmpty(child)) {
      if (level === '+') at.plus = undefined;
      else removeChild(at, level);
    }
    return true;
  }

  /**
   * The values added under `filter` itself (its '$share/<group>/' prefix aside), not those of the
   * filters it matches. The result must not be modified.
   */
  get(filter: string): readonly T[] {
    const key = matchingFilter(filter);
    if (!hasWildcard(key)) return this.exact.get(key) ?? NONE;
    let at: Node<T> | undefined = this.root;
    for (const level of key.split('/')) {
      if (level === '#') return at.hash ?? NONE;
      at = level === '+' ? at.plus : childOf(at, level);
      if (at === undefined) return NONE;
    }
    return at.values ?? NONE;
  }

  /**
   * Every value whose filter matches `topic`. A value added under several matching filters comes
   * once per filter. The result must not be modified.
   */
  match(topic: string): readonly T[] {
    const exact = this.exact.get(topic);
    if (this.wildcards === 0) return exact ?? NONE;
    return this.matchWildcards(topic, exact);
  }

  /*
   * Off the path of a trie without wildcards: the JIT inlines a publish's callees up to a budget
   * counted in bytecode, which this part would spend without ever running there.
   */
  private matchWildcards(topic: string, exact: readonly T[] | undefined): readonly T[] {
    this.found = exact;
    // A filter starting with a wildcard does not match a topic starting with '$'.
    this.walk(this.root, topic, 0, topic.charCodeAt(0) === 36 /* $ */);
    const found = this.found;
    const more = this.more;
    this.found = this.more = undefined;
    return more ?? found ?? NONE;
  }

  /*
   * The walk collects into `found` (the first list met, handed out as it is: lists are never
   * mutated) and `more` (a copy, from the second list on), so a topic that one filter matches
   * allocates nothing. Levels are read in place: no split().
   */
  private found: readonly T[] | undefined;
  private more: T[] | undefined;

  private collect(list: readonly T[]): void {
    if (this.more !== undefined) {
      for (let i = 0; i < list.length; i++) this.more.push(list[i]);
    } else if (this.found === undefined) {
      this.found = list;
    } else {
      const more = this.found.slice();
      for (let i = 0; i < list.length; i++) more.push(list[i]);
      this.more = more;
    }
  }

  /** Visit `at`, the node of the levels before `start` (`start` past the end: no level left). */
  private walk(at: Node<T>, topic: string, start: number, guarded: boolean): void {
    if (at.hash !== undefined && !guarded) this.collect(at.hash);
    if (start > topic.length) {
      if (at.values !== undefined) this.collect(at.values);
      return;
    }
    const slash = topic.indexOf('/', start);
    const end = slash === -1 ? topic.length : slash;
    let child: Node<T> | undefined;
    if (at.children !== undefined) {
      child = at.children.get(start === 0 && slash === -1 ? topic : topic.slice(start, end));
    } else if (at.key !== undefined) {
      // One child: compare in place, no substring.
      const key = at.key;
      if (key.length === end - start && topic.startsWith(key, start)) child = at.child;
    }
    if (child !== undefined) this.walk(child, topic, end + 1, false);
    if (at.plus !== undefined && !guarded) this.walk(at.plus, topic, end + 1, false);
  }

  /** True when some filter with a wildcard holds a value. */
  get hasWildcards(): boolean {
    return this.wildcards > 0;
  }

  /** True when no filter holds any value. */
  get isEmpty(): boolean {
    return this.exact.size === 0 && this.wildcards === 0;
  }
}
