import { InvalidArgumentError } from '../../../lib/core/errors/invalid-argument.error';
import { NoSubscriberError } from '../../../lib/core/errors/no-subscriber.error';
import { NoTransportError } from '../../../lib/core/errors/no-transport.error';
import { NotConnectedError } from '../../../lib/core/errors/not-connected.error';
import type { Event } from '../../../lib/core/event';
import type { StringMessage } from '../../../lib/core/messages/string.message';
import { PubSubClient } from '../../../lib/core/pubsub-client';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber } from '../../../lib/local/local.subscriber';
import { describeRequestReply } from '../../support/request-reply.cases';
import { waitFor } from '../../support/wait-for';

let eventbus = new AsyncLocalEventBus();
let topics = 0;
beforeEach(() => {
  eventbus = new AsyncLocalEventBus();
});

describeRequestReply({
  name: 'the local bus',
  client: async () => {
    const client = new PubSubClient(
      [new LocalPublisher({ eventbus })],
      [new LocalSubscriber({ eventbus })],
    );
    await client.connect();
    return client;
  },
  topic: (name) => `svc/${name}/${topics++}`,
  noResponder: true,
  sharedSubscriptions:
    "the local bus delivers to every subscriber; '$share/<group>/' only changes the matching",
});

describe('request() and headers at the public boundary', () => {
  const local = () =>
    new PubSubClient([new LocalPublisher({ eventbus })], [new LocalSubscriber({ eventbus })]);

  it('refuses a bad timeout, a client without publisher or subscriber, and bad headers', async () => {
    const client = local();
    await client.connect();
    await expect(client.request('a', 'x', { timeout: 0 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(client.request('a', 'x', { headers: { n: 1 as never } })).rejects.toThrow(
      "Expected options.headers['n'] to be a string, got number 1",
    );
    await expect(client.request('a', 'x', { headers: { __type__: 'x' } })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(
      new PubSubClient([], [new LocalSubscriber({ eventbus })]).request('a'),
    ).rejects.toBeInstanceOf(NoTransportError);
    await expect(
      new PubSubClient([new LocalPublisher({ eventbus })], []).request('a'),
    ).rejects.toBeInstanceOf(NoTransportError);
    await client.disconnect();
  });

  it('carries headers of a plain publish to the handler, and requireSubscriber refuses nobody', async () => {
    const publisher = new LocalPublisher({ eventbus });
    const subscriber = new LocalSubscriber({ eventbus });
    await Promise.all([publisher.connect(), subscriber.connect()]);
    const seen: Event[] = [];
    await subscriber.subscribe('traced', (_topic, event) => void seen.push(event));
    await publisher.publish('traced', 'x', { headers: { traceparent: '00-abc-def-01' } });
    expect(seen[0].headers).toEqual({ traceparent: '00-abc-def-01' });
    expect(seen[0].toJSON().headers).toEqual({ traceparent: '00-abc-def-01' });
    await expect(
      publisher.publish('untraced', 'x', { requireSubscriber: true }),
    ).rejects.toBeInstanceOf(NoSubscriberError);
    await expect(publisher.publish('untraced', 'x')).resolves.toBeDefined();
    await Promise.all([publisher.disconnect(), subscriber.disconnect()]);
  });

  it('replies only once when several subscriptions of a client match a request', async () => {
    const [requester, responder] = [local(), local()];
    await Promise.all([requester.connect(), responder.connect()]);
    let handled = 0;
    await responder.subscribe('jobs/+', () => `exact ${++handled}`);
    await responder.subscribe('jobs/#', () => `wildcard ${++handled}`);
    const reply = await requester.request('jobs/1', 'x', { timeout: 1_000 });
    expect(handled).toBe(2);
    expect((reply.payload as StringMessage).value).toMatch(/^(exact|wildcard) 1$/);
    expect(requester.lateReplies).toBe(0);
    await Promise.all([requester.disconnect(), responder.disconnect()]);
  });
});

it('rejects a request still waiting when its client disconnects', async () => {
  const [requester, responder] = [
    new PubSubClient([new LocalPublisher({ eventbus })], [new LocalSubscriber({ eventbus })]),
    new PubSubClient([new LocalPublisher({ eventbus })], [new LocalSubscriber({ eventbus })]),
  ];
  await Promise.all([requester.connect(), responder.connect()]);
  let handled = false;
  await responder.subscribe('quiet', () => void (handled = true));
  const waiting = requester.request('quiet', 'x', { timeout: 60_000 });
  await waitFor(() => handled, 5_000, 'the request handled');
  await requester.disconnect();
  await expect(waiting).rejects.toBeInstanceOf(NotConnectedError);
  await responder.disconnect();
});
