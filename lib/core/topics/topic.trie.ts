import { hasWildcard, matchingFilter } from './topic.validation';

interface Node<T> {
  readonly children: Map<string, Node<T>>;
  plus: Node<T> | undefined;
  /** Values of filters ending in '#' at this node. */
  hash: readonly T[] | undefined;
  /** Values of filters ending exactly at this node. */
  values: readonly T[] | undefined;
}

const NONE: readonly never[] = Object.freeze([]);

function node<T>(): Node<T> {
  return { children: new Map(), plus: undefined, hash: undefined, values: undefined };
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
      if (!list?.includes(value)) this.exact.set(key, list ? [...list, value] : [value]);
      return;
    }
    let at = this.root;
    const levels = key.split('/');
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i];
      if (level === '#') {
        if (!at.hash?.includes(value)) {
          at.hash = at.hash ? [...at.hash, value] : [value];
          this.wildcards++;
        }
        return;
      }
      if (level === '+') {
        at = at.plus ??= node();
      } else {
        let child = at.children.get(level);
        if (!child) at.children.set(level, (child = node()));
        at = child;
      }
    }
    if (!at.values?.includes(value)) {
      at.values = at.values ? [...at.values, value] : [value];
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
    const child = level === '+' ? at.plus : at.children.get(level);
    if (!child || !this.deleteAt(child, levels, i + 1, value)) return false;
    if (!child.values && !child.hash && !child.plus && child.children.size === 0) {
      if (level === '+') at.plus = undefined;
      else at.children.delete(level);
    }
    return true;
  }

  /**
   * Every value whose filter matches `topic`. A value added under several matching filters comes
   * once per filter. The result must not be modified.
   */
  match(topic: string): readonly T[] {
    const exact = this.exact.get(topic);
    if (this.wildcards === 0) return exact ?? NONE;
    const out: T[] = exact ? [...exact] : [];
    this.walk(this.root, topic.split('/'), 0, topic.charCodeAt(0) === 36 /* $ */, out);
    return out;
  }

  private walk(at: Node<T>, levels: string[], i: number, dollar: boolean, out: T[]): void {
    const guarded = i === 0 && dollar;
    if (at.hash && !guarded) out.push(...at.hash);
    if (i === levels.length) {
      if (at.values) out.push(...at.values);
      return;
    }
    const child = at.children.get(levels[i]);
    if (child) this.walk(child, levels, i + 1, dollar, out);
    if (at.plus && !guarded) this.walk(at.plus, levels, i + 1, dollar, out);
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
