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
 *     [--from 100000] [--to 400000] [--functions 15]
 *
 * `--functions N` also lists, per contender, the N functions whose counts per publish are the
 * largest, JIT-compiled JavaScript and V8's builtins included: callgrind counts every instruction
 * address (`--dump-instr=yes`) and `node --perf-basic-prof` writes the map of what V8 compiled
 * where (/tmp/perf-<pid>.map, removed afterwards).
 *
 * Needs valgrind (Debian: apt-get install valgrind). Counts are not times: a mispredicted branch
 * costs ~15 cycles, a cache miss more, and neither shows in the instruction count.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const functions = Number(option('functions', '0'));
const work = functions > 0 ? mkdtempSync(join(tmpdir(), 'busline-instructions-')) : undefined;

/**
 * callgrind's totals for one run: instructions, branches and their mispredictions; with
 * `--functions`, per function too (`byFunction`).
 */
function count(contender, publishes) {
  const out = work === undefined ? '/dev/null' : join(work, `${contender}-${publishes}.out`);
  const run = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--branch-sim=yes',
      ...(work === undefined ? [] : ['--dump-instr=yes']),
      `--callgrind-out-file=${out}`,
      process.execPath,
      '--single-threaded',
      '--random-seed=42',
      ...(work === undefined ? [] : ['--perf-basic-prof']),
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
  const sums = totals[1].trim().split(/ +/).map(Number);
  if (work === undefined) return { sums };
  const map = `/tmp/perf-${run.pid}.map`;
  const byFunction = perFunction(out, readCodeMap(map));
  rmSync(map, { force: true });
  rmSync(out, { force: true });
  return { sums, byFunction };
}

/** What V8 compiled where, from a `--perf-basic-prof` map: `[start, end, name]`, by start. */
function readCodeMap(path) {
  const ranges = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (match === null) continue;
    const start = parseInt(match[1], 16);
    ranges.push([start, start + parseInt(match[2], 16), match[3]]);
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

/** The name V8's map gives `address`, or undefined (binary search over the sorted ranges). */
function codeAt(ranges, address) {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (ranges[mid][0] > address) high = mid - 1;
    else if (ranges[mid][1] <= address) low = mid + 1;
    else return ranges[mid][2];
  }
  return undefined;
}

/** One name for a function however it came: no addresses, no bench cache directory. */
function functionName(name) {
  return name
    .replace(/^Builtin:/, 'Builtins_')
    .replace(/^(JS|LazyCompile):/, '')
    .replace(/\S*\/busline-bench\/[0-9a-f]+\//, '')
    .replace(/\((?!anonymous namespace\)).*$/, ''); // a C++ function's parameters
}

/**
 * Self cost per function of a callgrind output written with `--dump-instr=yes`: lines of
 * "address line costs..." whose addresses may be relative to the line before ("+4", "-8", "*");
 * the line after a "calls=" line is the call's inclusive cost and is skipped. Code that valgrind
 * knows by address only (what V8 compiled) is named from `ranges`.
 */
function perFunction(path, ranges) {
  const names = new Map();
  const costs = new Map();
  let fn = '?';
  let address = 0;
  let skipNext = false;
  const position = (token, previous) =>
    token === '*' ? previous : /^[+-]/.test(token) ? previous + Number(token) : Number(token);
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('fn=') || line.startsWith('cfn=')) {
      const match = /^c?fn=\((\d+)\)(?: (.*))?$/.exec(line);
      if (match[2] !== undefined) names.set(match[1], match[2]);
      if (line.startsWith('fn=')) fn = names.get(match[1]) ?? '?';
    } else if (line.startsWith('calls=')) {
      skipNext = true;
    } else if (/^[\d+*-]/.test(line)) {
      const fields = line.split(' ');
      address = position(fields[0], address);
      if (skipNext) {
        skipNext = false;
        continue;
      }
      const name = functionName(
        (/^0x[0-9a-f]+$/.test(fn) || fn === '?' ? codeAt(ranges, address) : undefined) ?? fn,
      );
      let sums = costs.get(name);
      if (sums === undefined) costs.set(name, (sums = [0, 0, 0, 0, 0]));
      for (let k = 0; k < 5 && k + 2 < fields.length; k++) sums[k] += Number(fields[k + 2]);
    }
  }
  return costs;
}

console.log(`${scenario}: per publish, ${to - from} publishes (${from} to ${to})`);
console.log('| contender | instructions | branches | mispredicted | indirect | mispredicted |');
console.log('|---|---|---|---|---|---|');
const lists = [];
for (const contender of contenders) {
  const before = count(contender, from);
  const after = count(contender, to);
  const per = after.sums.map((total, k) => (total - before.sums[k]) / (to - from));
  const [ir, bc, bcm, bi, bim] = per;
  console.log(
    `| ${contender} | ${ir.toFixed(0)} | ${bc.toFixed(0)} | ${bcm.toFixed(1)} | ${bi.toFixed(1)} | ${bim.toFixed(2)} |`,
  );
  if (work !== undefined) lists.push([contender, functionDifferences(before, after)]);
}
for (const [contender, rows] of lists) {
  console.log(`\n${contender}: the ${functions} largest functions, per publish`);
  console.log('| function | instructions | branches | mispredicted | indirect | mispredicted |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, [ir, bc, bcm, bi, bim]] of rows.slice(0, functions)) {
    console.log(
      `| ${name} | ${ir.toFixed(0)} | ${bc.toFixed(0)} | ${bcm.toFixed(2)} | ${bi.toFixed(1)} | ${bim.toFixed(2)} |`,
    );
  }
}
if (work !== undefined) rmSync(work, { recursive: true, force: true });

/** Per function, the difference per publish between two runs, largest first. */
function functionDifferences(before, after) {
  const rows = [];
  for (const name of new Set([...before.byFunction.keys(), ...after.byFunction.keys()])) {
    const a = before.byFunction.get(name) ?? [0, 0, 0, 0, 0];
    const b = after.byFunction.get(name) ?? [0, 0, 0, 0, 0];
    rows.push([name, b.map((total, k) => (total - a[k]) / (to - from))]);
  }
  return rows.sort((x, y) => Math.abs(y[1][0]) - Math.abs(x[1][0]));
}
