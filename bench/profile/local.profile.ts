/*
 * Profile driver for one local scenario (issue 14): one contender, the benchmark's workload and
 * publish loop (await each publish, yield every 1,000), for `--ms` milliseconds, or for exactly
 * `--count` publishes and their deliveries (what `instructions.mjs` counts). Built with the bench
 * (`node bench/main.mjs --build-only` prints the cache's directory), run from the bench cache:
 *
 *   node --cpu-prof --cpu-prof-dir /tmp/prof \
 *     node_modules/.cache/busline-bench/<checkout>/bench/profile/local.profile.js \
 *     --contender busline --case fanout-10 --ms 3000
 */
import { performance } from 'node:perf_hooks';
import { publishCount } from '../harness/loop';
import { LOCAL_CONTENDERS } from '../scenarios/local/contenders';
import { localWorkload } from '../scenarios/local/workload';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}

async function main(): Promise<void> {
  const name = option('contender', 'busline');
  const scenario = option('case', 'fanout-10');
  const ms = Number(option('ms', '3000'));
  const count = option('count', '');
  const workload = localWorkload(scenario, 'full');
  const contender = await LOCAL_CONTENDERS[name](workload);
  if (count !== '') {
    const { publish, received } = contender;
    await publishCount(Number(count), 0, publish, received, workload.handlersPerFilter);
    await contender.close();
    return;
  }
  let i = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  const end = start + ms;
  while (performance.now() < end) {
    for (let k = 0; k < 1000; k++, i++) {
      const sent = contender.publish(i);
      if (sent !== undefined) await sent;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  console.log(
    `${name} ${scenario}: ${(i / seconds / 1e6).toFixed(2)}M publishes/s, ` +
      `${((1000 * (used.user + used.system)) / i).toFixed(0)} ns CPU per publish`,
  );
  await contender.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
