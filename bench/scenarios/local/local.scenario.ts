import { measureThroughput, type LoopBudget } from '../../harness/loop';
import type { Job, Measurement, ScenarioDef } from '../../harness/types';
import { LOCAL_CONTENDERS } from './contenders';
import { localWorkload } from './workload';

// 'busline-traced': Busline with an OpenTelemetry tracer provider registered (see traced-provider.ts).
const ALL = [
  'eventemitter',
  'busline',
  'busline-traced',
  'eventemitter2',
  'emittery',
  'rxjs',
] as const;
const WILDCARD = ['eventemitter', 'busline', 'busline-traced', 'eventemitter2', 'rxjs'] as const;
// RxJS tests every filter on every publish: ~14 publishes/s with 100,000 filters in a trial run,
// a minute per batch of 1,000; it sits those cases out.
const WILDCARD_LARGE = ['eventemitter', 'busline', 'eventemitter2'] as const;

/**
 * Warm-up before measuring: in a fresh process Busline's one-handler rate climbs for up to 1 s
 * while the JIT compiles (once, in six runs on a 2-vCPU VM, to 1.25 s), so a shorter warm-up
 * would time the compiler as much as the bus.
 */
const WARMUP_MS = 1000;

/** Publishing is measured over this long, after the warm-up. */
const MEASURE_MS = 600;

/** Local dispatch: publish -> async handler, in one process. */
export const localScenario: ScenarioDef = {
  name: 'local',
  title: 'Local dispatch (publish -> async handler), publishes per second',
  reference: 'eventemitter',
  metrics: [{ key: 'rate', label: 'publishes/s', better: 'higher', format: 'rate', ratio: true }],
  cases: [
    {
      name: 'one',
      title: 'one subscriber',
      contenders: ALL,
      namedOnly: ['floor', 'floor-contract'],
      compareTo: ['eventemitter2', 'emittery'],
    },
    {
      name: 'fanout-10',
      title: '10 subscribers (fan-out)',
      contenders: ALL,
      namedOnly: ['floor', 'floor-contract'],
      compareTo: ['eventemitter2'],
    },
    {
      name: 'topics-1000',
      title: '1,000 topics, one subscriber each',
      contenders: ALL,
      namedOnly: ['floor', 'floor-contract'],
      compareTo: ['eventemitter2'],
    },
    {
      name: 'wildcard-10',
      title: '10 wildcard subscriptions',
      contenders: WILDCARD,
      compareTo: ['eventemitter2'],
    },
    {
      name: 'wildcard-1000',
      title: '1,000 wildcard subscriptions',
      contenders: WILDCARD,
      compareTo: ['eventemitter2'],
    },
    {
      name: 'wildcard-100000',
      title: '100,000 wildcard subscriptions, topics spread over all of them',
      contenders: WILDCARD_LARGE,
      compareTo: ['eventemitter2'],
    },
    {
      name: 'wildcard-100000-same-topics',
      title: "100,000 wildcard subscriptions, the topics of 'wildcard-10'",
      contenders: WILDCARD_LARGE,
      compareTo: ['eventemitter2'],
    },
  ],
  derived: ['busline', 'eventemitter2'].flatMap((contender) => [
    {
      title: `${contender}: publish cost, 100,000 wildcard subscriptions / 10 (same topics)`,
      metric: 'rate',
      numerator: { case: 'wildcard-10', contender },
      denominator: { case: 'wildcard-100000-same-topics', contender },
    },
    {
      title: `${contender}: publish cost, 100,000 wildcard subscriptions (topics spread over all) / 10`,
      metric: 'rate',
      numerator: { case: 'wildcard-10', contender },
      denominator: { case: 'wildcard-100000', contender },
    },
  ]),
  notes: [
    "'busline-traced' is Busline with an OpenTelemetry tracer provider registered (the SDK's, every",
    'span sampled, then dropped by its span processor): its ratio to busline is the cost of tracing.',
    'Every publish reaches its handlers (an async function counting deliveries); the publisher',
    'awaits publish() where it returns a promise and yields to the event loop every 1,000 publishes.',
    `Each measurement publishes for ${MEASURE_MS / 1000} s after a ${WARMUP_MS / 1000} s warm-up (the JIT still compiles before that).`,
    "Wildcard filters are 'sensors/<n>/+/temp' (all but one) and 'orders/#'; the topics published",
    "are spread over all of them (10,000 distinct topics), except in 'wildcard-100000-same-topics',",
    "which publishes the topics of 'wildcard-10' (only the number of subscriptions differs).",
    'EventEmitter has no wildcards: there it listens to the exact topics',
    'published (the cost of dispatch without matching). emittery has no wildcards and sits out.',
    'RxJS: one Subject, one filter() per subscription (a compiled predicate each); it tests every',
    'filter on every publish (~14 publishes/s with 100,000 filters) and sits the 100,000 cases out.',
  ],
};

function budget(job: Job): LoopBudget {
  if (job.size === 'smoke') return { warmupMs: 0, measureMs: 0, drainTimeoutMs: 30_000 };
  return {
    warmupMs: Number(job.settings.warmupMs ?? WARMUP_MS),
    measureMs: Number(job.settings.measureMs ?? MEASURE_MS),
    drainTimeoutMs: 60_000,
  };
}

/** Worker side: set the contender up for the case and measure its throughput. */
export async function runLocal(job: Job): Promise<Measurement> {
  const setup = LOCAL_CONTENDERS[job.contender];
  if (setup === undefined) throw new Error(`unknown local contender '${job.contender}'`);
  const workload = localWorkload(job.case, job.size);
  const contender = await setup(workload);
  const rate = await measureThroughput(
    contender.publish,
    contender.received,
    workload.handlersPerFilter,
    budget(job),
  );
  await contender.close();
  return { rate };
}
