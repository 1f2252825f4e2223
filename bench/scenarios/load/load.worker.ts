import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from '../../harness/stats';
import type { Job, Measurement } from '../../harness/types';
import { EMPTY_NODE, ENTRIES } from './load.scenario';

/** Wall time of `node <args>`, spawn to exit, in milliseconds; throws if it fails. */
function run(args: readonly string[]): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (child.status !== 0) {
    throw new Error(`node ${args.join(' ')} failed (exit ${child.status}): ${child.stderr}`);
  }
  return ms;
}

/** Runs the probe in a fresh process and returns what it printed. */
function probe(mode: 'time' | 'count', entry: string): Record<string, number> {
  const args = [join(__dirname, 'require-probe.process.js'), mode, entry];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (child.status !== 0) {
    throw new Error(
      `require probe (${mode} ${entry}) failed (exit ${child.status}): ${child.stderr}`,
    );
  }
  return JSON.parse(child.stdout) as Record<string, number>;
}

/**
 * Worker side: `pairs` fresh processes that require the entry, interleaved with as many
 * `node -e 0` (the order swapped every pair, one untimed pair first); then the require() call
 * timed inside fresh processes, and the modules it loads.
 */
export async function runLoad(job: Job): Promise<Measurement> {
  const smoke = job.size === 'smoke';
  const pairs = smoke ? 2 : Number(job.settings.loadRuns ?? 11);
  const path = ENTRIES[job.contender];
  if (path === undefined && job.contender !== EMPTY_NODE) {
    throw new Error(`unknown load contender '${job.contender}'`);
  }
  const entry = path === undefined ? undefined : join(job.settings.root, path);
  const empty = ['-e', '0'];
  const measured = entry === undefined ? empty : ['-e', `require(${JSON.stringify(entry)})`];
  run(empty);
  run(measured);
  const times: number[] = [];
  const ratios: number[] = [];
  for (let k = 0; k < pairs; k++) {
    let base: number;
    let ms: number;
    if (k % 2 === 0) {
      base = run(empty);
      ms = run(measured);
    } else {
      ms = run(measured);
      base = run(empty);
    }
    times.push(ms);
    ratios.push(ms / base);
  }
  const result: Measurement = { process: median(times), vsNode: median(ratios) };
  if (entry === undefined) return result;
  const requireMs: number[] = [];
  for (let k = 0; k < (smoke ? 1 : 5); k++) requireMs.push(probe('time', entry).ms);
  return { ...result, require: median(requireMs), modules: probe('count', entry).modules };
}
