/*
 * Keeps the benchmarks working: `node bench/main.mjs --smoke` runs every scenario with tiny
 * counts (one repetition, a batch or so per measurement) and must measure every contender of
 * every case it runs. No figure is checked: only that there is one.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(420_000);

type Results = Record<string, Record<string, (Record<string, number> | null)[]>>;

let raw: Record<string, { results: Results }>;
let markdown: string;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'busline-bench-smoke-'));
  try {
    const json = join(dir, 'results.json');
    const md = join(dir, 'results.md');
    const run = spawnSync(
      process.execPath,
      [join(__dirname, '../../bench/main.mjs'), '--smoke', '--json', json, '--markdown', md],
      { cwd: join(__dirname, '../..'), encoding: 'utf8', timeout: 400_000 },
    );
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
    raw = (JSON.parse(readFileSync(json, 'utf8')) as { raw: typeof raw }).raw;
    markdown = readFileSync(md, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('every scenario runs and measures every contender (smoke counts)', () => {
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
});

it('MQTT: a QoS 2, a 1 MB and a 100-topic cell run, each with the binary envelope beside mqtt.js', () => {
  const cells = raw.mqtt.results;
  for (const kind of [/-qos2-/, /-1MB$/, /-100topics$/]) {
    const cell = Object.keys(cells).find((name) => kind.test(name));
    expect({ kind: String(kind), cell }).toEqual({ kind: String(kind), cell: expect.any(String) });
    expect(Object.keys(cells[cell!]).sort()).toEqual([
      'busline',
      'busline-binary',
      'busline-traced',
      'mqtt.js',
      'nestjs',
    ]);
    for (const runs of Object.values(cells[cell!])) {
      expect(runs[0]).toEqual({
        rate: expect.any(Number),
        p50: expect.any(Number),
        p99: expect.any(Number),
      });
      expect(runs[0]!.rate).toBeGreaterThan(0);
    }
  }
});

it('load: every entry is required from dist/ and compared with node -e 0', () => {
  const entries = raw.load.results.entries;
  expect(Object.keys(entries).sort()).toEqual([
    'busline',
    'busline/mqtt',
    'busline/nest',
    'busline/testing',
    'node -e 0',
  ]);
  for (const [contender, [measured]] of Object.entries(entries)) {
    expect(measured!.process).toBeGreaterThan(0);
    expect(measured!.vsNode).toBeGreaterThan(0);
    if (contender === 'node -e 0') continue;
    expect(measured!.require).toBeGreaterThan(0);
    expect(measured!.modules).toBeGreaterThanOrEqual(1);
  }
  // NestJS and its dependencies come with busline/nest only.
  expect(entries['busline/nest'][0]!.modules).toBeGreaterThan(entries.busline[0]!.modules);
});

it('the Markdown report has the load ratios and the new MQTT cells', () => {
  const load = markdown.slice(markdown.indexOf('### Load time'));
  expect(load).toContain('| contender | process (wall) | x node -e 0 |');
  for (const entry of ['busline', 'busline/mqtt', 'busline/nest', 'busline/testing']) {
    expect(load).toMatch(new RegExp(`\\| ${entry} \\| [\\d.]+ ms \\| \\d+\\.\\d\\dx \\|`));
  }
  expect(markdown).toContain('(`embedded-qos2-100B`)');
  expect(markdown).toContain('(`embedded-qos1-1MB`)');
  expect(markdown).toContain('(`embedded-qos0-100B-100topics`)');
});

const ROOT = join(__dirname, '../..');

/** `node bench/main.mjs local --smoke --case one <args>`, run to its end. */
function smokeOne(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    [join(ROOT, 'bench/main.mjs'), 'local', '--smoke', '--case', 'one', ...args],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
}

it('--against measures Busline at another revision too and prints the ratio of now to then', () => {
  const head = spawnSync('git', ['rev-parse', '--short=7', 'HEAD'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const label = head.stdout.trim();
  const dir = mkdtempSync(join(tmpdir(), 'busline-bench-against-'));
  try {
    const json = join(dir, 'results.json');
    const run = smokeOne([
      '--contender',
      'busline,eventemitter',
      '--against',
      'HEAD',
      '--node-flag',
      '--max-semi-space-size=16',
      '--json',
      json,
    ]);
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
    const results = (JSON.parse(readFileSync(json, 'utf8')) as { raw: typeof raw }).raw.local
      .results.one;
    // Only Busline contenders are measured twice.
    expect(Object.keys(results).sort()).toEqual(['busline', `busline@${label}`, 'eventemitter']);
    expect(results[`busline@${label}`][0]).toEqual({ rate: expect.any(Number) });
    expect(run.stdout).toContain(`| x ${label} |`);
    expect(run.stdout).toMatch(new RegExp(`\\| busline \\| [^|]+/s \\|.*\\| \\d+\\.\\d\\dx \\|`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('--node-flag reaches every worker process: a flag node refuses fails the measurement', () => {
  const run = smokeOne(['--contender', 'eventemitter', '--node-flag', '--no-such-node-flag']);
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('local/one/eventemitter failed');
  expect(run.stderr).toContain('--no-such-node-flag');
});

it('the floors and the one-sided contenders run when --contender names them, and only then', () => {
  const namedOnly = (name: string): boolean =>
    name.startsWith('floor') || name.startsWith('busline-binary-');
  for (const scenario of [raw.local, raw.mqtt]) {
    for (const contenders of Object.values(scenario.results)) {
      expect(Object.keys(contenders).filter(namedOnly)).toEqual([]);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'busline-bench-floors-'));
  try {
    const json = join(dir, 'results.json');
    const local = smokeOne(['--contender', 'floor,floor-contract,eventemitter2', '--json', json]);
    expect({ status: local.status, stderr: local.status === 0 ? '' : local.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
    const one = (JSON.parse(readFileSync(json, 'utf8')) as { raw: typeof raw }).raw.local.results
      .one;
    expect(Object.keys(one).sort()).toEqual(['eventemitter2', 'floor', 'floor-contract']);
    expect(one.floor[0]!.rate).toBeGreaterThan(0);
    expect(one['floor-contract'][0]!.rate).toBeGreaterThan(0);
    expect(local.stdout).toMatch(/\| floor \| [^|]+\/s \|/);
    expect(local.stdout).toMatch(/\| floor-contract \| [^|]+\/s \|/);
    // The latency probes read each message's sequence number back out of the decoded payload:
    // a floor whose envelope did not round-trip would not finish, nor one that owed PUBACKs (QoS 1
    // floors acknowledge once the handler settled), nor a one-sided contender whose raw side
    // misread Busline's envelope.
    const mqtt = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bench/main.mjs'),
        'mqtt',
        '--smoke',
        '--case',
        'embedded-qos1-100B',
        '--contender',
        'mqtt.js,floor-json,floor-binary,busline-binary-publisher,busline-binary-subscriber',
        '--json',
        json,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect({ status: mqtt.status, stderr: mqtt.status === 0 ? '' : mqtt.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
    const cell = (JSON.parse(readFileSync(json, 'utf8')) as { raw: typeof raw }).raw.mqtt.results[
      'embedded-qos1-100B'
    ];
    expect(Object.keys(cell).sort()).toEqual([
      'busline-binary-publisher',
      'busline-binary-subscriber',
      'floor-binary',
      'floor-json',
      'mqtt.js',
    ]);
    for (const runs of Object.values(cell)) {
      expect(runs[0]).toEqual({
        rate: expect.any(Number),
        p50: expect.any(Number),
        p99: expect.any(Number),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
