/*
 * Driver for `bench/profile/instructions.mjs`: one local contender publishes exactly `--count`
 * times with the benchmark's workload and loop (await each publish, yield every 1,000, wait for
 * every delivery), then the process exits. Built with the bench into its cache.
 */
import { publishCount } from '../harness/loop';
import { LOCAL_CONTENDERS } from '../scenarios/local/contenders';
import { localWorkload } from '../scenarios/local/workload';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}

async function main(): Promise<void> {
  const name = option('contender', 'busline');
  const setup = LOCAL_CONTENDERS[name];
  if (setup === undefined) throw new Error(`unknown local contender '${name}'`);
  const workload = localWorkload(option('case', 'one'), 'full');
  const contender = await setup(workload);
  await publishCount(
    Number(option('count', '100000')),
    0,
    contender.publish,
    contender.received,
    workload.handlersPerFilter,
  );
  await contender.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
