import { randomBytes } from 'node:crypto';
import type { Event } from '../../lib/core/event';
import type { Int64Message } from '../../lib/core/messages/int64.message';
import { MqttOfflineQueueFullError } from '../../lib/mqtt/errors/mqtt-publish.error';
import type { MqttStatusChange } from '../../lib/mqtt/mqtt.connection';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { Cleanup } from '../support/mqtt/cleanup';
import { DeliveryCount } from '../support/mqtt/delivery-count';
import { startRestartableBroker, type RestartableBroker } from '../support/mqtt/restartable-broker';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil, within } from '../support/mqtt/wait';

/*
 * Connection faults: broker restarts in the middle of a QoS 1 stream, subscribers that go offline
 * with a persistent session, subscriptions restored after a reconnection without session, and the
 * bounded offline publish queue. Each test owns a broker it may restart (see
 * startRestartableBroker): a private Mosquitto when BUSLINE_MQTT_URL is set, else embedded aedes.
 */

jest.setTimeout(60_000);

const quiet = { log: () => undefined, warn: () => undefined, error: console.error };
const fastReconnect = { reconnectPeriod: 50, connectTimeout: 2_000 };

let broker: RestartableBroker;
const cleanup = new Cleanup();

beforeEach(async () => {
  broker = await startRestartableBroker();
});

afterEach(async () => {
  await cleanup.run();
  await broker.close();
});

function sequenceOf(event: Event): number {
  return Number((event.payload as Int64Message).value);
}

function clientId(role: string): string {
  return `busline-${role}-${randomBytes(5).toString('hex')}`;
}

function statusLog(target: { onStatus(l: (c: MqttStatusChange) => void): () => void }): string[] {
  const seen: string[] = [];
  target.onStatus((change) => seen.push(change.status));
  return seen;
}

/**
 * The statuses a client goes through across one broker restart. On aedes a persistent-session
 * subscriber may be dropped once more right after the restart while messages flow (aedes'
 * in-memory persistence reports "no such packet" for a message it delivers twice, and closes the
 * client); it reconnects and nothing is lost, which the counts check.
 */
function expectOneRestart(statuses: string[], kind: RestartableBroker['kind']): void {
  const once = ['connecting', 'connected', 'reconnecting', 'connected'];
  if (kind === 'mosquitto') {
    expect(statuses).toEqual(once);
  } else {
    expect(statuses.slice(0, 4)).toEqual(once);
    expect(statuses.at(-1)).toBe('connected');
  }
}

it('loses nothing of a QoS 1 stream when the broker restarts in the middle of it', async () => {
  const topic = `${uniquePrefix('restart')}/stream`;
  const total = 1_000;
  const window = 50;
  const count = new DeliveryCount();
  const subscriber = cleanup.connector(
    new MqttSubscriber({
      url: broker.url,
      logger: quiet,
      otherClientParameters: { ...fastReconnect, clean: false, clientId: clientId('sub') },
    }),
  );
  const publisher = cleanup.connector(
    new MqttPublisher({
      url: broker.url,
      logger: quiet,
      otherClientParameters: { ...fastReconnect, clientId: clientId('pub') },
    }),
  );
  const subscriberStatus = statusLog(subscriber);
  const publisherStatus = statusLog(publisher);
  await subscriber.subscribe(topic, (_t, event) => count.record(sequenceOf(event)), { qos: 1 });
  await Promise.all([subscriber.connect(), publisher.connect()]);

  // Publish with at most `window` publishes unacknowledged, as a producer with flow control would.
  let issued = 0;
  let acknowledged = 0;
  const failures: unknown[] = [];
  const producer = (async () => {
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < total; i++) {
      while (inFlight.size >= window) await Promise.race(inFlight);
      const sent: Promise<unknown> = publisher.publish(topic, i, { qos: 1 }).then(
        () => acknowledged++,
        (error: unknown) => failures.push(error),
      );
      inFlight.add(sent);
      sent.finally(() => inFlight.delete(sent));
      issued++;
    }
    await Promise.all(inFlight);
  })();
  count.sent = total;

  await waitUntil(() => count.distinct >= total / 4, { what: 'a quarter of the stream' });
  await broker.stop();
  await waitUntil(
    () => subscriber.status === 'reconnecting' && publisher.status === 'reconnecting',
    { what: 'both clients to notice the broker is gone' },
  );
  // The producer goes on while the broker is down, until its window is full of queued publishes.
  await waitUntil(() => publisher.pendingPublishes >= window, { what: 'publishes queued offline' });
  const issuedWhileDown = issued;
  await broker.start();

  await within(producer, 30_000, 'the producer to finish');
  await waitUntil(() => count.complete, { timeout: 30_000, what: `every event (${count})` });
  await waitUntil(() => subscriber.status === 'connected', { what: 'the subscriber connected' });
  console.info(`[busline] broker restart mid-stream (${broker.description}): ${count}`);

  expect(failures).toEqual([]);
  expect(acknowledged).toBe(total);
  expect(issuedWhileDown).toBeLessThan(total);
  expect(count.lost).toBe(0);
  expect(count.distinct).toBe(total);
  expectOneRestart(subscriberStatus, broker.kind);
  expect(publisherStatus).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
});

it('delivers what was published while a persistent-session subscriber was offline', async () => {
  const topic = `${uniquePrefix('offline')}/orders`;
  const total = 500;
  const count = new DeliveryCount();
  count.sent = total;
  const options = {
    url: broker.url,
    logger: quiet,
    otherClientParameters: { clean: false, clientId: clientId('offline-sub') },
  };
  const first = new MqttSubscriber(options);
  await first.subscribe(topic, () => undefined, { qos: 1 });
  await first.connect();
  await first.disconnect();

  const publisher = cleanup.connector(new MqttPublisher({ url: broker.url, logger: quiet }));
  await publisher.connect();
  await Promise.all(
    Array.from({ length: total }, (_, i) => publisher.publish(topic, i, { qos: 1 })),
  );

  // The same client id comes back: the broker hands over what it kept for the session.
  const again = cleanup.connector(new MqttSubscriber(options));
  let sessionPresent: boolean | undefined;
  again.onStatus((change) => {
    if (change.status === 'connected') sessionPresent = change.sessionPresent;
  });
  await again.subscribe(topic, (_t, event) => count.record(sequenceOf(event)), { qos: 1 });
  await again.connect();
  await waitUntil(() => count.complete, { what: `the queued events (${count})` });
  console.info(`[busline] offline persistent session (${broker.description}): ${count}`);

  expect(sessionPresent).toBe(true);
  expect(count.lost).toBe(0);
  expect(count.distinct).toBe(total);
});

it('makes its subscriptions again after reconnecting to a broker that kept no session', async () => {
  const prefix = uniquePrefix('resubscribe');
  const received: string[] = [];
  const subscriber = cleanup.connector(
    new MqttSubscriber({ url: broker.url, logger: quiet, otherClientParameters: fastReconnect }),
  );
  const publisher = cleanup.connector(
    new MqttPublisher({ url: broker.url, logger: quiet, otherClientParameters: fastReconnect }),
  );
  const changes: MqttStatusChange[] = [];
  subscriber.onStatus((change) => changes.push(change));
  await subscriber.subscribe(`${prefix}/exact`, (topic) => received.push(topic));
  await subscriber.subscribe(`${prefix}/+/wild`, (topic) => received.push(topic), { qos: 1 });
  await Promise.all([subscriber.connect(), publisher.connect()]);

  await broker.stop();
  await waitUntil(() => subscriber.status === 'reconnecting', { what: 'the subscriber offline' });
  await broker.start();
  await waitUntil(() => subscriber.status === 'connected' && publisher.status === 'connected', {
    what: 'both clients back',
  });

  // A clean session (the default) comes back without subscriptions; until the subscriber has made
  // them again, publishes may go nowhere, so keep publishing until both topics arrive.
  await waitUntil(
    () => {
      if (received.length < 2) {
        publisher.publish(`${prefix}/exact`).catch(() => undefined);
        publisher.publish(`${prefix}/x/wild`, undefined, { qos: 1 }).catch(() => undefined);
      }
      return received.includes(`${prefix}/exact`) && received.includes(`${prefix}/x/wild`);
    },
    { interval: 50, what: 'events on both restored subscriptions' },
  );
  const reconnected = changes.filter((c) => c.status === 'connected');
  expect(reconnected.map((c) => c.sessionPresent)).toEqual([false, false]);
  expect(changes.map((c) => c.status)).toEqual([
    'connecting',
    'connected',
    'reconnecting',
    'connected',
  ]);
});

it('queues publishes while offline up to maxOfflineQueue, refuses the next, and sends the queue on reconnection', async () => {
  const topic = `${uniquePrefix('queue')}/q`;
  const limit = 20;
  const count = new DeliveryCount();
  const subscriber = cleanup.connector(
    new MqttSubscriber({
      url: broker.url,
      logger: quiet,
      otherClientParameters: { ...fastReconnect, clean: false, clientId: clientId('q-sub') },
    }),
  );
  const publisher = cleanup.connector(
    new MqttPublisher({
      url: broker.url,
      logger: quiet,
      maxOfflineQueue: limit,
      otherClientParameters: fastReconnect,
    }),
  );
  // In one client, the queue goes out once the subscriber is back: a broker does not keep QoS 0
  // messages for a subscriber that is offline, even one with a persistent session.
  new PubSubClient([publisher], [subscriber]);
  await subscriber.subscribe(topic, (_t, event) => count.record(sequenceOf(event)), { qos: 1 });
  await Promise.all([subscriber.connect(), publisher.connect()]);
  await broker.stop();
  await waitUntil(() => publisher.status === 'reconnecting', { what: 'the publisher offline' });

  const queued = Array.from({ length: limit }, (_, i) =>
    publisher.publish(topic, i, { qos: i % 2 === 0 ? 1 : 0 }),
  );
  expect(publisher.pendingPublishes).toBe(limit);
  await expect(publisher.publish(topic, limit, { qos: 1 })).rejects.toBeInstanceOf(
    MqttOfflineQueueFullError,
  );
  expect(publisher.pendingPublishes).toBe(limit);

  await broker.start();
  await within(Promise.all(queued), 20_000, 'the queued publishes');
  count.sent = limit;
  await waitUntil(() => count.complete, { what: `the queued events (${count})` });
  expect(count.lost).toBe(0);
  expect(publisher.pendingPublishes).toBe(0);
});

it('rejects publishes still queued when the publisher disconnects while offline', async () => {
  const publisher = new MqttPublisher({
    url: broker.url,
    logger: quiet,
    otherClientParameters: fastReconnect,
  });
  await publisher.connect();
  await broker.stop();
  await waitUntil(() => publisher.status === 'reconnecting', { what: 'the publisher offline' });
  const queued = [
    publisher.publish('busline-test/never', 1, { qos: 1 }),
    publisher.publish('busline-test/never', 2),
  ];
  await within(publisher.disconnect(), 5_000, 'disconnect while offline');
  for (const result of await Promise.allSettled(queued)) {
    expect(result.status).toBe('rejected');
    expect((result as PromiseRejectedResult).reason.name).toBe('MqttPublishError');
  }
  expect(publisher.status).toBe('disconnected');
});

it("reports 'offline' when the connection is lost and reconnectPeriod is 0", async () => {
  const publisher = cleanup.connector(
    new MqttPublisher({
      url: broker.url,
      logger: quiet,
      otherClientParameters: { reconnectPeriod: 0 },
    }),
  );
  const statuses = statusLog(publisher);
  await publisher.connect();
  await broker.stop();
  await waitUntil(() => publisher.status === 'offline', { what: 'the publisher offline' });
  expect(statuses).toEqual(['connecting', 'connected', 'offline']);
  // Still connected as far as the API goes: publishes queue until disconnect() settles them.
  const queued = publisher.publish('busline-test/offline', 1, { qos: 1 });
  await publisher.disconnect();
  await expect(queued).rejects.toMatchObject({ name: 'MqttPublishError' });
});

it('subscribes and unsubscribes at once while reconnecting; the broker gets them on reconnection', async () => {
  const prefix = uniquePrefix('offline-sub');
  const got: string[] = [];
  const errors: unknown[] = [];
  const subscriber = cleanup.connector(
    new MqttSubscriber({
      url: broker.url,
      logger: quiet,
      onError: (e) => errors.push(e),
      otherClientParameters: fastReconnect,
    }),
  );
  const publisher = cleanup.connector(
    new MqttPublisher({ url: broker.url, logger: quiet, otherClientParameters: fastReconnect }),
  );
  await subscriber.subscribe(`${prefix}/old`, (t) => got.push(t));
  await Promise.all([subscriber.connect(), publisher.connect()]);
  await broker.stop();
  await waitUntil(() => subscriber.status === 'reconnecting', { what: 'the subscriber offline' });

  await within(
    subscriber.subscribe(`${prefix}/new`, (t) => got.push(t)),
    2_000,
    'subscribe',
  );
  await within(subscriber.unsubscribe(`${prefix}/old`), 2_000, 'unsubscribe');
  expect(subscriber.topics).toEqual([`${prefix}/new`]);

  await broker.start();
  await waitUntil(
    () => {
      if (!got.includes(`${prefix}/new`)) {
        publisher.publish(`${prefix}/old`).catch(() => undefined);
        publisher.publish(`${prefix}/new`).catch(() => undefined);
      }
      return got.includes(`${prefix}/new`);
    },
    { interval: 50, what: 'an event on the topic subscribed while offline' },
  );
  expect(got.every((t) => t === `${prefix}/new`)).toBe(true);
  expect(errors).toEqual([]);
});
