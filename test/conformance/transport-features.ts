/**
 * What a transport can and cannot do: the conformance suite runs or skips its cases by these
 * flags, and the README's table of transport characteristics is generated from them (and checked
 * against them by transport-table.spec.ts).
 */
export interface TransportFeatures {
  /** Name in test titles and in the README table. */
  readonly name: string;
  /** Delivery guarantee, for the README. */
  readonly delivery: string;
  /** Ordering guarantee, for the README. */
  readonly ordering: string;
  /** What is kept, for whom, across what, for the README. */
  readonly persistence: string;
  /** Subscribers get a copy decoded from bytes (true) or the very object published (false). */
  readonly serializes: boolean;
  /** A broker can be restarted under running clients, which reconnect and resubscribe. */
  readonly restart: boolean | string;
  /** A subscriber that was offline with a persistent session gets what was published meanwhile. */
  readonly persistentSession: boolean | string;
  /** `$share/<group>/<filter>` splits a topic's events among the group's subscribers. */
  readonly sharedSubscriptions: boolean | string;
  /** MQTT 5 properties and subscribe flags (no-local, retain handling) reach the broker. */
  readonly mqtt5: boolean | string;
}

/** True when the feature is there; a string is the reason it is not. */
export function has(feature: boolean | string): feature is true {
  return feature === true;
}

/** Why a feature is missing (for skipped test titles). */
export function reason(feature: boolean | string): string {
  return typeof feature === 'string' ? feature : 'not supported';
}

const MQTT_DELIVERY =
  'QoS 0: at most once; QoS 1: at least once (duplicates possible after a reconnection); QoS 2: exactly once';
const MQTT_ORDERING = 'per publisher and topic, at one QoS (MQTT ordered topics)';

/** The in-process bus (`LocalPublisher` / `LocalSubscriber`). */
export const LOCAL_FEATURES: TransportFeatures = {
  name: 'Local bus',
  delivery: 'exactly once, in process; the subscriber gets the very object published',
  ordering: 'per publisher and subscription, in publish order',
  persistence: 'none: a subscriber gets only what is published while it is subscribed',
  serializes: false,
  restart: 'the local bus has no broker to restart',
  persistentSession: 'the local bus keeps nothing for a subscriber that is not connected',
  sharedSubscriptions:
    "the local bus delivers to every subscriber; '$share/<group>/' only changes the matching",
  mqtt5: 'not an MQTT transport',
};

/** MQTT on the embedded broker (aedes, MQTT 3.1.1). */
export const MQTT_EMBEDDED_FEATURES: TransportFeatures = {
  name: 'MQTT, embedded broker (aedes)',
  delivery: MQTT_DELIVERY,
  ordering: MQTT_ORDERING,
  persistence:
    'in memory: `clean: false` sessions and their QoS 1/2 messages survive reconnections and `stop()`/`start()`, not the process',
  serializes: true,
  restart: true,
  persistentSession: true,
  sharedSubscriptions:
    'aedes has no shared subscriptions ($share); use Mosquitto or another MQTT 5 broker',
  mqtt5: 'aedes speaks MQTT 3.1.1 only',
};

/** MQTT on Mosquitto (MQTT 5). */
export const MQTT_MOSQUITTO_FEATURES: TransportFeatures = {
  name: 'MQTT, Mosquitto',
  delivery: MQTT_DELIVERY,
  ordering: MQTT_ORDERING,
  persistence:
    '`clean: false` sessions and their QoS 1/2 messages, across broker restarts with `persistence true`',
  serializes: true,
  restart: true,
  persistentSession: true,
  sharedSubscriptions: true,
  mqtt5: true,
};

/** Every configuration the conformance suite runs, in README order. */
export const ALL_TRANSPORT_FEATURES: readonly TransportFeatures[] = [
  LOCAL_FEATURES,
  MQTT_EMBEDDED_FEATURES,
  MQTT_MOSQUITTO_FEATURES,
];

function yesNo(feature: boolean | string): string {
  return has(feature) ? 'yes' : 'no';
}

/** The README table of transport characteristics, generated from the flags. */
export function transportCharacteristicsTable(
  features: readonly TransportFeatures[] = ALL_TRANSPORT_FEATURES,
): string {
  const rows = [
    '| Transport | Delivery | Ordering | Persistence | Payload | Broker restart survived | Persistent sessions | Shared subscriptions | MQTT 5 |',
    '|---|---|---|---|---|---|---|---|---|',
    ...features
      .map((f) =>
        [
          f.name,
          f.delivery,
          f.ordering,
          f.persistence,
          f.serializes ? 'serialized (wire format)' : 'the same object',
          yesNo(f.restart),
          yesNo(f.persistentSession),
          yesNo(f.sharedSubscriptions),
          yesNo(f.mqtt5),
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
  ];
  return rows.join('\n');
}
