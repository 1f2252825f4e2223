/* global process, console */
/*
 * Instructions and branch mispredictions per publish of local contenders, counted by valgrind
 * (callgrind with its branch simulator), not timed: the same figures on a busy or a quiet
 * machine, where wall-clock medians of a VM move by 5-10% between runs. Each contender runs
 * `local.profile.js --count` twice, for `--from` and `--to` publishes, in `node
 * --single-threaded` (the JIT compiles on the main thread, counted like the rest); the difference
 * over the extra publishes is the steady state, start-up and warm-up cancelled out.
 *
 *   node bench/profile/instructions.mjs [--case one] [--contender busline,eventemitter2] \
 *     [--from 100000] [--to 400000]
 *
 * Needs valgrind (Debian: apt-get install valgrind). Counts are not times: a mispredicted branch
 * costs ~15 cycles, a cache miss more, and neither shows in the instruction count.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// Builds the bench cache and prints its directory.
const build = spawnSync(process.execPath, [join(root, 'bench/main.mjs'), '--build-only'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (build.status !== 0) process.exit(1);
const driver = join(build.stdout.trim(), 'bench/profile/local.profile.js');

const scenario = option('case', 'one');
const contenders = option('contender', 'busline,floor-contract,eventemitter2').split(',');
const from = Number(option('from', '100000'));
const to = Number(option('to', '400000'));
if (!(to > from && from > 0)) throw new Error('--to must be above --from, both above 0');

/** callgrind's totals for one run: instructions, branches and their mispredictions. */
function count(contender, publishes) {
  const run = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--branch-sim=yes',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      '--single-threaded',
      '--random-seed=42',
      driver,
      '--contender',
      contender,
      '--case',
      scenario,
      '--count',
      String(publishes),
    ],
    { encoding: 'utf8' },
  );
  if (run.error) throw new Error(`valgrind could not run (${run.error.message}): install it`);
  const totals = /Collected : ([\d ]+)/.exec(run.stderr);
  if (run.status !== 0 || totals === null) {
    throw new Error(`${contender}: valgrind exited ${run.status}\n${run.stderr.slice(-2000)}`);
  }
  // Ir, Bc (conditional branches), Bcm (mispredicted), Bi (indirect), Bim (mispredicted).
  return totals[1].trim().split(/ +/).map(Number);
}

console.log(`${scenario}: per publish, ${to - from} publishes (${from} to ${to})`);
console.log('| contender | instructions | branches | mispredicted | indirect | mispredicted |');
console.log('|---|---|---|---|---|---|');
for (const contender of contenders) {
  const before = count(contender, from);
  const after = count(contender, to);
  const per = after.map((total, k) => (total - before[k]) / (to - from));
  const [ir, bc, bcm, bi, bim] = per;
  console.log(
    `| ${contender} | ${ir.toFixed(0)} | ${bc.toFixed(0)} | ${bcm.toFixed(1)} | ${bi.toFixed(1)} | ${bim.toFixed(2)} |`,
  );
}
