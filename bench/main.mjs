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
 *   node bench/main.mjs --build-only
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const checkout = createHash('sha256').update(root).digest('hex').slice(0, 12);
const out = join(root, 'node_modules', '.cache', 'busline-bench', checkout);

function sources(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sources(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

function build() {
  for (const file of [...sources(join(root, 'lib')), ...sources(join(root, 'bench'))]) {
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    let stale = true;
    try {
      stale = statSync(target).mtimeMs < statSync(file).mtimeMs;
    } catch {
      // not built yet
    }
    if (!stale) continue;
    const { code } = swc.transformFileSync(file, {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        baseUrl: root,
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
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
}

build();
if (process.argv.includes('--build-only')) process.exit(0);
const chaos = process.argv.includes('--chaos');
const result = spawnSync(
  process.execPath,
  [
    join(out, 'bench', ...(chaos ? ['chaos', 'chaos.js'] : ['run.js'])),
    ...process.argv.slice(2).filter((arg) => arg !== '--chaos'),
  ],
  { stdio: 'inherit', cwd: root },
);
if (result.error) console.error(result.error);
process.exit(result.status ?? 1);
