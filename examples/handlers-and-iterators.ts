import {
  AsyncLocalEventBus,
  CallbackEventHandler,
  type Event,
  EventHandler,
  LocalPublisher,
  LocalSubscriber,
  MultiEventHandler,
  type StringMessage,
} from 'busline';

class Greeter {
  readonly seen: string[] = [];

  // A method turned into a handler bound to its instance: no .bind(this) needed.
  @EventHandler()
  async onGreeting(topic: string, event: Event<StringMessage>): Promise<void> {
    this.seen.push(`${topic}: ${event.payload?.value}`);
  }
}

export async function main(): Promise<void> {
  const eventbus = new AsyncLocalEventBus(); // a bus of its own, apart from the process-wide one
  const publisher = new LocalPublisher({ eventbus });
  const subscriber = new LocalSubscriber({ eventbus });
  await Promise.all([publisher.connect(), subscriber.connect()]);

  const greeter = new Greeter();
  const log = new CallbackEventHandler((topic) => console.log(`got something on ${topic}`));

  // One handler per topic filter; '+' and '#' are MQTT wildcards.
  await subscriber.subscribe('greetings/+', greeter.onGreeting);
  await subscriber.subscribe('alerts/#', new MultiEventHandler([log, greeter.onGreeting]));

  // Iterators see every event; the "unhandled" one only those no handler took.
  const unhandled = (async () => {
    for await (const [topic, event] of subscriber.inboundUnhandledEvents) {
      console.log(`nobody handles ${topic} (${event.payload})`);
      break; // leaving the loop detaches the iterator
    }
  })();

  await subscriber.subscribe('misc'); // no handler, no default handler: unhandled
  await publisher.publish('greetings/en', 'hello');
  await publisher.publish('alerts/disk/full', 'disk is full');
  await publisher.publish('misc', 'nobody listens');
  await unhandled;

  await Promise.all([publisher.disconnect(), subscriber.disconnect()]);
  console.log(greeter.seen.join('\n'));
}
