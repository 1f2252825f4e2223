import { publishCount } from '../../harness/loop';
import type { Job, Measurement, ScenarioDef } from '../../harness/types';
import { LOCAL_CONTENDERS } from '../local/contenders';
import { localWorkload } from '../local/workload';

/** Heap after many local events (must stay flat) and the heap a subscription costs. */
export const memoryScenario: ScenarioDef = {
  name: 'memory',
  title: 'Memory: heap retained per event after many local events, and per subscription',
  reference: 'eventemitter',
  nodeFlags: ['--expose-gc'],
  metrics: [
    {
      key: 'retainedPerEvent',
      label: 'heap retained per event',
      better: 'lower',
      format: 'bytes',
      ratio: false,
    },
    { key: 'growth', label: 'heap growth', better: 'lower', format: 'bytes', ratio: false },
    {
      key: 'perSubscription',
      label: 'heap per subscription',
      better: 'lower',
      format: 'bytes',
      ratio: true,
    },
  ],
  cases: [
    {
      name: 'one-subscriber',
      title: '1,000,000 events, one subscriber, nobody iterating',
      contenders: ['eventemitter', 'busline', 'busline-idle-iterator', 'eventemitter2'],
    },
    {
      name: 'subscriptions-100000',
      title: '100,000 wildcard subscriptions, 1,000,000 events spread over them',
      contenders: ['eventemitter', 'busline', 'eventemitter2'],
      reference: 'eventemitter2',
    },
  ],
  notes: [
    'Heap used after a full GC (node --expose-gc), measured after 10,000 warm-up events and again',
    'after the 1,000,000 measured ones; "retained per event" is the difference over 1,000,000.',
    '"busline-idle-iterator" also opens an inboundEvents iterator it never reads: its buffer is',
    'bounded (inboundBufferSize, 1024 by default), so the heap stays flat there too.',
    'Per subscription: heap after subscribing minus before, over the number of subscriptions',
    '(EventEmitter listens to the 10,000 exact topics published, so its figure is per listener).',
  ],
};

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the memory scenario needs node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Worker side. */
export async function runMemory(job: Job): Promise<Measurement> {
  const setup = LOCAL_CONTENDERS[job.contender];
  if (setup === undefined) throw new Error(`unknown contender '${job.contender}'`);
  const smoke = job.size === 'smoke';
  const workload = localWorkload(
    job.case === 'one-subscriber' ? 'one' : 'wildcard-100000',
    job.size,
  );
  const events = smoke ? 20_000 : 1_000_000;
  const before = heapUsed();
  const contender = await setup(workload);
  const subscribed = heapUsed();
  const { publish, received } = contender;
  await publishCount(smoke ? 1000 : 10_000, 0, publish, received, workload.handlersPerFilter);
  const start = heapUsed();
  await publishCount(events, smoke ? 1000 : 10_000, publish, received, 1);
  const end = heapUsed();
  const listeners =
    job.contender === 'eventemitter' && workload.wildcard
      ? new Set(workload.topics).size
      : workload.filters.length;
  const measurement: Measurement = {
    retainedPerEvent: (end - start) / events,
    growth: end - start,
  };
  if (workload.filters.length > 1) measurement.perSubscription = (subscribed - before) / listeners;
  await contender.close();
  return measurement;
}
