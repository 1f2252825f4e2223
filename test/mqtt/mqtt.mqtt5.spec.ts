import type { IPublishPacket, MqttClient } from 'mqtt';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import type { MqttSubscribeOptions } from '../../lib/mqtt/mqtt.options';
import { Cleanup } from '../support/mqtt/cleanup';
import { rawClient } from '../support/mqtt/raw-client';
import { MQTT5_AVAILABLE, useTestBroker, mqtt5It } from '../support/mqtt/test-broker';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil } from '../support/mqtt/wait';

/*
 * MQTT 5: publish properties and subscribe flags (no-local, retain handling, retain as
 * published, subscription identifiers) pass through to the broker. Tested against Mosquitto
 * (BUSLINE_MQTT_URL); aedes speaks MQTT 3.1.1 only, so these are skipped on the embedded broker.
 */

jest.setTimeout(30_000);

const it5 = mqtt5It('MQTT 5 tests');
const V5 = { protocolVersion: 5 } as const;

const broker = useTestBroker();
let raw: MqttClient;
const cleanup = new Cleanup();
let prefix: string;

beforeAll(async () => {
  if (MQTT5_AVAILABLE) raw = await rawClient(broker.url, V5);
});
afterAll(() => raw?.endAsync());
beforeEach(() => {
  prefix = uniquePrefix('mqtt5');
});
afterEach(() => cleanup.run());

/** A v5 subscriber whose raw packets (with flags and properties) are kept. */
async function packetSubscriber(topic: string, options: MqttSubscribeOptions) {
  const packets: IPublishPacket[] = [];
  const events: string[] = [];
  const subscriber = cleanup.connector(
    new MqttSubscriber({ url: broker.url, otherClientParameters: V5 }),
  );
  await subscriber.connect();
  subscriber.mqttClient!.on('message', (_t, _p, packet) => packets.push(packet));
  await subscriber.subscribe(topic, (t) => events.push(t), options);
  return { subscriber, packets, events };
}

/** A valid envelope, published raw. */
async function rawEvent(topic: string, retain = false): Promise<void> {
  const publisher = cleanup.connector(new MqttPublisher({ url: broker.url }));
  await publisher.connect();
  // Capture the envelope bytes by publishing through a client that only writes.
  let bytes: Buffer | undefined;
  publisher.mqttClient!.once('packetsend', (packet) => {
    if (packet.cmd === 'publish') bytes = packet.payload as Buffer;
  });
  await publisher.publish(`${prefix}/scratch`);
  await publisher.disconnect();
  await raw.publishAsync(topic, bytes!, { qos: 1, retain });
}

it5('passes publish properties through to subscribers', async () => {
  const topic = `${prefix}/props`;
  const packets: IPublishPacket[] = [];
  raw.on('message', (t, _p, packet) => t === topic && packets.push(packet));
  await raw.subscribeAsync(topic, { qos: 1 });
  const publisher = cleanup.connector(
    new MqttPublisher({ url: broker.url, otherClientParameters: V5 }),
  );
  await publisher.connect();
  await publisher.publish(topic, 'with properties', {
    qos: 1,
    properties: {
      userProperties: { tenant: 'acme', trace: 'abc-123' },
      contentType: 'application/json',
      messageExpiryInterval: 60,
    },
  });
  await waitUntil(() => packets.length === 1, { what: 'the message' });
  expect(packets[0].properties?.userProperties).toEqual({ tenant: 'acme', trace: 'abc-123' });
  expect(packets[0].properties?.contentType).toBe('application/json');
  expect(packets[0].properties?.messageExpiryInterval).toBeLessThanOrEqual(60);
});

it5('no-local: does not receive what its own connection publishes', async () => {
  const topic = `${prefix}/nl`;
  const { subscriber, events } = await packetSubscriber(topic, { qos: 1, nl: true });
  const ownBytes = Buffer.from(
    '{"identifier": "own", "publisher_identifier": "me", "serialized_payload": null, ' +
      '"payload_format_type": null, "message_type": null, "timestamp": ' +
      '{"__type__": "datetime", "value": "2025-06-01T12:30:45+00:00"}}',
  );
  await subscriber.mqttClient!.publishAsync(topic, ownBytes, { qos: 1 });
  await rawEvent(topic);
  await waitUntil(() => events.length >= 1, { what: "the other client's event" });
  // The subscriber's own publish came first; it never arrived, the other one did.
  expect(events).toEqual([topic]);
});

it5('retain handling 2: no retained event on subscribing; 0: the retained event', async () => {
  const topic = `${prefix}/rh`;
  await rawEvent(topic, true);
  try {
    const never = await packetSubscriber(topic, { qos: 1, rh: 2 });
    const always = await packetSubscriber(topic, { qos: 1, rh: 0 });
    await waitUntil(() => always.events.length === 1, { what: 'the retained event' });
    // A live event after the subscriptions: once it is in, a retained one would have been too.
    await rawEvent(topic);
    await waitUntil(() => never.events.length === 1 && always.events.length === 2, {
      what: 'the live event',
    });
    expect(never.packets.map((p) => p.retain)).toEqual([false]);
    expect(always.packets.map((p) => p.retain)).toEqual([true, false]);
    await never.subscriber.disconnect();
    await always.subscriber.disconnect();
  } finally {
    await raw.publishAsync(topic, Buffer.alloc(0), { qos: 1, retain: true });
  }
});

it5('retain as published: keeps the retain flag of forwarded events', async () => {
  const topic = `${prefix}/rap`;
  const asPublished = await packetSubscriber(topic, { qos: 1, rap: true });
  const plain = await packetSubscriber(topic, { qos: 1 });
  try {
    await rawEvent(topic, true);
    await waitUntil(() => asPublished.packets.length === 1 && plain.packets.length === 1, {
      what: 'the event on both',
    });
    expect(asPublished.packets[0].retain).toBe(true);
    expect(plain.packets[0].retain).toBe(false);
  } finally {
    await asPublished.subscriber.disconnect();
    await plain.subscriber.disconnect();
    await raw.publishAsync(topic, Buffer.alloc(0), { qos: 1, retain: true });
  }
});

it5('passes subscribe properties (subscription identifier) through', async () => {
  const topic = `${prefix}/sid`;
  const { packets, events } = await packetSubscriber(topic, {
    qos: 1,
    properties: { subscriptionIdentifier: 42 },
  });
  await rawEvent(topic);
  await waitUntil(() => events.length === 1, { what: 'the event' });
  expect(packets[0].properties?.subscriptionIdentifier).toEqual(42);
});
