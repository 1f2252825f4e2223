import type { MqttClient } from 'mqtt';
import { BuslineError } from '../../lib/core/errors/busline.error';
import { PayloadDecodeError } from '../../lib/core/errors/payload-decode.error';
import type { Event } from '../../lib/core/event';
import { MessageTypeNotFoundError } from '../../lib/core/errors/message-type-not-found.error';
import { UnsupportedFormatError } from '../../lib/core/errors/unsupported-format.error';
import { StringMessage } from '../../lib/core/messages/string.message';
import { EnvelopeDecodeError } from '../../lib/core/errors/envelope-decode.error';
import { registryPassthroughEventJsonSerializer } from '../../lib/core/wire/registry-passthrough-event.json';
import { RegistryPassthroughEvent } from '../../lib/core/wire/registry-passthrough.event';
import {
  InboundDecodeError,
  InboundPayloadTooLargeError,
} from '../../lib/mqtt/errors/inbound-decode.error';
import { DEFAULT_MAX_PAYLOAD_SIZE } from '../../lib/mqtt/mqtt.options';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { Cleanup } from '../support/mqtt/cleanup';
import { fuzzPayloads } from '../support/mqtt/fuzz';
import { rawClient } from '../support/mqtt/raw-client';
import {
  itIf,
  MQTT5_AVAILABLE,
  MQTT5_SKIP_REASON,
  startTestBroker,
  type TestBroker,
} from '../support/mqtt/test-broker';
import { OrderPlaced, sampleOrder } from '../support/mqtt/test-messages';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil } from '../support/mqtt/wait';

/*
 * Bad input from the wire: each kind becomes a typed InboundDecodeError reported to onError with
 * the topic (the decoder's own typed error as cause), and the subscriber goes on with the next
 * message. Then a fuzz run of 10,000 hostile payloads through the broker.
 */

jest.setTimeout(90_000);

let broker: TestBroker;
let raw: MqttClient;
const cleanup = new Cleanup();

beforeAll(async () => {
  broker = await startTestBroker();
  raw = await rawClient(broker.url);
});
afterAll(async () => {
  await raw.endAsync();
  await broker.close();
});
afterEach(() => cleanup.run());

function envelopeBytes(init: Partial<ConstructorParameters<typeof RegistryPassthroughEvent>[0]>) {
  return Buffer.from(
    registryPassthroughEventJsonSerializer(
      new RegistryPassthroughEvent({
        identifier: 'bad-input',
        publisherIdentifier: 'test',
        serializedPayload: null,
        payloadFormatType: null,
        messageType: null,
        timestamp: new Date(),
        ...init,
      }),
    ),
  );
}

/** A subscriber on `<prefix>/#` that keeps what it handles and every error it reports. */
async function watchingSubscriber(prefix: string, maxPayloadSize?: number) {
  const handled: [string, Event][] = [];
  const errors: BuslineError[] = [];
  const subscriber = cleanup.connector(
    new MqttSubscriber({ url: broker.url, maxPayloadSize, onError: (e) => errors.push(e) }),
  );
  await subscriber.subscribe(`${prefix}/#`, (topic, event) => {
    handled.push([topic, event]);
  });
  await subscriber.connect();
  return { subscriber, handled, errors };
}

const validOrderAvro = sampleOrder().serialize()[1];

const CASES: [name: string, payload: () => Buffer, cause: new (...a: never[]) => Error][] = [
  ['not JSON', () => Buffer.from('this is not json'), EnvelopeDecodeError],
  ['not UTF-8', () => Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), EnvelopeDecodeError],
  ['empty', () => Buffer.alloc(0), EnvelopeDecodeError],
  ['JSON that is not an object', () => Buffer.from('[1, 2, 3]'), EnvelopeDecodeError],
  ['JSON that is not an envelope', () => Buffer.from('{"orderId": 42}'), EnvelopeDecodeError],
  [
    'an envelope with a wrongly typed member',
    () =>
      Buffer.from(
        envelopeBytes({})
          .toString()
          .replace('"publisher_identifier": "test"', '"publisher_identifier": 7'),
      ),
    EnvelopeDecodeError,
  ],
  [
    'base64 without padding',
    () =>
      Buffer.from(
        envelopeBytes({
          serializedPayload: Buffer.from('hello'),
          payloadFormatType: 'utf-8',
          messageType: 'StringMessage',
        })
          .toString()
          .replace('aGVsbG8=', 'aGVsbG8'),
      ),
    EnvelopeDecodeError,
  ],
  [
    'an unknown message_type',
    () =>
      envelopeBytes({
        serializedPayload: Buffer.from('{}'),
        payloadFormatType: 'json',
        messageType: 'NoSuchMessage',
      }),
    MessageTypeNotFoundError,
  ],
  [
    'an unsupported format',
    () =>
      envelopeBytes({
        serializedPayload: Buffer.from('hello'),
        payloadFormatType: 'xml',
        messageType: 'StringMessage',
      }),
    UnsupportedFormatError,
  ],
  [
    'a payload that does not decode (invalid UTF-8 for a StringMessage)',
    () =>
      envelopeBytes({
        serializedPayload: Buffer.from([0xc3, 0x28]),
        payloadFormatType: 'utf-8',
        messageType: 'StringMessage',
      }),
    PayloadDecodeError,
  ],
  [
    'a payload that does not decode (JSON of the wrong shape)',
    () =>
      envelopeBytes({
        serializedPayload: Buffer.from('{"value": "not a number"}'),
        payloadFormatType: 'json',
        messageType: 'Int64Message',
      }),
    PayloadDecodeError,
  ],
  [
    'a truncated Avro body',
    () =>
      envelopeBytes({
        serializedPayload: validOrderAvro.subarray(0, validOrderAvro.length - 5),
        payloadFormatType: 'avro',
        messageType: 'OrderPlaced',
      }),
    PayloadDecodeError,
  ],
  [
    'an Avro body announcing a billion items in 7 bytes',
    () =>
      envelopeBytes({
        // orderId 0, customer '', then an items block of 1e9 records: refused before reading.
        serializedPayload: Buffer.from([0x00, 0x00, ...zigzagVarint(1_000_000_000)]),
        payloadFormatType: 'avro',
        messageType: 'OrderPlaced',
      }),
    PayloadDecodeError,
  ],
];

/** An Avro `long` as written on the wire. */
function zigzagVarint(value: number): number[] {
  let n = value * 2;
  const bytes: number[] = [];
  while (n >= 0x80) {
    bytes.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  bytes.push(n);
  return bytes;
}

it.each(CASES)(
  'reports %s as a typed error with the topic, and goes on',
  async (_name, payload, cause) => {
    const prefix = uniquePrefix('bad');
    const { handled, errors } = await watchingSubscriber(prefix);
    await raw.publishAsync(`${prefix}/bad`, payload(), { qos: 1 });
    await raw.publishAsync(
      `${prefix}/good`,
      envelopeBytes({
        serializedPayload: Buffer.from('still here'),
        payloadFormatType: 'utf-8',
        messageType: 'StringMessage',
      }),
      { qos: 1 },
    );
    await waitUntil(() => handled.length === 1, { what: 'the good event after the bad one' });

    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error).toBeInstanceOf(InboundDecodeError);
    expect((error as InboundDecodeError).topic).toBe(`${prefix}/bad`);
    expect(error.message).toContain(`'${prefix}/bad'`);
    expect(error.cause).toBeInstanceOf(cause);
    expect(handled[0][0]).toBe(`${prefix}/good`);
    expect((handled[0][1].payload as StringMessage).value).toBe('still here');
  },
);

it('skips a payload above maxPayloadSize unread (default 4 MiB), and goes on', async () => {
  expect(DEFAULT_MAX_PAYLOAD_SIZE).toBe(4 * 1024 * 1024);
  const prefix = uniquePrefix('huge');
  const { handled, errors } = await watchingSubscriber(prefix);
  const huge = Buffer.alloc(DEFAULT_MAX_PAYLOAD_SIZE + 1, 0x20);
  await raw.publishAsync(`${prefix}/huge`, huge, { qos: 1 });
  await raw.publishAsync(`${prefix}/after`, envelopeBytes({}), { qos: 1 });
  await waitUntil(() => handled.length === 1, { what: 'the event after the huge one' });

  expect(errors).toHaveLength(1);
  expect(errors[0]).toBeInstanceOf(InboundPayloadTooLargeError);
  expect(errors[0]).toMatchObject({
    topic: `${prefix}/huge`,
    payloadSize: DEFAULT_MAX_PAYLOAD_SIZE + 1,
    limit: DEFAULT_MAX_PAYLOAD_SIZE,
  });
  expect(handled[0][0]).toBe(`${prefix}/after`);
});

itIf(MQTT5_AVAILABLE, MQTT5_SKIP_REASON)(
  'over MQTT 5, tells the broker its packet limit, so a larger message is never sent to it',
  async () => {
    const prefix = uniquePrefix('limit5');
    const limit = 64 * 1024;
    const handled: string[] = [];
    const errors: BuslineError[] = [];
    const subscriber = cleanup.connector(
      new MqttSubscriber({
        url: broker.url,
        maxPayloadSize: limit,
        onError: (error) => errors.push(error),
        otherClientParameters: { protocolVersion: 5 },
      }),
    );
    await subscriber.subscribe(`${prefix}/#`, (topic) => handled.push(topic), { qos: 1 });
    await subscriber.connect();
    expect(subscriber.mqttClient!.options.properties?.maximumPacketSize).toBe(limit + 256 * 1024);
    let biggest = 0;
    subscriber.mqttClient!.on('packetreceive', (packet) => {
      if (packet.cmd === 'publish') biggest = Math.max(biggest, packet.length ?? 0);
    });

    // Far above the stated packet size: the broker drops it for this client instead of sending it.
    await raw.publishAsync(`${prefix}/huge`, Buffer.alloc(limit + 512 * 1024, 0x20), { qos: 1 });
    await raw.publishAsync(`${prefix}/after`, envelopeBytes({}), { qos: 1 });
    await waitUntil(() => handled.length === 1, { what: 'the event after the huge one' });
    expect(handled).toEqual([`${prefix}/after`]);
    expect(biggest).toBeLessThan(limit);
    expect(errors).toEqual([]);
    expect(subscriber.status).toBe('connected');
  },
);

it('survives 10,000 random and mutated envelopes through the broker, then handles a valid event', async () => {
  const total = 10_000;
  const maxPayloadSize = 64 * 1024;
  const seed = Number(process.env.BUSLINE_FUZZ_SEED ?? 20250601);
  const prefix = uniquePrefix('fuzz');
  const { handled, errors } = await watchingSubscriber(prefix, maxPayloadSize);
  const payloads = fuzzPayloads(total, seed, maxPayloadSize);

  // In batches, each waited for, so no broker queue limit (Mosquitto keeps 1000 per client) drops
  // anything and every message is accounted for.
  const batch = 500;
  for (let start = 0; start < total; start += batch) {
    const end = Math.min(total, start + batch);
    await Promise.all(
      payloads.slice(start, end).map((p) => raw.publishAsync(`${prefix}/fuzz`, p, { qos: 1 })),
    );
    await waitUntil(() => handled.length + errors.length >= end, {
      timeout: 20_000,
      what: `fuzz messages up to ${end} accounted for (${handled.length} handled, ${errors.length} errors)`,
    });
  }

  const order = sampleOrder();
  await raw.publishAsync(
    `${prefix}/valid`,
    envelopeBytes({
      serializedPayload: order.serialize()[1],
      payloadFormatType: 'avro',
      messageType: 'OrderPlaced',
    }),
    { qos: 1 },
  );
  await waitUntil(() => handled.some(([topic]) => topic === `${prefix}/valid`), {
    what: 'the valid event after the fuzz run',
  });
  const [, valid] = handled.find(([topic]) => topic === `${prefix}/valid`)!;
  expect(valid.payload).toBeInstanceOf(OrderPlaced);
  expect((valid.payload as OrderPlaced).items.map((i) => i.sku)).toEqual(['KB-1', 'MS-7']);

  const decodedByKind = new Map<string, number>();
  for (const error of errors) {
    const name = (error.cause as Error | undefined)?.constructor.name ?? error.constructor.name;
    decodedByKind.set(name, (decodedByKind.get(name) ?? 0) + 1);
  }
  console.info(
    `[busline] fuzz (seed ${seed}, ${broker.kind} broker): sent=${total}, rejected=${errors.length}, ` +
      `decoded anyway=${handled.length - 1}, lost=${total - errors.length - (handled.length - 1)}; ` +
      `errors by cause: ${[...decodedByKind].map(([k, v]) => `${k}=${v}`).join(', ')}`,
  );
  // Every message is either handled or reported: nothing lost, nothing escaped untyped.
  expect(errors.length + handled.length - 1).toBe(total);
  expect(errors.every((e) => e instanceof InboundDecodeError)).toBe(true);
  expect(errors.every((e) => (e as InboundDecodeError).topic === `${prefix}/fuzz`)).toBe(true);
  expect(
    errors.filter(
      (e) => !(e instanceof InboundPayloadTooLargeError) && !(e.cause instanceof BuslineError),
    ),
  ).toEqual([]);
  expect(errors.length).toBeGreaterThan(total / 2);
});
