import { SubscriptionIndex } from '../../../lib/core/subscription-index';

/** A stand-in for a Subscription: the index reads only its topic. */
const sub = (topic: string): { topic: string } => ({ topic });

describe('SubscriptionIndex', () => {
  it('finds a subscription by its filter, by the topics it matches and by its matching filter', () => {
    const index = new SubscriptionIndex<{ topic: string }>();
    const plain = sub('a/+');
    const shared = sub('$share/g/a/+');
    const exact = sub('a/b');
    for (const s of [plain, shared, exact]) index.add(s);

    expect(index.get('a/+')).toBe(plain);
    expect(index.get('$share/g/a/+')).toBe(shared);
    expect(index.get('a/c')).toBeUndefined();
    expect(index.filters()).toEqual(['a/+', '$share/g/a/+', 'a/b']);
    expect([...index.values()]).toEqual([plain, shared, exact]);
    expect([...index.match('a/b')]).toEqual(expect.arrayContaining([plain, shared, exact]));
    expect(index.match('a/b')).toHaveLength(3);
    expect(index.match('a/c')).toEqual([plain, shared]);
    expect(index.under('a/+')).toEqual([plain, shared]);
    expect(index.under('a/b')).toEqual([exact]);
  });

  it('removes a subscription only while it is the one of its filter', () => {
    const index = new SubscriptionIndex<{ topic: string }>();
    const first = sub('t');
    index.add(first);
    expect(index.remove(sub('t'))).toBe(false);
    expect(index.remove(first)).toBe(true);
    expect(index.remove(first)).toBe(false);
    expect(index.get('t')).toBeUndefined();
    expect(index.match('t')).toEqual([]);
    expect(index.under('t')).toEqual([]);
  });

  it('counts its changes in version', () => {
    const index = new SubscriptionIndex<{ topic: string }>();
    const versions = [index.version];
    const s = sub('v/#');
    index.add(s);
    versions.push(index.version);
    index.remove(sub('v/#')); // not the one indexed: no change
    versions.push(index.version);
    index.remove(s);
    versions.push(index.version);
    expect(versions[1]).toBeGreaterThan(versions[0]);
    expect(versions[2]).toBe(versions[1]);
    expect(versions[3]).toBeGreaterThan(versions[2]);
  });

  it('matches with a custom matcher against every subscription', () => {
    const index = new SubscriptionIndex<{ topic: string }>();
    const a = sub('A');
    const b = sub('b');
    index.add(a);
    index.add(b);
    const caseless = (topic: string, filter: string): boolean =>
      topic.toLowerCase() === filter.toLowerCase();
    expect(index.match('a', caseless)).toEqual([a]);
    expect(index.match('c', caseless)).toEqual([]);
  });
});
