/*
 * The benchmark runner (compiled and started by bench/main.mjs):
 *
 *   node bench/main.mjs [scenario ...] [--reps N] [--smoke] [--case a,b] [--contender a,b]
 *                       [--set key=value ...] [--json file] [--markdown file]
 *
 * Each measurement runs in a fresh `node` process. A repetition measures every case of a scenario
 * once per contender, the contenders in a rotated order each repetition; ratios are taken against
 * the reference of the same repetition, then the median over the repetitions.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { renderScenario, type Results } from './harness/report';
import type { Job, Measurement, Size } from './harness/types';
import { SCENARIOS, type ScenarioEntry } from './scenarios/registry';
import { RESULT_PREFIX } from './worker';

interface Options {
  scenarios: string[];
  reps: number | undefined;
  size: Size;
  cases: string[] | undefined;
  contenders: string[] | undefined;
  settings: Record<string, string>;
  json: string | undefined;
  markdown: string | undefined;
  /** `--node-flag`: flags of every worker process (after the scenario's own). */
  nodeFlags: string[];
  /** `--against`: the worker compiled with another revision's library, and its label (main.mjs). */
  against: { worker: string; label: string } | undefined;
}

const USAGE = `node bench/main.mjs [scenario ...] [options]

Scenarios: ${SCENARIOS.map((s) => s.def.name).join(', ')} (all when none is named).
  --reps N           repetitions (default: 5 local and serialization, 3 memory, mqtt and load;
                     1 with --smoke)
  --smoke            tiny counts, one repetition: checks the benchmarks run, measures nothing
  --case a,b         only these cases
  --contender a,b    only these contenders; also the floors a case has (floor, floor-contract,
                     floor-json, floor-binary: plain code doing the least any implementation must)
                     and busline-binary-publisher, -subscriber (MQTT: Busline on that side only)
  --set key=value    scenario settings: warmupMs, measureMs (local, serialization, mqtt),
                     mosquitto=mqtt://host:port, latencyCount, latencyRate (mqtt),
                     loadRuns (load: processes per entry, default 11)
  --json file        write every measurement as JSON
  --markdown file    write the tables as Markdown
  --against rev      measure every Busline contender with the library of git revision rev too
                     (same harness, interleaved) and add a column: the figure now over the figure
                     with rev's library (same repetition)
  --node-flag flag   a flag for every worker process, repeatable (for example
                     --node-flag --max-semi-space-size=16)`;

function parse(argv: string[]): Options {
  const options: Options = {
    scenarios: [],
    reps: undefined,
    size: 'full',
    cases: undefined,
    contenders: undefined,
    settings: {},
    json: undefined,
    markdown: undefined,
    against: undefined,
    nodeFlags: [],
  };
  let againstWorker: string | undefined;
  let againstLabel: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--reps') options.reps = Number(value());
    else if (arg === '--smoke') options.size = 'smoke';
    else if (arg === '--case') options.cases = value().split(',');
    else if (arg === '--contender') options.contenders = value().split(',');
    else if (arg === '--json') options.json = value();
    else if (arg === '--markdown') options.markdown = value();
    else if (arg === '--node-flag') options.nodeFlags.push(value());
    else if (arg === '--against-worker') againstWorker = value();
    else if (arg === '--against-label') againstLabel = value();
    else if (arg === '--set') {
      const [key, ...rest] = value().split('=');
      options.settings[key] = rest.join('=');
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else options.scenarios.push(arg);
  }
  if (againstWorker !== undefined && againstLabel !== undefined) {
    options.against = { worker: againstWorker, label: againstLabel };
  }
  return options;
}

/** Runs one measurement in a fresh process; `undefined` (and the output on stderr) if it failed. */
function measure(
  entry: ScenarioEntry,
  job: Job,
  timeoutMs: number,
  nodeFlags: readonly string[],
  worker = join(__dirname, 'worker.js'),
): Promise<Measurement | undefined> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...(entry.def.nodeFlags ?? []), ...nodeFlags, worker, JSON.stringify(job)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line !== undefined) {
        resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as Measurement);
        return;
      }
      process.stderr.write(
        `\n  ${job.scenario}/${job.case}/${job.contender} failed (exit ${code}):\n${stdout}${stderr}\n`,
      );
      resolve(undefined);
    });
  });
}

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
}

/** The contenders `--against` measures at the other revision too. */
function isBusline(contender: string): boolean {
  return contender === 'busline' || contender.startsWith('busline-');
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % Math.max(1, items.length);
  return [...items.slice(k), ...items.slice(0, k)];
}

async function runScenario(
  entry: ScenarioEntry,
  options: Options,
): Promise<{
  results: Results;
  reps: number;
  failures: number;
  settings: Record<string, string>;
  skipped: string[];
}> {
  const def = entry.def;
  const against = options.against;
  const reps = options.reps ?? (options.size === 'smoke' ? 1 : (entry.reps ?? 5));
  const prepared = entry.prepare
    ? await entry.prepare(options.settings, options.size)
    : { settings: options.settings, close: async () => undefined };
  const results: Results = {};
  let failures = 0;
  const skipped: string[] = [];
  const cases = def.cases.filter((c) => {
    if (options.cases && !options.cases.includes(c.name)) return false;
    if (!options.cases && options.size === 'smoke' && entry.smokeCases) {
      if (!entry.smokeCases.includes(c.name)) return false;
    }
    const why = entry.skip?.(c.name, prepared.settings);
    if (why !== undefined) skipped.push(`${c.name}: ${why}`);
    return why === undefined;
  });
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const c of cases) {
        const named = options.contenders;
        const contenders = [...c.contenders, ...(c.namedOnly ?? [])]
          .filter((x) => (named ? named.includes(x) : c.contenders.includes(x)))
          .flatMap((x) => (against && isBusline(x) ? [x, `${x}@${against.label}`] : [x]));
        for (const contender of rotate(contenders, rep)) {
          progress(`${def.name} rep ${rep + 1}/${reps}: ${c.name} ${contender}`);
          const [name, revision] = contender.split('@');
          const job: Job = {
            scenario: def.name,
            case: c.name,
            contender: name,
            size: options.size,
            settings: prepared.settings,
          };
          const worker = revision === undefined ? undefined : against!.worker;
          const measurement = await measure(
            entry,
            job,
            entry.timeoutMs ?? 180_000,
            options.nodeFlags,
            worker,
          );
          if (measurement === undefined) failures++;
          ((results[c.name] ??= {})[contender] ??= [])[rep] = measurement;
        }
      }
    }
  } finally {
    await prepared.close();
  }
  progress('');
  return { results, reps, failures, settings: prepared.settings, skipped };
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const selected = options.scenarios.length
    ? options.scenarios.map((name) => {
        const entry = SCENARIOS.find((s) => s.def.name === name);
        if (!entry) {
          throw new Error(
            `unknown scenario '${name}'; known: ${SCENARIOS.map((s) => s.def.name).join(', ')}`,
          );
        }
        return entry;
      })
    : [...SCENARIOS];
  if (options.against && selected.some((entry) => entry.def.name === 'load')) {
    // The load cells time the built package (dist/), which --against does not build.
    throw new Error('--against compares compiled sources: leave out the load scenario');
  }
  const started = Date.now();
  const machine =
    `Node ${process.version}, ${process.platform}/${process.arch}, ` +
    `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB`;
  console.log(`# Busline benchmarks (${options.size})\n\n${machine}\n`);
  const sections: string[] = [];
  const raw: Record<string, unknown> = {};
  let failures = 0;
  for (const entry of selected) {
    const run = await runScenario(entry, options);
    failures += run.failures;
    let text = renderScenario(entry.def, run.results, run.reps, options.against?.label);
    if (run.skipped.length > 0) text += `\n\nSkipped: ${run.skipped.join('; ')}`;
    sections.push(text);
    raw[entry.def.name] = { reps: run.reps, settings: run.settings, results: run.results };
    console.log(`${text}\n`);
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`(${minutes} min${failures ? `, ${failures} failed measurement(s)` : ''})`);
  if (options.json) {
    writeFileSync(options.json, JSON.stringify({ machine, size: options.size, raw }, null, 2));
  }
  if (options.markdown) {
    writeFileSync(options.markdown, `${machine}\n\n${sections.join('\n\n')}\n`);
  }
  if (failures > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
