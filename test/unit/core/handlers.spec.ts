import { InvalidArgumentError } from '../../../lib/core/errors/invalid-argument.error';
import { Event } from '../../../lib/core/event';
import {
  CallbackEventHandler,
  eventHandler,
} from '../../../lib/core/handlers/callback-event-handler';
import { isEventHandler, toHandler } from '../../../lib/core/handlers/event-handler';
import {
  EventHandler,
  eventHandlerMethods,
} from '../../../lib/core/handlers/event-handler.decorator';
import { MultiEventHandler } from '../../../lib/core/handlers/multi-event-handler';
import { StringMessage } from '../../../lib/core/messages/string.message';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber } from '../../../lib/local/local.subscriber';
import { deferred } from '../../support/deferred';
import { settle, waitFor } from '../../support/wait-for';

const event = (payload: string | null = null): Event =>
  new Event({
    publisherIdentifier: 'pub',
    payload: payload === null ? null : new StringMessage(payload),
  });

describe('CallbackEventHandler', () => {
  it('calls a sync function with the topic and the event, and returns what it returns', () => {
    const calls: [string, Event][] = [];
    const handler = new CallbackEventHandler((topic, e) => {
      calls.push([topic, e]);
      return 'done';
    });
    const e = event('x');
    expect(handler.handle('orders', e)).toBe('done');
    expect(calls).toEqual([['orders', e]]);
    expect(calls[0][1]).toBe(e);
  });

  it('calls the function with `this` undefined, not the wrapper', () => {
    const seen: unknown[] = [];
    const handler = new CallbackEventHandler(function (this: unknown) {
      seen.push(this);
    });
    handler.handle('orders', event('x'));
    expect(seen).toEqual([undefined]);
  });

  it('returns the promise of an async function, settled when the function is done', async () => {
    const gate = deferred();
    let finished = false;
    const handler = new CallbackEventHandler(async () => {
      await gate.promise;
      finished = true;
    });
    const result = handler.handle('t', event());
    expect(result).toBeInstanceOf(Promise);
    await settle();
    expect(finished).toBe(false);
    gate.resolve();
    await result;
    expect(finished).toBe(true);
  });

  it('lets an async failure reject and a sync failure throw', async () => {
    const failing = new CallbackEventHandler(async () => {
      throw new Error('async boom');
    });
    await expect(failing.handle('t', event())).rejects.toThrow('async boom');
    const throwing = new CallbackEventHandler(() => {
      throw new Error('sync boom');
    });
    expect(() => throwing.handle('t', event())).toThrow('sync boom');
  });

  it('is named after its function, or as given, or "anonymous handler"', () => {
    function onOrder(): void {}
    expect(new CallbackEventHandler(onOrder).name).toBe('onOrder');
    expect(new CallbackEventHandler(onOrder, 'Custom.name').name).toBe('Custom.name');
    expect(
      new CallbackEventHandler(
        (
          () => () =>
            undefined
        )(),
      ).name,
    ).toBe('anonymous handler');
  });

  it('refuses something that is not a function, naming the parameter', () => {
    expect(() => new CallbackEventHandler('nope' as never)).toThrow(InvalidArgumentError);
    expect(() => new CallbackEventHandler('nope' as never)).toThrow(/callback/);
  });

  it('eventHandler(fn) wraps a function', async () => {
    // Python: tests/event_handler_tests.py test_event_handler_decorator
    let called = false;
    const handler = eventHandler(async function funcEventHandler() {
      called = true;
    });
    expect(handler).toBeInstanceOf(CallbackEventHandler);
    expect(handler.name).toBe('funcEventHandler');
    await handler.handle('tests', event());
    expect(called).toBe(true);
  });
});

describe('isEventHandler / toHandler', () => {
  it.each<[string, boolean, unknown]>([
    ['an object with handle()', true, { handle: () => undefined }],
    ['a CallbackEventHandler', true, new CallbackEventHandler(() => undefined)],
    ['a function', false, () => undefined],
    ['null', false, null],
    ['an object without handle()', false, { handle: 1 }],
    ['a string', false, 'handle'],
  ])('isEventHandler(%s) -> %s', (_case, expected, value) => {
    expect(isEventHandler(value)).toBe(expected);
  });

  it('wraps functions, passes handler objects through, refuses the rest', () => {
    const object = { handle: () => undefined };
    expect(toHandler(object)).toBe(object);
    expect(toHandler(() => undefined)).toBeInstanceOf(CallbackEventHandler);
    expect(() => toHandler(42 as never, 'defaultHandler')).toThrow(/defaultHandler/);
  });
});

describe('MultiEventHandler', () => {
  it('runs sync and async handlers (strictOrder false)', async () => {
    // Python: tests/event_handler_tests.py test_multi_handler
    let events = 0;
    const handler = new MultiEventHandler(
      [
        new CallbackEventHandler(() => {
          events++;
        }),
        new CallbackEventHandler(async () => {
          events++;
        }),
      ],
      { strictOrder: false },
    );
    await handler.handle('tests', event());
    expect(events).toBe(2);
  });

  it('strictOrder true runs one handler after the other', async () => {
    const log: string[] = [];
    const first = deferred();
    const handler = new MultiEventHandler(
      [
        async () => {
          log.push('first:start');
          await first.promise;
          log.push('first:end');
        },
        () => {
          log.push('second');
        },
      ],
      { strictOrder: true },
    );
    expect(handler.strictOrder).toBe(true);
    const done = handler.handle('t', event());
    await settle();
    expect(log).toEqual(['first:start']);
    first.resolve();
    await done;
    expect(log).toEqual(['first:start', 'first:end', 'second']);
  });

  it('strictOrder false (the default) starts every handler at once', async () => {
    const log: string[] = [];
    const gates = [deferred(), deferred()];
    const handler = new MultiEventHandler(
      gates.map((gate, i) => async () => {
        log.push(`start:${i}`);
        await gate.promise;
        log.push(`end:${i}`);
      }),
    );
    expect(handler.strictOrder).toBe(false);
    const done = handler.handle('t', event());
    await settle();
    expect(log).toEqual(['start:0', 'start:1']);
    gates[1].resolve();
    await waitFor(() => log.includes('end:1'));
    expect(log).not.toContain('end:0');
    gates[0].resolve();
    await done;
    expect(log).toEqual(['start:0', 'start:1', 'end:1', 'end:0']);
  });

  it.each([true, false])(
    'a failing handler does not stop the others, and the failure comes out (strictOrder %s)',
    async (strictOrder) => {
      const ran: string[] = [];
      const handler = new MultiEventHandler(
        [
          () => {
            ran.push('a');
            throw new Error('a failed');
          },
          async () => {
            ran.push('b');
          },
          async () => {
            ran.push('c');
            throw new Error('c failed');
          },
          () => {
            ran.push('d');
          },
        ],
        { strictOrder },
      );
      const failure = await handler.handle('t', event()).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(ran.sort()).toEqual(['a', 'b', 'c', 'd']);
      expect(failure).toBeInstanceOf(AggregateError);
      expect((failure as AggregateError).errors.map((e: Error) => e.message)).toEqual([
        'a failed',
        'c failed',
      ]);
    },
  );

  it('rejects with the one error itself when a single handler fails', async () => {
    const handler = new MultiEventHandler([
      () => undefined,
      async () => {
        throw new Error('only me');
      },
    ]);
    await expect(handler.handle('t', event())).rejects.toThrow('only me');
  });

  it('names itself after its handlers and accepts functions as handlers', () => {
    function one(): void {}
    const handler = new MultiEventHandler([one, new CallbackEventHandler(() => undefined, 'two')]);
    expect(handler.name).toBe('MultiEventHandler(one, two)');
    expect(handler.handlers).toHaveLength(2);
    expect(handler.handlers.every(isEventHandler)).toBe(true);
  });
});

describe('@EventHandler()', () => {
  class Dummy {
    test = false;
    seen: string[] = [];

    constructor(readonly label: string) {}

    @EventHandler()
    async operation1(_topic: string, _event: Event): Promise<void> {
      this.test = true;
    }

    @EventHandler()
    onX(topic: string, e: Event): void {
      this.seen.push(`${this.label}:${topic}:${(e.payload as StringMessage).value}`);
    }

    @EventHandler()
    onFail(): void {
      throw new Error(`failure in ${this.label}`);
    }
  }

  it('makes the method a handler bound to its instance', async () => {
    // Python: tests/event_handler_tests.py test_method_event_handler_decorator
    const dummy = new Dummy('d');
    const handler = dummy.operation1 as unknown as CallbackEventHandler;
    expect(isEventHandler(handler)).toBe(true);
    await handler.handle('tests', event());
    expect(dummy.test).toBe(true);
    dummy.test = false;
    await (dummy.operation1 as unknown as CallbackEventHandler).handle('tests', event());
    expect(dummy.test).toBe(true);
  });

  it('is one handler per instance, made once, and two instances stay separate', () => {
    const a = new Dummy('a');
    const b = new Dummy('b');
    const ha = a.onX as unknown as CallbackEventHandler;
    const hb = b.onX as unknown as CallbackEventHandler;
    expect(a.onX).toBe(ha);
    expect(ha).not.toBe(hb);
    ha.handle('t', event('1'));
    hb.handle('t', event('2'));
    expect(a.seen).toEqual(['a:t:1']);
    expect(b.seen).toEqual(['b:t:2']);
  });

  it('stays callable as a method, bound, and keeps the original as callback', () => {
    const dummy = new Dummy('d');
    dummy.onX('direct', event('3'));
    const { onX } = dummy; // detached from the instance: still bound
    onX('detached', event('4'));
    expect(dummy.seen).toEqual(['d:direct:3', 'd:detached:4']);
    expect((dummy.onX as unknown as { callback: unknown }).callback).toBe(
      Object.getOwnPropertyDescriptor(Dummy.prototype, 'onX')!.get!.call(Dummy.prototype).callback,
    );
  });

  it('is named Class.method and listed by eventHandlerMethods', () => {
    const dummy = new Dummy('d');
    expect((dummy.onX as unknown as CallbackEventHandler).name).toBe('Dummy.onX');
    expect(eventHandlerMethods(Dummy.prototype)).toEqual(['operation1', 'onX', 'onFail']);
  });

  it('subclasses inherit decorated methods without changing the parent list', () => {
    class Child extends Dummy {
      @EventHandler()
      onY(): void {}
    }
    expect(eventHandlerMethods(Child.prototype)).toEqual(['operation1', 'onX', 'onFail', 'onY']);
    expect(eventHandlerMethods(Dummy.prototype)).toEqual(['operation1', 'onX', 'onFail']);
    const child = new Child('c');
    (child.onX as unknown as CallbackEventHandler).handle('t', event('z'));
    expect(child.seen).toEqual(['c:t:z']);
  });

  it('refuses to decorate something that is not a method', () => {
    const decorate = EventHandler();
    expect(() =>
      decorate({}, 'field', { value: 42 } as unknown as TypedPropertyDescriptor<unknown>),
    ).toThrow(/decorates methods; field is not one/);
  });

  it('works as subscriber.subscribe(topic, this.onX) without bind', async () => {
    const eventbus = new AsyncLocalEventBus();
    const errors: Error[] = [];

    class Service {
      readonly received: string[] = [];

      constructor(
        readonly name: string,
        readonly subscriber: LocalSubscriber,
      ) {}

      async start(): Promise<void> {
        await this.subscriber.subscribe('orders', this.onOrder);
        await this.subscriber.subscribe('fails', this.onFail);
      }

      @EventHandler()
      onOrder(topic: string, e: Event): void {
        this.received.push(`${this.name}:${topic}:${(e.payload as StringMessage).value}`);
      }

      @EventHandler()
      onFail(): void {
        throw new Error(`${this.name} failed`);
      }
    }

    const one = new Service(
      'one',
      new LocalSubscriber({ eventbus, onError: (e) => errors.push(e) }),
    );
    const two = new Service(
      'two',
      new LocalSubscriber({ eventbus, onError: (e) => errors.push(e) }),
    );
    const publisher = new LocalPublisher({ eventbus });
    await Promise.all([one.subscriber.connect(), two.subscriber.connect(), publisher.connect()]);
    await one.start();
    await two.start();

    await publisher.publish('orders', 'o-1');
    const failed = await publisher.publish('fails');
    await waitFor(() => errors.length === 2);

    expect(one.received).toEqual(['one:orders:o-1']);
    expect(two.received).toEqual(['two:orders:o-1']);
    expect(errors.map((e) => e.message).sort()).toEqual([
      `Handler Service.onFail failed on topic 'fails' for event ${failed.identifier}: one failed`,
      `Handler Service.onFail failed on topic 'fails' for event ${failed.identifier}: two failed`,
    ]);
  });
});
