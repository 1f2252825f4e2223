import type { Event } from './event';
import { InboundBufferOverflowError } from './errors/inbound-buffer-overflow.error';

/** One `for await` over a subscriber's inbound events: a bounded buffer and at most one waiter. */
export class InboundStream implements AsyncIterableIterator<[topic: string, event: Event]> {
  private readonly buffer: [string, Event][] = [];
  private head = 0;
  private waiter: ((result: IteratorResult<[string, Event]>) => void) | undefined;
  private ended = false;
  private overflowing = false;

  constructor(
    private readonly name: string,
    private readonly capacity: number,
    private readonly detach: (stream: InboundStream) => void,
    private readonly report: (error: InboundBufferOverflowError) => void,
  ) {}

  /** Hand an event to the consumer, or buffer it; past the capacity the oldest is dropped. */
  push(topic: string, event: Event): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter({ value: [topic, event], done: false });
      return;
    }
    if (this.buffer.length - this.head >= this.capacity) {
      // Drop the oldest: release it, and shift the array once a capacity's worth is dropped
      // (amortised O(1)), so a consumer that never reads holds `capacity` events, not all of them.
      (this.buffer as unknown[])[this.head++] = undefined;
      if (this.head >= this.capacity) {
        this.buffer.splice(0, this.head);
        this.head = 0;
      }
      if (!this.overflowing) {
        this.overflowing = true;
        this.report(new InboundBufferOverflowError(this.name, this.capacity));
      }
    }
    this.buffer.push([topic, event]);
  }

  /** No more events will come: the consumer gets what is buffered, then the end. */
  end(): void {
    this.ended = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<[string, Event]>> {
    if (this.head < this.buffer.length) {
      const value = this.buffer[this.head++];
      if (this.head === this.buffer.length) {
        this.buffer.length = 0;
        this.head = 0;
        this.overflowing = false;
      } else if (this.head >= 1024 && this.head * 2 >= this.buffer.length) {
        this.buffer.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /** Called by `break` in a `for await`: stop buffering for this consumer. */
  return(): Promise<IteratorResult<[string, Event]>> {
    this.detach(this);
    this.buffer.length = 0;
    this.head = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
