import { randomBytes } from 'node:crypto';
import type { Packet } from 'mqtt';
import type { Event } from '../../lib/core/event';
import { PublishTimeoutError } from '../../lib/core/errors/publish-timeout.error';
import { SubscriptionsRefusedError } from '../../lib/core/errors/subscriptions-refused.error';
import type { Int64Message } from '../../lib/core/messages/int64.message';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { LocalPublisher } from '../../lib/local/local.publisher';
import { LocalSubscriber } from '../../lib/local/local.subscriber';
import { AsyncLocalEventBus } from '../../lib/local/async-local-event-bus';
import { startEmbeddedBroker } from '../../lib/mqtt/embedded-broker';
import { OutboundPayloadTooLargeError } from '../../lib/mqtt/errors/mqtt-publish.error';
import { MqttSubscribeError } from '../../lib/mqtt/errors/mqtt-subscribe.error';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { Cleanup } from '../support/mqtt/cleanup';
import { DeliveryCount } from '../support/mqtt/delivery-count';
import {
  startForgetfulBroker,
  startRestartableBroker,
  type RestartableBroker,
} from '../support/mqtt/restartable-broker';
import { startTestBroker } from '../support/mqtt/test-broker';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil, within } from '../support/mqtt/wait';

/*
 * What a publisher does while its broker is away: publishes wait (and can be bounded in time),
 * inside one client they go out only once its subscribers are subscribed again, and nothing made
 * during a reconnection rejects because the broker died once more.
 */

jest.setTimeout(60_000);

const quiet = { log: () => undefined, warn: () => undefined, error: console.error };
const fastReconnect = { reconnectPeriod: 50, connectTimeout: 2_000 };
const cleanup = new Cleanup();

afterEach(() => cleanup.run());

function sequenceOf(event: Event): number {
  return Number((event.payload as Int64Message).value);
}

function clientId(role: string): string {
  return `busline-${role}-${randomBytes(5).toString('hex')}`;
}

async function broker(start: () => Promise<RestartableBroker>): Promise<RestartableBroker> {
  return cleanup.add(await start(), (b) => b.close());
}

it('one client: what it published during an outage reaches its own subscriber after an empty restart', async () => {
  const mqtt = await broker(startForgetfulBroker);
  const bus = new AsyncLocalEventBus();
  const client = new PubSubClient(
    [
      new LocalPublisher({ eventbus: bus }),
      new MqttPublisher({ url: mqtt.url, logger: quiet, otherClientParameters: fastReconnect }),
    ],
    [
      new LocalSubscriber({ eventbus: bus }),
      new MqttSubscriber({ url: mqtt.url, logger: quiet, otherClientParameters: fastReconnect }),
    ],
  );
  cleanup.add(client, (c) => c.disconnect());
  const [, mqttSubscriber] = client.subscribers as [LocalSubscriber, MqttSubscriber];
  const [, mqttPublisher] = client.publishers as [LocalPublisher, MqttPublisher];
  const topic = `${uniquePrefix('own')}/orders`;
  const overMqtt = new DeliveryCount();
  await mqttSubscriber.subscribe(topic, (_t, event) => overMqtt.record(sequenceOf(event)), {
    qos: 1,
  });
  await client.connect();

  // Three crashes in a row; each time the broker comes back knowing nothing of the subscriber.
  const perOutage = 20;
  for (let outage = 0; outage < 3; outage++) {
    await mqtt.stop();
    await waitUntil(
      () => mqttSubscriber.status === 'reconnecting' && mqttPublisher.status === 'reconnecting',
      { what: 'both MQTT clients to notice the crash' },
    );
    const published = Array.from({ length: perOutage }, (_, n) =>
      client.publish(topic, outage * perOutage + n, { qos: 1 }),
    );
    await mqtt.start();
    await within(Promise.all(published), 20_000, 'the publishes made during the outage');
    overMqtt.sent = (outage + 1) * perOutage;
    await waitUntil(() => overMqtt.complete, {
      what: `outage ${outage + 1}: every event over MQTT (${overMqtt})`,
    });
  }
  expect(overMqtt.lost).toBe(0);
  expect(overMqtt.duplicated).toBe(0);
});

it('one client: publishes in flight when the broker crashed also wait for its subscriptions', async () => {
  // The first broker takes the client's publishes but never acknowledges them: they are in
  // flight (in mqtt.js' store) when it dies. The one that replaces it is empty, and the publisher
  // reconnects long before the subscriber: mqtt.js resends at once, so without the gate the
  // events would reach a broker with no subscription yet.
  const first = await startEmbeddedBroker({
    aedes: {
      authorizePublish: (client, _packet, callback) => {
        if (!client?.id.startsWith('held-')) callback(null);
      },
    },
  });
  const brokers = cleanup.add([first], async (all) => {
    for (const broker of all) await broker.close();
  });
  const topic = `${uniquePrefix('inflight')}/orders`;
  const received: number[] = [];
  const publisher = new MqttPublisher({
    url: first.url,
    logger: quiet,
    otherClientParameters: { reconnectPeriod: 50, clientId: clientId('held') },
  });
  const subscriber = new MqttSubscriber({
    url: first.url,
    logger: quiet,
    otherClientParameters: { reconnectPeriod: 600 },
  });
  const client = new PubSubClient([publisher], [subscriber]);
  cleanup.add(client, (c) => c.disconnect());
  await client.subscribe(topic, (_t, event) => void received.push(sequenceOf(event)), { qos: 1 });
  await client.connect();

  const published = Array.from({ length: 10 }, (_, n) => client.publish(topic, n, { qos: 1 }));
  await waitUntil(() => publisher.pendingPublishes === 10, { what: 'ten publishes in flight' });
  await first.close();
  brokers.push(await startEmbeddedBroker({ port: first.port }));
  await within(Promise.all(published), 20_000, 'the publishes, acknowledged by the new broker');
  await waitUntil(() => received.length >= 10, { what: `every event (${received.length})` });
  expect([...new Set(received)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

it('publishes made while the queue is replayed wait, even when the broker dies again at once', async () => {
  const mqtt = await broker(startRestartableBroker);
  const topic = `${uniquePrefix('replay')}/stream`;
  const count = new DeliveryCount();
  const subscriber = cleanup.connector(
    new MqttSubscriber({
      url: mqtt.url,
      logger: quiet,
      otherClientParameters: { ...fastReconnect, clean: false, clientId: clientId('sub') },
    }),
  );
  const publisher = cleanup.connector(
    new MqttPublisher({ url: mqtt.url, logger: quiet, otherClientParameters: fastReconnect }),
  );
  await subscriber.subscribe(topic, (_t, event) => count.record(sequenceOf(event)), { qos: 1 });
  await Promise.all([subscriber.connect(), publisher.connect()]);

  const failures: unknown[] = [];
  const publishes: Promise<unknown>[] = [];
  let next = 0;
  const publish = (n: number): void => {
    for (let i = 0; i < n; i++) {
      publishes.push(
        publisher.publish(topic, next++, { qos: 1 }).catch((error) => failures.push(error)),
      );
    }
  };

  await mqtt.stop();
  await waitUntil(() => publisher.status === 'reconnecting', { what: 'the publisher offline' });
  publish(300);
  // The moment the broker accepts it again (its CONNACK, while what waited is being replayed),
  // the broker dies again, while more is published.
  const stopped = new Promise<void>((resolve) => {
    const onPacket = (packet: Packet): void => {
      if (packet.cmd !== 'connack') return;
      publisher.mqttClient!.off('packetreceive', onPacket);
      publish(50);
      void mqtt.stop().then(resolve);
      publish(50);
    };
    publisher.mqttClient!.on('packetreceive', onPacket);
  });
  await mqtt.start();
  await within(stopped, 20_000, 'the second crash');
  publish(50);
  await mqtt.start();

  await within(Promise.all(publishes), 30_000, 'every publish');
  count.sent = next;
  await waitUntil(() => count.complete, { timeout: 30_000, what: `every event (${count})` });
  expect(failures).toEqual([]);
  expect(count.lost).toBe(0);
});

describe('publish timeout', () => {
  it('rejects with a typed error, and an event withdrawn from the queue is never sent', async () => {
    const mqtt = await broker(startRestartableBroker);
    const topic = `${uniquePrefix('timeout')}/one`;
    const received: string[] = [];
    const subscriber = cleanup.connector(
      new MqttSubscriber({
        url: mqtt.url,
        logger: quiet,
        otherClientParameters: { ...fastReconnect, clean: false, clientId: clientId('sub') },
      }),
    );
    const publisher = cleanup.connector(
      new MqttPublisher({
        url: mqtt.url,
        logger: quiet,
        publishTimeout: 300,
        otherClientParameters: fastReconnect,
      }),
    );
    await subscriber.subscribe(topic, (_t, event) => received.push(event.identifier), {
      qos: 1,
    });
    await Promise.all([subscriber.connect(), publisher.connect()]);

    await mqtt.stop();
    await waitUntil(() => publisher.status === 'reconnecting', { what: 'the publisher offline' });
    const error = await publisher.publish(topic, 'too late', { qos: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PublishTimeoutError);
    expect(error).toMatchObject({ topic, timeout: 300, mayStillBeSent: false });
    expect((error as Error).message).toMatch(/within 300 ms.*will not be sent/);
    expect(publisher.pendingPublishes).toBe(0);

    // A per-publish timeout overrides the publisher's; this one is sent once the broker is back.
    const patient = publisher.publish(topic, 'in time', { qos: 1, timeout: 20_000 });
    await mqtt.start();
    const sent = await patient;
    await waitUntil(() => received.length > 0, { what: 'the patient event' });
    // Had the withdrawn event been sent, it would have arrived first (it was queued first). QoS 1
    // may deliver the patient one twice (aedes does, with a persistent session).
    expect(received).not.toContain((error as PublishTimeoutError).eventIdentifier);
    expect(new Set(received)).toEqual(new Set([sent.identifier]));
  });
});

describe('size and flood limits', () => {
  it('refuses to publish an event larger than maxPayloadSize, saying how large and what to raise', async () => {
    const test = cleanup.add(await startTestBroker(), (b) => b.close());
    const publisher = cleanup.connector(
      new MqttPublisher({ url: test.url, logger: quiet, maxPayloadSize: 64 * 1024 }),
    );
    await publisher.connect();
    const error = await publisher.publish('big/one', 'x'.repeat(64 * 1024)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutboundPayloadTooLargeError);
    expect(error).toMatchObject({ limit: 64 * 1024 });
    expect((error as OutboundPayloadTooLargeError).payloadSize).toBeGreaterThan(64 * 1024);
    expect((error as Error).message).toMatch(/raise maxPayloadSize/);
    expect(publisher.pendingPublishes).toBe(0);
    // The default matches the subscriber's: 4 MiB.
    expect(new MqttPublisher({ url: test.url }).maxPayloadSize).toBe(4 * 1024 * 1024);
  });

  it('takes 10,000 concurrent QoS 0 publishes without a listener-leak warning', async () => {
    const test = cleanup.add(await startTestBroker(), (b) => b.close());
    const warnings: string[] = [];
    const onWarning = (warning: Error): number => warnings.push(warning.name);
    process.on('warning', onWarning);
    cleanup.add(onWarning, (l) => process.off('warning', l));
    const publisher = cleanup.connector(new MqttPublisher({ url: test.url, logger: quiet }));
    await publisher.connect();
    const payload = 'y'.repeat(1_000);
    await within(
      Promise.all(Array.from({ length: 10_000 }, () => publisher.publish('flood/qos0', payload))),
      30_000,
      '10,000 publishes',
    );
    // Warnings are emitted on the next tick.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([]);
    expect(publisher.pendingPublishes).toBe(0);
  });
});

it('connect() fails when the broker refuses filters, names each, and leaves nothing connected', async () => {
  const embedded = cleanup.add(
    await startEmbeddedBroker({
      aedes: {
        authorizeSubscribe: (_client, subscription, callback) =>
          subscription.topic.startsWith('forbidden/')
            ? callback(null, null)
            : callback(null, subscription),
      },
    }),
    (b) => b.close(),
  );
  const subscriber = cleanup.connector(new MqttSubscriber({ url: embedded.url, logger: quiet }));
  await subscriber.subscribe('allowed/one', () => undefined);
  await subscriber.subscribe('forbidden/a', () => undefined);
  await subscriber.subscribe('allowed/two', () => undefined);
  await subscriber.subscribe('forbidden/b', () => undefined);

  const error = await subscriber.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SubscriptionsRefusedError);
  const refused = (error as SubscriptionsRefusedError).refused;
  expect(refused.map((r) => r.topic)).toEqual(['forbidden/a', 'forbidden/b']);
  expect(refused.every((r) => r.error instanceof MqttSubscribeError)).toBe(true);
  expect((error as Error).message).toMatch(/'forbidden\/a'.*'forbidden\/b'/);
  expect(subscriber.connected).toBe(false);
  expect(subscriber.status).toBe('disconnected');
  await waitUntil(() => embedded.aedes.connectedClients === 0, { what: 'no client left' });
  // The subscriptions are kept for a later connect(), once the ACL allows them.
  expect(subscriber.topics).toEqual(['allowed/one', 'forbidden/a', 'allowed/two', 'forbidden/b']);
});
