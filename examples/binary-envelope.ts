import { type Event, registryPassthroughEventBinarySerializer, type StringMessage } from 'busline';
import { MqttPublisher, MqttSubscriber } from 'busline/mqtt';
import { startEmbeddedBroker } from 'busline/testing';

export async function main(): Promise<void> {
  const broker = await startEmbeddedBroker();

  // Between TypeScript services: the binary envelope, opted into on the publisher only.
  const publisher = new MqttPublisher({
    url: broker.url,
    serializer: registryPassthroughEventBinarySerializer,
  });
  // The default deserializer reads both envelopes, so this subscriber also serves Python publishers.
  const subscriber = new MqttSubscriber({ url: broker.url });

  let handled!: () => void;
  const done = new Promise<void>((resolve) => (handled = resolve));
  await subscriber.subscribe('greetings', (topic, event: Event<StringMessage>) => {
    console.log(`${topic}: ${event.payload?.value}`); // greetings: hello
    handled();
  });
  await Promise.all([subscriber.connect(), publisher.connect()]);
  await publisher.publish('greetings', 'hello');

  await done;
  await Promise.all([subscriber.disconnect(), publisher.disconnect()]);
  await broker.close();
}
