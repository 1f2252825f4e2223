/* global process, console */
/*
 * Entry of `npm run bench`: compiles lib/ and bench/ to plain CommonJS with @swc/core (the compiler
 * the tests already use, same options as jest.config.js) into node_modules/.cache/busline-bench/
 * (a directory per checkout, since git worktrees may share one node_modules), then runs the
 * compiled runner with the same arguments. Every measurement is then a fresh `node` process on
 * plain JavaScript: no loader, no type-checking, nothing between V8 and the code.
 *
 *   node bench/main.mjs [local|serialization|memory|mqtt|load ...] [--reps N] [--smoke] ...
 *   node bench/main.mjs --chaos [chaos options]     (npm run bench:chaos: bench/chaos/chaos.ts)
 *   node bench/main.mjs --build-only              (prints the directory it built into)
 *
 * With `--against <git revision>`, the revision's lib/ (taken with `git archive` into the temporary
 * directory, no worktree) is compiled beside, under this checkout's bench/, and every Busline
 * contender is measured with both libraries, interleaved: the tables gain a column `x <revision>`,
 * the figure now over the figure then, same repetition. Same harness, two libraries.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const checkout = createHash('sha256').update(root).digest('hex').slice(0, 12);
const cache = join(root, 'node_modules', '.cache', 'busline-bench');
const out = join(cache, checkout);

function sources(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sources(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

/** Compile the lib/ and bench/ of `source` into `target` (files newer than their output only). */
function build(source, target) {
  for (const file of [...sources(join(source, 'lib')), ...sources(join(source, 'bench'))]) {
    const compiled = join(target, relative(source, file)).replace(/\.ts$/, '.js');
    let stale = true;
    try {
      stale = statSync(compiled).mtimeMs < statSync(file).mtimeMs;
    } catch {
      // not built yet
    }
    if (!stale) continue;
    const { code } = swc.transformFileSync(file, {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        baseUrl: source,
        paths: {
          busline: ['./lib/index.ts'],
          'busline/mqtt': ['./lib/mqtt/index.ts'],
          'busline/nest': ['./lib/nest/index.ts'],
          'busline/testing': ['./lib/testing/index.ts'],
        },
      },
      module: { type: 'commonjs' },
      sourceMaps: false,
      swcrc: false,
    });
    mkdirSync(dirname(compiled), { recursive: true });
    writeFileSync(compiled, code);
  }
}

/**
 * `--against <revision>`: the revision's sources extracted once into the cache and compiled; the
 * runner's arguments then name its worker and a label for the tables.
 */
function against(revision) {
  const sha = execFileSync('git', ['rev-parse', '--verify', `${revision}^{commit}`], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  const label = sha.slice(0, 7);
  // Outside node_modules: swc leaves the `busline` imports of files under it as they are.
  const source = join(tmpdir(), `busline-bench-${checkout}-${label}`);
  if (!existsSync(join(source, 'lib'))) {
    mkdirSync(source, { recursive: true });
    const archive = execFileSync('git', ['archive', sha, 'lib'], { cwd: root, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', source], { input: archive });
  }
  // The harness is this checkout's: only the library differs between the two columns.
  rmSync(join(source, 'bench'), { recursive: true, force: true });
  cpSync(join(root, 'bench'), join(source, 'bench'), { recursive: true, preserveTimestamps: true });
  const target = join(cache, `against-${label}`);
  build(source, target);
  return ['--against-worker', join(target, 'bench', 'worker.js'), '--against-label', label];
}

build(root, out);
if (process.argv.includes('--build-only')) {
  // Where it was built, for the drivers run from the cache (bench/profile).
  console.log(out);
  process.exit(0);
}
const chaos = process.argv.includes('--chaos');
const args = process.argv.slice(2).filter((arg) => arg !== '--chaos');
const at = args.indexOf('--against');
if (at >= 0) {
  if (args[at + 1] === undefined) throw new Error('--against needs a git revision');
  args.splice(at, 2, ...against(args[at + 1]));
}
const result = spawnSync(
  process.execPath,
  [join(out, 'bench', ...(chaos ? ['chaos', 'chaos.js'] : ['run.js'])), ...args],
  { stdio: 'inherit', cwd: root },
);
if (result.error) console.error(result.error);
process.exit(result.status ?? 1);
