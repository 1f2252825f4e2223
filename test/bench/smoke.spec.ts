/*
 * Keeps the benchmarks working: `node bench/main.mjs --smoke` runs every scenario with tiny
 * counts (one repetition, a batch or so per measurement) and must measure every contender of
 * every case it runs. No figure is checked: only that there is one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(300_000);

type Results = Record<string, Record<string, (Record<string, number> | null)[]>>;

it('every scenario runs and measures every contender (smoke counts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'busline-bench-smoke-'));
  try {
    const json = join(dir, 'results.json');
    const run = spawnSync(
      process.execPath,
      [join(__dirname, '../../bench/main.mjs'), '--smoke', '--json', json],
      { cwd: join(__dirname, '../..'), encoding: 'utf8', timeout: 280_000 },
    );
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
    const { raw } = JSON.parse(readFileSync(json, 'utf8')) as {
      raw: Record<string, { results: Results }>;
    };
    expect(Object.keys(raw).sort()).toEqual(['load', 'local', 'memory', 'mqtt', 'serialization']);
    for (const [scenario, { results }] of Object.entries(raw)) {
      expect(Object.keys(results).length).toBeGreaterThan(0);
      for (const [caseName, contenders] of Object.entries(results)) {
        for (const [contender, runs] of Object.entries(contenders)) {
          const where = `${scenario}/${caseName}/${contender}`;
          expect({ where, runs: runs.length }).toEqual({ where, runs: 1 });
          const measured = runs[0];
          expect({ where, measured: measured !== null }).toEqual({ where, measured: true });
          for (const [metric, value] of Object.entries(measured!)) {
            expect({ where, metric, finite: Number.isFinite(value) }).toEqual({
              where,
              metric,
              finite: true,
            });
          }
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
