import { InvalidArgumentError } from '../../../lib/core/errors/invalid-argument.error';
import { Event } from '../../../lib/core/event';
import {
  DEFAULT_DEDUPLICATION_WINDOW,
  DeduplicatingEventHandler,
} from '../../../lib/core/handlers/deduplicating-event-handler';
import { eventHandler } from '../../../lib/core/handlers/callback-event-handler';
import { deferred } from '../../support/deferred';

const event = (identifier: string): Event => new Event({ identifier, publisherIdentifier: 'test' });

/** A deduplicating handler over a function that records the identifiers it gets. */
function recording(window?: number): { once: DeduplicatingEventHandler; got: string[] } {
  const got: string[] = [];
  const once = new DeduplicatingEventHandler((_topic, e) => void got.push(e.identifier), {
    window,
  });
  return { once, got };
}

describe('DeduplicatingEventHandler', () => {
  it('runs its handler once per event identifier, however often the event comes', () => {
    const { once, got } = recording();
    for (const id of ['a', 'a', 'b', 'a', 'c', 'b', 'c']) once.handle('t', event(id));
    expect(got).toEqual(['a', 'b', 'c']);
  });

  it('tells events apart by identifier, not by object or topic', () => {
    const { once, got } = recording();
    // Two copies of one event, as two transports deliver them: equal identifiers, other objects.
    once.handle('orders/1', event('x'));
    once.handle('orders/1', event('x'));
    // The identifier is the event's, whatever topic it came on.
    once.handle('orders/2', event('x'));
    once.handle('orders/2', event('y'));
    expect(got).toEqual(['x', 'y']);
  });

  it('remembers the last `window` identifiers only, so memory stays bounded', () => {
    const { once, got } = recording(3);
    for (const id of ['a', 'b', 'c', 'd']) once.handle('t', event(id));
    // 'a' was forgotten when 'd' came (the window holds b, c, d): a late copy runs again.
    once.handle('t', event('d'));
    once.handle('t', event('b'));
    expect(got).toEqual(['a', 'b', 'c', 'd']);
    once.handle('t', event('a'));
    expect(got).toEqual(['a', 'b', 'c', 'd', 'a']);
    // Remembering 'a' again pushed 'b' out, the oldest; 'c', 'd' and 'a' are still known.
    for (const id of ['c', 'd', 'a']) once.handle('t', event(id));
    once.handle('t', event('b'));
    expect(got).toEqual(['a', 'b', 'c', 'd', 'a', 'b']);
  });

  it('goes round its window many times over and still knows the latest identifiers', () => {
    const { once, got } = recording(5);
    for (let i = 0; i < 1_003; i++) {
      once.handle('t', event(`e${i}`));
      once.handle('t', event(`e${i}`));
      if (i >= 4) once.handle('t', event(`e${i - 4}`)); // still inside the window
    }
    expect(got).toHaveLength(1_003);
    once.handle('t', event('e997')); // the sixth newest: forgotten
    expect(got).toHaveLength(1_004);
  });

  it('returns what its handler returns for the first copy, and nothing for a late one', async () => {
    const sync = new DeduplicatingEventHandler(() => 'done');
    expect(sync.handle('t', event('a'))).toBe('done');
    expect(sync.handle('t', event('a'))).toBeUndefined();

    const async = new DeduplicatingEventHandler(async () => 'done');
    await expect(async.handle('t', event('a'))).resolves.toBe('done');
    expect(async.handle('t', event('a'))).toBeUndefined();
  });

  it('makes a copy that comes while the first runs settle when the first does', async () => {
    const gate = deferred<void>();
    const order: string[] = [];
    const once = new DeduplicatingEventHandler(async (_topic, e) => {
      order.push(`start ${e.identifier}`);
      await gate.promise;
      order.push(`end ${e.identifier}`);
    });
    const first = once.handle('t', event('a')) as Promise<void>;
    const copy = once.handle('t', event('a')) as Promise<void>;
    expect(copy).toBeInstanceOf(Promise);
    const copySettled = copy.then(() => order.push('copy settled'));
    // Another event is not held back by the running one.
    const other = once.handle('t', event('b')) as Promise<void>;
    expect(order).toEqual(['start a', 'start b']);
    gate.resolve();
    await Promise.all([first, copySettled, other]);
    expect(order).toEqual(['start a', 'start b', 'end a', 'end b', 'copy settled']);
    // Once the first settled, a later copy has nothing to wait for.
    expect(once.handle('t', event('a'))).toBeUndefined();
  });

  it('leaves a failure to the first copy: the copy resolves, the first rejects', async () => {
    const gate = deferred<void>();
    const failure = new Error('handler failed');
    const once = new DeduplicatingEventHandler(async () => {
      await gate.promise;
      throw failure;
    });
    const first = once.handle('t', event('a')) as Promise<void>;
    const copy = once.handle('t', event('a')) as Promise<void>;
    gate.resolve();
    await expect(first).rejects.toBe(failure);
    await expect(copy).resolves.toBeUndefined();
  });

  it('counts an event whose handler threw as handled: a copy does not run it again', () => {
    let calls = 0;
    const once = new DeduplicatingEventHandler(() => {
      calls++;
      throw new Error('boom');
    });
    expect(() => once.handle('t', event('a'))).toThrow('boom');
    expect(once.handle('t', event('a'))).toBeUndefined();
    expect(calls).toBe(1);
  });

  it('wraps handler objects and functions, and carries the handler name', () => {
    const named = eventHandler(function onOrder() {});
    expect(new DeduplicatingEventHandler(named).name).toBe('onOrder');
    expect(new DeduplicatingEventHandler(named).handler).toBe(named);
    expect(new DeduplicatingEventHandler(function audit() {}).name).toBe('audit');
    expect(() => new DeduplicatingEventHandler(42 as never)).toThrow(InvalidArgumentError);
  });

  it.each([0, -1, 1.5, Infinity, NaN, '10'])('refuses window %p', (window) => {
    expect(() => new DeduplicatingEventHandler(() => {}, { window: window as number })).toThrow(
      new InvalidArgumentError('options.window', 'a whole number of at least 1', window),
    );
  });

  it(`remembers ${DEFAULT_DEDUPLICATION_WINDOW} identifiers by default`, () => {
    const { once, got } = recording();
    expect(once.window).toBe(DEFAULT_DEDUPLICATION_WINDOW);
    for (let i = 0; i < DEFAULT_DEDUPLICATION_WINDOW; i++) once.handle('t', event(`e${i}`));
    once.handle('t', event('e0'));
    expect(got).toHaveLength(DEFAULT_DEDUPLICATION_WINDOW);
    once.handle('t', event('new'));
    once.handle('t', event('e0'));
    expect(got).toHaveLength(DEFAULT_DEDUPLICATION_WINDOW + 2);
  });
});
