import { type Event, type StringMessage } from 'busline';
import { MqttPublisher, MqttSubscriber } from 'busline/mqtt';
import { startEmbeddedBroker } from 'busline/testing';

export async function main(): Promise<void> {
  const broker = await startEmbeddedBroker();
  // Retry every 100 ms once the connection is lost (default 1 s).
  const publisher = new MqttPublisher({
    url: broker.url,
    otherClientParameters: { reconnectPeriod: 100 },
  });
  // A persistent session: the broker keeps its subscriptions and QoS 1 messages while it is away.
  const subscriber = new MqttSubscriber({
    url: broker.url,
    otherClientParameters: { clean: false, clientId: 'alerts-1', reconnectPeriod: 100 },
  });

  let lost!: () => void;
  const reconnecting = new Promise<void>((resolve) => (lost = resolve));
  const stopWatching = publisher.onStatus(({ status, cause }) => {
    console.log(`publisher: ${status}`); // connecting, connected, reconnecting, ...
    if (status === 'reconnecting') {
      console.warn(`broker lost: ${cause?.message ?? 'connection closed'}`);
      lost();
    }
  });
  let resumed: boolean | undefined;
  subscriber.onStatus(({ status, sessionPresent }) => {
    if (status === 'connected') resumed = sessionPresent;
  });

  let received!: (text: string) => void;
  const alert = new Promise<string>((resolve) => (received = resolve));
  await subscriber.subscribe(
    'alerts/#',
    (_topic, event: Event<StringMessage>) => received(event.payload!.value),
    { qos: 1 },
  );
  await Promise.all([publisher.connect(), subscriber.connect()]);

  // The broker goes away: publishes wait for it (up to maxOfflineQueue).
  await broker.stop();
  await reconnecting;
  const sent = publisher.publish('alerts/disk', 'disk almost full', { qos: 1 });
  console.log(`status: ${publisher.status}, waiting: ${publisher.pendingPublishes}`);

  // It comes back: the publish goes out and resolves, the subscriber gets the event.
  await broker.start();
  await sent;
  console.log(`published after reconnecting, status: ${publisher.status}`);
  console.log(`subscriber got: ${await alert}, session resumed: ${resumed}`);

  await Promise.all([publisher.disconnect(), subscriber.disconnect()]);
  stopWatching();
  await broker.close();
}
