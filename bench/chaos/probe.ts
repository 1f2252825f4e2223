/*
 * What the chaos scenarios count with: a ledger of every event by its sequence number, a heap
 * sampler, a counter of connection drops, a logger that collects instead of printing, and bounded
 * waits.
 */
import type { MqttClient } from 'mqtt';
import type { BuslineLogger } from '../../lib/core/logger';
import type { MqttStatusChange } from '../../lib/mqtt/mqtt.connection';

/** The text payload of event `seq`: the zero-padded number, then filler up to `size` characters. */
export function payloadText(seq: number, size: number): string {
  const head = String(seq).padStart(10, '0');
  return head + 'x'.repeat(Math.max(0, size - head.length));
}

/** The sequence number at the start of a payload made by {@link payloadText}. */
export function seqOf(text: string): number {
  return Number(text.slice(0, 10));
}

/** `text` with UUIDs (client ids, topics) and loopback ports masked, so equal lines group. */
function maskIds(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>');
}

const SENT = 1;
const ACKED = 2;
const REJECTED = 4;

/** What happened to `count` events, each known by its sequence number `0 .. count - 1`. */
export class Ledger {
  private readonly state: Uint8Array;
  private readonly receipts: Uint16Array;
  /** When each publish was acknowledged (`performance.now()`), 0 if it was not. */
  private readonly ackTimes: Float64Array;
  /** Rejection messages, with how many publishes each rejected. */
  readonly rejections = new Map<string, number>();
  /** Events that arrived with a sequence number this ledger does not know. */
  strays = 0;
  /** Receipts so far, duplicates included (for quiet-period detection). */
  arrivals = 0;

  constructor(readonly capacity: number) {
    this.state = new Uint8Array(capacity);
    this.receipts = new Uint16Array(capacity);
    this.ackTimes = new Float64Array(capacity);
  }

  sent(seq: number): void {
    this.state[seq] |= SENT;
  }

  /** The broker acknowledged it (QoS 1 PUBACK, QoS 2 PUBCOMP; QoS 0: written to the socket). */
  acked(seq: number): void {
    this.state[seq] |= ACKED;
    this.ackTimes[seq] = performance.now();
  }

  rejected(seq: number, error: unknown): void {
    this.state[seq] |= REJECTED;
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const message = maskIds(text);
    this.rejections.set(message, (this.rejections.get(message) ?? 0) + 1);
  }

  /** A handler got it. */
  received(seq: number): void {
    this.arrivals++;
    if (!(seq >= 0 && seq < this.capacity)) {
      this.strays++;
      return;
    }
    if (this.receipts[seq] < 0xffff) this.receipts[seq]++;
  }

  /** Figures over the sequence numbers `from .. to - 1` (all by default). */
  summary(from = 0, to = this.capacity): LedgerSummary {
    const s: LedgerSummary = {
      sent: 0,
      acked: 0,
      rejected: 0,
      unsettled: 0,
      received: 0,
      duplicated: 0,
      lost: 0,
      rejectedButReceived: 0,
    };
    for (let seq = from; seq < to; seq++) {
      const state = this.state[seq];
      const got = this.receipts[seq];
      if (state & SENT) s.sent++;
      if (state & ACKED) s.acked++;
      if (state & REJECTED) s.rejected++;
      if (state & SENT && !(state & (ACKED | REJECTED))) s.unsettled++;
      if (got > 0) s.received++;
      if (got > 1) s.duplicated += got - 1;
      if (state & ACKED && got === 0) s.lost++;
      if (state & REJECTED && got > 0) s.rejectedButReceived++;
    }
    return s;
  }

  /**
   * Lost events of `from .. to - 1` whose acknowledgement came in `[start, end)`
   * (`performance.now()` times).
   */
  lostAckedBetween(start: number, end: number, from = 0, to = this.capacity): number {
    let lost = 0;
    for (let seq = from; seq < to; seq++) {
      const at = this.ackTimes[seq];
      if (this.state[seq] & ACKED && this.receipts[seq] === 0 && at >= start && at < end) lost++;
    }
    return lost;
  }

  /** Whether every acknowledged event of `from .. to - 1` arrived and no publish is pending. */
  complete(from = 0, to = this.capacity): boolean {
    for (let seq = from; seq < to; seq++) {
      const state = this.state[seq];
      if (state & SENT && !(state & (ACKED | REJECTED))) return false;
      if (state & ACKED && this.receipts[seq] === 0) return false;
    }
    return true;
  }
}

/** See {@link Ledger.summary}. */
export interface LedgerSummary {
  /** Publishes made. */
  sent: number;
  /** Publishes the broker acknowledged (the publish call resolved). */
  acked: number;
  /** Publishes that rejected. */
  rejected: number;
  /** Publishes neither resolved nor rejected by the end. */
  unsettled: number;
  /** Events that reached the handler at least once. */
  received: number;
  /** Extra receipts of events that reached the handler more than once. */
  duplicated: number;
  /** Acknowledged events that never reached the handler. */
  lost: number;
  /** Rejected publishes whose event reached the handler anyway. */
  rejectedButReceived: number;
}

/** Samples `process.memoryUsage().heapUsed` and keeps the peak above a baseline. */
export class HeapSampler {
  private baseline = 0;
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;

  /** Take the baseline (after a full GC when `--expose-gc` is on) and sample every `everyMs`. */
  start(everyMs = 50): void {
    (globalThis as { gc?: () => void }).gc?.();
    this.baseline = process.memoryUsage().heapUsed;
    this.peak = this.baseline;
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    const used = process.memoryUsage().heapUsed;
    if (used > this.peak) this.peak = used;
  }

  /** Stop sampling; the peak growth above the baseline in MB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return (this.peak - this.baseline) / 1e6;
  }
}

/** Counts a connector's status changes away from `connected`, with when and why. */
export class DropCounter {
  count = 0;
  /** `+12.3 s (Keepalive timeout)` for each drop. */
  readonly drops: string[] = [];
  private armed = true;
  private previous: string | undefined;

  constructor(private readonly since: number) {}

  /** The listener to give `onStatus`. */
  readonly listener = (change: MqttStatusChange): void => {
    if (this.armed && this.previous === 'connected' && change.status !== 'connected') {
      this.count++;
      const at = ((performance.now() - this.since) / 1000).toFixed(1);
      this.drops.push(
        `+${at} s ${change.status}${change.cause ? ` (${change.cause.message})` : ''}`,
      );
    }
    this.previous = change.status;
  };

  /** Stop counting (before the benchmark's own disconnect). */
  disarm(): void {
    this.armed = false;
  }
}

/**
 * When things happened on the wire of an mqtt.js client (`connack`, `suback` received): reads the
 * client a Busline connector exposes as `mqttClient`, to tell what came first after a restart.
 */
export class WireTimes {
  private readonly times: number[] = [];
  private client: MqttClient | undefined;

  constructor(private readonly cmd: 'connack' | 'suback') {}

  /** Listen to `client` (again, if the connector now has another one). */
  follow(client: MqttClient | undefined): void {
    if (client === undefined || client === this.client) return;
    this.client = client;
    client.on('packetreceive', (packet) => {
      if (packet.cmd === this.cmd) this.times.push(performance.now());
    });
  }

  /** The first time at or after `since` (`performance.now()` time), if any. */
  firstSince(since: number): number | undefined {
    return this.times.find((t) => t >= since);
  }
}

/** When a connector reported `connected`. */
export class ConnectedTimes {
  private readonly times: number[] = [];

  /** The listener to give `onStatus`. */
  readonly listener = (change: MqttStatusChange): void => {
    if (change.status === 'connected') this.times.push(performance.now());
  };

  /** The first `connected` at or after `since` (`performance.now()` time), if any. */
  firstSince(since: number): number | undefined {
    return this.times.find((t) => t >= since);
  }
}

/** `+12.3 ms` after `since`, or `n/a`. */
export function after(time: number | undefined, since: number): string {
  return time === undefined ? 'n/a' : `+${(time - since).toFixed(1)} ms`;
}

/** The MQTT side of a client, as far as the timeline needs it. */
interface MqttConnector {
  readonly mqttClient: MqttClient | undefined;
  onStatus(listener: (change: MqttStatusChange) => void): () => void;
}

/**
 * What happened after a broker restart, in order: the subscriber's SUBACK (its subscription is
 * back), the publisher's CONNACK and the publisher's `connected`. (mqtt.js' own offline store is
 * sent from the CONNACK on, and mqtt.js reports `connect` once it is sent; a publisher that keeps
 * its own queue may wait for more.)
 */
export class RestartTimeline {
  private readonly suback = new WireTimes('suback');
  private readonly connack = new WireTimes('connack');
  private readonly connected = new ConnectedTimes();

  constructor(
    private readonly subscriber: MqttConnector,
    private readonly publisher: MqttConnector,
  ) {
    publisher.onStatus(this.connected.listener);
    this.follow();
  }

  /** Listen to the connectors' current mqtt.js clients (call after connect and before restarts). */
  follow(): void {
    this.suback.follow(this.subscriber.mqttClient);
    this.connack.follow(this.publisher.mqttClient);
  }

  /** The subscriber's first SUBACK since `since`. */
  subackSince(since: number): number | undefined {
    return this.suback.firstSince(since);
  }

  /** The publisher's first CONNACK since `since`. */
  connackSince(since: number): number | undefined {
    return this.connack.firstSince(since);
  }

  /** `subscriber SUBACK +3.1 ms, publisher CONNACK +1.2 ms, publisher 'connected' +40.0 ms`. */
  describe(since: number): string {
    const suback = this.suback.firstSince(since);
    const connack = this.connack.firstSince(since);
    const order =
      suback !== undefined && connack !== undefined
        ? suback <= connack
          ? ' (SUBACK first)'
          : ' (publisher CONNACK first)'
        : '';
    return (
      `subscriber SUBACK ${after(suback, since)}, publisher CONNACK ${after(connack, since)}, ` +
      `publisher 'connected' ${after(this.connected.firstSince(since), since)}${order}`
    );
  }
}

/** A logger that keeps Busline's log lines (ids and ports masked) with their counts. */
export class CollectingLogger implements BuslineLogger {
  readonly lines = new Map<string, number>();

  private keep(level: string, message: string): void {
    const line = `${level}: ${maskIds(message)}`;
    this.lines.set(line, (this.lines.get(line) ?? 0) + 1);
  }

  log = (message: string): void => this.keep('log', message);
  warn = (message: string): void => this.keep('warn', message);
  error = (message: string): void => this.keep('error', message);

  /** The distinct lines, most frequent first, as `3x warn: ...`. */
  summary(limit = 8): string[] {
    return [...this.lines]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([line, count]) => `${count}x ${line}`);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How a {@link waitFor} ended. */
export type WaitOutcome = 'done' | 'quiet' | 'timeout';

/**
 * Polls `done()` every 20 ms until it is true, or `timeoutMs` passed, or (when given) `progress()`
 * has not changed for `quietMs`.
 */
export async function waitFor(
  done: () => boolean,
  timeoutMs: number,
  quiet?: { progress: () => number; quietMs: number },
): Promise<WaitOutcome> {
  const giveUp = performance.now() + timeoutMs;
  let last = quiet?.progress();
  let lastChange = performance.now();
  for (;;) {
    if (done()) return 'done';
    const now = performance.now();
    if (now > giveUp) return 'timeout';
    if (quiet !== undefined) {
      const current = quiet.progress();
      if (current !== last) {
        last = current;
        lastChange = now;
      } else if (now - lastChange > quiet.quietMs) return 'quiet';
    }
    await sleep(20);
  }
}
