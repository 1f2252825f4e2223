import { PubSubClient } from '../../../lib/core/pubsub-client';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber } from '../../../lib/local/local.subscriber';
import { describeRequestReply } from '../../support/request-reply.cases';

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
