import { printed } from './run-example';

/*
 * The examples of docs/raw-payloads-and-envelopes.md, run here with what they print compared.
 * Each starts its own embedded broker.
 */

jest.setTimeout(30_000);

/*
 * In the spec's module registry: the examples check errors with instanceof, and the transports
 * load lazily (after an isolateModules() callback would have returned).
 */
const run = (file: string) => printed(file);

describe('raw payloads and other envelopes', () => {
  it('raw payloads: plain JSON, text and bytes in; a raw publish out', async () => {
    expect(await run('examples/envelopes/raw-payloads.ts')).toEqual([
      'frame: cafe',
      'label: Küche',
      'sensors/kitchen/temperature: 21.5 °C (generated identifier: true)',
      'skipped: InboundDecodeError',
      'lamp got on lamps/hall/set: on',
      'lamp got on lamps/hall/set: {"level": 80}',
    ]);
  });

  it("NestJS: a sensor's plain JSON as a validated Reading, the room from the topic", async () => {
    expect(await run('examples/envelopes/nest-sensors.ts')).toEqual([
      'kitchen: 21.5 °C',
      'cellar: 12 °C',
      'not JSON: skipped',
      'invalid: celsius: celsius must not be greater than 60',
    ]);
  });

  it('@nestjs/microservices and Busline exchange events both ways', async () => {
    expect(await run('examples/envelopes/nest-microservices.ts')).toEqual([
      'ledger: F-17 paid 120',
      'legacy: reminder for F-18',
    ]);
  });

  it('CloudEvents: structured out, told apart by itself in', async () => {
    expect(await run('examples/envelopes/cloudevents.ts')).toEqual([
      '{"specversion": "1.0", "id": "evt-1", "source": "urn:shop:checkout", "type": "com.example.orders.OrderPlaced", "time": "2026-01-02T03:04:05.000Z", "datacontenttype": "application/json", "data": {"orderId": "o-1", "total": 99}}',
      'evt-2 from urn:erp: o-2',
    ]);
  });
});
