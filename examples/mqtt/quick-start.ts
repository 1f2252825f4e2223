import { type Event, type StringMessage } from 'busline';
import { MqttPublisher, MqttSubscriber } from 'busline/mqtt';
import { startEmbeddedBroker } from 'busline/testing';

async function main(): Promise<void> {
  // An MQTT broker in this process, for the example; yours has a URL like mqtt://127.0.0.1:1883.
  const broker = await startEmbeddedBroker();

  // The broker as host and port (port 1883 unless given), or as a URL.
  const subscriber = new MqttSubscriber({ hostname: '127.0.0.1', port: broker.port });
  const publisher = new MqttPublisher({ url: broker.url });

  let handled!: () => void;
  const done = new Promise<void>((resolve) => (handled = resolve));

  // Subscribing before connect() is fine: connect() makes the subscription on the broker.
  await subscriber.subscribe('orders/+/created', (topic, event: Event<StringMessage>) => {
    console.log(topic, event.payload?.value); // orders/42/created hello
    handled();
  });
  await Promise.all([subscriber.connect(), publisher.connect()]);
  await publisher.publish('orders/42/created', 'hello', { qos: 1 });

  await done;
  await Promise.all([subscriber.disconnect(), publisher.disconnect()]);
  await broker.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
