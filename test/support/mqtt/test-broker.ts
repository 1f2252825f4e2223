import { startEmbeddedBroker, type EmbeddedBroker } from '../../../lib/mqtt/embedded-broker';

/**
 * The broker the MQTT tests use: `BUSLINE_MQTT_URL` when set (Mosquitto in CI), else an embedded
 * aedes broker started per test file on a free loopback port.
 */
export const EXTERNAL_BROKER_URL: string | undefined = process.env.BUSLINE_MQTT_URL || undefined;

/** Which broker the MQTT tests run against. */
export type BrokerKind = 'embedded' | 'external';

/** The kind this run uses. */
export const BROKER_KIND: BrokerKind = EXTERNAL_BROKER_URL ? 'external' : 'embedded';

/**
 * Whether MQTT 5 features (properties, shared subscriptions, no-local, retain handling) can be
 * tested: only on the external broker (Mosquitto), unless `BUSLINE_MQTT_V5=0` says it lacks them.
 */
export const MQTT5_AVAILABLE = BROKER_KIND === 'external' && process.env.BUSLINE_MQTT_V5 !== '0';

/** Why MQTT 5 cases are skipped when they are. */
export const MQTT5_SKIP_REASON =
  'the embedded broker (aedes) speaks MQTT 3.1.1 only; run with BUSLINE_MQTT_URL=mqtt://127.0.0.1:1883 (Mosquitto) to test it';

/** A broker for one test file. */
export interface TestBroker {
  /** URL to connect to. */
  readonly url: string;
  /** Embedded aedes or the external broker. */
  readonly kind: BrokerKind;
  /** The embedded broker, when it is one. */
  readonly embedded: EmbeddedBroker | undefined;
  /** Stop the embedded broker (nothing for an external one). */
  close(): Promise<void>;
}

/** Start the broker of this run (see {@link EXTERNAL_BROKER_URL}). */
export async function startTestBroker(): Promise<TestBroker> {
  if (EXTERNAL_BROKER_URL) {
    return {
      url: EXTERNAL_BROKER_URL,
      kind: 'external',
      embedded: undefined,
      close: async () => {},
    };
  }
  const embedded = await startEmbeddedBroker();
  return { url: embedded.url, kind: 'embedded', embedded, close: () => embedded.close() };
}

/** `it` when `condition` holds, else a skipped `it` whose title says why. */
export function itIf(condition: boolean, reason: string): jest.It {
  if (condition) return it;
  const skipped = ((name: string, fn?: jest.ProvidesCallback, timeout?: number) =>
    it.skip(`${name} [skipped: ${reason}]`, fn, timeout)) as unknown as jest.It;
  return skipped;
}

/**
 * Say in the test output why a whole file's tests are skipped (jest lists no titles for a file
 * whose tests are all skipped).
 */
export function announceSkip(what: string, reason: string): void {
  process.stderr.write(`[busline] ${what} skipped: ${reason}\n`);
}

/**
 * The file's test broker, started in `beforeAll` and closed in `afterAll`: call it at the top
 * level of a spec file and read the result (its `url`) inside tests and hooks.
 */
export function useTestBroker(): TestBroker {
  let broker: TestBroker | undefined;
  beforeAll(async () => {
    broker = await startTestBroker();
  });
  afterAll(() => broker?.close());
  const started = (): TestBroker => {
    if (broker === undefined) {
      throw new Error('The test broker starts in beforeAll: read it inside a test or a hook');
    }
    return broker;
  };
  return {
    get url() {
      return started().url;
    },
    get kind() {
      return started().kind;
    },
    get embedded() {
      return started().embedded;
    },
    close: () => started().close(),
  };
}

/**
 * `it` for tests that need MQTT 5: where the broker has none, a skipped `it` with the reason in
 * its title, and `what` announced as skipped (see {@link announceSkip}).
 */
export function mqtt5It(what: string): jest.It {
  if (!MQTT5_AVAILABLE) announceSkip(what, MQTT5_SKIP_REASON);
  return itIf(MQTT5_AVAILABLE, MQTT5_SKIP_REASON);
}
