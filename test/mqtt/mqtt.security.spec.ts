import type { StringMessage } from '../../lib/core/messages/string.message';
import {
  startEmbeddedBroker,
  type EmbeddedBroker,
  type EmbeddedBrokerCredentials,
} from '../../lib/mqtt/embedded-broker';
import { MqttConnectionError } from '../../lib/mqtt/errors/mqtt-connection.error';
import type { MqttClientOptions } from '../../lib/mqtt/mqtt.options';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { Cleanup } from '../support/mqtt/cleanup';
import { itIf } from '../support/mqtt/test-broker';
import { generateTestPki, opensslAvailable, type TestPki } from '../support/mqtt/tls-certs';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil } from '../support/mqtt/wait';

/*
 * TLS (server certificate checked against a CA, client certificates passed through) and
 * username/password, against embedded brokers configured for them. The certificates are made by
 * the openssl CLI in a temporary directory for this run and deleted at once.
 */

jest.setTimeout(30_000);

const OPENSSL = opensslAvailable();
const NO_OPENSSL = 'the openssl CLI is not installed, so no test certificate can be generated';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Connect a publisher and a subscriber with `options` and check one event goes through. */
async function roundTrip(options: MqttClientOptions): Promise<void> {
  const topic = `${uniquePrefix('secure')}/hello`;
  const received: string[] = [];
  const subscriber = cleanup.connector(new MqttSubscriber(options));
  const publisher = cleanup.connector(new MqttPublisher(options));
  await subscriber.subscribe(topic, (_t, event) =>
    received.push((event.payload as StringMessage).value),
  );
  await Promise.all([subscriber.connect(), publisher.connect()]);
  await publisher.publish(topic, 'over the secure link', { qos: 1 });
  await waitUntil(() => received.length === 1, { what: 'the event' });
  expect(received).toEqual(['over the secure link']);
}

async function expectRefused(options: MqttClientOptions): Promise<MqttConnectionError> {
  const publisher = new MqttPublisher(options);
  const error = await publisher.connect().then(
    () => publisher.disconnect().then(() => new Error('connected; expected a refusal')),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MqttConnectionError);
  return error as MqttConnectionError;
}

describe('TLS (mqtts://)', () => {
  let pki: TestPki;
  let tlsBroker: EmbeddedBroker;
  let mutualBroker: EmbeddedBroker;

  beforeAll(async () => {
    if (!OPENSSL) return;
    pki = generateTestPki();
    tlsBroker = await startEmbeddedBroker({ tls: { key: pki.serverKey, cert: pki.serverCert } });
    mutualBroker = await startEmbeddedBroker({
      tls: {
        key: pki.serverKey,
        cert: pki.serverCert,
        ca: pki.ca,
        requestCert: true,
        rejectUnauthorized: true,
      },
    });
  });
  afterAll(async () => {
    await tlsBroker?.close();
    await mutualBroker?.close();
  });

  itIf(OPENSSL, NO_OPENSSL)('works with the CA that signed the broker certificate', async () => {
    expect(tlsBroker.url).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    await roundTrip({ url: tlsBroker.url, otherClientParameters: { ca: pki.ca } });
    // hostname/port with protocol mqtts and the host name the certificate names.
    await roundTrip({
      hostname: 'localhost',
      port: tlsBroker.port,
      otherClientParameters: { protocol: 'mqtts', ca: pki.ca },
    });
  });

  itIf(OPENSSL, NO_OPENSSL)('refuses a broker certificate it cannot verify', async () => {
    const noCa = await expectRefused({ url: tlsBroker.url });
    expect(noCa.message).toMatch(/TLS handshake failed: check ca, cert, key and servername/);
    const otherCa = await expectRefused({
      url: tlsBroker.url,
      otherClientParameters: { ca: pki.otherCa },
    });
    expect(otherCa.code).toBeDefined();
  });

  itIf(OPENSSL, NO_OPENSSL)('passes client certificates through (mutual TLS)', async () => {
    await roundTrip({
      url: mutualBroker.url,
      otherClientParameters: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey },
    });
    // Without a client certificate the broker refuses the handshake.
    await expectRefused({
      url: mutualBroker.url,
      otherClientParameters: { ca: pki.ca, connectTimeout: 3_000 },
    });
  });
});

describe('username and password', () => {
  const seen: EmbeddedBrokerCredentials[] = [];
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    broker = await startEmbeddedBroker({
      authenticate: (credentials) => {
        seen.push(credentials);
        return credentials.username === 'svc-orders' && credentials.password === 'c0rrect h0rse';
      },
    });
  });
  afterAll(() => broker.close());

  it('authenticates with otherClientParameters and with credentials in the URL', async () => {
    await roundTrip({
      url: broker.url,
      otherClientParameters: { username: 'svc-orders', password: 'c0rrect h0rse' },
    });
    await roundTrip({
      url: `mqtt://svc-orders:${encodeURIComponent('c0rrect h0rse')}@127.0.0.1:${broker.port}`,
    });
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen.every((c) => c.username === 'svc-orders' && c.password === 'c0rrect h0rse')).toBe(
      true,
    );
    // The client id is the connector's identifier.
    expect(seen.every((c) => /^[0-9a-f-]{36}$/.test(c.clientId))).toBe(true);
  });

  it('is refused without credentials or with wrong ones', async () => {
    expect((await expectRefused({ url: broker.url })).reasonCode).toBe(4);
    const wrong = await expectRefused({
      url: broker.url,
      otherClientParameters: { username: 'svc-orders', password: 'Tr0ub4dor&3' },
    });
    expect(wrong.reasonCode).toBe(4);
    expect(wrong.message).not.toContain('Tr0ub4dor&3');
  });
});
