import { topicMatches } from '../../../../lib/core/topics/topic.matcher';
import { TopicTrie } from '../../../../lib/core/topics/topic.trie';
import {
  validatePublishTopic,
  validateTopicFilter,
} from '../../../../lib/core/topics/topic.validation';

/**
 * One table, two implementations: `topicMatches` (one filter, one topic) and `TopicTrie.match`
 * (many filters, one topic) must give the same answer for every row.
 * Rows: [filter, topic, matches].
 */
const TABLE: readonly [filter: string, topic: string, matches: boolean][] = [
  // Exact filters match only themselves.
  ['a', 'a', true],
  ['a', 'b', false],
  ['a', 'a/b', false],
  ['a/b', 'a', false],
  ['a/b', 'a/b', true],
  ['a/b', 'a/b/', false],
  ['a/b', '/a/b', false],
  ['a/b', 'a//b', false],
  ['a//b', 'a//b', true],
  ['/a', 'a', false],
  ['/a', '/a', true],
  ['a/', 'a/', true],
  ['a/', 'a', false],
  ['A', 'a', false],
  ['orders/42', 'orders/4', false],
  ['orders/4', 'orders/42', false],
  ['$SYS/x', '$SYS/x', true],
  // '+': exactly one level, possibly empty.
  ['+', 'a', true],
  ['+', 'a/b', false],
  ['+', '/a', false],
  ['+', 'a/', false],
  ['+', '/', false],
  ['a/+', 'a/b', true],
  ['a/+', 'a/', true],
  ['a/+', 'a', false],
  ['a/+', 'a/b/c', false],
  ['a/+', 'b/c', false],
  ['+/b', 'a/b', true],
  ['+/b', '/b', true],
  ['+/b', 'a/c', false],
  ['a/+/c', 'a/b/c', true],
  ['a/+/c', 'a//c', true],
  ['a/+/c', 'a/b/d', false],
  ['a/+/c', 'a/b/c/d', false],
  ['+/+', 'a/b', true],
  ['+/+', '/', true],
  ['+/+', 'a', false],
  ['+/+', 'a/b/c', false],
  ['+/', 'a/', true],
  ['+/', 'a', false],
  ['/+', '/a', true],
  ['/+', 'a/b', false],
  // '#': the rest, including the parent level.
  ['#', 'a', true],
  ['#', 'a/b/c', true],
  ['#', '/', true],
  ['#', '/a', true],
  ['a/#', 'a', true],
  ['a/#', 'a/', true],
  ['a/#', 'a/b', true],
  ['a/#', 'a/b/c/d', true],
  ['a/#', 'b', false],
  ['a/#', 'ab', false],
  ['a/#', 'b/a', false],
  ['a/b/#', 'a', false],
  ['a/b/#', 'a/b', true],
  ['a/b/#', 'a/c/b', false],
  ['/#', '/a', true],
  ['/#', '/', true],
  ['/#', 'a', false],
  ['a/+/#', 'a/b', true],
  ['a/+/#', 'a/b/c/d', true],
  ['a/+/#', 'a', false],
  ['+/#', 'a', true],
  ['+/#', 'a/b/c', true],
  ['+/b/#', 'a/b', true],
  ['+/b/#', 'a/b/c', true],
  ['+/b/#', 'a/c/b', false],
  // Topics starting with '$' are not matched by a leading wildcard.
  ['#', '$SYS', false],
  ['#', '$SYS/x', false],
  ['#', '$', false],
  ['+', '$SYS', false],
  ['+/x', '$SYS/x', false],
  ['+/#', '$SYS/x', false],
  ['$SYS/#', '$SYS/x', true],
  ['$SYS/#', '$SYS', true],
  ['$SYS/+', '$SYS/x', true],
  ['$SYS/+', '$SYS', false],
  ['a/#', '$a', false],
  // ... but '$' later in the topic is an ordinary character.
  ['+/$x', 'a/$x', true],
  ['a/+', 'a/$x', true],
  ['#', 'a/$x', true],
  // '$share/<group>/' is stripped from the filter before matching.
  ['$share/g/a', 'a', true],
  ['$share/g/a', 'b', false],
  ['$share/g/a', '$share/g/a', false],
  ['$share/g/a/+', 'a/b', true],
  ['$share/g/a/+', 'a/b/c', false],
  ['$share/g/#', 'a/b', true],
  ['$share/g/#', '$SYS/x', false],
  ['$share/g/+', 'a', true],
  ['$share/g/$SYS/#', '$SYS/x', true],
  ['$share/other/x/#', 'x', true],
];

describe('topic matching table', () => {
  it('is made of valid filters and publishable topics only', () => {
    for (const [filter, topic] of TABLE) {
      expect(() => validateTopicFilter(filter)).not.toThrow();
      expect(() => validatePublishTopic(topic)).not.toThrow();
    }
  });

  describe('topicMatches(filter, topic)', () => {
    it.each(TABLE)('%j vs %j -> %s', (filter, topic, expected) => {
      expect(topicMatches(filter, topic)).toBe(expected);
    });
  });

  describe('TopicTrie.match(topic) with the filter alone', () => {
    it.each(TABLE)('%j vs %j -> %s', (filter, topic, expected) => {
      const trie = new TopicTrie<string>();
      trie.add(filter, filter);
      expect(trie.match(topic)).toEqual(expected ? [filter] : []);
    });
  });

  it('a trie holding every filter of the table answers like topicMatches for every topic', () => {
    const filters = [...new Set(TABLE.map(([filter]) => filter))];
    const topics = [...new Set(TABLE.map(([, topic]) => topic))];
    const trie = new TopicTrie<string>();
    for (const filter of filters) trie.add(filter, filter);
    let compared = 0;
    for (const topic of topics) {
      const expected = filters.filter((filter) => topicMatches(filter, topic)).sort();
      expect({ topic, matched: [...trie.match(topic)].sort() }).toEqual({
        topic,
        matched: expected,
      });
      compared++;
    }
    expect(compared).toBe(topics.length);
  });
});
