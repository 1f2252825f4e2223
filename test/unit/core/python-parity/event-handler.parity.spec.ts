/*
 * TypeScript counterparts of py-busline's broker-less handler tests:
 * - tests/event_handler_tests.py
 * - busline/client/subscriber/event_handler/event_handler_tests.py (and its older copy
 *   busline/client/subscriber/topic_subscriber/event_handler/test.py)
 *
 * Python's `@event_handler` decorates both functions and methods. Here `eventHandler(fn)` wraps a
 * function and `@EventHandler()` decorates a method (DESIGN.md, "Handlers").
 */
import { Event } from '../../../../lib/core/event';
import {
  CallbackEventHandler,
  eventHandler,
} from '../../../../lib/core/handlers/callback-event-handler';
import { EventHandler } from '../../../../lib/core/handlers/event-handler.decorator';
import { MultiEventHandler } from '../../../../lib/core/handlers/multi-event-handler';

const pythonEvent = (): Event =>
  new Event({
    identifier: 'id',
    publisherIdentifier: 'pub-id',
    timestamp: new Date(),
    payload: null,
  });

describe('py-busline tests/event_handler_tests.py', () => {
  it('test_event_handler_decorator', async () => {
    let test = false;
    const funcEventHandler = eventHandler(async (_topic: string, _event: Event) => {
      test = true;
    });
    await funcEventHandler.handle('tests', pythonEvent());
    expect(test).toBe(true);
  });

  it('test_multi_handler', async () => {
    let nEvents = 0;
    const syncHandlerCallback = (_topic: string, _event: Event): void => {
      nEvents += 1;
    };
    const asyncHandlerCallback = async (_topic: string, _event: Event): Promise<void> => {
      nEvents += 1;
    };
    const handler = new MultiEventHandler(
      [
        new CallbackEventHandler(syncHandlerCallback),
        new CallbackEventHandler(asyncHandlerCallback),
      ],
      { strictOrder: false },
    );
    await handler.handle('tests', pythonEvent());
    expect(nEvents).toBe(2);
  });

  it('test_method_event_handler_decorator', async () => {
    class Dummy {
      test = false;

      @EventHandler()
      async operation1(_topic: string, _event: Event): Promise<void> {
        this.test = true;
      }
    }
    const dummy = new Dummy();

    const handler = dummy.operation1 as unknown as CallbackEventHandler;
    await handler.handle('tests', pythonEvent());
    expect(dummy.test).toBe(true);

    dummy.test = false;
    await (dummy.operation1 as unknown as CallbackEventHandler).handle('tests', pythonEvent());
    expect(dummy.test).toBe(true);
  });
});

describe('py-busline busline/client/subscriber/event_handler/event_handler_tests.py', () => {
  // `schemafull_event_handler` / `input_schema()` have no counterpart: they are not part of the
  // Python README nor of DESIGN.md. The rest of each test is ported as it is.

  it('test_event_handler_decorator (event_handler part)', async () => {
    let test = false;
    const funcEventHandler = eventHandler(async () => {
      test = true;
    });
    await funcEventHandler.handle('tests', new Event({ publisherIdentifier: 'p' }));
    expect(test).toBe(true);
  });

  it('test_method_event_handler_decorator (event_handler part)', async () => {
    class Dummy {
      test = false;

      @EventHandler()
      async operation1(): Promise<void> {
        this.test = true;
      }
    }
    const dummy = new Dummy();
    const handler = dummy.operation1 as unknown as CallbackEventHandler;
    await handler.handle('tests', new Event({ publisherIdentifier: 'p' }));
    expect(dummy.test).toBe(true);

    dummy.test = false;
    await (dummy.operation1 as unknown as CallbackEventHandler).handle(
      'tests',
      new Event({ publisherIdentifier: 'p' }),
    );
    expect(dummy.test).toBe(true);
  });
});
