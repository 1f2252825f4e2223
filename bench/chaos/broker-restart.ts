/*
 * Scenario 2 of the chaos benchmark (issue 9, finding 2): one app, its broker restarted without
 * persistence. A PubSubClient holds a local publisher and subscriber and an MQTT publisher and
 * subscriber (QoS 1), subscribed with a handler on each transport. Each try SIGKILLs the private
 * Mosquitto, publishes events through the client while it is down, restarts it empty, and counts
 * whether the MQTT subscriber got every event the client published.
 */
import { randomUUID } from 'node:crypto';
import type { Event } from '../../lib/core/event';
import { StringMessage } from '../../lib/core/messages/string.message';
import { PubSubClientBuilder } from '../../lib/core/pubsub-client';
import type { Subscriber } from '../../lib/core/subscriber';
import { AsyncLocalEventBus } from '../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../lib/local/local.publisher';
import { LocalSubscriber } from '../../lib/local/local.subscriber';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { PrivateMosquitto } from './mosquitto';
import {
  CollectingLogger,
  DropCounter,
  HeapSampler,
  Ledger,
  payloadText,
  RestartTimeline,
  seqOf,
  sleep,
  waitFor,
} from './probe';
import { chaosRow, type ChaosRow } from './report';

/** What one broker-restart run does. */
export interface BrokerRestartJob {
  kind: 'broker-restart';
  tries: number;
  /** Events published while the broker is down, per try. */
  eventsPerTry: number;
  /** How long the broker stays down, in ms. */
  outageMs: number;
  payloadSize: number;
}

function seqFrom(event: Event): number {
  const payload = event.payload;
  return payload instanceof StringMessage ? seqOf(payload.value) : -1;
}

/** Runs every try against one private Mosquitto and one client that lives through them all. */
export async function runBrokerRestart(job: BrokerRestartJob): Promise<ChaosRow> {
  const broker = await PrivateMosquitto.start();
  const logger = new CollectingLogger();
  const total = job.tries * job.eventsPerTry;
  const mqttLedger = new Ledger(total);
  const localLedger = new Ledger(total);
  const bus = new AsyncLocalEventBus();
  const mqttPublisher = new MqttPublisher({ url: broker.url, logger, qos: 1 });
  const mqttSubscriber = new MqttSubscriber({ url: broker.url, logger, qos: 1 });
  const localSubscriber = new LocalSubscriber({ eventbus: bus, logger });
  const client = new PubSubClientBuilder()
    .withPublisher(new LocalPublisher({ eventbus: bus, logger }))
    .withPublisher(mqttPublisher)
    .withSubscriber(localSubscriber)
    .withSubscriber(mqttSubscriber)
    .build();
  const topic = `chaos/${randomUUID()}/restart`;
  const heap = new HeapSampler();
  const start = performance.now();
  const drops = new DropCounter(start);
  mqttSubscriber.onStatus(drops.listener);
  const timeline = new RestartTimeline(mqttSubscriber, mqttPublisher);
  const perTry: string[] = [];
  const lostPerTry: number[] = [];
  let slowestPublishMs = 0;
  let row: ChaosRow;
  try {
    await client.connect();
    const only = (s: Subscriber) => (t: Subscriber) => t === s;
    await client.subscribe(topic, (_t, event) => mqttLedger.received(seqFrom(event)), {
      qos: 1,
      via: only(mqttSubscriber),
    });
    await client.subscribe(topic, (_t, event) => localLedger.received(seqFrom(event)), {
      via: only(localSubscriber),
    });
    heap.start();
    for (let t = 0; t < job.tries; t++) {
      const from = t * job.eventsPerTry;
      const to = from + job.eventsPerTry;
      const bothConnected = () =>
        mqttPublisher.status === 'connected' && mqttSubscriber.status === 'connected';
      if ((await waitFor(bothConnected, 15_000)) !== 'done') {
        perTry.push(`try ${t + 1}: the client did not reconnect within 15 s; stopped`);
        break;
      }
      timeline.follow();
      await broker.kill();
      await waitFor(
        () => mqttPublisher.status !== 'connected' && mqttSubscriber.status !== 'connected',
        5_000,
      );
      for (let seq = from; seq < to; seq++) {
        const sentAt = performance.now();
        mqttLedger.sent(seq);
        client.publish(topic, payloadText(seq, job.payloadSize), { qos: 1 }).then(
          () => {
            mqttLedger.acked(seq);
            slowestPublishMs = Math.max(slowestPublishMs, performance.now() - sentAt);
          },
          (error: unknown) => mqttLedger.rejected(seq, error),
        );
      }
      await sleep(job.outageMs);
      const restartedAt = performance.now();
      await broker.start();
      const outcome = await waitFor(() => mqttLedger.complete(from, to), 20_000, {
        progress: () => mqttLedger.arrivals,
        quietMs: 5_000,
      });
      const s = mqttLedger.summary(from, to);
      const local = localLedger.summary(from, to);
      lostPerTry.push(s.lost);
      // Acknowledged before the subscriber's SUBACK: the restarted broker had no subscription yet.
      const suback = timeline.subackSince(restartedAt) ?? Infinity;
      const beforeSubscribed = mqttLedger.lostAckedBetween(0, suback, from, to);
      perTry.push(
        `try ${t + 1}: published ${s.sent}, acknowledged ${s.acked}, rejected ${s.rejected}, ` +
          `MQTT handler got ${s.received} (lost ${s.lost}, of which acknowledged before the subscriber's SUBACK ${beforeSubscribed}; duplicated ${s.duplicated}), ` +
          `local handler got ${local.received}; ` +
          `after the restart: ${timeline.describe(restartedAt)}; wait ended: ${outcome}`,
      );
    }
  } finally {
    drops.disarm();
    const heapMB = heap.stop();
    const durationS = (performance.now() - start) / 1000;
    await client.disconnect().catch(() => undefined);
    await broker.close();
    const s = mqttLedger.summary();
    const details = [
      `each try: SIGKILL Mosquitto, publish ${job.eventsPerTry} QoS 1 events through the PubSubClient (local + MQTT publishers) while it is down, restart it empty after ${job.outageMs} ms, wait until every acknowledged event reached the MQTT handler (or 5 s without arrivals, 20 s at most)`,
      `lost per try: ${lostPerTry.join(', ')}`,
      ...perTry,
      `slowest publish() to resolve: ${(slowestPublishMs / 1000).toFixed(1)} s (it waits for the broker: no timeout)`,
      `Mosquitto settings set: ${broker.settings.join('; ')} (no persistence, the default)`,
      `connection drops of the MQTT subscriber: ${drops.count} (one per kill is expected)`,
      'heap bound: the events published during one outage, queued by the MQTT publisher (maxOfflineQueue 10,000)',
    ];
    if (s.rejected > 0) {
      details.push(
        `rejections: ${[...mqttLedger.rejections].map(([m, n]) => `${n}x ${m}`).join(' | ')}`,
      );
    }
    const logs = logger.summary();
    if (logs.length > 0) details.push(`Busline log: ${logs.join(' | ')}`);
    row = chaosRow(`one app, broker restarted empty (${job.tries} tries)`, s, {
      drops: drops.count,
      heapMB,
      durationS,
      details,
    });
  }
  return row;
}
