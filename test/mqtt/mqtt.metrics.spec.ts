/*
 * The metrics a client observes over MQTT: while the broker is away, the publisher's offline queue
 * shows in `busline.publisher.offline_queue` and the lost connection in
 * `busline.connection.changes`; once it is back the queue drains to zero. A broker of this file's
 * own (embedded), since the test stops it.
 */
import { PubSubClient } from '../../lib/core/pubsub-client';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../lib/mqtt/embedded-broker';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { uniquePrefix } from '../support/mqtt/topics';
import { installMetrics, sumOf, type InstalledMetrics } from '../support/otel/otel-sdk';
import { waitFor } from '../support/wait-for';

jest.setTimeout(30_000);

describe('MQTT client metrics', () => {
  let broker: EmbeddedBroker;
  let installed: InstalledMetrics;
  let client: PubSubClient | undefined;

  beforeEach(async () => {
    broker = await startEmbeddedBroker();
    installed = installMetrics();
  });

  afterEach(async () => {
    await client?.disconnect();
    client = undefined;
    await broker.close();
    await installed.uninstall();
  });

  it('observes the offline queue while the broker is away, and the connection changes', async () => {
    const publisher = new MqttPublisher({
      url: broker.url,
      otherClientParameters: { reconnectPeriod: 50 },
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    });
    client = new PubSubClient([publisher]);
    await client.connect();
    const queue = async (): Promise<number> =>
      sumOf((await installed.collect()).get('busline.publisher.offline_queue'), {
        'messaging.system': 'mqtt',
        'messaging.client.id': client!.identifier,
      });
    expect(await queue()).toBe(0);

    await broker.stop();
    await waitFor(() => publisher.status === 'reconnecting', 10_000, 'the publisher reconnecting');
    const topic = `${uniquePrefix('metrics')}/queued`;
    const sent = [1, 2, 3].map((n) => client!.publish(topic, n, { qos: 1 }));
    expect(await queue()).toBe(3);

    await broker.start();
    await Promise.all(sent);
    expect(await queue()).toBe(0);
    const changes = (await installed.collect()).get('busline.connection.changes');
    expect(sumOf(changes, { 'busline.connection.status': 'reconnecting' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(sumOf(changes, { 'busline.connection.status': 'connected' })).toBeGreaterThanOrEqual(2);
  });
});
