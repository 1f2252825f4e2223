import { randomBytes } from 'node:crypto';
import type { IPublishPacket, Packet } from 'mqtt';
import type { Event } from '../../lib/core/event';
import type { Int64Message } from '../../lib/core/messages/int64.message';
import type { StringMessage } from '../../lib/core/messages/string.message';
import type { MqttQoS } from '../../lib/mqtt/mqtt.options';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { deferred } from '../support/deferred';
import { Cleanup } from '../support/mqtt/cleanup';
import { DeliveryCount } from '../support/mqtt/delivery-count';
import { startTestBroker, type TestBroker } from '../support/mqtt/test-broker';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil } from '../support/mqtt/wait';

/*
 * Slow handlers against a fast publisher. A subscription whose backlog is full holds back reading
 * from the broker; that must never cost the connection (keepalive), lose a QoS 1/2 event, or
 * acknowledge a QoS 1 event before its handler finished. Keepalive is 1 s here, so a connection
 * that the client drops for a missing PINGRESP drops within 1.5 s, well inside each test.
 */

jest.setTimeout(60_000);

const quiet = { log: () => undefined, warn: () => undefined, error: console.error };

let broker: TestBroker;
const cleanup = new Cleanup();

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(() => broker.close());

afterEach(() => cleanup.run());

function sequenceOf(event: Event): number {
  return Number((event.payload as Int64Message).value);
}

function clientId(role: string): string {
  return `busline-${role}-${randomBytes(5).toString('hex')}`;
}

function handlerTakes(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function connected(options: {
  maxPendingEvents?: number;
  clean?: boolean;
  id?: string;
}): Promise<{ subscriber: MqttSubscriber; publisher: MqttPublisher; statuses: string[] }> {
  const subscriber = cleanup.connector(
    new MqttSubscriber({
      url: broker.url,
      logger: quiet,
      maxPendingEvents: options.maxPendingEvents,
      otherClientParameters: {
        keepalive: 1,
        reconnectPeriod: 100,
        clean: options.clean ?? true,
        clientId: options.id ?? clientId('sub'),
      },
    }),
  );
  const publisher = cleanup.connector(new MqttPublisher({ url: broker.url, logger: quiet }));
  await Promise.all([subscriber.connect(), publisher.connect()]);
  const statuses: string[] = [];
  subscriber.onStatus((change) => statuses.push(change.status));
  return { subscriber, publisher, statuses };
}

/*
 * 250 events at 25 ms: over 6 s of backlog, four times the 1.5 s in which a client that stopped
 * reading PINGRESPs drops the connection; a backlog of 4 holds reading back. QoS 2 sends 20 events
 * at 150 ms (3 s): Mosquitto 2.0.11 stops sending a client queued QoS 2 messages once its 20
 * in-flight slots have cycled, until other traffic comes (seen before and after this change alike).
 */
describe.each([
  [0, 250, 25],
  [1, 250, 25],
  [2, 20, 150],
] as [MqttQoS, number, number][])('a slow handler at QoS %d', (qos, total, handlerMs) => {
  it(`keeps the connection (keepalive 1 s) and gets every event once, in order`, async () => {
    const topic = `${uniquePrefix('slow')}/q${qos}`;
    const { subscriber, publisher, statuses } = await connected({ maxPendingEvents: 4 });
    const count = new DeliveryCount();
    const order: number[] = [];
    // The broker closes a client it heard nothing from for 1.5 keepalive intervals: the client
    // must keep sending (PINGREQs) at least every interval, however late PINGRESPs are read.
    const sentAt: number[] = [Date.now()];
    subscriber.mqttClient!.on('packetsend', () => sentAt.push(Date.now()));
    await subscriber.subscribe(
      topic,
      async (_topic, event) => {
        count.record(sequenceOf(event));
        order.push(sequenceOf(event));
        await handlerTakes(handlerMs);
      },
      { qos },
    );
    count.sent = total;
    await Promise.all(
      Array.from({ length: total }, (_, n) => publisher.publish(topic, n, { qos })),
    );

    await waitUntil(() => count.received >= total, {
      timeout: 40_000,
      what: `every event handled (${count})`,
    });
    expect(count.lost).toBe(0);
    expect(count.duplicated).toBe(0);
    expect(order).toEqual(Array.from({ length: total }, (_, n) => n));
    expect(statuses).toEqual([]);
    expect(subscriber.status).toBe('connected');
    const gaps = sentAt.slice(1).map((at, i) => at - sentAt[i]);
    expect(Math.max(...gaps)).toBeLessThan(1_250);
  });
});

describe('QoS 1 acknowledgements', () => {
  function pubacksOf(subscriber: MqttSubscriber): number[] {
    const sent: number[] = [];
    subscriber.mqttClient!.on('packetsend', (packet: Packet) => {
      if (packet.cmd === 'puback') sent.push(packet.messageId!);
    });
    return sent;
  }

  function arrivalsOf(subscriber: MqttSubscriber): IPublishPacket[] {
    const arrived: IPublishPacket[] = [];
    subscriber.mqttClient!.on('packetreceive', (packet: Packet) => {
      if (packet.cmd === 'publish') arrived.push(packet);
    });
    return arrived;
  }

  it('are sent once the handler finished, not when the event arrived', async () => {
    const topic = `${uniquePrefix('ack')}/one`;
    const { subscriber, publisher } = await connected({});
    const pubacks = pubacksOf(subscriber);
    const arrived = arrivalsOf(subscriber);
    const release = deferred();
    let started = false;
    await subscriber.subscribe(
      topic,
      async () => {
        started = true;
        await release.promise;
      },
      { qos: 1 },
    );
    const published = publisher.publish(topic, 'hold me', { qos: 1 });
    await waitUntil(() => started, { what: 'the handler to start' });
    // The packet loop goes on while the handler runs: a PINGREQ is answered, and a later message
    // of another topic is read, yet no PUBACK has gone out for the held one.
    await publisher.publish(`${topic}/other`, 'not subscribed', { qos: 1 });
    await waitUntil(() => arrived.length === 1, { what: 'the message to arrive' });
    expect(pubacks).toEqual([]);

    release.resolve();
    await waitUntil(() => pubacks.length === 1, { what: 'the PUBACK' });
    expect(pubacks).toEqual([arrived[0].messageId]);
    await published;
  });

  it('go out in arrival order even when a later event is handled first', async () => {
    const prefix = uniquePrefix('order');
    const { subscriber, publisher } = await connected({});
    const pubacks = pubacksOf(subscriber);
    const arrived = arrivalsOf(subscriber);
    const slow = deferred();
    let fastDone = false;
    await subscriber.subscribe(`${prefix}/slow`, () => slow.promise, { qos: 1 });
    await subscriber.subscribe(`${prefix}/fast`, () => void (fastDone = true), { qos: 1 });

    await publisher.publish(`${prefix}/slow`, 1, { qos: 1 });
    const fastPublished = publisher.publish(`${prefix}/fast`, 2, { qos: 1 });
    await waitUntil(() => fastDone, { what: 'the fast handler' });
    expect(arrived).toHaveLength(2);
    expect(pubacks).toEqual([]);

    slow.resolve();
    await waitUntil(() => pubacks.length === 2, { what: 'both PUBACKs' });
    expect(pubacks).toEqual(arrived.map((packet) => packet.messageId));
    await fastPublished;
  });

  it('an event whose handler was running when the connection broke comes again (persistent session)', async () => {
    const topic = `${uniquePrefix('redeliver')}/one`;
    const id = clientId('persistent');
    const { subscriber, publisher } = await connected({ clean: false, id });
    const release = deferred();
    const seen: string[] = [];
    await subscriber.subscribe(
      topic,
      async (_topic, event) => {
        seen.push(event.identifier);
        if (seen.length === 1) await release.promise;
      },
      { qos: 1 },
    );
    const event = await publisher
      .publish(topic, 'at least once', { qos: 1 })
      .then((e) => e.identifier);
    await waitUntil(() => seen.length === 1, { what: 'the first delivery' });

    // The connection breaks while the handler runs: no PUBACK went out, so the broker sends the
    // message again once the subscriber is back (queued behind the running handler).
    const statuses: string[] = [];
    subscriber.onStatus((change) => statuses.push(change.status));
    subscriber.mqttClient!.stream.destroy();
    await waitUntil(() => statuses.includes('connected'), { what: 'the reconnection' });
    release.resolve();
    await waitUntil(() => seen.length === 2, { timeout: 15_000, what: 'the redelivery' });
    expect(seen).toEqual([event, event]);
  });

  // A handler that throws and one that rejects take different paths, and so do concurrency 1
  // and more: each failure is reported once and acknowledged once, and the next event goes on.
  it.each([
    { how: 'rejects', concurrency: 1 },
    { how: 'throws', concurrency: 1 },
    { how: 'rejects', concurrency: 3 },
    { how: 'throws', concurrency: 3 },
  ])(
    'failed handlers are acknowledged too: a handler that $how, concurrency $concurrency',
    async ({ how, concurrency }) => {
      const topic = `${uniquePrefix('failing')}/one`;
      const errors: string[] = [];
      const handled: string[] = [];
      const { subscriber, publisher } = await connected({});
      subscriber.onError = (error) => errors.push(error.name);
      const pubacks = pubacksOf(subscriber);
      await subscriber.subscribe(
        topic,
        (_topic, event) => {
          const value = (event.payload as StringMessage).value;
          handled.push(value);
          if (value !== 'fails') return undefined;
          if (how === 'throws') throw new Error('handler failed');
          return Promise.reject(new Error('handler failed'));
        },
        { qos: 1, concurrency },
      );
      await publisher.publish(topic, 'fails', { qos: 1 });
      await publisher.publish(topic, 'works', { qos: 1 });
      await waitUntil(() => pubacks.length === 2, { what: 'both PUBACKs' });
      expect(handled).toEqual(['fails', 'works']);
      expect(errors).toEqual(['HandlerError']);
    },
  );
});

it('disconnect() lets running handlers finish and acknowledges them before closing', async () => {
  const topic = `${uniquePrefix('shutdown')}/one`;
  const { subscriber, publisher } = await connected({ clean: false, id: clientId('drain') });
  const pubacks: number[] = [];
  let arrived = 0;
  subscriber.mqttClient!.on('packetsend', (packet: Packet) => {
    if (packet.cmd === 'puback') pubacks.push(packet.messageId!);
  });
  subscriber.mqttClient!.on('packetreceive', (packet: Packet) => {
    if (packet.cmd === 'publish') arrived++;
  });
  let handled = 0;
  await subscriber.subscribe(
    topic,
    async () => {
      await handlerTakes(50);
      handled++;
    },
    { qos: 1 },
  );
  await Promise.all([1, 2, 3].map((n) => publisher.publish(topic, n, { qos: 1 })));
  await waitUntil(() => arrived === 3, { what: 'the three messages to arrive' });
  expect(handled).toBe(0);
  await subscriber.disconnect();
  expect(handled).toBe(3);
  expect(pubacks).toHaveLength(3);
});
