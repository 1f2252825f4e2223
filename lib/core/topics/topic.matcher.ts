import { matchingFilter } from './topic.validation';

/**
 * MQTT matching of one topic against one filter: '+' is one level, '#' the rest (including the
 * parent level: 'a/#' matches 'a'), a topic starting with '$' is not matched by a filter starting
 * with a wildcard, '$share/<group>/' is ignored. A filter without wildcards matches only itself.
 *
 * This scans both strings; subscribers match a topic against many filters with a trie instead.
 */
export function topicMatches(filter: string, topic: string): boolean {
  const f = matchingFilter(filter).split('/');
  const t = topic.split('/');
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
