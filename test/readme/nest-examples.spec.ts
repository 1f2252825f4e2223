import type * as NestCommon from '@nestjs/common';
import { codeBlocks, read } from './markdown';
import { printed } from './run-example';

/*
 * The examples of docs/nestjs.md and docs/testing.md that export main(), run here with what they
 * print compared; the binding lines Busline logs at startup are compared with the ones
 * docs/nestjs.md shows. The NestJS quick start runs in quick-starts.spec.ts, as a script.
 */

jest.setTimeout(30_000);

/**
 * Run an example's main() in a module registry of its own (the examples register message classes
 * under the same names) and return what it printed, and what Busline logged.
 */
async function runWithLog(file: string): Promise<{ lines: string[]; logged: string[] }> {
  const logged: string[] = [];
  const lines = await printed(file, {
    // The Logger of the example's registry, the one Busline logs through (the examples pass
    // logger: false, which silences the output, not the calls).
    beforeLoad: () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Logger } = require('@nestjs/common') as typeof NestCommon;
      jest.spyOn(Logger.prototype, 'log').mockImplementation(function (
        this: NestCommon.Logger,
        message: unknown,
      ) {
        if ((this as unknown as { context?: string }).context === 'Busline') {
          logged.push(String(message));
        }
      });
    },
  });
  return { lines, logged };
}

async function run(file: string): Promise<string[]> {
  return (await runWithLog(file)).lines;
}

describe('NestJS examples', () => {
  it('module setup: a handler of a feature module gets an event over MQTT', async () => {
    expect(await run('examples/nest/module-setup.ts')).toEqual([
      'transports: mqtt',
      'orders/created: order 42',
    ]);
  });

  it('config: forRootAsync reads the broker and credentials from a config provider', async () => {
    expect(await run('examples/nest/config.ts')).toEqual([
      'connected: mqtt',
      "BuslineConnectionError on transport 'mqtt'",
    ]);
  });

  it('subscribing: default arguments, parameter decorators, named wildcards, controllers', async () => {
    expect(await run('examples/nest/subscribing.ts')).toEqual([
      'onCreated: saved order 42 from orders/created',
      'onStatus: order 42 is paid (topic orders/42/status, same: true)',
      'onClosed: order 43, params {}',
      'onClosed: order 44, params {"rest":"44/refund"}',
      'onShipped: by post',
      'stored: 42',
    ]);
  });

  it('event handler: a hand-made subscription of an @EventHandler() method, and a startup publish', async () => {
    expect(await run('examples/nest/event-handler.ts')).toEqual([
      'audit/app: started\naudit/users/ada: signed in',
    ]);
  });

  it('publishing: through every transport, or some by name, on two brokers and the local bus', async () => {
    const { lines, logged } = await runWithLog('examples/nest/publishing.ts');
    expect(lines).toEqual([
      'local, orders, telemetry',
      [
        'any transport: orders/7/created',
        'local: orders/7/created',
        'orders broker: orders/7/created',
        'telemetry broker: telemetry/checkout = 1',
      ].join('\n'),
    ]);
    // The startup lines docs/nestjs.md shows for this example are the ones logged.
    const shown = codeBlocks(read('docs/nestjs.md')).find(
      (block) =>
        block.marker?.kind === 'log' && block.marker.value === 'examples/nest/publishing.ts',
    );
    expect(shown?.code.split('\n')).toEqual(logged);
  });

  it('validation: invalid messages and payloads of another class never reach the handler', async () => {
    expect(await run('examples/nest/validation.ts')).toEqual([
      'invalid, OrdersService.onShipped not called: expected a OrderShipped instance (the type of the @Payload() parameter), got a OrderCreated instance',
      'created: order 1, 1 line(s)',
      'invalid, OrdersService.onShipped not called: expected a OrderShipped instance (the type of the @Payload() parameter), got a OrderCreated instance',
      'invalid, OrdersService.onCreated not called: lines.0.sku: sku should not be empty; lines.0.quantity: quantity must be a positive number',
      'shipped: order 1',
    ]);
  });

  it('errors and dead letters: retries, onError, a dead letter and its replay', async () => {
    expect(await run('examples/nest/errors-and-dead-letters.ts')).toEqual([
      'charged 30 at attempt 3',
      'onError: HandlerError in Payments.record, attempts: 1',
      'onError: HandlerError in Warehouse.reserve, attempts: 3',
      'dead letter: orders/created, Warehouse.reserve, attempts: 3',
      'reserved order 42',
    ]);
  });

  it('pipeline: a global interceptor, a guard, a pipe and a filter around a handler', async () => {
    expect(await run('examples/nest/pipeline.ts')).toEqual([
      "charge on payments/acme/charge via local: returned 'charged 250 to acme (event Payment)'",
      "charge on payments/acme/charge via local: threw 'gateway down'",
      'queued for later: payments/acme/charge, attempt 1',
      'onError: Payments.charge, ForbiddenException',
      "charge on payments/acme/charge via local: threw 'Validation failed (numeric string is expected)'",
      'onError: Payments.charge, BadRequestException',
      'timed calls: 3',
    ]);
  });

  it('testing: the application on the local transport, drain() and collected errors', async () => {
    expect(await run('examples/nest/testing.ts')).toEqual([
      'order 42 stored: true',
      'errors: MessageValidationError',
    ]);
  });

  it('testing on MQTT: the application on an embedded broker', async () => {
    expect(await run('examples/nest/testing-mqtt.ts')).toEqual(['order 42 stored: true']);
  });
});
