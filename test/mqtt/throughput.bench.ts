import type { MqttClient } from 'mqtt';
import { StringMessage } from '../../lib/core/messages/string.message';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { rawClient } from '../support/mqtt/raw-client';
import { startTestBroker, type TestBroker } from '../support/mqtt/test-broker';
import { uniquePrefix } from '../support/mqtt/topics';

/*
 * First throughput figures: MqttPublisher -> broker -> MqttSubscriber against raw mqtt.js doing
 * the same, in one run, events/s end to end (published until handled), QoS 0 and QoS 1.
 * Not part of `npm test` (the file name does not match *.spec.ts). Run:
 *
 *   BUSLINE_MQTT_URL=mqtt://127.0.0.1:1883 npx jest --testMatch '**\/throughput.bench.ts' --verbose
 *
 * Publishing is windowed (at most WINDOW events published and not yet received), for raw mqtt.js
 * and Busline alike, so no broker queue limit drops anything and both are measured the same way.
 */

jest.setTimeout(600_000);

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WINDOW = 500;
const PAYLOAD = 'x'.repeat(100);

interface Pipe {
  /** Publish event number `i`; call `sent` when the client is done with it. */
  publish(i: number, sent: () => void): void;
  /** Call `received` once per arrival. */
  close(): Promise<void>;
}

type Factory = (url: string, topic: string, qos: 0 | 1, received: () => void) => Promise<Pipe>;

const raw =
  (payload: Buffer): Factory =>
  async (url, topic, qos, received) => {
    const sub = await rawClient(url);
    const pub = await rawClient(url);
    sub.on('message', () => received());
    await sub.subscribeAsync(topic, { qos });
    const options = { qos };
    return {
      publish: (_i, sent) => pub.publish(topic, payload, options, () => sent()),
      close: async () => {
        await Promise.all([sub.endAsync(), pub.endAsync()]);
      },
    };
  };

const busline: Factory = async (url, topic, qos, received) => {
  const sub = new MqttSubscriber({ url });
  const pub = new MqttPublisher({ url });
  await sub.subscribe(topic, () => received(), { qos });
  await Promise.all([sub.connect(), pub.connect()]);
  const message = new StringMessage(PAYLOAD);
  const options = { qos };
  return {
    publish: (_i, sent) => {
      pub.publish(topic, message, options).then(sent, sent);
    },
    close: async () => {
      await Promise.all([sub.disconnect(), pub.disconnect()]);
    },
  };
};

/** Events per second from the first publish to the last arrival. */
async function measure(url: string, factory: Factory, qos: 0 | 1): Promise<number> {
  const topic = `${uniquePrefix('bench')}/t`;
  let received = 0;
  let acked = 0;
  let wake: (() => void) | undefined;
  const pipe = await factory(url, topic, qos, () => {
    received++;
    if (wake !== undefined && (sent - received <= WINDOW / 2 || received === EVENTS)) {
      const w = wake;
      wake = undefined;
      w();
    }
  });
  let sent = 0;
  const onSent = (): void => {
    acked++;
  };
  const started = process.hrtime.bigint();
  while (sent < EVENTS) {
    if (sent - received >= WINDOW) await new Promise<void>((resolve) => (wake = resolve));
    pipe.publish(sent, onSent);
    sent++;
  }
  while (received < EVENTS) await new Promise<void>((resolve) => (wake = resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  while (acked < EVENTS) await new Promise((resolve) => setImmediate(resolve));
  await pipe.close();
  return EVENTS / seconds;
}

let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(() => broker.close());

it('throughput: Busline MQTT vs raw mqtt.js (events/s)', async () => {
  // What Busline puts on the wire for one event: the envelope around the 100 B payload.
  const probe: MqttClient = await rawClient(broker.url);
  const envelopeTopic = `${uniquePrefix('bench')}/probe`;
  let envelope: Buffer | undefined;
  probe.on('message', (_t, payload) => (envelope = payload));
  await probe.subscribeAsync(envelopeTopic, { qos: 1 });
  const probePub = new MqttPublisher({ url: broker.url });
  await probePub.connect();
  await probePub.publish(envelopeTopic, new StringMessage(PAYLOAD), { qos: 1 });
  while (!envelope) await new Promise((resolve) => setTimeout(resolve, 5));
  await probePub.disconnect();
  await probe.endAsync();

  const contenders: [string, Factory][] = [
    ['raw mqtt.js, 100 B payload', raw(Buffer.from(PAYLOAD))],
    [`raw mqtt.js, ${envelope.length} B (Busline's envelope bytes)`, raw(envelope)],
    ['Busline MqttPublisher/MqttSubscriber, 100 B StringMessage', busline],
  ];
  const lines: string[] = [
    `broker ${broker.kind} ${broker.url}, ${EVENTS} events x ${ROUNDS} rounds, window ${WINDOW}, median events/s:`,
  ];
  for (const qos of [0, 1] as const) {
    const results = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
    // A warm-up round, not counted: the JIT and the broker settle.
    for (const [, factory] of contenders) await measure(broker.url, factory, qos);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, factory] of contenders) {
        results.get(name)!.push(await measure(broker.url, factory, qos));
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const rawMedian = median(results.get(contenders[0][0])!);
    for (const [name, rates] of results) {
      const m = median(rates);
      lines.push(
        `  QoS ${qos}  ${name.padEnd(62)} ${Math.round(m).toString().padStart(7)}  ` +
          `(${(m / rawMedian).toFixed(2)}x raw 100 B)`,
      );
    }
  }
  console.info(lines.join('\n'));
});
