import { connectAsync } from 'mqtt';
import { startTestBroker, type TestBroker } from '../support/mqtt/test-broker';
import { uniquePrefix } from '../support/mqtt/topics';
import { interrupt, runCli, startCli } from './cli-process';

jest.setTimeout(120_000);

describe('busline (the command)', () => {
  it('explains itself with --help and exits 0', async () => {
    const [main, tap, publish, asyncapi] = await Promise.all([
      runCli(['--help']),
      runCli(['tap', '--help']),
      runCli(['publish', '--help']),
      runCli(['asyncapi', '--help']),
    ]);
    expect(main).toMatchObject({ code: 0, stdout: expect.stringContaining('Commands:') });
    expect(tap).toMatchObject({ code: 0, stdout: expect.stringContaining('busline tap <filter>') });
    expect(publish).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('--json <document>'),
    });
    expect(asyncapi).toMatchObject({ code: 0, stdout: expect.stringContaining('preview mode') });
  });

  it('exits 2 with a reason on wrong arguments', async () => {
    const runs = await Promise.all([
      runCli([]),
      runCli(['frobnicate']),
      runCli(['tap']),
      runCli(['tap', 'orders/#/x']),
      runCli(['tap', 'a', '--qos', '3']),
      runCli(['publish', 'a/+', '--text', 'x']),
      runCli(['publish', 'a', '--json', '{}']),
      runCli(['publish', 'a', '--bogus']),
      runCli(['asyncapi']),
    ]);
    expect(runs.map((r) => r.code)).toEqual(runs.map(() => 2));
    expect(runs[1].stderr).toContain("unknown command 'frobnicate'");
    expect(runs[2].stderr).toContain('tap needs a topic filter');
    expect(runs[4].stderr).toContain('--qos takes a whole number from 0 to 2');
    expect(runs[6].stderr).toContain('--json needs --type');
    expect(runs[7].stderr).toContain("Unknown option '--bogus'");
  });

  it('says the broker is unreachable and exits 1 when the connection is refused', async () => {
    const [tap, publish] = await Promise.all([
      runCli(['tap', 'x', '--url', 'mqtt://127.0.0.1:1']),
      runCli(['publish', 'x', '--text', 'hi', '--url', 'mqtt://127.0.0.1:1']),
    ]);
    for (const run of [tap, publish]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('cannot connect to the MQTT broker at mqtt://127.0.0.1:1');
      expect(run.stderr).toContain('ECONNREFUSED');
    }
  });
});

describe('busline publish and tap on the broker', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await startTestBroker();
  });
  afterAll(() => broker.close());

  it('tap prints what publish sends, raw payloads included, and stops on Ctrl+C', async () => {
    const prefix = uniquePrefix('cli');
    const tap = startCli(['tap', `${prefix}/#`, '--url', broker.url, '--json']);
    await tap.waitForOutput('busline tap: listening');

    const sent = [
      await runCli(['publish', `${prefix}/text`, '--text', 'hello', '--url', broker.url]),
      await runCli(['publish', `${prefix}/int`, '--int', '9007199254740993', '--url', broker.url]),
      await runCli([
        'publish',
        `${prefix}/json`,
        '--json',
        '2.5',
        '--type',
        'Float64Message',
        '--publisher',
        'me',
        '--qos',
        '1',
        '--url',
        broker.url,
      ]),
      await runCli(['publish', `${prefix}/empty`, '--url', broker.url]),
    ];
    expect(sent.map((s) => s.code)).toEqual([0, 0, 0, 0]);
    const ids = sent.map((s) => s.stdout.trim());
    const raw = await connectAsync(broker.url);
    await raw.publishAsync(`${prefix}/raw`, '{"plain": true}');
    await raw.publishAsync(`${prefix}/bin`, Buffer.from([0xff, 0x00, 0x01]));
    await raw.endAsync();

    await tap.waitForOutput(`${prefix}/bin`);
    expect(await interrupt(tap)).toBe(0);
    const events = tap.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toEqual([
      expect.objectContaining({
        topic: `${prefix}/text`,
        messageType: 'StringMessage',
        identifier: ids[0],
        publisher: 'busline-cli',
        payload: { value: 'hello' },
        decoding: 'decoded',
      }),
      expect.objectContaining({
        messageType: 'Int64Message',
        identifier: ids[1],
        payload: { value: '9007199254740993' },
      }),
      expect.objectContaining({
        messageType: 'Float64Message',
        identifier: ids[2],
        publisher: 'me',
        payload: { value: 2.5 },
      }),
      expect.objectContaining({ identifier: ids[3], messageType: null, payload: null }),
      expect.objectContaining({ messageType: '(raw)', payload: { plain: true } }),
      expect.objectContaining({ messageType: '(raw)', payload: { hex: 'ff0001' } }),
    ]);
  });

  it('tap shows an unknown message type as its raw fields', async () => {
    const prefix = uniquePrefix('cli');
    const tap = startCli(['tap', `${prefix}/#`, '--url', broker.url, '-n', '1']);
    await tap.waitForOutput('busline tap: listening');
    const envelope =
      '{"identifier": "e1", "publisher_identifier": "py", "serialized_payload": {"__type__": ' +
      '"bytes", "value": "eyJhIjogMX0="}, "payload_format_type": "json", "message_type": ' +
      '"Unknown", "timestamp": {"__type__": "datetime", "value": "2025-01-02T03:04:05.678901"}}';
    const raw = await connectAsync(broker.url);
    await raw.publishAsync(`${prefix}/unknown`, envelope);
    await raw.endAsync();
    expect(await tap.exit).toBe(0);
    expect(tap.stdout).toBe(
      `2025-01-02T03:04:05.678Z  ${prefix}/unknown  Unknown  e1  py  ` +
        '{"payload_format_type":"json","serialized_payload":{"a":1}}  # payload shown raw ' +
        "(No message class is registered as 'Unknown'; decorate the class with " +
        '@Message("Unknown") or call addToRegistry(Unknown) before events arrive)\n',
    );
  });
});
