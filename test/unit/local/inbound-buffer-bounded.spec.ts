/*
 * An inboundEvents iterator that is opened and never read keeps at most `inboundBufferSize`
 * events: the dropped ones must be released, not only skipped.
 */
import { InboundStream } from '../../../lib/core/inbound-stream';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber } from '../../../lib/local/local.subscriber';

describe('inbound iterator buffer', () => {
  it('holds at most inboundBufferSize events when nobody reads, and yields the newest', async () => {
    const eventbus = new AsyncLocalEventBus();
    const publisher = new LocalPublisher({ eventbus });
    const errors: Error[] = [];
    const subscriber = new LocalSubscriber({
      eventbus,
      inboundBufferSize: 8,
      onError: (error) => void errors.push(error),
    });
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe('t', () => undefined);
    const iterator = subscriber.inboundEvents[Symbol.asyncIterator]() as InboundStream;
    for (let i = 0; i < 1000; i++) await publisher.publish('t', String(i));

    // What the stream still references: never more than twice the capacity of slots.
    const buffer = (iterator as unknown as { buffer: unknown[] }).buffer;
    expect(buffer.length).toBeLessThanOrEqual(16);
    expect(buffer.filter((entry) => entry !== undefined)).toHaveLength(8);
    expect(errors).toHaveLength(1);

    await subscriber.disconnect();
    const values: string[] = [];
    for await (const [, event] of { [Symbol.asyncIterator]: () => iterator }) {
      values.push(String((event.payload as unknown as { value: string }).value));
    }
    expect(values).toEqual(['992', '993', '994', '995', '996', '997', '998', '999']);
  });
});
