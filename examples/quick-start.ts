import {
  type Event,
  type Int64Message,
  LocalEventBus,
  LocalPublisher,
  LocalSubscriber,
  PubSubClientBuilder,
} from 'busline';

async function main(): Promise<void> {
  // A client with a local publisher and a local subscriber, both on the process-wide bus.
  const client = new PubSubClientBuilder()
    .withPublisher(new LocalPublisher({ eventbus: new LocalEventBus() }))
    .withSubscriber(new LocalSubscriber({ eventbus: new LocalEventBus() }))
    .build();

  // A subscriber of its own, on the same bus.
  const standalone = new LocalSubscriber({ eventbus: new LocalEventBus() });

  await Promise.all([client.connect(), standalone.connect()]);

  await standalone.subscribe('numbers', (topic, event: Event<Int64Message>) => {
    console.log(`${topic} -> ${event.payload?.value}`);
  });

  for (let n = 0; n < 10; n++) {
    await client.publish('numbers', n); // 0, 1, 2, ... wrapped in Int64Message
  }

  // disconnect() lets running handlers finish first.
  await Promise.all([client.disconnect(), standalone.disconnect()]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
