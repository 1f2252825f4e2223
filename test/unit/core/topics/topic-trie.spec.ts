import { TopicTrie } from '../../../../lib/core/topics/topic.trie';

describe('TopicTrie', () => {
  it('starts empty and matches nothing', () => {
    const trie = new TopicTrie<number>();
    expect(trie.isEmpty).toBe(true);
    expect(trie.hasWildcards).toBe(false);
    expect(trie.match('a')).toEqual([]);
  });

  it.each<[string, string[], string, number[]]>([
    ['exact filters', ['a', 'a', 'b'], 'a', [1]],
    ['+ filters', ['a/+', 'a/+'], 'a/x', [1]],
    ['# filters', ['a/#', 'a/#'], 'a/x', [1]],
    ['a lone #', ['#', '#'], 'x', [1]],
  ])('adds a value once per filter (%s)', (_case, filters, topic, expected) => {
    const trie = new TopicTrie<number>();
    for (const filter of filters) trie.add(filter, 1);
    expect(trie.match(topic)).toEqual(expected);
  });

  it('keeps several values under one filter, in the order added', () => {
    const trie = new TopicTrie<string>();
    trie.add('a/+', 'first');
    trie.add('a/+', 'second');
    trie.add('a', 'x');
    trie.add('a', 'y');
    expect(trie.match('a/b')).toEqual(['first', 'second']);
    expect(trie.match('a')).toEqual(['x', 'y']);
  });

  it('gives a value once per matching filter', () => {
    const trie = new TopicTrie<string>();
    trie.add('a/b', 'v');
    trie.add('a/+', 'v');
    trie.add('a/#', 'v');
    trie.add('#', 'v');
    trie.add('x/#', 'v');
    expect(trie.match('a/b')).toEqual(['v', 'v', 'v', 'v']);
  });

  it('deletes exact and wildcard entries and says whether they were there', () => {
    const trie = new TopicTrie<number>();
    trie.add('a', 1);
    trie.add('a', 2);
    trie.add('a/+', 1);
    trie.add('a/#', 1);
    trie.add('#', 3);
    expect(trie.hasWildcards).toBe(true);

    expect(trie.delete('a', 1)).toBe(true);
    expect(trie.delete('a', 1)).toBe(false);
    expect([...trie.match('a')].sort()).toEqual([1, 2, 3]); // 2 exact, 1 via a/#, 3 via #

    expect(trie.delete('a/+', 1)).toBe(true);
    expect(trie.delete('a/+', 1)).toBe(false);
    expect(trie.delete('a/+', 99)).toBe(false);
    expect(trie.delete('never/+', 1)).toBe(false);
    expect([...trie.match('a/b')].sort()).toEqual([1, 3]);

    expect(trie.delete('a/#', 1)).toBe(true);
    expect(trie.delete('#', 3)).toBe(true);
    expect(trie.hasWildcards).toBe(false);
    expect(trie.match('a/b')).toEqual([]);
    expect(trie.match('a')).toEqual([2]);

    expect(trie.delete('a', 2)).toBe(true);
    expect(trie.isEmpty).toBe(true);
  });

  it('deleting one filter leaves a longer filter through the same levels working', () => {
    const trie = new TopicTrie<string>();
    trie.add('a/+', 'short');
    trie.add('a/+/c/#', 'long');
    trie.add('a/+/c', 'mid');
    expect(trie.delete('a/+', 'short')).toBe(true);
    expect(trie.match('a/b/c/d')).toEqual(['long']);
    expect([...trie.match('a/b/c')].sort()).toEqual(['long', 'mid']);
    expect(trie.delete('a/+/c/#', 'long')).toBe(true);
    expect(trie.match('a/b/c')).toEqual(['mid']);
    expect(trie.match('a/b/c/d')).toEqual([]);
    expect(trie.delete('a/+/c', 'mid')).toBe(true);
    expect(trie.isEmpty).toBe(true);
  });

  it('adds again what was deleted', () => {
    const trie = new TopicTrie<number>();
    trie.add('a/+', 1);
    trie.delete('a/+', 1);
    trie.add('a/+', 1);
    expect(trie.match('a/b')).toEqual([1]);
  });

  it('keys $share filters by the filter they share', () => {
    const trie = new TopicTrie<string>();
    trie.add('$share/g/a/+', 'shared');
    trie.add('$share/g/x', 'sharedExact');
    expect(trie.match('a/b')).toEqual(['shared']);
    expect(trie.match('x')).toEqual(['sharedExact']);
    expect(trie.delete('$share/g/a/+', 'shared')).toBe(true);
    expect(trie.delete('$share/g/x', 'sharedExact')).toBe(true);
    expect(trie.isEmpty).toBe(true);
  });

  describe('get(filter): the values under that very filter, not those it matches', () => {
    const trie = new TopicTrie<string>();
    for (const filter of ['a', 'a/b', 'a/+', 'a/#', '#', '+', '+/b', '$share/g/a/+', 'x/+/y']) {
      trie.add(filter, filter);
    }
    it.each<[string, string[]]>([
      ['a', ['a']],
      ['a/b', ['a/b']],
      ['a/+', ['a/+', '$share/g/a/+']],
      ['$share/other/a/+', ['a/+', '$share/g/a/+']],
      ['a/#', ['a/#']],
      ['#', ['#']],
      ['+', ['+']],
      ['+/b', ['+/b']],
      ['x/+/y', ['x/+/y']],
      ['x/+', []],
      ['x/#', []],
      ['a/c', []],
      ['a/+/c', []],
      ['nothing', []],
    ])('get(%p)', (filter, expected) => {
      expect(trie.get(filter)).toEqual(expected);
    });
  });

  describe('arrays handed out are never changed afterwards', () => {
    it('exact matches', () => {
      const trie = new TopicTrie<number>();
      trie.add('a', 1);
      const before = trie.match('a');
      trie.add('a', 2);
      trie.delete('a', 1);
      expect(before).toEqual([1]);
      expect(trie.match('a')).toEqual([2]);
    });

    it('wildcard matches', () => {
      const trie = new TopicTrie<number>();
      trie.add('a', 1);
      trie.add('a/#', 2);
      const before = trie.match('a');
      trie.add('a/#', 3);
      trie.add('a', 4);
      trie.delete('a', 1);
      trie.delete('a/#', 2);
      expect(before).toEqual([1, 2]);
      expect([...trie.match('a')].sort()).toEqual([3, 4]);
    });

    it('get()', () => {
      const trie = new TopicTrie<number>();
      trie.add('a/+', 1);
      const before = trie.get('a/+');
      trie.add('a/+', 2);
      trie.delete('a/+', 1);
      expect(before).toEqual([1]);
      expect(trie.get('a/+')).toEqual([2]);
    });

    it('the empty result', () => {
      const trie = new TopicTrie<number>();
      const none = trie.match('a');
      trie.add('a', 1);
      expect(none).toEqual([]);
      expect(trie.match('a')).toEqual([1]);
    });

    it('while iterating a result, adding and deleting does not disturb the iteration', () => {
      const trie = new TopicTrie<number>();
      for (let i = 0; i < 5; i++) trie.add('t', i);
      const seen: number[] = [];
      for (const value of trie.match('t')) {
        seen.push(value);
        trie.delete('t', value + 1);
        trie.add('t', value + 100);
      }
      expect(seen).toEqual([0, 1, 2, 3, 4]);
    });
  });

  it('matches correctly with 100,000 wildcard filters', () => {
    const trie = new TopicTrie<number>();
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      // Three shapes of wildcard filter, spread over many branches.
      if (i % 3 === 0) trie.add(`devices/${i}/+/temperature`, i);
      else if (i % 3 === 1) trie.add(`sites/+/${i}/#`, i);
      else trie.add(`+/zone${i}`, i);
    }
    trie.add('#', -1);
    expect(trie.hasWildcards).toBe(true);

    expect([...trie.match('devices/300/kitchen/temperature')].sort((a, b) => a - b)).toEqual([
      -1, 300,
    ]);
    expect([...trie.match('devices/301/kitchen/temperature')]).toEqual([-1]);
    expect([...trie.match('sites/rome/99997/a/b/c')].sort((a, b) => a - b)).toEqual([-1, 99997]);
    expect([...trie.match('sites/rome/99997')].sort((a, b) => a - b)).toEqual([-1, 99997]);
    expect([...trie.match('anything/zone99998')].sort((a, b) => a - b)).toEqual([-1, 99998]);
    expect([...trie.match('devices/zone2')].sort((a, b) => a - b)).toEqual([-1, 2]);
    expect(trie.match('$SYS/zone2')).toEqual([]);
    expect(trie.match('unrelated/topic/deep/down')).toEqual([-1]);

    for (let i = 0; i < N; i += 3) expect(trie.delete(`devices/${i}/+/temperature`, i)).toBe(true);
    expect(trie.match('devices/300/kitchen/temperature')).toEqual([-1]);
    expect([...trie.match('sites/x/4/y')].sort((a, b) => a - b)).toEqual([-1, 4]);
  });
});
