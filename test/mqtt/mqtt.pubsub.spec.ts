import type { MqttClient } from 'mqtt';
import type { Event } from '../../lib/core/event';
import type { Int64Message } from '../../lib/core/messages/int64.message';
import type { StringMessage } from '../../lib/core/messages/string.message';
import { startEmbeddedBroker } from '../../lib/mqtt/embedded-broker';
import { MqttSubscribeError } from '../../lib/mqtt/errors/mqtt-subscribe.error';
import type { MqttStatusChange } from '../../lib/mqtt/mqtt.connection';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { Cleanup } from '../support/mqtt/cleanup';
import { capture, rawClient } from '../support/mqtt/raw-client';
import { startTestBroker, type TestBroker } from '../support/mqtt/test-broker';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil } from '../support/mqtt/wait';

/* MQTT specifics: addresses, QoS, retain, client ids, status, backpressure, refusals. */

jest.setTimeout(30_000);

let broker: TestBroker;
let raw: MqttClient;
const cleanup = new Cleanup();
let prefix: string;

beforeAll(async () => {
  broker = await startTestBroker();
  raw = await rawClient(broker.url);
});
afterAll(async () => {
  await raw.endAsync();
  await broker.close();
});
beforeEach(() => {
  prefix = uniquePrefix('mqtt');
});
afterEach(() => cleanup.run());

const pub = (options: Partial<ConstructorParameters<typeof MqttPublisher>[0]> = {}) =>
  cleanup.connector(new MqttPublisher({ url: broker.url, ...options } as never));
const sub = (options: Partial<ConstructorParameters<typeof MqttSubscriber>[0]> = {}) =>
  cleanup.connector(new MqttSubscriber({ url: broker.url, ...options } as never));

it('connects by hostname and port as well as by URL', async () => {
  const { hostname, port } = new URL(broker.url);
  const publisher = cleanup.connector(new MqttPublisher({ hostname, port: Number(port) }));
  const subscriber = sub();
  const got: string[] = [];
  await subscriber.subscribe(`${prefix}/x`, (_t, e) => {
    got.push((e.payload as StringMessage).value);
  });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await publisher.publish(`${prefix}/x`, 'by host');
  await waitUntil(() => got.length === 1, { what: 'the event' });
  expect(got).toEqual(['by host']);
  expect(publisher.broker).toBe(`mqtt://${hostname}:${port}`);
});

it('uses the identifier as MQTT client id unless clientId is given', async () => {
  const a = pub({ identifier: 'busline-pub-fixed-id' });
  const b = pub({ otherClientParameters: { clientId: `custom-${prefix.slice(-8)}` } });
  await Promise.all([a.connect(), b.connect()]);
  expect(a.mqttClient?.options.clientId).toBe('busline-pub-fixed-id');
  expect(b.mqttClient?.options.clientId).toBe(`custom-${prefix.slice(-8)}`);
  expect(b.mqttClient?.options.resubscribe).toBe(false);
});

it('publishes with the QoS and retain flag asked for, and resolves once the broker has it', async () => {
  const received = await capture(raw, `${prefix}/#`);
  const publisher = pub();
  await publisher.connect();
  const qos: (0 | 1 | 2)[] = [0, 1, 2];
  for (const q of qos) {
    await publisher.publish(`${prefix}/qos${q}`, q, { qos: q });
    // Resolved: nothing is left waiting for the broker (PUBACK / PUBCOMP received).
    expect(publisher.pendingPublishes).toBe(0);
  }
  await waitUntil(() => received.messages.length === 3, { what: 'three messages' });
  expect(received.messages.map((m) => m.topic)).toEqual(qos.map((q) => `${prefix}/qos${q}`));
});

it('keeps a retained event for subscribers that come later', async () => {
  const topic = `${prefix}/retained`;
  const publisher = pub();
  await publisher.connect();
  await publisher.publish(topic, 'last known value', { qos: 1, retain: true });
  try {
    // Subscribed before connect(): the subscription is made on connect, with its handler already
    // in place, so the retained event is handled (not lost to the unhandled stream).
    const subscriber = sub();
    const got: string[] = [];
    await subscriber.subscribe(topic, (_t, e) => {
      got.push((e.payload as StringMessage).value);
    });
    await subscriber.connect();
    await waitUntil(() => got.length === 1, { what: 'the retained event' });
    expect(got).toEqual(['last known value']);
    await subscriber.disconnect();
  } finally {
    // An empty retained message clears the topic (a subscriber would report it as bad input).
    await raw.publishAsync(topic, Buffer.alloc(0), { qos: 1, retain: true });
  }
});

it('subscribes with the QoS asked for: QoS 1 events come as QoS 1', async () => {
  const subscriber = sub({ onError: () => undefined });
  const qos: number[] = [];
  await subscriber.subscribe(`${prefix}/q`, () => undefined, { qos: 1 });
  await subscriber.connect();
  subscriber.mqttClient!.on('message', (_t, _p, packet) => qos.push(packet.qos));
  await raw.publishAsync(`${prefix}/q`, Buffer.from('{}'), { qos: 1 });
  await raw.publishAsync(`${prefix}/q`, Buffer.from('{}'), { qos: 2 });
  await waitUntil(() => qos.length === 2, { what: 'two messages' });
  expect(qos).toEqual([1, 1]);
});

it('reports its status and stops reporting when asked', async () => {
  const publisher = pub();
  const seen: MqttStatusChange[] = [];
  const stop = publisher.onStatus((change) => seen.push(change));
  expect(publisher.status).toBe('disconnected');
  await publisher.connect();
  expect(publisher.status).toBe('connected');
  await publisher.disconnect();
  expect(publisher.status).toBe('disconnected');
  stop();
  await publisher.connect();
  expect(seen.map((c) => c.status)).toEqual(['connecting', 'connected', 'disconnected']);
  expect(seen[1].sessionPresent).toBe(false);
});

it('slows the broker down when a subscription falls behind, and loses nothing', async () => {
  const total = 200;
  const subscriber = sub({ maxPendingEvents: 4 });
  const publisher = pub();
  const got: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await subscriber.subscribe(
    `${prefix}/slow`,
    async (_t, e: Event) => {
      await gate;
      got.push(Number((e.payload as Int64Message).value));
    },
    { qos: 1 },
  );
  await Promise.all([subscriber.connect(), publisher.connect()]);
  const sending = Promise.all(
    Array.from({ length: total }, (_, i) => publisher.publish(`${prefix}/slow`, i, { qos: 1 })),
  );
  await waitUntil(() => (subscriber.mqttClient?.queue.length ?? 0) === 0, { what: 'sent' });
  release();
  await sending;
  await waitUntil(() => got.length === total, { what: 'every event' });
  expect(got).toEqual([...Array(total).keys()]);
});

it('publishes an event without payload, and multiPublish one event per topic', async () => {
  const received = await capture(raw, `${prefix}/#`);
  const publisher = pub();
  await publisher.connect();
  const events = await publisher.multiPublish([`${prefix}/a`, `${prefix}/b`], 'both', { qos: 1 });
  const empty = await publisher.publish(`${prefix}/empty`, undefined, { qos: 1 });
  await waitUntil(() => received.messages.length === 3, { what: 'three messages' });
  expect(new Set(events.map((e) => e.identifier)).size).toBe(2);
  const text = received.on(`${prefix}/empty`)[0].toString();
  expect(text).toContain(`"identifier": "${empty.identifier}"`);
  expect(text).toContain('"serialized_payload": null');
});

it('rejects subscribe() with MqttSubscribeError when the broker refuses the subscription', async () => {
  const strict = await startEmbeddedBroker({
    aedes: {
      // A null subscription is refused with SUBACK 0x80 (an error would drop the connection).
      authorizeSubscribe: (_client, subscription, done) =>
        done(null, subscription.topic.startsWith('forbidden/') ? null : subscription),
    },
  });
  cleanup.add(strict, (b) => b.close());
  const subscriber = cleanup.connector(new MqttSubscriber({ url: strict.url }));
  const statuses: string[] = [];
  subscriber.onStatus((change) => statuses.push(change.status));
  await subscriber.connect();
  await subscriber.subscribe('allowed/x', () => undefined);
  const error = await subscriber.subscribe('forbidden/x', () => undefined).catch((e) => e);
  expect(error).toBeInstanceOf(MqttSubscribeError);
  expect(error).toMatchObject({ topic: 'forbidden/x', reasonCode: 128 });
  // A refused subscription is not kept.
  expect(subscriber.topics).toEqual(['allowed/x']);
  expect(statuses).toEqual(['connecting', 'connected']);
});
