import type { IClientOptions } from 'mqtt';
import { startEmbeddedBroker } from '../../lib/mqtt/embedded-broker';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { MosquittoProcess, mosquittoAvailable } from '../support/mqtt/mosquitto-process';
import type {
  RestartableTransport,
  TestSubscriberOptions,
  TransportEndpoints,
  TransportFactory,
} from './transport-conformance';
import type { TransportFeatures } from './transport-features';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
/** Reconnect fast so restart cases take milliseconds, not seconds. */
const FAST: IClientOptions = { reconnectPeriod: 50, connectTimeout: 5_000 };

/** Publishers and subscribers on the broker at `url`. */
export function mqttEndpoints(url: string): TransportEndpoints {
  return {
    publisher: (options) =>
      new MqttPublisher({ url, logger: quiet, otherClientParameters: FAST, ...options }),
    subscriber: ({ persistentId, mqtt5, ...options }: TestSubscriberOptions = {}) =>
      new MqttSubscriber({
        url,
        ...options,
        otherClientParameters: {
          ...FAST,
          ...(persistentId !== undefined && { clean: false, clientId: persistentId }),
          ...(mqtt5 && { protocolVersion: 5 }),
        },
      }),
  };
}

/** MQTT on `url` (shared by the whole file), with `restartable` making private brokers. */
export function mqttFactory(
  features: TransportFeatures,
  url: () => Promise<{ url: string; close(): Promise<void> }>,
  restartable: () => Promise<RestartableTransport>,
): TransportFactory {
  return {
    features,
    reliablePublish: { qos: 1 } as never,
    reliableSubscribe: { qos: 1 } as never,
    async setup() {
      const broker = await url();
      return { ...mqttEndpoints(broker.url), close: () => broker.close() };
    },
    restartable,
  };
}

/** A private embedded broker that keeps its state across stop()/start(). */
export async function restartableEmbedded(): Promise<RestartableTransport> {
  const broker = await startEmbeddedBroker();
  return {
    ...mqttEndpoints(broker.url),
    stop: () => broker.stop(),
    start: () => broker.start(),
    close: () => broker.close(),
  };
}

/** A private Mosquitto process with persistence (the shared one cannot be restarted). */
export async function restartableMosquitto(): Promise<RestartableTransport> {
  if (!mosquittoAvailable()) {
    throw new Error('the mosquitto binary is needed to restart a Mosquitto broker in tests');
  }
  const broker = await MosquittoProcess.start();
  return {
    ...mqttEndpoints(broker.url),
    stop: () => broker.stop(),
    start: () => broker.start(),
    close: () => broker.close(),
  };
}
