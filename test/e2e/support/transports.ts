import type { Publisher } from '../../../lib/core/publisher';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { MqttPublisher } from '../../../lib/mqtt/mqtt.publisher';
import type { BuslineModuleOptions } from '../../../lib/nest/interfaces/busline-module-options.interface';
import { startTestBroker, type TestBroker } from '../../support/mqtt/test-broker';

/** An application's options and a publisher outside the application that reaches it. */
export interface Outside {
  readonly options: BuslineModuleOptions;
  /** Connected; the test disconnects it. */
  readonly publisher: Publisher;
}

/**
 * A transport the behavioural e2e suites run on. Each suite runs once per profile, so every
 * behaviour is proven on the local bus and on MQTT alike.
 */
export interface TransportProfile {
  readonly name: string;
  /** Start what the transport needs (a broker), once per test file. */
  setup(): Promise<void>;
  /** Stop it. */
  teardown(): Promise<void>;
  /** BuslineModule options selecting this transport. */
  options(): BuslineModuleOptions;
  /** Options plus a publisher that is not part of the application but reaches it. */
  outside(): Promise<Outside>;
}

/** The local transport: nothing to start. */
export const localProfile: TransportProfile = {
  name: 'local',
  setup: async () => undefined,
  teardown: async () => undefined,
  options: () => ({ local: true }),
  outside: async () => {
    const eventbus = new AsyncLocalEventBus();
    const publisher = new LocalPublisher({ eventbus });
    await publisher.connect();
    return { options: { local: { eventbus } }, publisher };
  },
};

/**
 * MQTT, QoS 1: an embedded broker started per test file, or `BUSLINE_MQTT_URL` (Mosquitto in
 * CI) when set.
 */
export function mqttProfile(): TransportProfile {
  let broker: TestBroker | undefined;
  const url = (): string => {
    if (broker === undefined) throw new Error('the MQTT profile was not set up (beforeAll)');
    return broker.url;
  };
  const options = (): BuslineModuleOptions => ({ mqtt: { url: url(), qos: 1 } });
  return {
    name: 'mqtt',
    setup: async () => {
      broker = await startTestBroker();
    },
    teardown: async () => {
      await broker?.close();
      broker = undefined;
    },
    options,
    outside: async () => {
      const publisher = new MqttPublisher({ url: url() });
      await publisher.connect();
      return { options: options(), publisher };
    },
  };
}

/** Every profile the behavioural suites run on. */
export const PROFILES: readonly TransportProfile[] = [localProfile, mqttProfile()];
