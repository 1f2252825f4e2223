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

/** A `@Subscribe` topic compiled: the MQTT filter to subscribe to and its named levels. */
export interface TopicPattern {
  /** The topic as written in `@Subscribe`. */
  readonly source: string;
  /** The MQTT topic filter (names removed). */
  readonly filter: string;
  /** For each level of the filter (after any `$share/<group>/`), its parameter name, if any. */
  readonly names: readonly (string | undefined)[];
  /** True when some level has a name. */
  readonly hasNames: boolean;
}

/** Compile a `@Subscribe` topic; throws {@link InvalidTopicError} naming the rule broken. */
export function compileTopicPattern(source: string): TopicPattern {
  if (typeof source !== 'string') throw new InvalidTopicError(source, 'a topic must be a string');
  const rest = matchingFilter(source);
  const prefix = source.slice(0, source.length - rest.length);
  const names: (string | undefined)[] = [];
  const levels = rest.split('/').map((level) => {
    const wildcard = level[0];
    if ((wildcard === '+' || wildcard === '#') && level.length > 1) {
      const name = level.slice(1);
      if (!IDENTIFIER.test(name)) {
        throw new InvalidTopicError(
          source,
          `'${level}' names a wildcard with '${name}', which is not an identifier (letters, ` +
            "digits, '_' or '$', not starting with a digit)",
        );
      }
      if (names.includes(name)) {
        throw new InvalidTopicError(source, `the wildcard name '${name}' is used twice`);
      }
      names.push(name);
      return wildcard;
    }
    names.push(undefined);
    return level;
  });
  const filter = prefix + levels.join('/');
  validateTopicFilter(filter);
  return { source, filter, names, hasNames: names.some((n) => n !== undefined) };
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
  if (!pattern.hasNames) return params;
  const levels = topic.split('/');
  const names = pattern.names;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name === undefined) continue;
    params[name] =
      i === names.length - 1 && isHash(pattern, i) ? levels.slice(i).join('/') : levels[i];
  }
  return params;
}

function isHash(pattern: TopicPattern, index: number): boolean {
  return pattern.filter.endsWith('#') && index === pattern.names.length - 1;
}
