import { Readable } from 'node:stream';
import { Store } from 'mqtt';

type StoreStream = ReturnType<Store['createStream']>;

/**
 * mqtt.js' in-memory store of the QoS 1/2 publishes the broker has not acknowledged, whose replay
 * after a reconnection waits for `gate`. mqtt.js sends those publishes again as soon as it
 * reconnects; a `PubSubClient`'s gate holds them until its subscribers have their subscriptions
 * back, as it holds the publisher's own outbox, so a client never misses its own events.
 */
export class GatedStore extends Store {
  constructor(private readonly gate: () => Promise<unknown>) {
    super();
  }

  override createStream(): StoreStream {
    const stored = super.createStream() as unknown as Readable;
    const gated = new Readable({
      objectMode: true,
      read: () => undefined,
      destroy: (error, callback) => {
        stored.destroy();
        callback(error);
      },
    });
    const replay = (): void => {
      if (gated.destroyed) return;
      stored.on('data', (packet) => gated.push(packet));
      stored.on('end', () => gated.push(null));
    };
    this.gate().then(replay, replay);
    // A Node.js Readable, which is what mqtt.js' readable-stream one mirrors (read, events, destroy).
    return gated as unknown as StoreStream;
  }
}
