import { opensslAvailable } from '../../examples/mqtt/support/certificates';
import { EventBusConnector } from '../../lib/core/connector';
import type * as EmbeddedBrokerModule from '../../lib/mqtt/embedded-broker';
import type { EmbeddedBroker } from '../../lib/mqtt/embedded-broker';
import { runExample } from './run-example';

/*
 * The examples of docs/mqtt.md and docs/testing.md that export main(), run here on an embedded
 * broker, or on BUSLINE_MQTT_URL when it is set (Mosquitto), where they also show the MQTT 5
 * parts. The MQTT quick start runs in quick-starts.spec.ts, as a script.
 */

jest.setTimeout(15_000);

/*
 * What the examples start, so that a failing one (an event that never comes: main() never ends)
 * leaves no broker or client behind to keep Jest from exiting. Closed again after each test;
 * both are idempotent.
 */
const brokers: EmbeddedBroker[] = [];
const connectors = new Set<EventBusConnector>();
jest.mock('../../lib/mqtt/embedded-broker', () => {
  const actual = jest.requireActual<typeof EmbeddedBrokerModule>('../../lib/mqtt/embedded-broker');
  return {
    ...actual,
    startEmbeddedBroker: async (...args: Parameters<typeof actual.startEmbeddedBroker>) => {
      const broker = await actual.startEmbeddedBroker(...args);
      brokers.push(broker);
      return broker;
    },
  };
});
const connect = EventBusConnector.prototype.connect;
jest.spyOn(EventBusConnector.prototype, 'connect').mockImplementation(function (
  this: EventBusConnector,
) {
  connectors.add(this);
  return connect.call(this);
});
afterEach(async () => {
  await Promise.all([...connectors].map((connector) => connector.disconnect()));
  await Promise.all(brokers.map((broker) => broker.close()));
  connectors.clear();
  brokers.length = 0;
});

const EXTERNAL = Boolean(process.env.BUSLINE_MQTT_URL);
/** An external broker without MQTT 5 (BUSLINE_MQTT_V5=0) cannot run the MQTT 5 examples. */
const MQTT5_MISSING = EXTERNAL && process.env.BUSLINE_MQTT_V5 === '0';

/** `it`, or a skipped `it` saying why. */
function itUnless(skip: boolean, reason: string): jest.It {
  if (!skip) return it;
  return ((name: string, fn?: jest.ProvidesCallback) =>
    it.skip(`${name} [skipped: ${reason}]`, fn)) as unknown as jest.It;
}

/**
 * Run an example's main() and return what it printed with console.log (console.warn, where
 * Busline reports lost connections, is kept apart). Fails after 10 s rather than hanging.
 */
const run = (file: string) => runExample(file, { captureWarnings: true, timeoutMs: 10_000 });

describe('MQTT examples', () => {
  itUnless(MQTT5_MISSING, 'the broker at BUSLINE_MQTT_URL has no MQTT 5 (BUSLINE_MQTT_V5=0)')(
    `QoS, retain${EXTERNAL ? ' and MQTT 5 properties' : ' (MQTT 3.1.1: no properties)'}`,
    async () => {
      const { lines } = await run('examples/mqtt/qos-and-properties.ts');
      expect(lines).toEqual([
        `retained: true, site: ${EXTERNAL ? 'lab' : '(no MQTT 5 properties)'}`,
        'sensors/7/temp -> 21.5',
      ]);
    },
  );

  itUnless(MQTT5_MISSING, 'the broker at BUSLINE_MQTT_URL has no MQTT 5 (BUSLINE_MQTT_V5=0)')(
    `wildcards${EXTERNAL ? ' and a shared subscription' : ' (embedded broker: no shared subscriptions)'}`,
    async () => {
      const { lines } = await run('examples/mqtt/shared-subscriptions.ts');
      const wildcards = ['created: orders/42/created', 'stock: stock', 'stock: stock/lamps/low'];
      const shared = [
        'billing-1 charged orders/1/created',
        'billing-1 charged orders/3/created',
        'billing-2 charged orders/2/created',
        'billing-2 charged orders/4/created',
      ];
      expect(lines).toEqual(EXTERNAL ? [...wildcards, shared.join('\n')] : wildcards);
    },
  );

  itUnless(!opensslAvailable(), 'the openssl CLI is not installed to make the certificates')(
    'TLS with client certificates, user name and password; a wrong password refused',
    async () => {
      const { lines } = await run('examples/mqtt/tls-and-auth.ts');
      expect(lines).toEqual([
        'hello over TLS',
        'refused, reason code 4: The broker refused the credentials: check username and password in otherClientParameters',
        'password in the message: false',
      ]);
    },
  );

  it('status: reconnecting, a publish waiting for the broker, then sent', async () => {
    const { lines, warnings } = await run('examples/mqtt/status.ts');
    expect(lines).toEqual([
      'publisher: connecting',
      'publisher: connected',
      'publisher: reconnecting',
      'status: reconnecting, waiting: 1',
      'publisher: connected',
      'published after reconnecting, status: connected',
      'subscriber got: disk almost full, session resumed: true',
      'publisher: disconnected',
    ]);
    expect(warnings).toContainEqual(expect.stringMatching(/^broker lost: /));
    expect(warnings).toContainEqual(expect.stringMatching(/lost the connection .*; reconnecting/));
  });

  it('embedded broker: a retained message kept across stop() and start()', async () => {
    const { lines } = await run('examples/mqtt/embedded-broker.ts');
    expect(lines).toEqual(['running: false', 'running: true', 'retained across the restart: dark']);
  });
});
