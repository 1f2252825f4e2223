import { InvalidTopicError } from '../../../../lib/core/errors/invalid-topic.error';
import {
  hasWildcard,
  matchingFilter,
  validatePublishTopic,
  validateTopicFilter,
} from '../../../../lib/core/topics/topic.validation';

const MAX = 65_535;

describe('validatePublishTopic', () => {
  it.each<[string, string]>([
    ['one level', 'orders'],
    ['several levels', 'orders/42/created'],
    ['a leading slash (empty first level)', '/orders'],
    ['a trailing slash (empty last level)', 'orders/'],
    ['an empty middle level', 'orders//42'],
    ['only a slash', '/'],
    ['a $-topic', '$SYS/broker/uptime'],
    ['a $share-looking topic (no special meaning on publish)', '$share/group/orders'],
    ['spaces', 'my orders/today'],
    ['non-ASCII', 'commandes/été/€'],
    ['exactly the byte limit', 'a'.repeat(MAX)],
    ['exactly the byte limit in 3-byte characters', '€'.repeat(MAX / 3)],
  ])('accepts %s', (_case, topic) => {
    expect(() => validatePublishTopic(topic)).not.toThrow();
  });

  it.each<[string, unknown, RegExp]>([
    ['the empty topic', '', /cannot be empty/],
    ['a lone +', '+', /wildcard.*publish needs a concrete topic such as 'orders\/42'/],
    ['a lone #', '#', /wildcard/],
    ['a + level', 'orders/+/created', /wildcard/],
    ['a trailing #', 'orders/#', /wildcard/],
    ['+ inside a level', 'orders/4+2', /wildcard/],
    ['# inside a level', 'orders/#42', /wildcard/],
    ['a NUL character', 'orders/\u0000/42', /NUL/],
    ['one byte over the limit', 'a'.repeat(MAX + 1), /at most 65535 UTF-8 bytes/],
    ['over the limit only in UTF-8 bytes', '€'.repeat(MAX / 3 + 1), /at most 65535 UTF-8 bytes/],
    ['a number', 42, /must be a string/],
    ['undefined', undefined, /must be a string/],
    ['null', null, /must be a string/],
  ])('rejects %s with a helpful InvalidTopicError', (_case, topic, message) => {
    let thrown: unknown;
    try {
      validatePublishTopic(topic);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidTopicError);
    const error = thrown as InvalidTopicError;
    expect(error.name).toBe('InvalidTopicError');
    expect(error.topic).toBe(topic);
    expect(error.message).toMatch(message);
  });

  it('names the offending topic in the message', () => {
    expect(() => validatePublishTopic('orders/#')).toThrow(`Topic "orders/#" is invalid`);
  });
});

describe('validateTopicFilter', () => {
  it.each<[string, string]>([
    ['a concrete topic', 'orders/42'],
    ['a lone #', '#'],
    ['a lone +', '+'],
    ['a trailing #', 'orders/#'],
    ['a + level', 'orders/+/created'],
    ['several + levels', '+/+/+'],
    ['+ then #', '+/orders/#'],
    ['+ on empty-level positions', '/+/'],
    ['# after an empty level', 'orders//#'],
    ['a $-topic filter', '$SYS/#'],
    ['a shared subscription', '$share/workers/orders/+'],
    ['a shared subscription of everything', '$share/workers/#'],
    ['a shared subscription of a concrete topic', '$share/g/orders'],
    ['a shared subscription of a $-topic', '$share/g/$SYS/+'],
    ['exactly the byte limit', 'a'.repeat(MAX)],
  ])('accepts %s', (_case, filter) => {
    expect(() => validateTopicFilter(filter)).not.toThrow();
  });

  it.each<[string, unknown, RegExp]>([
    ['the empty filter', '', /cannot be empty/],
    ['# not last', 'orders/#/created', /'#' must be a whole level and the last one, as in 'a\/#'/],
    ['# first of several', '#/orders', /'#' must be a whole level and the last one/],
    ['# inside a level', 'orders#', /'#' must be a whole level/],
    ['# suffix of the last level', 'orders/42#', /'#' must be a whole level/],
    ['## as a level', 'orders/##', /'#' must be a whole level/],
    ['+ inside a level', 'orders/4+', /'\+' must fill a whole level, as in 'a\/\+\/c'/],
    ['+ prefix of a level', '+orders', /'\+' must fill a whole level/],
    ['++ as a level', 'a/++/b', /'\+' must fill a whole level/],
    ['$share without a filter', '$share/group', /'\$share\/<group>\/<filter>'/],
    ['$share with an empty filter', '$share/group/', /'\$share\/<group>\/<filter>'/],
    ['$share with an empty group', '$share//orders', /'\$share\/<group>\/<filter>'/],
    ['$share with a + in the group', '$share/g+/orders', /group cannot contain a wildcard/],
    ['$share with # as the group', '$share/#/orders', /group cannot contain a wildcard/],
    ['$share with a misplaced # in its filter', '$share/g/a/#/b', /'#' must be a whole level/],
    ['a NUL character', 'a/\u0000', /NUL/],
    ['one byte over the limit', 'a'.repeat(MAX + 1), /at most 65535 UTF-8 bytes/],
    ['a number', 7, /must be a string/],
  ])('rejects %s with a helpful InvalidTopicError', (_case, filter, message) => {
    let thrown: unknown;
    try {
      validateTopicFilter(filter);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidTopicError);
    expect((thrown as InvalidTopicError).topic).toBe(filter);
    expect((thrown as InvalidTopicError).message).toMatch(message);
  });
});

describe('hasWildcard', () => {
  it.each<[string, boolean]>([
    ['a/b', false],
    ['a/+', true],
    ['#', true],
    ['$share/g/a', false],
    ['$share/g/a/#', true],
    ['', false],
  ])('%j -> %s', (filter, expected) => {
    expect(hasWildcard(filter)).toBe(expected);
  });
});

describe('matchingFilter', () => {
  it.each<[string, string]>([
    ['a/b', 'a/b'],
    ['#', '#'],
    ['$share/g/a/+', 'a/+'],
    ['$share/group/#', '#'],
    ['$share/g/$SYS/x', '$SYS/x'],
    ['$SYS/x', '$SYS/x'],
    ['$sharex/a', '$sharex/a'],
  ])('%j -> %j', (filter, expected) => {
    expect(matchingFilter(filter)).toBe(expected);
  });
});
