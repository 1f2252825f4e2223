import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { CaseDef, ScenarioDef, Size } from '../../harness/types';

/** The brokers, QoS levels and payload sizes of the MQTT cells. */
export const BROKERS = ['mosquitto', 'embedded'] as const;
export const QOS = [0, 1] as const;
export const SIZES = [
  ['100B', 100],
  ['10KB', 10_240],
] as const;

const CONTENDERS = ['mqtt.js', 'busline', 'busline-binary', 'nestjs'] as const;

/** A cell of the MQTT scenario, from its case name (`mosquitto-qos1-10KB`). */
export function parseCell(name: string): { broker: string; qos: 0 | 1; size: number } {
  const [broker, qos, size] = name.split('-');
  const bytes = SIZES.find(([label]) => label === size)?.[1];
  if (!BROKERS.includes(broker as (typeof BROKERS)[number]) || bytes === undefined) {
    throw new Error(`unknown MQTT case '${name}'`);
  }
  return { broker, qos: qos === 'qos1' ? 1 : 0, size: bytes };
}

const cases: CaseDef[] = [];
for (const broker of BROKERS) {
  for (const qos of QOS) {
    for (const [label] of SIZES) {
      cases.push({
        name: `${broker}-qos${qos}-${label}`,
        title: `${broker === 'mosquitto' ? 'Mosquitto' : 'embedded broker (aedes)'}, QoS ${qos}, ${label} payloads`,
        contenders: CONTENDERS,
        compareTo: ['nestjs'],
      });
    }
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
    'Throughput: publish for 0.7 s after a 0.2 s warm-up, awaiting each publish (mqtt.js publishAsync,',
    'Busline publish(), NestJS lastValueFrom(client.emit(...))) and yielding to the event loop every',
    '1,000, with at most 1,000 messages published and not yet received (Mosquitto queues 1,000 per',
    'client and drops QoS 0 messages past that); timed until the subscriber has received every message. Latency: 600 messages at',
    '1,000/s, publish call to handler, in one process (same clock). Payloads are ASCII text of the',
    'given size: mqtt.js sends it and reads it back with toString(), Busline wraps it in a',
    'StringMessage, NestJS sends it as the data of its JSON packet.',
    "'busline' uses the default (Python-compatible) JSON envelope: the payload travels in base64;",
    "'busline-binary' opts into the binary envelope. Subscribers use the default deserializer.",
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
