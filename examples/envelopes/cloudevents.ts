import { type Event, JsonMessage, Message } from 'busline';
import { MqttPublisher, MqttSubscriber } from 'busline/mqtt';
import { startEmbeddedBroker } from 'busline/testing';
import { connectAsync } from 'mqtt';

// A CloudEvent's `type` names the message class in the registry.
@Message('com.example.orders.OrderPlaced')
export class OrderPlaced extends JsonMessage {
  orderId = '';
  total = 0;
}

export async function main(): Promise<void> {
  // An MQTT broker in this process, for the example; yours has a URL like mqtt://127.0.0.1:1883.
  const broker = await startEmbeddedBroker();
  const publisher = new MqttPublisher({ url: broker.url, identifier: 'urn:shop:checkout' });
  const subscriber = new MqttSubscriber({ url: broker.url });
  await Promise.all([publisher.connect(), subscriber.connect()]);

  // Out: a structured CloudEvent (what any CloudEvents SDK reads).
  const other = await connectAsync(broker.url);
  const written: string[] = [];
  other.on('message', (_topic, payload) => void written.push(payload.toString()));
  await other.subscribeAsync('orders/placed', { qos: 1 });
  const order = Object.assign(new OrderPlaced(), { orderId: 'o-1', total: 99 });
  await publisher.publish('orders/placed', order, {
    envelope: 'cloudevents',
    identifier: 'evt-1',
    timestamp: new Date('2026-01-02T03:04:05Z'),
    qos: 1,
  });
  await until(() => written.length === 1);
  console.log(written[0]);

  // In: the default subscription tells a CloudEvent apart from Busline's envelope by itself.
  let got: Event<OrderPlaced> | undefined;
  await subscriber.subscribe('orders/imported', (_topic, event: Event<OrderPlaced>) => {
    got = event;
  });
  const cloudEvent = {
    specversion: '1.0',
    id: 'evt-2',
    source: 'urn:erp',
    type: 'com.example.orders.OrderPlaced',
    datacontenttype: 'application/json',
    data: { orderId: 'o-2', total: 15 },
  };
  await other.publishAsync('orders/imported', JSON.stringify(cloudEvent), { qos: 1 });
  await until(() => got !== undefined);
  console.log(`${got!.identifier} from ${got!.publisherIdentifier}: ${got!.payload?.orderId}`);

  await other.endAsync();
  await Promise.all([publisher.disconnect(), subscriber.disconnect()]);
  await broker.close();
}

/** Resolves once `condition()` holds; rejects after `timeout` ms. */
async function until(condition: () => boolean, timeout = 5_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
