import {
  BROKER_OPTIONS,
  brokerSettings,
  onePositional,
  parseCommand,
} from '../../lib/cli/cli.args';
import { UsageError } from '../../lib/cli/cli.errors';
import type { CommandIo } from '../../lib/cli/cli.io';

/* The argument handling every `busline` command shares (lib/cli/cli.args.ts), in process. */

function io(): CommandIo & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    out: (line) => void lines.push(line),
    err: (line) => void lines.push(line),
    onStop: () => undefined,
    offStop: () => undefined,
  };
}

describe('parseCommand', () => {
  it('prints the usage for --help and returns undefined', () => {
    const out = io();
    expect(parseCommand(['-h'], out, 'Usage: x', { n: { type: 'string' } })).toBeUndefined();
    expect(out.lines).toEqual(['Usage: x']);
  });

  it('returns the common, the broker and the command options with their defaults', () => {
    const parsed = parseCommand(['t', '-r', 'a', '-r', 'b', '--qos', '1'], io(), '', {
      ...BROKER_OPTIONS,
      n: { type: 'string', short: 'n' },
    });
    expect(parsed?.positionals).toEqual(['t']);
    expect(parsed?.values).toEqual({
      help: false,
      require: ['a', 'b'],
      url: 'mqtt://127.0.0.1:1883',
      'connect-timeout': '5000',
      qos: '1',
    });
  });

  it('turns an unknown option into a UsageError', () => {
    expect(() => parseCommand(['--bogus'], io(), '', {})).toThrow(UsageError);
  });
});

it.each([
  [[], 'publish needs a topic, such as greetings'],
  [['a', 'b'], "publish takes one topic; unexpected 'b'"],
])('onePositional(%j) says what is wrong', (positionals, message) => {
  expect(() =>
    onePositional('publish', positionals, 'topic', 'a topic, such as greetings'),
  ).toThrow(new UsageError(message));
});

it('brokerSettings checks the URL, the QoS and the connect timeout', () => {
  const values = { url: 'mqtt://h:1', qos: '2', 'connect-timeout': '10' };
  expect(brokerSettings(values)).toEqual({ url: 'mqtt://h:1', qos: 2, connectTimeoutMs: 10 });
  expect(() => brokerSettings({ ...values, url: 'http://h' })).toThrow(/mqtt:\/\//);
  expect(() => brokerSettings({ ...values, qos: '3' })).toThrow(/--qos takes a whole number/);
  expect(() => brokerSettings({ ...values, 'connect-timeout': '0' })).toThrow(/--connect-timeout/);
});
