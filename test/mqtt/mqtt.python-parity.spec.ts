import type { Event } from '../../lib/core/event';
import { CallbackEventHandler } from '../../lib/core/handlers/callback-event-handler';
import { Float64Message } from '../../lib/core/messages/float64.message';
import { PubSubClientBuilder, type PubSubClient } from '../../lib/core/pubsub-client';
import type { Subscriber } from '../../lib/core/subscriber';
import { AsyncLocalEventBus } from '../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../lib/local/local.publisher';
import { LocalSubscriber } from '../../lib/local/local.subscriber';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { Cleanup } from '../support/mqtt/cleanup';
import { startTestBroker, type TestBroker } from '../support/mqtt/test-broker';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil, within } from '../support/mqtt/wait';

/*
 * TypeScript counterparts of py-busline's tests/mqtt_tests.py and
 * tests/local_mqtt_client_tests.py: the same scenarios and expected counts. Where Python sleeps
 * and then checks that nothing arrived, these publish a sentinel event after the one that must
 * not arrive and wait for the sentinel (same publisher and connection: delivered in order).
 * Events that must reach the broker before a subscription exists are sent with QoS 1, so the
 * broker has processed them when publish() resolves.
 */

jest.setTimeout(30_000);

let broker: TestBroker;
const cleanup = new Cleanup();

beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(() => broker.close());
afterEach(() => cleanup.run());

/** The broker as Python's tests give it: hostname and port. */
function address(): { hostname: string; port: number } {
  const url = new URL(broker.url);
  return { hostname: url.hostname, port: Number(url.port) };
}

function clientOf(client: PubSubClient): PubSubClient {
  return cleanup.add(client, (c) => c.disconnect());
}

/** Publish on `<prefix>/sentinel` through `client` and wait until `subscribers` all have it. */
async function sentinel(client: PubSubClient, prefix: string, subscribers: number): Promise<void> {
  let seen = 0;
  await client.subscribe(`${prefix}/sentinel`, () => {
    seen++;
  });
  await client.publish(`${prefix}/sentinel`, undefined, { qos: 1 });
  await waitUntil(() => seen === subscribers, { what: 'the sentinel' });
  await client.unsubscribe(`${prefix}/sentinel`);
}

describe('mqtt_tests.py', () => {
  it('test_pubsub', async () => {
    const prefix = uniquePrefix('py-pubsub');
    const testTopic = `${prefix}/test-topic`;
    let nEvents = 0;
    const handlerCallback = async (): Promise<void> => {
      nEvents += 1;
    };
    const client = clientOf(
      new PubSubClientBuilder()
        .withPublisher(new MqttPublisher(address()))
        .withSubscriber(new MqttSubscriber(address()))
        .build(),
    );
    await client.connect();

    // Published before anyone subscribed: nobody gets it.
    await client.publish(testTopic, undefined, { qos: 1 });
    await sentinel(client, prefix, 1);
    expect(nEvents).toBe(0);

    await client.subscribe(testTopic, handlerCallback);
    await client.publish(testTopic);
    await waitUntil(() => nEvents === 1, { what: 'the first event' });
    expect(nEvents).toBe(1);

    // Subscribing again without a handler replaces the handler with none; the subscriber's
    // default handler then takes the events.
    await client.subscribe(testTopic);
    (client.subscribers[0] as Subscriber).defaultHandler = new CallbackEventHandler(
      handlerCallback,
    );
    await client.publish(testTopic);
    await waitUntil(() => nEvents === 2, { what: 'the event for the default handler' });
    await sentinel(client, prefix, 1);
    expect(nEvents).toBe(2);
  });

  it('test_incoming_events_queue', async () => {
    const prefix = uniquePrefix('py-queue');
    const testTopic1 = `${prefix}/test-topic-1`;
    const testTopic2 = `${prefix}/test-topic-2`;
    const publisher = cleanup.connector(new MqttPublisher(address()));
    const subscriber = cleanup.connector(new MqttSubscriber(address()));
    await Promise.all([publisher.connect(), subscriber.connect()]);

    let nInboundEvents = 0;
    const gatherInbound = (async () => {
      for await (const _event of subscriber.inboundEvents) {
        nInboundEvents += 1;
      }
    })();
    let nUnhandledEvents = 0;
    const gatherUnhandled = (async () => {
      for await (const _event of subscriber.inboundUnhandledEvents) {
        nUnhandledEvents += 1;
      }
    })();

    await subscriber.subscribe(testTopic1);
    await subscriber.subscribe(testTopic2, () => undefined);
    await publisher.publish(testTopic1);
    await publisher.publish(testTopic2);

    await waitUntil(() => nInboundEvents === 2 && nUnhandledEvents === 1, {
      what: 'two inbound events, one of them unhandled',
    });
    expect(nInboundEvents).toBe(2);
    expect(nUnhandledEvents).toBe(1);
    await subscriber.disconnect();
    await within(Promise.all([gatherInbound, gatherUnhandled]), 5_000, 'the iterators to end');
  });

  it('test_float_message_publish', async () => {
    let receivedFloat: number | undefined;
    let receivedPayload: unknown;
    const callback = async (_t: string, e: Event): Promise<void> => {
      receivedPayload = e.payload;
      receivedFloat = (e.payload as Float64Message).value;
    };
    const topic = `${uniquePrefix('py-float')}/tests`;
    const publisher = cleanup.connector(new MqttPublisher(address()));
    const subscriber = cleanup.connector(new MqttSubscriber(address()));
    await Promise.all([subscriber.connect(), publisher.connect()]);
    await subscriber.subscribe(topic, callback);

    const floatMessage = 3.14;
    const event = await publisher.publish(topic, floatMessage);
    await waitUntil(() => receivedFloat !== undefined, { what: 'the float' });

    expect(receivedPayload).toBeInstanceOf(Float64Message);
    expect(Math.abs(receivedFloat! - floatMessage)).toBeLessThan(0.1);
    expect(receivedFloat).toBe(3.14);
    expect(event.payload).toBeInstanceOf(Float64Message);
  });
});

describe('local_mqtt_client_tests.py', () => {
  it('test_pubsub (MQTT and local transports in one client)', async () => {
    const prefix = uniquePrefix('py-local-mqtt');
    const testTopic = `${prefix}/test.topic`;
    let nEvents = 0;
    const handlerCallback = async (): Promise<void> => {
      nEvents += 1;
    };
    const eventbus = new AsyncLocalEventBus();
    const { hostname, port } = address();
    const client = clientOf(
      new PubSubClientBuilder()
        .withPublishers([new MqttPublisher({ hostname, port }), new LocalPublisher({ eventbus })])
        .withSubscribers([
          new MqttSubscriber({ hostname, port }),
          new LocalSubscriber({ eventbus }),
        ])
        .build(),
    );
    await client.connect();

    await client.publish(testTopic, undefined, { qos: 1 });
    await sentinel(client, prefix, 2);
    expect(nEvents).toBe(0);

    await client.subscribe(testTopic, handlerCallback);
    await client.publish(testTopic);
    // One event per transport: the MQTT subscriber gets the MQTT publisher's, the local one the
    // local publisher's.
    await waitUntil(() => nEvents === 2, { what: 'the event on both transports' });
    await sentinel(client, prefix, 2);
    expect(nEvents).toBe(2);

    await client.unsubscribe();
    await client.publish(testTopic, undefined, { qos: 1 });
    await sentinel(client, prefix, 2);
    expect(nEvents).toBe(2);

    await client.disconnect();
    expect(client.subscribers.every((s) => !s.connected)).toBe(true);
    expect(client.publishers.every((p) => !p.connected)).toBe(true);
  });
});
