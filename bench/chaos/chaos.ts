/*
 * The chaos benchmark of issue 9 (`npm run bench:chaos`, compiled by bench/main.mjs --build-only):
 * delivery under a slow consumer and under broker kills, against private Mosquitto processes.
 *
 *   node node_modules/.cache/busline-bench/bench/chaos/chaos.js [--short] [--only a,b] [--tries N]
 *        [--max-queued N|default] [--serial] [--markdown file]
 *
 * Each scenario runs in a fresh `node --expose-gc` process that starts and stops its own broker.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chaosJobs, RESULT_PREFIX, timeLimitMs, type ChaosChoice, type ChaosJob } from './jobs';
import { renderDetails, renderTable, type ChaosRow } from './report';

const USAGE = `npm run bench:chaos -- [options]

Scenarios: slow-qos1, slow-qos2, slow-qos0 (a slow consumer), restart (one app, broker restarted
empty), replay (broker killed while the publisher replays its offline queue). All by default.
  --short             the issue's measured case: keepalive 5 s, 25 ms handler, 1,600 events (the
                      default is every subscriber default, a 70 ms handler, 2,700 events: 189 s of
                      backlog); fewer tries of the restart scenarios
  --only a,b          only these scenarios
  --tries N           tries of restart and replay (default 10 and 5; 5 and 3 with --short)
  --max-queued N      Mosquitto's max_queued_messages in the QoS 1/2 slow-consumer runs (default
                      10000); 'default' leaves Mosquitto's own (1000)
  --serial            run the slow-consumer variants one after the other (default: side by side,
                      each with its own broker; they mostly sleep in their handlers)
  --markdown file     also write the table and details to this file`;

interface Options extends ChaosChoice {
  only: string[] | undefined;
  serial: boolean;
  markdown: string | undefined;
}

function parse(argv: string[]): Options {
  const options: Options = {
    short: false,
    tries: undefined,
    maxQueued: 10_000,
    only: undefined,
    serial: false,
    markdown: undefined,
  };
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
    } else if (arg === '--short') options.short = true;
    else if (arg === '--serial') options.serial = true;
    else if (arg === '--only') options.only = value().split(',');
    else if (arg === '--markdown') options.markdown = value();
    else if (arg === '--tries') options.tries = positiveInteger(arg, value());
    else if (arg === '--max-queued') {
      const v = value();
      options.maxQueued = v === 'default' ? undefined : positiveInteger(arg, v);
    } else throw new Error(`unknown argument ${arg}\n\n${USAGE}`);
  }
  return options;
}

function positiveInteger(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a whole number >= 1`);
  return n;
}

/** Runs one job in a fresh process; its row, or a row that says it failed. */
function runJob(name: string, job: ChaosJob): Promise<ChaosRow> {
  const limit = timeLimitMs(job);
  const started = performance.now();
  console.error(`[chaos] ${name}: started (stopped after ${Math.round(limit / 1000)} s at most)`);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', join(__dirname, 'chaos.worker.js'), JSON.stringify(job)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, limit);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      console.error(`[chaos] ${name}: done in ${seconds.toFixed(1)} s (exit ${code})`);
      if (line !== undefined && code === 0) {
        resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as ChaosRow);
        return;
      }
      const why = timedOut ? `stopped after ${Math.round(limit / 1000)} s` : `exit code ${code}`;
      resolve({
        name: `${name} (FAILED: ${why})`,
        sent: 0,
        acked: 0,
        received: 0,
        duplicated: 0,
        lost: 0,
        drops: 0,
        heapMB: 0,
        durationS: seconds,
        details: [
          `the worker failed (${why}); its output:`,
          ...stdout.trim().split('\n').slice(-10),
        ],
      });
    });
  });
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const jobs = chaosJobs(options).filter(([name]) => options.only?.includes(name) ?? true);
  if (jobs.length === 0) throw new Error(`no scenario named ${options.only?.join(', ')}`);
  const started = performance.now();
  const slow = jobs.filter(([, job]) => job.kind === 'slow-consumer');
  const rest = jobs.filter(([, job]) => job.kind !== 'slow-consumer');
  const rows: ChaosRow[] = [];
  if (options.serial) {
    for (const [name, job] of slow) rows.push(await runJob(name, job));
  } else {
    rows.push(...(await Promise.all(slow.map(([name, job]) => runJob(name, job)))));
  }
  for (const [name, job] of rest) rows.push(await runJob(name, job));
  const minutes = (performance.now() - started) / 60_000;
  const text = [
    `### Chaos (issue 9)${options.short ? ', --short' : ''}`,
    '',
    renderTable(rows),
    renderDetails(rows),
    '',
    `(${minutes.toFixed(1)} minutes; node ${process.version}; ` +
      `lost = acknowledged by the broker and never handled; duplicated = extra receipts; ` +
      `conn. drops = the subscriber's status changes away from 'connected'; ` +
      `peak heap growth = process.memoryUsage().heapUsed sampled every 50 ms, above a baseline taken after a GC)`,
  ].join('\n');
  console.log(text);
  if (options.markdown !== undefined) writeFileSync(options.markdown, `${text}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
