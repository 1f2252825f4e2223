/*
 * Profile driver for one local scenario (issue 14): one contender, the benchmark's workload and
 * publish loop (await each publish, yield every 1,000), for `--ms` milliseconds, or for exactly
 * `--count` publishes and their deliveries (what `instructions.mjs` counts). Built with the bench
 * (`node bench/main.mjs --build-only` prints the cache's directory), run from the bench cache:
 *
 *   node --cpu-prof --cpu-prof-dir /tmp/prof \
 *     node_modules/.cache/busline-bench/<checkout>/bench/profile/local.profile.js \
 *     --contender busline --case fanout-10 --ms 3000
 *
 * With `--window <ms>` it also prints the rate of every window of that length, and the median of
 * the second half's: the steady state, where the JIT is done and a slowdown of the machine that
 * lasts a window or two is left out (the tenth round of bench/RESULTS.md ran it pinned to one CPU,
 * `taskset -c 1`, processes of the contenders alternated).
 */
import { performance } from 'node:perf_hooks';
import { publishCount } from '../harness/loop';
import { median } from '../harness/stats';
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
  const windowMs = Number(option('window', String(ms)));
  const rates: number[] = [];
  let i = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  const end = start + ms;
  let windowStart = start;
  let windowFrom = 0;
  while (performance.now() < end) {
    for (let k = 0; k < 1000; k++, i++) {
      const sent = contender.publish(i);
      if (sent !== undefined) await sent;
    }
    await new Promise((resolve) => setImmediate(resolve));
    const now = performance.now();
    if (now - windowStart >= windowMs) {
      rates.push((i - windowFrom) / (now - windowStart) / 1000);
      windowStart = now;
      windowFrom = i;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  console.log(
    `${name} ${scenario}: ${(i / seconds / 1e6).toFixed(2)}M publishes/s, ` +
      `${((1000 * (used.user + used.system)) / i).toFixed(0)} ns CPU per publish`,
  );
  if (rates.length > 1) {
    console.log(`  windows of ${windowMs} ms, M/s: ${rates.map((r) => r.toFixed(2)).join(' ')}`);
    console.log(
      `  steady (median of the second half): ${median(rates.slice(rates.length >> 1)).toFixed(2)}M/s`,
    );
  }
  await contender.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
