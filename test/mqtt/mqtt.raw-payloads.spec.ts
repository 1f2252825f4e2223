import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { JsonFloat } from '../../lib/core/messages/json-float.decorator';
import { JsonMessage } from '../../lib/core/messages/json.message';
import { BytesMessage } from '../../lib/core/messages/bytes.message';
import { RawJsonMessage } from '../../lib/core/messages/raw-json.message';
import { StringMessage } from '../../lib/core/messages/string.message';
import type { BuslineError } from '../../lib/core/errors/busline.error';
import type { Event } from '../../lib/core/event';
import { PayloadDecodeError } from '../../lib/core/errors/payload-decode.error';
import { InvalidArgumentError } from '../../lib/core/errors/invalid-argument.error';
import { FOREIGN_PUBLISHER_IDENTIFIER } from '../../lib/core/envelopes/envelope';
import { InboundDecodeError } from '../../lib/mqtt/errors/inbound-decode.error';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { Cleanup } from '../support/mqtt/cleanup';
import { capture, rawClient } from '../support/mqtt/raw-client';
import { BROKER_KIND, itIf, useTestBroker } from '../support/mqtt/test-broker';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil } from '../support/mqtt/wait';

/*
 * Raw payloads: a device that knows nothing of Busline publishes plain JSON, text or bytes; a
 * subscription that says so gets them as events. A raw publish reaches such a device as plain
 * JSON. The foreign side is raw mqtt.js, and mosquitto_pub against Mosquitto.
 */

jest.setTimeout(30_000);

class Reading extends JsonMessage {
  @JsonFloat() celsius = 0;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MOSQUITTO_PUB = '/usr/bin/mosquitto_pub';

const broker = useTestBroker();
const cleanup = new Cleanup();

afterEach(() => cleanup.run());

async function subscriber(errors: BuslineError[] = []): Promise<MqttSubscriber> {
  const sub = cleanup.connector(
    new MqttSubscriber({ url: broker.url, onError: (error) => void errors.push(error) }),
  );
  await sub.connect();
  return sub;
}

async function foreignClient() {
  return cleanup.add(await rawClient(broker.url), (client) => client.endAsync());
}

it('a sensor publishing plain JSON reaches a raw subscription as a Reading event', async () => {
  const topic = `${uniquePrefix('raw')}/sensors/kitchen/temperature`;
  const sub = await subscriber();
  const got: [string, Event][] = [];
  await sub.subscribe(topic, (t, event) => void got.push([t, event]), {
    envelope: { raw: Reading },
    qos: 1,
  });
  const before = Date.now();
  const sensor = await foreignClient();
  await sensor.publishAsync(topic, '{"celsius": 21.5}', { qos: 1 });
  await waitUntil(() => got.length === 1, { what: 'the reading' });

  const [arrivedOn, event] = got[0];
  expect(arrivedOn).toBe(topic);
  expect(event.payload).toBeInstanceOf(Reading);
  expect((event.payload as Reading).celsius).toBe(21.5);
  expect(event.identifier).toMatch(UUID);
  expect(event.publisherIdentifier).toBe(FOREIGN_PUBLISHER_IDENTIFIER);
  expect(event.timestamp.getTime()).toBeGreaterThanOrEqual(before);
});

it('invalid JSON on a raw subscription is reported as a typed error and the next reading still arrives', async () => {
  const topic = `${uniquePrefix('raw')}/sensors/hall/temperature`;
  const errors: BuslineError[] = [];
  const sub = await subscriber(errors);
  const got: Reading[] = [];
  await sub.subscribe(topic, (_t, event) => void got.push(event.payload as Reading), {
    envelope: { raw: Reading },
    qos: 1,
  });
  const sensor = await foreignClient();
  await sensor.publishAsync(topic, '{"celsius": 21.', { qos: 1 });
  await sensor.publishAsync(topic, '{"celsius": 19.5}', { qos: 1 });
  await waitUntil(() => got.length === 1 && errors.length === 1, {
    what: 'one error, one reading',
  });

  expect(got[0].celsius).toBe(19.5);
  expect(errors[0]).toBeInstanceOf(InboundDecodeError);
  expect((errors[0] as InboundDecodeError).topic).toBe(topic);
  expect((errors[0] as InboundDecodeError).cause).toBeInstanceOf(PayloadDecodeError);
  expect(errors[0].message).toMatch(/Reading/);
});

it('text and bytes subscriptions get the payload as a StringMessage and a BytesMessage', async () => {
  const prefix = uniquePrefix('raw');
  const sub = await subscriber();
  const texts: string[] = [];
  const bytes: Buffer[] = [];
  await sub.subscribe(
    `${prefix}/text`,
    (_t, event) => void texts.push((event.payload as StringMessage).value),
    { envelope: { raw: 'text' } },
  );
  await sub.subscribe(
    `${prefix}/bytes`,
    (_t, event) => void bytes.push(Buffer.from((event.payload as BytesMessage).value)),
    { envelope: { raw: 'bytes' } },
  );
  const device = await foreignClient();
  await device.publishAsync(`${prefix}/text`, 'grüezi 👋', { qos: 1 });
  await device.publishAsync(`${prefix}/bytes`, Buffer.from([0, 1, 0xb5, 0xff]), { qos: 1 });
  await waitUntil(() => texts.length === 1 && bytes.length === 1, { what: 'text and bytes' });

  expect(texts).toEqual(['grüezi 👋']);
  expect([...bytes[0]]).toEqual([0, 1, 0xb5, 0xff]);
});

it("a raw publish reaches a plain mqtt.js client as the payload's own JSON, nothing around it", async () => {
  const topic = `${uniquePrefix('raw')}/devices/lamp/set`;
  const device = await foreignClient();
  const received = await capture(device, topic);
  const publisher = cleanup.connector(new MqttPublisher({ url: broker.url }));
  await publisher.connect();

  await publisher.publish(topic, Object.assign(new Reading(), { celsius: 22 }), {
    envelope: 'raw',
    qos: 1,
  });
  await publisher.publish(topic, 'on', { envelope: 'raw', qos: 1 });
  await publisher.publish(topic, new RawJsonMessage({ brightness: 80 }), {
    envelope: 'raw',
    qos: 1,
  });
  await waitUntil(() => received.messages.length === 3, { what: 'three messages' });

  const [reading, text, json] = received.on(topic).map((payload) => payload.toString('utf8'));
  expect(JSON.parse(reading)).toEqual({ celsius: 22 });
  expect(text).toBe('on');
  expect(JSON.parse(json)).toEqual({ brightness: 80 });
});

it('a raw publish and a raw subscription make a round trip through Busline on both ends', async () => {
  const topic = `${uniquePrefix('raw')}/sensors/attic/temperature`;
  const sub = await subscriber();
  const got: Reading[] = [];
  await sub.subscribe(topic, (_t, event) => void got.push(event.payload as Reading), {
    envelope: { raw: Reading },
  });
  const publisher = cleanup.connector(new MqttPublisher({ url: broker.url }));
  await publisher.connect();
  await publisher.publish(topic, Object.assign(new Reading(), { celsius: -3.25 }), {
    envelope: 'raw',
    qos: 1,
  });
  await waitUntil(() => got.length === 1, { what: 'the reading' });
  expect(got[0]).toBeInstanceOf(Reading);
  expect(got[0].celsius).toBe(-3.25);
});

it('overlapping subscriptions each read a message with their own envelope', async () => {
  const prefix = uniquePrefix('raw');
  const errors: BuslineError[] = [];
  const sub = await subscriber(errors);
  const enveloped: Event[] = [];
  const raw: string[] = [];
  await sub.subscribe(`${prefix}/#`, (_t, event) => void enveloped.push(event), { qos: 1 });
  await sub.subscribe(
    `${prefix}/+/status`,
    (_t, event) => void raw.push((event.payload as StringMessage).value),
    { envelope: { raw: 'text' }, qos: 1 },
  );
  const publisher = cleanup.connector(new MqttPublisher({ url: broker.url }));
  await publisher.connect();
  const sent = await publisher.publish(`${prefix}/pump/status`, 'running', { qos: 1 });
  await waitUntil(() => enveloped.length === 1 && raw.length === 1, { what: 'both readings' });

  // The default subscription reads Busline's envelope; the raw one sees the envelope's text.
  expect(enveloped[0].identifier).toBe(sent.identifier);
  expect((enveloped[0].payload as StringMessage).value).toBe('running');
  expect(JSON.parse(raw[0])).toMatchObject({ identifier: sent.identifier });
  expect(errors).toEqual([]);
});

it('subscribing to a topic again with an envelope changes how its messages are read', async () => {
  const topic = `${uniquePrefix('raw')}/display`;
  const errors: BuslineError[] = [];
  const sub = await subscriber(errors);
  const texts: string[] = [];
  const handler = (_t: string, event: Event) =>
    void texts.push((event.payload as StringMessage).value);
  await sub.subscribe(topic, handler, { qos: 1 });
  const device = await foreignClient();
  await device.publishAsync(topic, 'first', { qos: 1 });
  await waitUntil(() => errors.length === 1, { what: 'the unreadable message reported' });

  await sub.subscribe(topic, handler, { qos: 1, envelope: { raw: 'text' } });
  await device.publishAsync(topic, 'second', { qos: 1 });
  await waitUntil(() => texts.length === 1, { what: 'the text' });
  expect(texts).toEqual(['second']);
  expect(errors).toHaveLength(1);
});

it('refuses an envelope it does not know, at subscribe and at publish', async () => {
  const sub = await subscriber();
  await expect(
    sub.subscribe('x/y', () => undefined, { envelope: 'xml' as never }),
  ).rejects.toBeInstanceOf(InvalidArgumentError);
  await expect(
    sub.subscribe('x/y', () => undefined, { envelope: { raw: 'yaml' } as never }),
  ).rejects.toThrow(/options\.envelope/);
  const publisher = cleanup.connector(new MqttPublisher({ url: broker.url }));
  await publisher.connect();
  await expect(publisher.publish('x/y', 'text', { envelope: 'xml' as never })).rejects.toThrow(
    /options\.envelope/,
  );
});

itIf(
  BROKER_KIND === 'external' && existsSync(MOSQUITTO_PUB),
  'mosquitto_pub talks to the external broker (Mosquitto) only',
)('a reading sent by mosquitto_pub reaches a raw subscription', async () => {
  const topic = `${uniquePrefix('raw')}/sensors/cellar/temperature`;
  const sub = await subscriber();
  const got: Reading[] = [];
  await sub.subscribe(topic, (_t, event) => void got.push(event.payload as Reading), {
    envelope: { raw: Reading },
    qos: 1,
  });
  const url = new URL(broker.url);
  await promisify(execFile)(MOSQUITTO_PUB, [
    '-h',
    url.hostname,
    '-p',
    url.port || '1883',
    '-q',
    '1',
    '-t',
    topic,
    '-m',
    '{"celsius": 12.5}',
  ]);
  await waitUntil(() => got.length === 1, { what: 'the reading' });
  expect(got[0]).toBeInstanceOf(Reading);
  expect(got[0].celsius).toBe(12.5);
});
