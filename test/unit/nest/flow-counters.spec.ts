import { Event } from '../../../lib/core/event';
import {
  counted,
  countedHandle,
  FlowCounter,
  RATE_WINDOW_SECONDS,
  RateWindow,
} from '../../../lib/nest/flow-page/flow-counters';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('RateWindow', () => {
  it('averages the events of the last seconds, including the part of the current one', () => {
    const window = new RateWindow();
    const start = 10_000_000;
    for (let i = 0; i < 10; i++) window.add(start);
    // 10 events in the first second of the window: 10 / (4 full seconds + 0.5 s) at 0.5 s.
    expect(window.rate(start + 500)).toBeCloseTo(10 / (RATE_WINDOW_SECONDS - 0.5));
    // Steady 4 events per second over the whole window reads 4/s.
    const steady = new RateWindow();
    for (let s = 0; s < RATE_WINDOW_SECONDS; s++) {
      for (let i = 0; i < 4; i++) steady.add(start + s * 1000);
    }
    expect(steady.rate(start + RATE_WINDOW_SECONDS * 1000 - 1)).toBeCloseTo(4, 1);
  });

  it('forgets events older than the window', () => {
    const window = new RateWindow();
    window.add(5_000_000);
    expect(window.rate(5_000_000 + 1_000)).toBeGreaterThan(0);
    expect(window.rate(5_000_000 + RATE_WINDOW_SECONDS * 1000)).toBe(0);
    // A long silence clears every bucket, not only the ones it passes once.
    window.add(5_000_000 + 60_000);
    expect(window.rate(5_000_000 + 60_000 + 999)).toBeCloseTo(1 / (RATE_WINDOW_SECONDS - 0.001), 2);
  });
});

describe('FlowCounter and counted()', () => {
  it('counts a sync call as started and settled at once', () => {
    const clock = manualClock();
    const counter = new FlowCounter(clock.now);
    expect(counted(counter, () => 42)).toBe(42);
    expect(counter.snapshot()).toMatchObject({ events: 1, errors: 0, backlog: 0 });
  });

  it('keeps an async call in the backlog until it settles, and counts a rejection as an error', async () => {
    const counter = new FlowCounter(manualClock().now);
    let finish!: () => void;
    const running = counted(counter, () => new Promise<void>((resolve) => (finish = resolve)));
    expect(counter.snapshot()).toMatchObject({ events: 1, backlog: 1 });
    finish();
    await running;
    expect(counter.snapshot()).toMatchObject({ events: 1, backlog: 0, errors: 0 });

    const failing = counted(counter, () => Promise.reject(new Error('no')));
    await expect(failing).rejects.toThrow('no');
    expect(counter.snapshot()).toMatchObject({ events: 2, backlog: 0, errors: 1 });
  });

  it('passes a thrown error on, counted as an error', () => {
    const counter = new FlowCounter(manualClock().now);
    const boom = (): never => {
      throw new Error('boom');
    };
    expect(() => counted(counter, boom)).toThrow('boom');
    expect(counter.snapshot()).toMatchObject({ events: 1, errors: 1, backlog: 0 });
  });

  it('counts a handler call the same way, its result passed on', async () => {
    const counter = new FlowCounter(manualClock().now);
    const handler = { handle: (topic: string) => Promise.resolve(`reply to ${topic}`) };
    const event = new Event({ publisherIdentifier: 'test' });
    await expect(countedHandle(counter, handler, 'orders', event)).resolves.toBe('reply to orders');
    expect(counter.snapshot()).toMatchObject({ events: 1, errors: 0, backlog: 0 });
  });

  it('adds the events waiting in front of the counted code to the backlog', () => {
    const counter = new FlowCounter(manualClock().now);
    expect(counter.snapshot(7).backlog).toBe(7);
  });

  it('reports the rate of the clock it is given', () => {
    const clock = manualClock(20_000_000);
    const counter = new FlowCounter(clock.now);
    for (let i = 0; i < 5; i++) counted(counter, () => undefined);
    clock.advance(RATE_WINDOW_SECONDS * 1000);
    expect(counter.snapshot().rate).toBe(0);
    expect(counter.snapshot().events).toBe(5);
  });
});
