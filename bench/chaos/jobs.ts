/** The chaos jobs of a run, and what the runner and its workers share. */
import type { BrokerRestartJob } from './broker-restart';
import type { ReplayKillJob } from './replay-kill';
import type { SlowConsumerJob } from './slow-consumer';

/** A chaos job, as the runner hands it to a worker. */
export type ChaosJob = SlowConsumerJob | BrokerRestartJob | ReplayKillJob;

/** Marks the line of a worker's stdout that carries its row. */
export const RESULT_PREFIX = '@@busline-chaos ';

/** What the command line chose. */
export interface ChaosChoice {
  /** The measured short case (keepalive 5 s, 25 ms handler, 1,600 events). */
  short: boolean;
  /** Tries of the restart scenarios, when not their default. */
  tries: number | undefined;
  /** `max_queued_messages` of the QoS 1/2 slow-consumer brokers; `undefined`: Mosquitto's default. */
  maxQueued: number | undefined;
}

/** The jobs by name, in the order they run. */
export function chaosJobs(choice: ChaosChoice): [name: string, job: ChaosJob][] {
  const slow = (qos: 0 | 1 | 2): SlowConsumerJob => ({
    kind: 'slow-consumer',
    qos,
    events: choice.short ? 1_600 : 2_700,
    handlerMs: choice.short ? 25 : 70,
    keepalive: choice.short ? 5 : undefined,
    // QoS 0 runs against Mosquitto's default queue: its drops there are the point of that variant.
    maxQueuedMessages: qos === 0 ? undefined : choice.maxQueued,
    payloadSize: 256,
    quietMs: choice.short ? 8_000 : 15_000,
  });
  return [
    ['slow-qos1', slow(1)],
    ['slow-qos2', slow(2)],
    ['slow-qos0', slow(0)],
    [
      'restart',
      {
        kind: 'broker-restart',
        tries: choice.tries ?? (choice.short ? 5 : 10),
        eventsPerTry: 20,
        outageMs: 1_000,
        payloadSize: 256,
      },
    ],
    [
      'replay',
      {
        kind: 'replay-kill',
        tries: choice.tries ?? (choice.short ? 3 : 5),
        queued: 1_000,
        maxExtra: 200,
        payloadSize: 256,
      },
    ],
  ];
}

/** How long the runner lets a job's process run before it stops it (its own bounds come first). */
export function timeLimitMs(job: ChaosJob): number {
  switch (job.kind) {
    case 'slow-consumer':
      // publishing (<= 120 s) + the backlog x 1.5 + 60 s + the ending
      return 120_000 + job.events * job.handlerMs * 1.5 + 60_000 + 60_000;
    case 'broker-restart':
      return 60_000 + job.tries * 45_000;
    case 'replay-kill':
      return 60_000 + job.tries * 60_000;
  }
}
