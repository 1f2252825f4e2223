/*
 * Scenario 3 of the chaos benchmark (issue 9, finding 4): publishes made while the publisher
 * replays its offline queue. One PubSubClient with an MQTT publisher and subscriber (QoS 1). Each
 * try SIGKILLs the private Mosquitto, publishes events while it is down (they wait in the offline
 * queue), restarts it, and SIGKILLs it again a few ms after the publisher reports `connected`, while
 * it keeps publishing; then restarts it for good and counts rejected, lost and duplicated events.
 */
import { randomUUID } from 'node:crypto';
import type { Packet } from 'mqtt';
import { StringMessage } from '../../lib/core/messages/string.message';
import { PubSubClientBuilder } from '../../lib/core/pubsub-client';
import type { MqttStatusChange } from '../../lib/mqtt/mqtt.connection';
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

/** What one replay-kill run does. */
export interface ReplayKillJob {
  kind: 'replay-kill';
  tries: number;
  /** Events published while the broker is down, per try (the offline queue to replay). */
  queued: number;
  /** At most this many more events per try, published from the reconnection on. */
  maxExtra: number;
  payloadSize: number;
}

/** The delay between the publisher's `connected` and the second kill, per try: 30 ms down to 5. */
function killDelay(t: number, tries: number): number {
  return tries === 1 ? 30 : Math.round(30 - (25 * t) / (tries - 1));
}

/** Runs every try against one private Mosquitto and one client that lives through them all. */
export async function runReplayKill(job: ReplayKillJob): Promise<ChaosRow> {
  const broker = await PrivateMosquitto.start();
  const logger = new CollectingLogger();
  const perTryCapacity = job.queued + job.maxExtra;
  const ledger = new Ledger(job.tries * perTryCapacity);
  const publisher = new MqttPublisher({ url: broker.url, logger, qos: 1 });
  const subscriber = new MqttSubscriber({ url: broker.url, logger, qos: 1 });
  const client = new PubSubClientBuilder()
    .withPublisher(publisher)
    .withSubscriber(subscriber)
    .build();
  const topic = `chaos/${randomUUID()}/replay`;
  const heap = new HeapSampler();
  const start = performance.now();
  const drops = new DropCounter(start);
  subscriber.onStatus(drops.listener);
  const timeline = new RestartTimeline(subscriber, publisher);
  const perTry: string[] = [];
  const rejectedPerTry: number[] = [];
  const lostPerTry: number[] = [];
  // Lost events by when the client saw their acknowledgement, summed over the tries.
  const lostWhy = { beforeSubscribed: 0, killedBroker: 0, finalBroker: 0 };
  let row: ChaosRow;

  const publish = (seq: number): void => {
    ledger.sent(seq);
    client.publish(topic, payloadText(seq, job.payloadSize), { qos: 1 }).then(
      () => ledger.acked(seq),
      (error: unknown) => ledger.rejected(seq, error),
    );
  };

  try {
    await client.connect();
    await client.subscribe(topic, (_t, event) => {
      const payload = event.payload;
      ledger.received(payload instanceof StringMessage ? seqOf(payload.value) : -1);
    });
    heap.start();
    for (let t = 0; t < job.tries; t++) {
      const base = t * perTryCapacity;
      const connected = () => publisher.status === 'connected' && subscriber.status === 'connected';
      if ((await waitFor(connected, 15_000)) !== 'done') {
        perTry.push(`try ${t + 1}: the client did not reconnect within 15 s; stopped`);
        break;
      }
      timeline.follow();
      await broker.kill();
      await waitFor(() => publisher.status !== 'connected', 5_000);
      for (let k = 0; k < job.queued; k++) publish(base + k);

      // The reconnection is the publisher's CONNACK (mqtt.js starts sending its offline queue
      // there, and reports 'connect', hence the status 'connected', only once it is sent), or the
      // status 'connected' if no CONNACK is seen. From then on: 10 publishes at once, then one per
      // ms, and the kill `delay` ms later; publishing stops 50 ms after the kill.
      const delay = killDelay(t, job.tries);
      let extra = 0;
      let ticker: NodeJS.Timeout | undefined;
      let killed: Promise<void> | undefined;
      let trigger = 'none';
      let triggeredAt = 0;
      let connectedBeforeKill = false;
      const more = (): void => {
        if (extra < job.maxExtra) publish(base + job.queued + extra++);
      };
      const reconnected = (what: string): void => {
        if (killed !== undefined) return;
        trigger = what;
        triggeredAt = performance.now();
        killed = sleep(delay).then(() => {
          connectedBeforeKill = publisher.status === 'connected';
          return broker.kill();
        });
        for (let k = 0; k < 10; k++) more();
        ticker = setInterval(more, 1);
      };
      const onPacket = (packet: Packet): void => {
        if (packet.cmd === 'connack') reconnected('CONNACK');
      };
      const wire = publisher.mqttClient;
      wire?.on('packetreceive', onPacket);
      const stopWatching = publisher.onStatus((change: MqttStatusChange) => {
        if (change.status === 'connected') reconnected("status 'connected'");
      });
      const firstRestart = performance.now();
      await broker.start();
      const seen = await waitFor(() => killed !== undefined, 10_000);
      stopWatching();
      wire?.removeListener('packetreceive', onPacket);
      if (killed !== undefined) await killed;
      const killedAfter = performance.now() - triggeredAt;
      await sleep(50);
      clearInterval(ticker);
      await sleep(300);
      const finalRestart = performance.now();
      await broker.start();
      const from = base;
      const to = base + job.queued + extra;
      const outcome = await waitFor(() => ledger.complete(from, to), 20_000, {
        progress: () => ledger.arrivals,
        quietMs: 5_000,
      });
      const queued = ledger.summary(from, base + job.queued);
      const during = ledger.summary(base + job.queued, to);
      const s = ledger.summary(from, to);
      // Why an acknowledged event was lost, from when its acknowledgement came: before the
      // subscriber's SUBACK after that restart (the broker had no subscription to forward it to),
      // or while subscribed to a broker killed afterwards (it died holding it: no persistence, and
      // MQTT acknowledgements are per hop), or while subscribed to the final broker (unexplained).
      const subFirst = timeline.subackSince(firstRestart) ?? finalRestart;
      const subFinal = timeline.subackSince(finalRestart) ?? Infinity;
      const why = {
        beforeSubscribed:
          ledger.lostAckedBetween(0, subFirst, from, to) +
          ledger.lostAckedBetween(finalRestart, subFinal, from, to),
        killedBroker: ledger.lostAckedBetween(subFirst, finalRestart, from, to),
        finalBroker: ledger.lostAckedBetween(subFinal, Infinity, from, to),
      };
      lostWhy.beforeSubscribed += why.beforeSubscribed;
      lostWhy.killedBroker += why.killedBroker;
      lostWhy.finalBroker += why.finalBroker;
      rejectedPerTry.push(s.rejected);
      lostPerTry.push(s.lost);
      perTry.push(
        `try ${t + 1}: ` +
          (seen === 'done'
            ? `killed ${killedAfter.toFixed(0)} ms after the publisher's ${trigger} (aimed at ${delay} ms; ` +
              `status 'connected' ${connectedBeforeKill ? 'already' : 'not yet'} reported then); `
            : 'the publisher did not reconnect within 10 s (no second kill); ') +
          `${job.queued} queued offline (rejected ${queued.rejected}, lost ${queued.lost}), ` +
          `${extra} published from the reconnection on (rejected ${during.rejected}, lost ${during.lost}); ` +
          `received ${s.received}, duplicated ${s.duplicated}, rejected but received ${s.rejectedButReceived}, never settled ${s.unsettled}; ` +
          `lost by when their acknowledgement came: ${why.beforeSubscribed} before the subscriber's SUBACK, ${why.killedBroker} from the broker killed afterwards, ${why.finalBroker} from the final broker; ` +
          `after the first restart: ${timeline.describe(firstRestart)}; ` +
          `after the final restart: ${timeline.describe(finalRestart)}; wait ended: ${outcome}`,
      );
    }
  } finally {
    drops.disarm();
    const heapMB = heap.stop();
    const durationS = (performance.now() - start) / 1000;
    await client.disconnect().catch(() => undefined);
    await broker.close();
    const s = ledger.summary();
    const details = [
      `each try: SIGKILL Mosquitto, publish ${job.queued} QoS 1 events while it is down (offline queue), restart it, SIGKILL it again 30 down to 5 ms after the publisher's reconnection (its CONNACK, seen on its mqttClient; else its status 'connected') while publishing (10 at once, then 1 per ms, ${job.maxExtra} at most, until 50 ms after the kill), restart it for good and wait until every acknowledged event arrived (or 5 s without arrivals, 20 s at most); publisher and subscriber in one PubSubClient`,
      `rejected per try: ${rejectedPerTry.join(', ')}; lost per try: ${lostPerTry.join(', ')}`,
      `lost: ${s.lost}, by when the client saw their acknowledgement: ${lostWhy.beforeSubscribed} before the subscriber's SUBACK after that restart (restart order), ` +
        `${lostWhy.killedBroker} while subscribed, from the broker killed afterwards (it died holding them: no persistence, MQTT acknowledgements are per hop), ` +
        `${lostWhy.finalBroker} while subscribed, from the final broker`,
      ...perTry,
      `rejected publishes: ${s.rejected} (of which the subscriber got ${s.rejectedButReceived} anyway); never settled: ${s.unsettled}`,
    ];
    for (const [message, count] of ledger.rejections)
      details.push(`${count}x rejected with: ${message}`);
    details.push(
      `Mosquitto settings set: ${broker.settings.join('; ')} (no persistence, the default)`,
      `connection drops of the subscriber: ${drops.count} (two per try are expected: the kills)`,
      `heap bound: the publisher's offline queue (${job.queued} + at most ${job.maxExtra} events per try; maxOfflineQueue 10,000)`,
    );
    const logs = logger.summary();
    if (logs.length > 0) details.push(`Busline log: ${logs.join(' | ')}`);
    row = chaosRow(`kill during offline-queue replay (${job.tries} tries)`, s, {
      drops: drops.count,
      heapMB,
      durationS,
      details,
    });
  }
  return row;
}
