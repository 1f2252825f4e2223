/*
 * One measurement in a fresh process: `node worker.js '<job json>'`. Prints the measurement as the
 * last line of stdout, prefixed with RESULT_PREFIX; anything else on stdout or stderr is passed on.
 */
import type { Job } from './harness/types';
import { SCENARIOS } from './scenarios/registry';

/** Marks the line of stdout that carries the measurement. */
export const RESULT_PREFIX = '@@busline-bench ';

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as Job;
  const entry = SCENARIOS.find((s) => s.def.name === job.scenario);
  if (entry === undefined) throw new Error(`unknown scenario '${job.scenario}'`);
  const run = await entry.load();
  const measurement = await run(job);
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(measurement)}\n`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
