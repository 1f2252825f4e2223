/* global process, console */
/*
 * The package as a user installs and loads it, measured from its tarball (one run, this machine):
 *
 *   node scripts/measure-package.mjs                    this checkout
 *   node scripts/measure-package.mjs DIR                the checkout in DIR (built) instead
 *   node scripts/measure-package.mjs --before DIR       DIR (an older checkout, built) and this one
 *   node scripts/measure-package.mjs --json             the figures as JSON instead of Markdown
 *
 * For each checkout: `npm pack` (this checkout's prepack builds dist/; an older one is packed as
 * it is), then three empty projects in a temporary directory:
 *   core  npm install <tarball>                                  (a plain Node user)
 *   nest  npm install <tarball> + @nestjs/common @nestjs/core rxjs class-validator
 *   all   npm install <tarball> + every peer                     (to load every entry)
 * and in them:
 *   - packages installed (npm's count, busline included) and MB of node_modules (du) for core, nest;
 *   - per entry of the exports map: JavaScript modules loaded by require(entry) (every file V8
 *     compiles, CommonJS and ES modules alike: `require.cache`, whose count is given too, misses
 *     ES modules loaded through require(), such as NestJS 12's), counted in core for `busline`
 *     and in all for the others;
 *     require time: median wall time of 10 fresh `node -e "require(entry)"` processes, with the
 *     median of 10 `node -e 0` as the baseline and the ratio to it;
 *   - public names per entry: the exports of its declarations (all, and values among them);
 *   - tarball size and files, README lines.
 * The temporary directory is removed at the end.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ts = createRequire(join(here, 'package.json'))('typescript');
const RUNS = 10;
const NEST_PEERS = ['@nestjs/common', '@nestjs/core', 'rxjs', 'class-validator'];

const args = process.argv.slice(2);
const before = args.includes('--before') ? resolve(args[args.indexOf('--before') + 1]) : undefined;
const asJson = args.includes('--json');
const after = resolve(
  args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--before') ?? here,
);

function sh(command, argv, cwd) {
  return execFileSync(command, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function npmInstall(dir, packages) {
  mkdirSync(dir);
  sh('npm', ['init', '-y'], dir);
  sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packages], dir);
}

/** Packages npm installed (what its "added N packages" counts) and MB of node_modules. */
function installed(dir) {
  const lock = JSON.parse(readFileSync(join(dir, 'node_modules', '.package-lock.json'), 'utf8'));
  const packages = Object.keys(lock.packages).filter((p) => p.includes('node_modules/')).length;
  const kb = Number(sh('du', ['-sk', 'node_modules'], dir).split(/\s/)[0]);
  return { packages, mb: Math.round((kb / 1024) * 10) / 10 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median wall time in ms of RUNS fresh `node -e CODE` processes in `cwd`. */
function timeNode(code, cwd) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ['-e', code], { cwd, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (run.status !== 0) throw new Error(`node -e "${code}" failed in ${cwd}`);
  }
  return Math.round(median(times));
}

/** The JavaScript files V8 compiles while `require(entry)` runs, CommonJS and ES modules. */
const COUNT = `
const session = new (require('node:inspector').Session)();
session.connect();
const files = new Set();
session.on('Debugger.scriptParsed', ({ params }) => {
  if (params.url.startsWith('file://') || params.url.startsWith('/')) files.add(params.url);
});
session.post('Debugger.enable');
require(process.argv[1]);
session.post('Debugger.disable');
const packages = new Set([...files].map((f) => (f.match(/node_modules\\/((@[^/]+\\/)?[^/]+)/) || [])[1]).filter(Boolean));
const commonjs = Object.keys(require.cache).filter((f) => f.endsWith('.js') || f.endsWith('.cjs'));
console.log(JSON.stringify({ modules: files.size, commonjs: commonjs.length, packages: [...packages].sort() }));
`;

function modulesLoaded(entry, cwd) {
  return JSON.parse(sh(process.execPath, ['-e', COUNT, entry], cwd));
}

/** Exports of a declaration file (all names, and how many are values). */
function publicNames(file) {
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file));
  const names = checker.getExportsOfModule(symbol);
  const values = names.filter((s) => {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    return (target.flags & ts.SymbolFlags.Value) !== 0;
  });
  return { names: names.length, values: values.length };
}

function measure(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const work = mkdtempSync(join(tmpdir(), 'busline-measure-'));
  try {
    sh('npm', ['pack', '--pack-destination', work, '--loglevel=error'], root);
    const tarball = join(work, `${pkg.name}-${pkg.version}.tgz`);
    const files = sh('tar', ['-tzf', tarball], work).trim().split('\n').length;
    const peers = Object.entries(pkg.peerDependencies ?? {}).map(([n, r]) => `${n}@${r}`);
    const nestPeers = peers.filter((p) => NEST_PEERS.some((n) => p.startsWith(`${n}@`)));
    npmInstall(join(work, 'core'), [tarball]);
    npmInstall(join(work, 'nest'), [tarball, ...nestPeers]);
    npmInstall(join(work, 'all'), [tarball, ...peers]);

    const installedPkg = join(work, 'core', 'node_modules', pkg.name);
    const readme = join(installedPkg, 'README.md');
    const entries = Object.entries(pkg.exports ?? { '.': { types: pkg.types } })
      .filter(([, target]) => typeof target === 'object')
      .map(([subpath, target]) => {
        const entry = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
        const cwd = join(work, entry === pkg.name ? 'core' : 'all');
        return {
          entry,
          ...modulesLoaded(entry, cwd),
          ms: timeNode(`require(${JSON.stringify(entry)})`, cwd),
          ...publicNames(join(installedPkg, target.types)),
        };
      });
    const baseline = timeNode('0', join(work, 'core'));
    for (const e of entries) e.ratio = Math.round((e.ms / baseline) * 10) / 10;
    return {
      root,
      tarball: { kb: Math.round(statSync(tarball).size / 102.4) / 10, files },
      readmeLines: readFileSync(readme, 'utf8').split('\n').length - 1,
      core: installed(join(work, 'core')),
      nest: installed(join(work, 'nest')),
      baseline,
      entries,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function table(results) {
  const head = results.length > 1 ? ['', 'before', 'after'] : ['', 'value'];
  const rows = [];
  const row = (label, f) => rows.push([label, ...results.map((r) => f(r) ?? '—')]);
  const entry = (r, name) => r.entries.find((e) => e.entry === name);
  const names = [...new Set(results.flatMap((r) => r.entries.map((e) => e.entry)))];
  row('`node -e 0` (median of 10)', (r) => `${r.baseline} ms`);
  for (const name of names) {
    row(`\`require('${name}')\`: modules loaded (\`require.cache\`)`, (r) => {
      const e = entry(r, name);
      return e && `${e.modules} (${e.commonjs})`;
    });
    row(`\`require('${name}')\`: time, median of 10 (× \`node -e 0\`)`, (r) => {
      const e = entry(r, name);
      return e && `${e.ms} ms (${e.ratio}×)`;
    });
  }
  row(
    'core-only user (`npm install busline`): packages, MB',
    (r) => `${r.core.packages}, ${r.core.mb}`,
  );
  row('NestJS user (+ its peers): packages, MB', (r) => `${r.nest.packages}, ${r.nest.mb}`);
  row('tarball: kB, files', (r) => `${r.tarball.kb}, ${r.tarball.files}`);
  for (const name of names) {
    row(`public names of \`${name}\` (values)`, (r) => {
      const e = entry(r, name);
      return e && `${e.names} (${e.values})`;
    });
  }
  row('README lines', (r) => r.readmeLines);
  const lines = [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  const loaded = results
    .flatMap((r, i) =>
      r.entries.map(
        (e) =>
          `${results.length > 1 ? (i === 0 ? 'before, ' : 'after, ') : ''}${e.entry}: ` +
          (e.packages.filter((p) => p !== 'busline').join(', ') || 'no other package'),
      ),
    )
    .map((l) => `- ${l}`);
  return [...lines, '', 'Packages each entry loads:', ...loaded].join('\n');
}

const results = [...(before ? [measure(before)] : []), measure(after)];
console.log(asJson ? JSON.stringify(results, null, 2) : table(results));
