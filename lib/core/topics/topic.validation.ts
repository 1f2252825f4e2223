import { InvalidTopicError } from '../errors/invalid-topic.error';

/*
 * MQTT topic rules (MQTT 3.1.1 §4.7, MQTT 5 §4.7-4.8), applied to every transport:
 * - a topic or filter is a non-empty string of at most 65,535 UTF-8 bytes, without U+0000;
 * - a topic to publish on has no wildcard: neither '+' nor '#' anywhere;
 * - in a filter, '+' fills a whole level and '#' is a whole level and the last one;
 * - '$share/<group>/<filter>' is a shared subscription: the group is non-empty and has no
 *   wildcard, and <filter> follows the rules above.
 */

const MAX_TOPIC_BYTES = 65_535;
const SHARE_PREFIX = '$share/';

function checkCommon(topic: unknown): asserts topic is string {
  if (typeof topic !== 'string') throw new InvalidTopicError(topic, 'a topic must be a string');
  if (topic.length === 0) throw new InvalidTopicError(topic, 'a topic cannot be empty');
  if (topic.length * 3 > MAX_TOPIC_BYTES && Buffer.byteLength(topic) > MAX_TOPIC_BYTES) {
    throw new InvalidTopicError(topic, `a topic is at most ${MAX_TOPIC_BYTES} UTF-8 bytes`);
  }
  if (topic.includes('\u0000')) {
    throw new InvalidTopicError(topic, 'a topic cannot contain the NUL character');
  }
}

/** Throws {@link InvalidTopicError} unless `topic` is a concrete topic one can publish on. */
export function validatePublishTopic(topic: unknown): asserts topic is string {
  checkCommon(topic);
  if (topic.includes('+') || topic.includes('#')) {
    throw new InvalidTopicError(
      topic,
      "it contains a wildcard ('+' or '#'); publish needs a concrete topic such as 'orders/42'",
    );
  }
}

/** Throws {@link InvalidTopicError} unless `filter` is a valid subscription (wildcards allowed). */
export function validateTopicFilter(filter: unknown): asserts filter is string {
  checkCommon(filter);
  let levels = filter;
  if (filter.startsWith(SHARE_PREFIX)) {
    const slash = filter.indexOf('/', SHARE_PREFIX.length);
    const group = filter.slice(SHARE_PREFIX.length, slash === -1 ? undefined : slash);
    if (group.length === 0 || slash === -1 || slash === filter.length - 1) {
      throw new InvalidTopicError(filter, "a shared subscription is '$share/<group>/<filter>'");
    }
    if (group.includes('+') || group.includes('#')) {
      throw new InvalidTopicError(filter, 'a shared subscription group cannot contain a wildcard');
    }
    levels = filter.slice(slash + 1);
  }
  const parts = levels.split('/');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.includes('#') && (part !== '#' || i !== parts.length - 1)) {
      throw new InvalidTopicError(
        filter,
        "'#' must be a whole level and the last one, as in 'a/#'",
      );
    }
    if (part.includes('+') && part !== '+') {
      throw new InvalidTopicError(filter, "'+' must fill a whole level, as in 'a/+/c'");
    }
  }
}

/** True when `filter` contains '+' or '#'. */
export function hasWildcard(filter: string): boolean {
  return filter.includes('+') || filter.includes('#');
}

/** The filter that decides matching: a shared subscription's filter without '$share/<group>/'. */
export function matchingFilter(filter: string): string {
  if (!filter.startsWith(SHARE_PREFIX)) return filter;
  return filter.slice(filter.indexOf('/', SHARE_PREFIX.length) + 1);
}
