import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioDef, Size } from '../../harness/types';

/** The reference: a `node` process that runs nothing. */
export const EMPTY_NODE = 'node -e 0';

/** The package entries measured, by contender name, as paths under the package root. */
export const ENTRIES: Readonly<Record<string, string>> = {
  busline: 'dist/index.js',
  'busline/mqtt': 'dist/mqtt/index.js',
  'busline/nest': 'dist/nest/index.js',
  'busline/testing': 'dist/testing/index.js',
};

/** Load time: a fresh `node` process that requires one built entry, against `node -e 0`. */
export const loadScenario: ScenarioDef = {
  name: 'load',
  title: 'Load time: a fresh node process that requires an entry (built dist/), against node -e 0',
  reference: EMPTY_NODE,
  metrics: [
    { key: 'process', label: 'process (wall)', better: 'lower', format: 'ms', ratio: false },
    { key: 'vsNode', label: 'x node -e 0', better: 'lower', format: 'x', ratio: false },
    { key: 'require', label: 'require() in process', better: 'lower', format: 'ms', ratio: false },
    { key: 'modules', label: 'modules loaded', better: 'lower', format: 'count', ratio: false },
  ],
  cases: [
    {
      name: 'entries',
      title: 'each entry of the package, required by a fresh process',
      contenders: [EMPTY_NODE, ...Object.keys(ENTRIES)],
    },
  ],
  notes: [
    'process: wall time of `node -e "require(\'<entry>\')"` from spawn to exit, the entry built by',
    '`npm run build` (the runner builds dist/ first when it is missing or older than lib/). Each',
    'measurement runs 11 such processes interleaved with 11 `node -e 0` (the order swapped every',
    'pair, one untimed pair first); "x node -e 0" is the median of the per-pair ratios ("node -e 0"',
    'against itself: the noise floor). require() in process: the time of the require() call itself',
    'inside a fresh process (median of 5). modules loaded: files compiled by that require(), CommonJS',
    'and ES modules (NestJS 12 is made of them) alike, counted with the inspector.',
  ],
};

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function oldestEntry(root: string): number {
  let oldest = Infinity;
  for (const entry of Object.values(ENTRIES)) {
    try {
      oldest = Math.min(oldest, statSync(join(root, entry)).mtimeMs);
    } catch {
      return 0;
    }
  }
  return oldest;
}

/**
 * Runner side: builds dist/ with `npm run build` when an entry is missing or older than a file of
 * lib/ or the build configuration. The runner runs in the repository root (bench/main.mjs).
 */
export async function prepareLoad(
  settings: Record<string, string>,
  _size: Size,
): Promise<{ settings: Record<string, string>; close: () => Promise<void> }> {
  const root = process.cwd();
  const sources = Math.max(
    newest(join(root, 'lib')),
    statSync(join(root, 'tsconfig.build.json')).mtimeMs,
    statSync(join(root, 'tsconfig.json')).mtimeMs,
  );
  if (oldestEntry(root) < sources) {
    process.stderr.write('load: dist/ is missing or older than lib/, running npm run build\n');
    const build = spawnSync('npm', ['run', 'build'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    if (build.status !== 0) {
      throw new Error(
        `npm run build failed (exit ${build.status}); the load scenario measures dist/:\n` +
          `${build.stdout}${build.stderr}${build.error ?? ''}`,
      );
    }
  }
  return { settings: { ...settings, root }, close: async () => undefined };
}
