import { type Event, type StringMessage } from 'busline';
import { MqttPublisher, MqttSubscriber } from 'busline/mqtt';
import { startEmbeddedBroker } from 'busline/testing';

export async function main(): Promise<void> {
  const broker = await startEmbeddedBroker(); // 127.0.0.1, a free port
  try {
    const publisher = new MqttPublisher({ url: broker.url }); // mqtt://127.0.0.1:<port>
    await publisher.connect();
    await publisher.publish('config/theme', 'dark', { qos: 1, retain: true });
    await publisher.disconnect();

    // A restart on the same port keeps sessions, queued and retained messages.
    await broker.stop();
    console.log(`running: ${broker.running}`); // running: false
    await broker.start();
    console.log(`running: ${broker.running}`); // running: true

    const subscriber = new MqttSubscriber({ url: broker.url });
    let received!: (theme: string) => void;
    const theme = new Promise<string>((resolve) => (received = resolve));
    await subscriber.subscribe('config/theme', (_topic, event: Event<StringMessage>) =>
      received(event.payload!.value),
    );
    await subscriber.connect();
    console.log(`retained across the restart: ${await theme}`); // dark
    await subscriber.disconnect();
  } finally {
    await broker.close();
  }
}
