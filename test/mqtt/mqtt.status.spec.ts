import { PubSubClient } from '../../lib/core/pubsub-client';
import type { ConnectorStatusChange } from '../../lib/core/client-status';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { Cleanup } from '../support/mqtt/cleanup';
import { MosquittoProcess, mosquittoAvailable } from '../support/mqtt/mosquitto-process';
import { startRestartableBroker, type RestartableBroker } from '../support/mqtt/restartable-broker';
import { BROKER_KIND } from '../support/mqtt/test-broker';
import { waitUntil } from '../support/mqtt/wait';

/*
 * What a client says about its connection while the broker goes away and comes back: the status
 * of each publisher and subscriber, the client's stream of changes, and a log that tells of the
 * outage without a line per reconnection attempt.
 */

jest.setTimeout(60_000);

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** A logger that keeps every line, by level. */
function recordingLogger() {
  const lines: string[] = [];
  return {
    lines,
    log: (m: string) => lines.push(`log ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`),
    error: (m: string) => lines.push(`error ${m}`),
    debug: (m: string) => lines.push(`debug ${m}`),
  };
}

function client(url: string, logger: ReturnType<typeof recordingLogger>, extra = {}) {
  const otherClientParameters = { reconnectPeriod: 20, connectTimeout: 2_000, ...extra };
  const publisher = new MqttPublisher({ url, logger, otherClientParameters });
  const subscriber = new MqttSubscriber({ url, logger, otherClientParameters });
  return cleanup.connector(new PubSubClient([publisher], [subscriber]));
}

describe('connection status through a broker outage', () => {
  let broker: RestartableBroker;
  beforeEach(async () => {
    broker = cleanup.add(await startRestartableBroker(), (b) => b.close());
  });

  it('goes reconnecting when the broker stops and connected when it is back; the log tells of the outage once, not per attempt', async () => {
    const logger = recordingLogger();
    const bus = client(broker.url, logger);
    const changes: ConnectorStatusChange[] = [];
    bus.onStatus((change) => changes.push(change));
    await bus.connect();
    expect(bus.statuses().map((s) => s.status)).toEqual(['connected', 'connected']);

    const publisher = bus.publishers[0] as MqttPublisher;
    let attempts = 0;
    publisher.mqttClient!.on('reconnect', () => attempts++);
    const stoppedAt = Date.now();
    await broker.stop();
    // Every 20 ms mqtt.js tries again: let it fail many times.
    await waitUntil(() => attempts >= 25, { what: '25 reconnection attempts' });

    const down = bus.statuses();
    expect(down.map((s) => s.status)).toEqual(['reconnecting', 'reconnecting']);
    expect(down[0].since.getTime()).toBeGreaterThanOrEqual(stoppedAt - 1);
    const failures = logger.lines.filter(
      (l) => /reconnect/.test(l) && !/lost the connection/.test(l),
    );
    // One line per connector (publisher, subscriber): the first failure, none per retry.
    expect(failures).toHaveLength(2);
    expect(failures.every((l) => l.startsWith('debug ') && l.includes('reconnection failed'))).toBe(
      true,
    );

    await broker.start();
    await waitUntil(() => bus.statuses().every((s) => s.status === 'connected'), {
      what: 'both connected again',
    });
    expect(
      logger.lines.filter((l) => /reconnected to .*\(\d+ attempts had failed\)/.test(l)),
    ).toHaveLength(2);
    expect(changes.map((c) => `${c.role} ${c.status}`)).toEqual(
      expect.arrayContaining([
        'publisher reconnecting',
        'subscriber reconnecting',
        'publisher connected',
        'subscriber connected',
      ]),
    );
  });
});

const frozenTitle =
  BROKER_KIND === 'external' && mosquittoAvailable()
    ? 'a frozen broker (no reset, no answer) shows as reconnecting within 1.5 keepalive intervals'
    : 'SKIPPED: freezing a broker needs a private Mosquitto (set BUSLINE_MQTT_URL and install mosquitto)';
const itFrozen = BROKER_KIND === 'external' && mosquittoAvailable() ? it : it.skip;

itFrozen(frozenTitle, async () => {
  const mosquitto = cleanup.add(await MosquittoProcess.start(), (m) => {
    m.thaw();
    return m.close();
  });
  const keepalive = 2; // seconds
  const bus = client(mosquitto.url, recordingLogger(), { keepalive, reconnectPeriod: 200 });
  await bus.connect();
  mosquitto.freeze();
  // mqtt.js pings after one interval of silence and gives up half an interval later; the
  // margin is for a loaded machine.
  await waitUntil(() => bus.statuses().every((s) => s.status === 'reconnecting'), {
    timeout: 1.5 * keepalive * 1000 + 1_500,
    what: 'both connectors reconnecting',
  });
  mosquitto.thaw();
  await waitUntil(() => bus.statuses().every((s) => s.status === 'connected'), {
    what: 'both connected again after the broker resumed',
  });
});
