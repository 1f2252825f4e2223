import { CloudEvent, MQTT } from 'cloudevents';
import type { IPublishPacket } from 'mqtt';
import 'reflect-metadata';
import type { Event } from '../../lib/core/event';
import { ForeignEnvelopeError } from '../../lib/core/errors/foreign-envelope.error';
import { Message } from '../../lib/core/message.decorator';
import { JsonMessage } from '../../lib/core/messages/json.message';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { Cleanup } from '../support/mqtt/cleanup';
import { capture, rawClient } from '../support/mqtt/raw-client';
import { useTestBroker, mqtt5It } from '../support/mqtt/test-broker';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil } from '../support/mqtt/wait';

/*
 * CloudEvents 1.0 over MQTT with the `cloudevents` SDK on the other side: structured mode on any
 * broker, binary mode (attributes as MQTT 5 user properties) where the broker speaks MQTT 5.
 */

jest.setTimeout(30_000);

const it5 = mqtt5It('CloudEvents binary mode over MQTT 5');

@Message('com.example.orders.OrderPlaced')
class OrderPlaced extends JsonMessage {
  orderId = '';
  total = 0;
}

const broker = useTestBroker();
const cleanup = new Cleanup();

afterEach(() => cleanup.run());

function sdkEvent(orderId: string): CloudEvent<{ orderId: string; total: number }> {
  return new CloudEvent({
    id: `evt-${orderId}`,
    source: 'urn:shop:checkout',
    type: 'com.example.orders.OrderPlaced',
    time: '2026-03-04T05:06:07.089Z',
    datacontenttype: 'application/json',
    data: { orderId, total: 99 },
  });
}

function order(orderId: string, total: number): OrderPlaced {
  return Object.assign(new OrderPlaced(), { orderId, total });
}

it('a structured CloudEvent from the SDK reaches a default subscriber and a cloudevents one', async () => {
  const topic = `${uniquePrefix('ce')}/orders`;
  const subscriber = cleanup.connector(new MqttSubscriber({ url: broker.url }));
  await subscriber.connect();
  const byDefault: Event[] = [];
  const named: Event[] = [];
  await subscriber.subscribe(topic, (_t, event) => void byDefault.push(event), { qos: 1 });
  await subscriber.subscribe(`${topic}/+`, (_t, event) => void named.push(event), {
    envelope: 'cloudevents',
    qos: 1,
  });
  const foreign = cleanup.add(await rawClient(broker.url), (client) => client.endAsync());
  const { body } = MQTT.structured(sdkEvent('o-1'));
  await foreign.publishAsync(topic, JSON.stringify(body), { qos: 1 });
  await foreign.publishAsync(`${topic}/eu`, JSON.stringify(sdkEvent('o-2')), { qos: 1 });
  await waitUntil(() => byDefault.length === 1 && named.length === 1, { what: 'both events' });

  for (const [event, orderId] of [
    [byDefault[0], 'o-1'],
    [named[0], 'o-2'],
  ] as const) {
    expect(event.payload).toBeInstanceOf(OrderPlaced);
    expect(event.payload).toEqual(order(orderId, 99));
    expect(event.identifier).toBe(`evt-${orderId}`);
    expect(event.publisherIdentifier).toBe('urn:shop:checkout');
    expect(event.timestamp.toISOString()).toBe('2026-03-04T05:06:07.089Z');
  }
});

it('a Busline publish in the cloudevents envelope is a valid structured CloudEvent for the SDK', async () => {
  const topic = `${uniquePrefix('ce')}/orders`;
  const foreign = cleanup.add(await rawClient(broker.url), (client) => client.endAsync());
  const received = await capture(foreign, topic);
  const publisher = cleanup.connector(new MqttPublisher({ url: broker.url }));
  await publisher.connect();
  const sent = await publisher.publish(topic, order('o-3', 12.5), {
    envelope: 'cloudevents',
    qos: 1,
  });
  await waitUntil(() => received.messages.length === 1, { what: 'the event' });

  const event = MQTT.toEvent(
    MQTT.structured(JSON.parse(received.on(topic)[0].toString('utf8')) as CloudEvent),
  ) as CloudEvent;
  expect(event.validate()).toBe(true);
  expect(event).toMatchObject({
    specversion: '1.0',
    id: sent.identifier,
    source: publisher.identifier,
    type: 'com.example.orders.OrderPlaced',
    datacontenttype: 'application/json',
    data: { orderId: 'o-3', total: 12.5 },
  });
  expect(new Date(event.time!).getTime()).toBe(sent.timestamp.getTime());
});

it('binary mode over MQTT 3.1.1 is refused at publish: it has no user properties to carry the attributes', async () => {
  const publisher = cleanup.connector(new MqttPublisher({ url: broker.url }));
  await publisher.connect();
  const attempt = publisher.publish(`${uniquePrefix('ce')}/orders`, order('o-0', 1), {
    envelope: 'cloudevents-binary',
  });
  await expect(attempt).rejects.toBeInstanceOf(ForeignEnvelopeError);
  await expect(attempt).rejects.toThrow(/protocolVersion to 5/);
});

it5('binary mode over MQTT 5: the SDK reads what Busline publishes', async () => {
  const topic = `${uniquePrefix('ce')}/orders`;
  const foreign = cleanup.add(await rawClient(broker.url, { protocolVersion: 5 }), (client) =>
    client.endAsync(),
  );
  const packets: IPublishPacket[] = [];
  foreign.on('message', (_t, _payload, packet) => void packets.push(packet));
  await foreign.subscribeAsync(topic, { qos: 1 });
  const publisher = cleanup.connector(
    new MqttPublisher({ url: broker.url, otherClientParameters: { protocolVersion: 5 } }),
  );
  await publisher.connect();
  const sent = await publisher.publish(topic, order('o-4', 7), {
    envelope: 'cloudevents-binary',
    qos: 1,
  });
  await waitUntil(() => packets.length === 1, { what: 'the event' });

  const { payload, properties } = packets[0];
  expect(JSON.parse(payload.toString())).toEqual({ orderId: 'o-4', total: 7 });
  const event = MQTT.toEvent({
    body: JSON.parse(payload.toString()) as object,
    headers: { ...properties?.userProperties },
    PUBLISH: { 'Content Type': properties?.contentType },
  } as never) as CloudEvent;
  expect(event.validate()).toBe(true);
  expect(event).toMatchObject({
    id: sent.identifier,
    source: publisher.identifier,
    type: 'com.example.orders.OrderPlaced',
    datacontenttype: 'application/json',
    data: { orderId: 'o-4', total: 7 },
  });
});

it5('binary mode over MQTT 5: Busline reads what the SDK publishes', async () => {
  const topic = `${uniquePrefix('ce')}/orders`;
  const subscriber = cleanup.connector(
    new MqttSubscriber({ url: broker.url, otherClientParameters: { protocolVersion: 5 } }),
  );
  await subscriber.connect();
  const got: Event[] = [];
  await subscriber.subscribe(topic, (_t, event) => void got.push(event), { qos: 1 });
  const foreign = cleanup.add(await rawClient(broker.url, { protocolVersion: 5 }), (client) =>
    client.endAsync(),
  );
  const message = MQTT.binary(sdkEvent('o-5'));
  const userProperties: Record<string, string> = {};
  for (const [name, value] of Object.entries(message['User Properties'] ?? {})) {
    userProperties[name] = String(value);
  }
  await foreign.publishAsync(topic, JSON.stringify(message.body), {
    qos: 1,
    properties: { contentType: message.PUBLISH!['Content Type'] as string, userProperties },
  });
  await waitUntil(() => got.length === 1, { what: 'the event' });

  expect(got[0].payload).toEqual(order('o-5', 99));
  expect(got[0].identifier).toBe('evt-o-5');
  expect(got[0].publisherIdentifier).toBe('urn:shop:checkout');
});
