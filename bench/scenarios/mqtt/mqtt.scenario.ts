import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { CaseDef, ScenarioDef, Size } from '../../harness/types';

/** The brokers of the MQTT cells. */
export const BROKERS = ['mosquitto', 'embedded'] as const;

/** Payload sizes by label, in bytes. */
export const SIZES = [
  ['100B', 100],
  ['10KB', 10_240],
  ['1MB', 1_048_576],
] as const;

/**
 * Topics of a "many topics" cell: the publisher goes round-robin over them, the subscriber
 * subscribes to each.
 */
export const MANY_TOPICS = 100;

const CONTENDERS = ['mqtt.js', 'busline', 'busline-traced', 'busline-binary', 'nestjs'] as const;

type Broker = (typeof BROKERS)[number];
type SizeLabel = (typeof SIZES)[number][0];

/** One cell of the MQTT scenario: where, at which QoS, how big, over how many topics. */
export interface MqttCell {
  broker: Broker;
  qos: 0 | 1 | 2;
  /** Payload size in bytes. */
  size: number;
  /** Topics the messages are spread over, round-robin (1: one topic). */
  topics: number;
}

/**
 * The cells measured, per broker (not the whole cross-product, to keep `npm run bench` short):
 * QoS 0/1/2 at 100 B and 10 KB, QoS 0/1 at 1 MB, and QoS 0/1 at 100 B over 100 topics.
 */
const CELLS: readonly [qos: 0 | 1 | 2, size: SizeLabel, topics: number][] = [
  [0, '100B', 1],
  [0, '10KB', 1],
  [0, '1MB', 1],
  [1, '100B', 1],
  [1, '10KB', 1],
  [1, '1MB', 1],
  [2, '100B', 1],
  [2, '10KB', 1],
  [0, '100B', MANY_TOPICS],
  [1, '100B', MANY_TOPICS],
];

function cellName(broker: Broker, qos: number, size: SizeLabel, topics: number): string {
  return `${broker}-qos${qos}-${size}${topics > 1 ? `-${topics}topics` : ''}`;
}

/**
 * A cell of the MQTT scenario, from its case name (`mosquitto-qos1-10KB`,
 * `embedded-qos0-100B-100topics`).
 */
export function parseCell(name: string): MqttCell {
  const [broker, qos, size, topics, ...rest] = name.split('-');
  const bytes = SIZES.find(([label]) => label === size)?.[1];
  const level = ['qos0', 'qos1', 'qos2'].indexOf(qos);
  const count = topics === undefined ? 1 : Number(/^(\d+)topics$/.exec(topics)?.[1]);
  if (
    !BROKERS.includes(broker as Broker) ||
    bytes === undefined ||
    level < 0 ||
    !(count >= 1) ||
    rest.length > 0
  ) {
    throw new Error(`unknown MQTT case '${name}'`);
  }
  return { broker: broker as Broker, qos: level as 0 | 1 | 2, size: bytes, topics: count };
}

/**
 * Warm-up before measuring throughput. In a fresh process every contender's rate climbs for about
 * a second while the JIT compiles (QoS 1, 100 B: from ~3k to ~8k messages/s over 1-1.25 s, raw
 * mqtt.js included; 250 ms windows on a 2-vCPU VM), and Busline, with more code to compile, climbs
 * longest. A shorter warm-up times the compiler as much as the transport.
 */
export const WARMUP_MS = 1500;

/** Throughput is measured over this long, after the warm-up. */
export const MEASURE_MS = 700;

/** Memory allowed for messages published and not yet received (see {@link cellLimits}). */
const IN_FLIGHT_BYTES = 16 * 1024 * 1024;

/**
 * How a cell is driven: at most `window` messages published and not yet received (1,000, fewer
 * for large payloads so that about 16 MiB of payload is in flight), `batch` publishes between two
 * yields, and the latency probes (`count` messages at `rate` per second; fewer and slower for
 * large payloads, which take milliseconds each to encode and decode).
 */
export function cellLimits(cell: MqttCell): {
  window: number;
  batch: number;
  latencyCount: number;
  latencyRate: number;
} {
  const window = Math.max(8, Math.min(1000, Math.floor(IN_FLIGHT_BYTES / cell.size)));
  const large = cell.size >= 1_000_000;
  return {
    window,
    batch: Math.min(1000, window),
    latencyCount: large ? 20 : 600,
    latencyRate: large ? 20 : 1000,
  };
}

const cases: CaseDef[] = [];
for (const broker of BROKERS) {
  for (const [qos, label, topics] of CELLS) {
    const where = broker === 'mosquitto' ? 'Mosquitto' : 'embedded broker (aedes)';
    const spread = topics > 1 ? `, ${topics} topics round-robin` : '';
    cases.push({
      name: cellName(broker, qos, label, topics),
      title: `${where}, QoS ${qos}, ${label} payloads${spread}`,
      contenders: CONTENDERS,
      namedOnly: [
        'floor-json',
        'floor-binary',
        'busline-binary-publisher',
        'busline-binary-subscriber',
      ],
      compareTo: ['nestjs'],
    });
  }
}

/** MQTT: publisher -> broker -> subscriber, throughput and latency. */
export const mqttScenario: ScenarioDef = {
  name: 'mqtt',
  title: 'MQTT: publisher -> broker -> subscriber (one process, broker in another)',
  reference: 'mqtt.js',
  nodeFlags: ['--expose-gc'],
  metrics: [
    { key: 'rate', label: 'msgs/s (all received)', better: 'higher', format: 'rate', ratio: true },
    { key: 'p50', label: 'latency p50', better: 'lower', format: 'ms', ratio: true },
    { key: 'p99', label: 'latency p99', better: 'lower', format: 'ms', ratio: false },
  ],
  cases,
  notes: [
    'Cells: QoS 0/1/2 at 100 B and 10 KB, QoS 0/1 at 1 MB, QoS 0/1 at 100 B over 100 topics, on both',
    'brokers: 20 of the 36 combinations, so that all of `npm run bench` takes about 25 minutes.',
    `Throughput: publish for ${MEASURE_MS / 1000} s after a ${WARMUP_MS / 1000} s warm-up, awaiting each publish (mqtt.js publishAsync,`,
    'Busline publish(), NestJS lastValueFrom(client.emit(...))) and yielding to the event loop every',
    '1,000, with at most 1,000 messages published and not yet received (Mosquitto queues 1,000 per',
    'client and drops QoS 0 messages past that); timed until the subscriber has received every message.',
    '1 MB cells: at most 16 messages published and not yet received (16 MiB), yielding every 16.',
    'Latency: 600 messages, each at least 1 ms after the one before (1 MB: 20, 50 ms apart; timers',
    'overshoot, ~900/s), publish call to handler, in one process (same clock). Payloads are ASCII',
    'text of the given size: mqtt.js sends it and reads it back with toString(), Busline wraps it in',
    'a StringMessage, NestJS sends it as the data of its JSON packet.',
    "'busline' uses the default (Python-compatible) JSON envelope: the payload travels in base64;",
    "'busline-traced': 'busline' with an OpenTelemetry tracer provider registered (spans dropped).",
    "'busline-binary' opts into the binary envelope. Subscribers use the default deserializer.",
    "'busline-binary-publisher' and '-subscriber' (named only): Busline on that side, raw mqtt.js",
    'on the other, with the binary envelope.',
    '1 MB: nothing is raised or set. The largest packet is the JSON envelope (~1.4 MB: the payload',
    "in base64), under Busline's default maxPayloadSize (4 MiB, publisher and subscriber); Mosquitto",
    '2.0 (message_size_limit 0, max_packet_size unset), aedes and mqtt.js (MQTT 3.1.1) set no limit.',
    'QoS 2: every publish is awaited until PUBCOMP, so one is in flight per publisher.',
    '100 topics: the publisher spreads the messages round-robin over 100 topics and the subscriber',
    'subscribes to each of them (one subscription per topic, one handler), for every contender.',
    'mqtt.js leaves TCP_NODELAY off (Nagle on), as the brokers do by default: QoS 0 10 KB latencies',
    '(~2 ms p50) and ~40 ms p99 outliers are TCP delayed acknowledgements, the same for everyone.',
  ],
};

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true)).once('error', () => done(false));
  });
}

/**
 * Runner side: find Mosquitto (`--set mosquitto=mqtt://host:port` to point elsewhere; cells are
 * skipped when none answers) and start the embedded broker in a process of its own.
 */
export async function prepareMqtt(
  settings: Record<string, string>,
  _size: Size,
): Promise<{ settings: Record<string, string>; close: () => Promise<void> }> {
  const mosquitto = settings.mosquitto ?? 'mqtt://127.0.0.1:1883';
  const { hostname, port } = new URL(mosquitto);
  const up = await reachable(hostname, Number(port || 1883));
  const broker = spawn(process.execPath, [join(__dirname, 'embedded-broker.process.js')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    broker.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /URL (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    broker.once('exit', (code) => reject(new Error(`the embedded broker exited (${code})`)));
  });
  return {
    settings: { ...settings, mosquitto: up ? mosquitto : '', embedded: url },
    close: async () => {
      const exited = new Promise((resolve) => broker.once('exit', resolve));
      broker.stdin.end();
      await exited;
    },
  };
}

/** Runner side: why a cell cannot run here, if it cannot. */
export function skipMqttCase(name: string, settings: Record<string, string>): string | undefined {
  const { broker } = parseCell(name);
  if (settings[broker]) return undefined;
  return broker === 'mosquitto'
    ? 'Mosquitto does not answer on 127.0.0.1:1883 (start it, or --set mosquitto=mqtt://host:port)'
    : 'the embedded broker did not start';
}
