/*
 * Profile driver for one MQTT cell, outside the benchmark's harness (issue 14): one contender,
 * Mosquitto on 127.0.0.1:1883, the same publish loop as the benchmark, for `--ms` milliseconds.
 * Built with the bench (`node bench/main.mjs --build-only`), then run from the bench cache:
 *
 *   node --cpu-prof --cpu-prof-dir /tmp/prof \
 *     node_modules/.cache/busline-bench/<checkout>/bench/profile/mqtt.profile.js \
 *     --contender busline-binary --qos 0 --size 10000 --ms 3000
 *
 * and `node bench/profile/summary.mjs /tmp/prof/<file>.cpuprofile` for the self time by function.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { MQTT_CONTENDERS } from '../scenarios/mqtt/contenders';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}

async function main(): Promise<void> {
  const name = option('contender', 'busline');
  const qos = Number(option('qos', '0')) as 0 | 1 | 2;
  const size = Number(option('size', '100'));
  const ms = Number(option('ms', '3000'));
  const url = option('url', 'mqtt://127.0.0.1:1883');
  const topic = `busline-profile/${randomBytes(6).toString('hex')}`;
  const contender = await MQTT_CONTENDERS[name]({ url, topics: [topic], qos, size });
  const window = 1000;
  let seq = 0;
  const end = performance.now() + ms;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() < end) {
    for (let k = 0; k < 1000; k++, seq++) {
      const sent = contender.publish(seq);
      if (sent !== undefined) await sent;
      while (seq + 1 - contender.received() >= window) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  while (contender.received() < seq) await new Promise((resolve) => setImmediate(resolve));
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  // CPU time per message is the figure to compare on a loaded machine: wall time swings with the
  // load, the work done per message much less. User time is the process's own work (JavaScript,
  // parsing, encoding); system time is mostly the kernel's loopback TCP, broker side included.
  console.log(
    `${name} qos ${qos} ${size} B: ${Math.round(seq / seconds)} msgs/s, CPU per message: ` +
      `${(used.user / seq).toFixed(1)} us user + ${(used.system / seq).toFixed(1)} us system ` +
      `(${seq} messages)`,
  );
  await contender.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
