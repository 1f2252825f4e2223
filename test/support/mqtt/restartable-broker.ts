import { startEmbeddedBroker } from '../../../lib/mqtt/embedded-broker';
import { MosquittoProcess, mosquittoAvailable } from './mosquitto-process';
import { BROKER_KIND } from './test-broker';

/** A broker a test may stop and start again, keeping its sessions (persistence on). */
export interface RestartableBroker {
  /** Which broker it is. */
  readonly kind: 'mosquitto' | 'aedes';
  /** What it is, for test titles and logs. */
  readonly description: string;
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The restartable broker of this run: with `BUSLINE_MQTT_URL` set (Mosquitto runs), a private
 * Mosquitto process with persistence (the shared one cannot be restarted under other tests);
 * otherwise an embedded aedes broker whose state survives `stop()` / `start()`.
 */
export async function startRestartableBroker(): Promise<RestartableBroker> {
  if (BROKER_KIND === 'external' && mosquittoAvailable()) {
    const mosquitto = await MosquittoProcess.start();
    return {
      kind: 'mosquitto',
      description: `private Mosquitto on port ${mosquitto.port}`,
      url: mosquitto.url,
      stop: () => mosquitto.stop(),
      start: () => mosquitto.start(),
      close: () => mosquitto.close(),
    };
  }
  const embedded = await startEmbeddedBroker();
  return {
    kind: 'aedes',
    description: `embedded aedes on port ${embedded.port}`,
    url: embedded.url,
    stop: () => embedded.stop(),
    start: () => embedded.start(),
    close: () => embedded.close(),
  };
}

/**
 * A broker that crashes and comes back EMPTY (no persistence: sessions, subscriptions and queued
 * messages are gone): a private Mosquitto killed with SIGKILL when `BUSLINE_MQTT_URL` is set,
 * else a new embedded aedes broker on the same port.
 */
export async function startForgetfulBroker(): Promise<RestartableBroker> {
  if (BROKER_KIND === 'external' && mosquittoAvailable()) {
    const mosquitto = await MosquittoProcess.start({ persistence: false });
    return {
      kind: 'mosquitto',
      description: `private Mosquitto without persistence on port ${mosquitto.port}`,
      url: mosquitto.url,
      stop: () => mosquitto.kill(),
      start: () => mosquitto.start(),
      close: () => mosquitto.close(),
    };
  }
  let embedded = await startEmbeddedBroker();
  const port = embedded.port;
  return {
    kind: 'aedes',
    description: `embedded aedes, restarted empty, on port ${port}`,
    url: embedded.url,
    stop: () => embedded.close(),
    start: async () => {
      embedded = await startEmbeddedBroker({ port });
    },
    close: () => embedded.close(),
  };
}
