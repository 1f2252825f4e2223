import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalEventBus } from '../../../lib/local/local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber } from '../../../lib/local/local.subscriber';
import type { BuslineClient } from '../../../lib/nest/busline.client';
import { flowTransports } from '../../../lib/nest/flow-page/flow-transports';
import type { BuslineModuleOptions } from '../../../lib/nest/interfaces/busline-module-options.interface';

/** What flowTransports() reads of a client: its connectors and their transport names. */
function client(publishers: [object, string][], subscribers: [object, string][]): BuslineClient {
  const names = new Map<object, string>([...publishers, ...subscribers]);
  return {
    publishers: publishers.map(([p]) => p),
    subscribers: subscribers.map(([s]) => s),
    transportOf: (connector: object) => names.get(connector),
  } as unknown as BuslineClient;
}

describe('flowTransports', () => {
  it('names the bus of each transport: one key per broker address, never its credentials', () => {
    const options: BuslineModuleOptions = {
      mqtt: [
        { name: 'orders', url: 'mqtt://shop:s3cret@broker.example:1883' },
        { name: 'telemetry', hostname: 'metrics.example', port: 1884 },
      ],
    };
    const [orders, telemetry] = flowTransports(
      client(
        [[{}, 'orders']],
        [
          [{}, 'orders'],
          [{}, 'telemetry'],
        ],
      ),
      options,
      'app-1',
    );
    expect(orders).toEqual({
      name: 'orders',
      bus: {
        key: 'mqtt:mqtt://broker.example:1883',
        kind: 'mqtt',
        label: 'MQTT broker mqtt://broker.example:1883',
      },
      publishes: true,
      subscribes: true,
    });
    expect(JSON.stringify(orders)).not.toMatch(/s3cret|shop:/);
    expect(telemetry).toMatchObject({
      bus: { key: 'mqtt:mqtt://metrics.example:1884' },
      publishes: false,
      subscribes: true,
    });
  });

  it('tells the process-wide local bus from a bus of its own, by the EventBus object', () => {
    const own = new AsyncLocalEventBus();
    const shared = new LocalEventBus();
    const [a] = flowTransports(
      client([[new LocalPublisher({ eventbus: shared }), 'local']], []),
      {},
      'app-1',
    );
    const [b] = flowTransports(
      client([], [[new LocalSubscriber({ eventbus: own }), 'local']]),
      {},
      'app-2',
    );
    const [c] = flowTransports(
      client([], [[new LocalSubscriber({ eventbus: own }), 'local']]),
      {},
      'app-3',
    );
    expect(a.bus).toEqual({ key: 'local:process', kind: 'local', label: 'process-wide local bus' });
    expect(b.bus.key).not.toBe(a.bus.key);
    expect(c.bus.key).toBe(b.bus.key); // same object, same bus
  });

  it('keeps a custom transport to its application, as nothing says where its events go', () => {
    const [custom] = flowTransports(client([[{}, 'audit']], []), {}, 'app-9');
    expect(custom.bus).toEqual({
      key: 'custom:app-9:audit',
      kind: 'custom',
      label: "transport 'audit'",
    });
  });
});
