import type { BuslineModuleOptions } from '../../../lib/nest/interfaces/busline-module-options.interface';

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
}

/** The local transport: nothing to start. */
export const localProfile: TransportProfile = {
  name: 'local',
  setup: async () => undefined,
  teardown: async () => undefined,
  options: () => ({ local: true }),
};

/** Every profile the behavioural suites run on. */
export const PROFILES: readonly TransportProfile[] = [localProfile];
