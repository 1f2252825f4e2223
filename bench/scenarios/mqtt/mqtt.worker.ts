import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { measureThroughput, sleep, yieldToEventLoop } from '../../harness/loop';
import { percentile } from '../../harness/stats';
import type { Job, Measurement } from '../../harness/types';
import { MQTT_CONTENDERS, type MqttContender } from './contenders';
import { cellLimits, MEASURE_MS, parseCell, WARMUP_MS } from './mqtt.scenario';

/**
 * Publish one message per topic, again and again, until one has arrived on every topic: the
 * subscriptions are in place on the broker.
 */
async function handshake(contender: MqttContender, topics: number): Promise<void> {
  const seen = new Set<number>();
  contender.onReceive = (seq) => seen.add(seq % topics);
  const giveUp = performance.now() + 10_000;
  for (let seq = 0; seen.size < topics;) {
    if (performance.now() > giveUp) {
      throw new Error(`messages came through the broker on ${seen.size} of ${topics} topics`);
    }
    for (let k = 0; k < topics; k++, seq++) await contender.publish(seq);
    await sleep(20);
  }
  contender.onReceive = undefined;
  await sleep(50);
  contender.reset();
}

/** Latency of `count` messages published at `rate` per second, publish call to handler. */
async function measureLatency(
  contender: MqttContender,
  firstSeq: number,
  count: number,
  rate: number,
): Promise<{ p50: number; p99: number }> {
  const sentAt = new Float64Array(count);
  const latencies = new Float64Array(count);
  let arrived = 0;
  contender.onReceive = (seq) => {
    const k = seq - firstSeq;
    if (k >= 0 && k < count) latencies[arrived++] = performance.now() - sentAt[k];
  };
  const period = 1000 / rate;
  let last = -Infinity;
  for (let k = 0; k < count; k++) {
    // Each probe leaves a full period after the one before. Paced against a fixed schedule, a
    // probe whose slot was less than a timer's millisecond away went at once, in the same tick
    // as the one before: one in nine at 1,000/s, each measuring its predecessor's handling too.
    const wait = last + period - performance.now();
    if (wait > 0) await sleep(wait);
    else await yieldToEventLoop();
    sentAt[k] = last = performance.now();
    const sent = contender.publish(firstSeq + k);
    if (sent !== undefined) await sent;
  }
  const giveUp = performance.now() + 10_000;
  while (arrived < count) {
    if (performance.now() > giveUp)
      throw new Error(`only ${arrived} of ${count} latency probes arrived`);
    await sleep(5);
  }
  contender.onReceive = undefined;
  const sorted = latencies.sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Worker side: throughput, then latency, of one contender in one cell. */
export async function runMqtt(job: Job): Promise<Measurement> {
  const cell = parseCell(job.case);
  const url = job.settings[cell.broker];
  if (!url) throw new Error(`no ${cell.broker} broker`);
  const setup = MQTT_CONTENDERS[job.contender];
  if (setup === undefined) throw new Error(`unknown MQTT contender '${job.contender}'`);
  const prefix = `busline-bench/${randomBytes(6).toString('hex')}`;
  const topics = Array.from({ length: cell.topics }, (_, k) => `${prefix}/data${k}`);
  const contender = await setup({ url, topics, qos: cell.qos, size: cell.size });
  const smoke = job.size === 'smoke';
  const limits = cellLimits(cell);
  try {
    await handshake(contender, cell.topics);
    const rate = await measureThroughput(contender.publish, contender.received, 1, {
      warmupMs: smoke ? 0 : Number(job.settings.warmupMs ?? WARMUP_MS),
      measureMs: smoke ? 0 : Number(job.settings.measureMs ?? MEASURE_MS),
      drainTimeoutMs: 10_000,
      // Mosquitto queues up to 1,000 messages per client (max_queued_messages) and drops QoS 0
      // messages past that: never have more than that published and not yet received (fewer for
      // large payloads, to bound the memory in flight).
      window: limits.window,
      batch: limits.batch,
    });
    (globalThis as { gc?: () => void }).gc?.();
    const latencyCount = Number(job.settings.latencyCount ?? limits.latencyCount);
    const { p50, p99 } = await measureLatency(
      contender,
      1_000_000_000,
      smoke ? Math.ceil(latencyCount / 12) : latencyCount,
      Number(job.settings.latencyRate ?? limits.latencyRate),
    );
    return { rate, p50, p99 };
  } finally {
    await contender.close();
  }
}
