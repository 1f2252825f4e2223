import {
  AsyncLocalEventBus,
  LocalPublisher,
  LocalSubscriber,
  NoResponderError,
  PubSubClient,
  RemoteHandlerError,
  RequestTimeoutError,
  StringMessage,
} from 'busline';

export async function main(): Promise<void> {
  const eventbus = new AsyncLocalEventBus();
  const client = () =>
    new PubSubClient([new LocalPublisher({ eventbus })], [new LocalSubscriber({ eventbus })]);
  const responder = client();
  const requester = client();
  await Promise.all([responder.connect(), requester.connect()]);

  // The responder's handler returns the reply (undefined sends none).
  await responder.subscribe<StringMessage>('greeter/hello', (_topic, event) => {
    if (event.payload!.value === '') throw new Error('tell me your name');
    return `hello, ${event.payload!.value}`;
  });

  const reply = await requester.request('greeter/hello', 'Ada', { timeout: 1_000 });
  console.log((reply.payload as StringMessage).value); // hello, Ada

  // The responder's handler threw: a typed error, at once, with its message.
  await requester.request('greeter/hello', '').catch((error: unknown) => {
    if (error instanceof RemoteHandlerError) console.log(`failed: ${error.remoteMessage}`);
  });

  // Nobody subscribed: the local bus knows at once.
  await requester.request('greeter/bye', 'Ada').catch((error: unknown) => {
    console.log(error instanceof NoResponderError); // true
  });

  // A reply slower than the timeout: the request rejects, the reply is dropped and counted.
  let release!: () => void;
  const slow = new Promise<void>((resolve) => (release = resolve));
  await responder.subscribe('greeter/slow', async () => {
    await slow;
    return 'finally';
  });
  await requester.request('greeter/slow', 'Ada', { timeout: 50 }).catch((error: unknown) => {
    console.log(error instanceof RequestTimeoutError); // true
  });
  release();
  await responder.drain(); // the late reply has gone out
  console.log(`late replies: ${requester.lateReplies}`); // late replies: 1

  await Promise.all([responder.disconnect(), requester.disconnect()]);
}
