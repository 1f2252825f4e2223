/*
 * Publishing registers the payload's class, as in Python, on every transport: a process that
 * publishes a class on the local bus can also decode it when it arrives over a broker.
 */
import { EventRegistry } from '../../../lib/core/event.registry';

import { Message } from '../../../lib/core/message.decorator';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber } from '../../../lib/local/local.subscriber';
import { waitFor } from '../../support/wait-for';
import { messageClass } from '../../support/message-class';

const registry = new EventRegistry();

describe('LocalPublisher registers the classes it publishes', () => {
  let publisher: LocalPublisher;

  beforeEach(async () => {
    publisher = new LocalPublisher({ eventbus: new AsyncLocalEventBus() });
    await publisher.connect();
  });

  afterEach(() => publisher.disconnect());

  it('registers a class under its class name the first time it is published', async () => {
    const Fresh = messageClass('LocalFreshMessage');
    const subscriber = new LocalSubscriber({ eventbus: publisher.eventbus });
    await subscriber.connect();
    const received: unknown[] = [];
    await subscriber.subscribe('local/registers', (_topic, event) => {
      received.push(event.payload);
    });
    expect(registry.associations.has('LocalFreshMessage')).toBe(false);
    const payload = new Fresh();
    await publisher.publish('local/registers', payload);
    expect(registry.retrieveClass('LocalFreshMessage')).toBe(Fresh);
    // Registering serializes nothing: the subscriber still gets the very object.
    await waitFor(() => received.length === 1, 5_000, 'the event reaches the subscriber');
    expect(received[0]).toBe(payload);
    await subscriber.disconnect();
  });

  it('registers every class published in turn, and keeps a name given by @Message', async () => {
    const A = messageClass('LocalTurnA');
    const B = messageClass('LocalTurnB');
    Message('local.turn.b')(B);
    await publisher.publish('local/turns', new A());
    await publisher.publish('local/turns', new B());
    await publisher.publish('local/turns', new A());
    expect(registry.retrieveClass('LocalTurnA')).toBe(A);
    expect(registry.retrieveClass('local.turn.b')).toBe(B);
    expect(registry.associations.has('LocalTurnB')).toBe(false);
  });

  it('registers a class again after it was removed from the registry', async () => {
    const Again = messageClass('LocalAgainMessage');
    await publisher.publish('local/again', new Again());
    expect(registry.remove({ messageClass: Again })).toBe(true);
    expect(registry.associations.has('LocalAgainMessage')).toBe(false);
    await publisher.publish('local/again', new Again());
    expect(registry.retrieveClass('LocalAgainMessage')).toBe(Again);
  });
});
