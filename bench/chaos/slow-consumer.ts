/*
 * Scenario 1 of the chaos benchmark (issue 9, finding 1): a slow consumer. An MqttSubscriber with
 * its defaults (or a short keepalive) and a slow async handler; a raw mqtt.js publisher sends the
 * events as fast as the broker acknowledges them (16 unacknowledged at most), each carrying its
 * sequence number. Counts what the broker acknowledged against what reached the handler.
 */
import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { Event } from '../../lib/core/event';
import { StringMessage } from '../../lib/core/messages/string.message';
import { registryPassthroughEventJsonSerializer } from '../../lib/core/wire/registry-passthrough-event.json';
import { RegistryPassthroughEvent } from '../../lib/core/wire/registry-passthrough.event';
import type { MqttQoS } from '../../lib/mqtt/mqtt.options';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { PrivateMosquitto } from './mosquitto';
import {
  CollectingLogger,
  DropCounter,
  HeapSampler,
  Ledger,
  payloadText,
  seqOf,
  sleep,
  waitFor,
} from './probe';
import { chaosRow, type ChaosRow } from './report';

/** What one slow-consumer run does. */
export interface SlowConsumerJob {
  kind: 'slow-consumer';
  qos: MqttQoS;
  events: number;
  handlerMs: number;
  /** The subscriber's keepalive in seconds; mqtt.js' default (60) when absent. */
  keepalive?: number;
  /** Mosquitto's `max_queued_messages`; its default (1,000) when absent. */
  maxQueuedMessages?: number;
  /** Characters of text per event. */
  payloadSize: number;
  /** Stop waiting once nothing arrived for this long. */
  quietMs: number;
}

/**
 * Unacknowledged publishes the publisher allows itself: below Mosquitto's `max_inflight_messages`
 * (20). With more QoS 2 publishes in flight from one client, Mosquitto 2.0.11 stops forwarding
 * some of them to the subscriber (mosquitto_sub got 751 of 1,600 with 64 in flight and nothing more
 * within 5 s, all 1,600 with 20 or fewer), which would be counted against the subscriber.
 */
const WINDOW = 16;
/** Mosquitto's default `max_inflight_messages`: QoS 1/2 messages it sends before waiting for acks. */
const BROKER_INFLIGHT = 20;
/** The subscriber's default `maxPendingEvents`. */
const MAX_PENDING = 1024;

function envelope(seq: number, size: number): Buffer {
  const event = new Event({
    publisherIdentifier: 'chaos',
    payload: new StringMessage(payloadText(seq, size)),
  });
  const bytes = registryPassthroughEventJsonSerializer(RegistryPassthroughEvent.fromEvent(event));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Follows the broker's own count of dropped messages (`$SYS/broker/publish/messages/dropped`). */
async function watchBrokerDrops(
  url: string,
): Promise<{ value: () => number; close: () => Promise<void> }> {
  const client = await connectAsync(url, {
    clientId: `chaos-sys-${randomUUID()}`,
    reconnectPeriod: 0,
  });
  let dropped = 0;
  client.on('message', (_topic, payload) => {
    dropped = Number(payload.toString()) || 0;
  });
  await client.subscribeAsync('$SYS/broker/publish/messages/dropped');
  return { value: () => dropped, close: () => client.endAsync() };
}

/** Publishes `payloads` in order, at most {@link WINDOW} unacknowledged, within `deadlineMs`. */
async function publishAll(
  client: MqttClient,
  topic: string,
  qos: MqttQoS,
  payloads: readonly Buffer[],
  ledger: Ledger,
  deadlineMs: number,
): Promise<number> {
  const pending = new Set<Promise<void>>();
  const giveUp = performance.now() + deadlineMs;
  let seq = 0;
  for (; seq < payloads.length && performance.now() < giveUp; seq++) {
    const n = seq;
    ledger.sent(n);
    const p: Promise<void> = client.publishAsync(topic, payloads[n], { qos }).then(
      () => ledger.acked(n),
      (error: unknown) => ledger.rejected(n, error),
    );
    pending.add(p);
    void p.finally(() => pending.delete(p));
    if (pending.size >= WINDOW) await Promise.race(pending);
  }
  await Promise.race([Promise.all(pending), sleep(Math.max(0, giveUp - performance.now()))]);
  return seq;
}

/** Runs one slow-consumer variant against a private Mosquitto. */
export async function runSlowConsumer(job: SlowConsumerJob): Promise<ChaosRow> {
  const broker = await PrivateMosquitto.start({
    maxQueuedMessages: job.maxQueuedMessages,
    sysInterval: 1,
  });
  const details: string[] = [];
  const logger = new CollectingLogger();
  const ledger = new Ledger(job.events);
  const heap = new HeapSampler();
  const topic = `chaos/${randomUUID()}/slow`;
  const brokerDrops = await watchBrokerDrops(broker.url);
  const subscriber = new MqttSubscriber({
    url: broker.url,
    logger,
    ...(job.keepalive === undefined ? {} : { otherClientParameters: { keepalive: job.keepalive } }),
  });
  const publisher = await connectAsync(broker.url, { clientId: `chaos-pub-${randomUUID()}` });
  const start = performance.now();
  const drops = new DropCounter(start);
  subscriber.onStatus(drops.listener);
  let row: ChaosRow;
  try {
    await subscriber.connect();
    await subscriber.subscribe(
      topic,
      async (_topic, event) => {
        const payload = event.payload;
        ledger.received(payload instanceof StringMessage ? seqOf(payload.value) : -1);
        await sleep(job.handlerMs);
      },
      { qos: job.qos },
    );
    // Made before the heap baseline: the publisher's bytes are not the subscriber's memory.
    const payloads = Array.from({ length: job.events }, (_, seq) => envelope(seq, job.payloadSize));
    heap.start();
    const backlogMs = job.events * job.handlerMs;
    const published = await publishAll(publisher, topic, job.qos, payloads, ledger, 120_000);
    const publishedS = ((performance.now() - start) / 1000).toFixed(1);
    const outcome = await waitFor(() => ledger.complete(), backlogMs * 1.5 + 60_000, {
      progress: () => ledger.arrivals,
      quietMs: job.quietMs,
    });
    details.push(
      `${published} events published in ${publishedS} s; the wait for them ended: ${outcome}` +
        (outcome === 'quiet' ? ` (nothing arrived for ${job.quietMs / 1000} s)` : '') +
        `; subscriber status at the end: ${subscriber.status}`,
    );
  } finally {
    drops.disarm();
    const heapMB = heap.stop();
    const durationS = (performance.now() - start) / 1000;
    // The broker publishes its $SYS figures every second (sys_interval 1).
    await sleep(1_500);
    const brokerDropped = brokerDrops.value();
    await subscriber.disconnect().catch(() => undefined);
    await publisher.endAsync().catch(() => undefined);
    await brokerDrops.close().catch(() => undefined);
    await broker.close();
    const s = ledger.summary();
    const wire = envelope(0, job.payloadSize).length;
    details.push(
      `subscriber: MqttSubscriber, ${job.keepalive === undefined ? 'every default (keepalive 60 s, clean session, maxPendingEvents 1024)' : `keepalive ${job.keepalive} s, otherwise defaults (clean session, maxPendingEvents 1024)`}, QoS ${job.qos}, ${job.handlerMs} ms async handler; ` +
        `publisher: mqtt.js, ${job.events} events of ${job.payloadSize} B text (${wire} B JSON envelope), ${WINDOW} unacknowledged at most`,
      `Mosquitto settings set: ${broker.settings.join('; ')}`,
      `broker dropped (its $SYS/broker/publish/messages/dropped): ${brokerDropped}; ` +
        `its log said "dropped" ${broker.log.dropWarnings} time(s)` +
        (s.lost > 0
          ? `; lost not accounted for by broker drops: ${Math.max(0, s.lost - brokerDropped)}`
          : ''),
      `connection drops: ${drops.count}${drops.drops.length > 0 ? ` (${drops.drops.join('; ')})` : ''}`,
    );
    if (s.rejected > 0 || s.unsettled > 0) {
      details.push(`publishes rejected: ${s.rejected}, never settled: ${s.unsettled}`);
    }
    details.push(
      job.qos === 0
        ? `heap bound: maxPendingEvents (${MAX_PENDING}) events waiting per subscription plus what mqtt.js parsed; at QoS 0 the broker does not wait for acknowledgements, what the subscriber has not read waits in the socket buffers (kernel memory) and then in Mosquitto's queue`
        : `heap bound: maxPendingEvents (${MAX_PENDING}) events waiting per subscription + the broker's in-flight window (max_inflight_messages, ${BROKER_INFLIGHT}) + the publisher's ${WINDOW} unacknowledged publishes, i.e. ~${MAX_PENDING + BROKER_INFLIGHT + WINDOW} events of ~${wire} B on the wire`,
    );
    if (job.qos === 0) {
      details.push(
        `QoS 0: Mosquitto drops QoS 0 messages for a client with more than max_queued_messages (${job.maxQueuedMessages ?? '1000, the default'}) queued and not yet written; ` +
          'such loss is the broker shedding an overloaded subscriber, as QoS 0 allows, and shows in its dropped count',
      );
    } else if (job.maxQueuedMessages !== undefined) {
      details.push(
        `max_queued_messages is raised to ${job.maxQueuedMessages} so that the broker itself never drops: with the default (1,000) Mosquitto drops QoS 1/2 messages too for a client that has more than 1,000 queued beyond its in-flight window, acknowledging them to the publisher all the same`,
      );
    }
    const logs = logger.summary();
    if (logs.length > 0) details.push(`Busline log: ${logs.join(' | ')}`);
    row = chaosRow(
      `slow consumer, QoS ${job.qos}, ${job.handlerMs} ms handler, keepalive ${job.keepalive ?? 60} s${job.maxQueuedMessages === undefined ? '' : `, max_queued_messages ${job.maxQueuedMessages}`}`,
      s,
      { drops: drops.count, heapMB, durationS, details },
    );
  }
  return row;
}
