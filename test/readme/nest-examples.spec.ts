import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { render, MARKER } = require('../../scripts/readme-examples.js') as {
  render: (readme: string) => string;
  MARKER: RegExp;
};

jest.setTimeout(30_000);

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
// The NestJS section: from its heading to the next second-level heading.
const section = readme.slice(
  readme.indexOf('\n## NestJS\n'),
  readme.indexOf('\n## ', readme.indexOf('\n## NestJS\n') + 1),
);

/** Run an example's main() and return what it printed. */
async function run(file: string): Promise<string[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  try {
    // A module registry of its own: the examples register message classes under the same names.
    let example!: { main: () => Promise<void> };
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      example = require(join(root, file)) as typeof example;
    });
    await example.main();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe('NestJS README section examples', () => {
  it("stand in the README's NestJS section exactly as in examples/nest/", () => {
    expect(render(section)).toBe(section);
  });

  it('are every example of examples/nest/, and every ts block of the section is one', () => {
    const listed = [...section.matchAll(MARKER)].map((m) => m[1]);
    const files = readdirSync(join(root, 'examples', 'nest'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `examples/nest/${f}`);
    expect([...listed].sort()).toEqual(files.sort());
    expect(section.match(/```ts\n/g)).toHaveLength(listed.length);
  });

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
    expect(await run('examples/nest/publishing.ts')).toEqual([
      'local, orders, telemetry',
      'local: orders/7/created\norders broker: orders/7/created\ntelemetry broker: telemetry/checkout = 1',
    ]);
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
