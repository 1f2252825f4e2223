import { InvalidTopicError } from '../core/errors/invalid-topic.error';
import { matchingFilter, validateTopicFilter } from '../core/topics/topic.validation';

/*
 * A `@Subscribe` topic is an MQTT topic filter whose wildcards may carry a name:
 * - '+name' is '+' (one level) and hands that level to the handler as `params.name`;
 * - '#name' is '#' (the rest, as the last level) and hands the rest, joined with '/', as
 *   `params.name` ('' when the topic ends at the parent level);
 * - a name is a JavaScript identifier; unnamed wildcards stay as they are.
 * A '$share/<group>/' prefix is kept as it is and takes no part in the parameters.
 */

const SHARE_PREFIX = '$share/';
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A named wildcard of a `@Subscribe` topic. */
export interface TopicParam {
  readonly name: string;
  /** Index of its level in the filter (after any `$share/<group>/`). */
  readonly level: number;
  /** True for '#name': it takes the rest of the topic, joined with '/'. */
  readonly rest: boolean;
}

/** A `@Subscribe` topic compiled: the MQTT filter to subscribe to and its named wildcards. */
export interface TopicPattern {
  /** The topic as written in `@Subscribe`. */
  readonly source: string;
  /** The MQTT topic filter (names removed). */
  readonly filter: string;
  /** The named wildcards, in order. */
  readonly params: readonly TopicParam[];
}

/** Compile a `@Subscribe` topic; throws {@link InvalidTopicError} naming the rule broken. */
export function compileTopicPattern(source: string): TopicPattern {
  if (typeof source !== 'string') throw new InvalidTopicError(source, 'a topic must be a string');
  const rest = matchingFilter(source);
  const prefix = source.slice(0, source.length - rest.length);
  const params: TopicParam[] = [];
  const levels = rest.split('/').map((level, index) => {
    const wildcard = level[0];
    if ((wildcard !== '+' && wildcard !== '#') || level.length === 1) return level;
    const name = level.slice(1);
    if (!IDENTIFIER.test(name)) {
      throw new InvalidTopicError(
        source,
        `'${level}' names a wildcard with '${name}', which is not an identifier (letters, ` +
          "digits, '_' or '$', not starting with a digit)",
      );
    }
    if (params.some((p) => p.name === name)) {
      throw new InvalidTopicError(source, `the wildcard name '${name}' is used twice`);
    }
    params.push({ name, level: index, rest: wildcard === '#' });
    return wildcard;
  });
  const filter = prefix + levels.join('/');
  // Also rejects a '#name' that is not the last level, so `rest` is only ever the last one.
  validateTopicFilter(filter);
  return { source, filter, params };
}

/** The filter as a shared subscription of `group`: `$share/<group>/<filter>`. */
export function shareTopicFilter(pattern: TopicPattern, group: string): string {
  if (pattern.filter.startsWith(SHARE_PREFIX)) {
    throw new InvalidTopicError(
      pattern.source,
      `it is already a shared subscription; drop the 'group: ${JSON.stringify(group)}' option or ` +
        "the '$share/<group>/' prefix",
    );
  }
  const filter = `${SHARE_PREFIX}${group}/${pattern.filter}`;
  validateTopicFilter(filter);
  return filter;
}

/** The named levels of `topic` (a topic that matches the pattern's filter). */
export function extractTopicParams(pattern: TopicPattern, topic: string): Record<string, string> {
  const params: Record<string, string> = {};
  if (pattern.params.length === 0) return params;
  const levels = topic.split('/');
  for (const param of pattern.params) params[param.name] = paramValue(param, levels);
  return params;
}

/** What `param` takes from `levels`, the levels of a topic that matches its pattern. */
export function paramValue(param: TopicParam, levels: readonly string[]): string {
  return param.rest ? levels.slice(param.level).join('/') : levels[param.level];
}
