import type { Size } from '../../harness/types';

/**
 * What a local-dispatch case subscribes and publishes. Every topic of `topics` matches exactly one
 * filter, which `handlersPerFilter` handlers listen to, so every publish makes `handlersPerFilter`
 * deliveries whatever the contender.
 */
export interface LocalWorkload {
  /** Topic filters to subscribe (MQTT syntax: '+' one level, '#' the rest). */
  filters: string[];
  /** Topics published, in turn. */
  topics: string[];
  /** Listeners per filter (fan-out). */
  handlersPerFilter: number;
  /** Whether `filters` contain wildcards. */
  wildcard: boolean;
}

/** Distinct topics published in the wildcard cases (spread over all the filters). */
const WILDCARD_TOPIC_POOL = 10_000;

/**
 * Wildcard filters `sensors/<n>/+/temp` (all but one) and `orders/#`, and a pool of topics spread
 * over the first `spreadOver` of them: one in ten goes to `orders/<n>/created`, the others to
 * `sensors/<n>/room<k>/temp`.
 */
function wildcardWorkload(count: number, spreadOver = count): LocalWorkload {
  const sensors = count - 1;
  const filters: string[] = [];
  for (let n = 0; n < sensors; n++) filters.push(`sensors/${n}/+/temp`);
  filters.push('orders/#');
  const topics: string[] = [];
  for (let j = 0; j < WILDCARD_TOPIC_POOL; j++) {
    topics.push(
      j % 10 === 9
        ? `orders/${j}/created`
        : `sensors/${(j * 7919) % (spreadOver - 1)}/room${j % 7}/temp`,
    );
  }
  return { filters, topics, handlersPerFilter: 1, wildcard: true };
}

/** The workload of a case of the local scenario. */
export function localWorkload(name: string, size: Size): LocalWorkload {
  const small = size === 'smoke';
  switch (name) {
    case 'one':
      return {
        filters: ['bench/one'],
        topics: ['bench/one'],
        handlersPerFilter: 1,
        wildcard: false,
      };
    case 'fanout-10':
      return {
        filters: ['bench/fanout'],
        topics: ['bench/fanout'],
        handlersPerFilter: 10,
        wildcard: false,
      };
    case 'topics-1000': {
      const filters = Array.from({ length: small ? 50 : 1000 }, (_, i) => `bench/topic/${i}`);
      // Round-robin over the topics, in a scrambled order.
      const topics = filters.map((_, i) => filters[(i * 7919) % filters.length]);
      return { filters, topics, handlersPerFilter: 1, wildcard: false };
    }
    case 'wildcard-10':
      return wildcardWorkload(10);
    case 'wildcard-1000':
      return wildcardWorkload(small ? 100 : 1000);
    case 'wildcard-100000':
      return wildcardWorkload(small ? 200 : 100_000);
    case 'wildcard-100000-same-topics':
      // The topics of 'wildcard-10': only the subscription count differs.
      return wildcardWorkload(small ? 200 : 100_000, 10);
    default:
      throw new Error(`unknown local case '${name}'`);
  }
}

/** The distinct topics of `workload.topics`: what a contender without wildcards listens to. */
export function distinctTopics(workload: LocalWorkload): string[] {
  return [...new Set(workload.topics)];
}
