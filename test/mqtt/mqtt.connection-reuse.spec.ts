import type { BuslineLogger } from '../../lib/core/logger';
import { MqttConnection, type MqttStatusChange } from '../../lib/mqtt/mqtt.connection';
import { startRestartableBroker, type RestartableBroker } from '../support/mqtt/restartable-broker';
import { waitFor } from '../support/wait-for';

/*
 * An MQTT connection closed and opened again starts afresh: what went wrong before the close
 * (failed reconnection attempts) is not told as the cause of a later loss.
 */

jest.setTimeout(30_000);

let broker: RestartableBroker;
beforeAll(async () => {
  broker = await startRestartableBroker();
});
afterAll(() => broker.close());

it('does not blame a later lost connection on an error from before close()', async () => {
  const debug: string[] = [];
  const warnings: string[] = [];
  const logger: BuslineLogger = {
    log: () => undefined,
    warn: (message) => void warnings.push(message),
    error: () => undefined,
    debug: (message) => void debug.push(message),
  };
  const connection = new MqttConnection(
    'test',
    { url: broker.url, otherClientParameters: { reconnectPeriod: 50 } },
    logger,
  );
  try {
    await connection.open('busline-reuse-1');
    await broker.stop();
    // A reconnection attempt failed (the broker is down): the connection knows its error.
    await waitFor(() => debug.some((m) => m.includes('reconnection failed')), 10_000, 'a failure');
    await connection.close(true);

    await broker.start();
    await connection.open('busline-reuse-2');
    const changes: MqttStatusChange[] = [];
    connection.onStatus((change) => void changes.push(change));
    warnings.length = 0;
    const failure = debug.find((m) => m.includes('reconnection failed'))!;
    await broker.stop();
    await waitFor(() => changes.some((c) => c.status === 'reconnecting'), 10_000, 'the loss');

    const lost = changes.find((c) => c.status === 'reconnecting')!;
    const before = failure.slice(failure.lastIndexOf(': ') + 2);
    expect(lost.cause?.message ?? '(no cause)').not.toBe(before);
    expect(warnings[0]).toMatch(/lost the connection/);
    expect(warnings[0]).not.toContain(before);
  } finally {
    await connection.close(true);
    await broker.start();
  }
});
