/*
 * One chaos scenario in a fresh process (`node --expose-gc chaos.worker.js '<job json>'`), so its
 * heap figure is its own. Prints the row as the last line of stdout, after RESULT_PREFIX.
 */
import 'reflect-metadata';
import { runBrokerRestart } from './broker-restart';
import { RESULT_PREFIX, type ChaosJob } from './jobs';
import { runReplayKill } from './replay-kill';
import { runSlowConsumer } from './slow-consumer';

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as ChaosJob;
  const row =
    job.kind === 'slow-consumer'
      ? await runSlowConsumer(job)
      : job.kind === 'broker-restart'
        ? await runBrokerRestart(job)
        : await runReplayKill(job);
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(row)}\n`);
}

if (require.main === module) {
  // The runner sends SIGTERM past its time limit: exit, which SIGKILLs the private broker.
  process.on('SIGTERM', () => process.exit(1));
  process.on('SIGINT', () => process.exit(1));
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
