/* global process, console */
/*
 * The API reports of the package's entries (api/<entry>.api.md), made with API Extractor from the
 * declarations in dist/ (run `npm run build` first):
 *
 *   node scripts/api-report.mjs          write the reports (npm run api builds, then runs this)
 *   node scripts/api-report.mjs --check  exit 1 when a report differs from dist/ (npm run api:check)
 *
 * An entry's declarations import the other layers through relative paths ('../core/publisher').
 * API Extractor would take those declarations as the entry's own and copy them into its report
 * (Publisher in the MQTT report, say). So each entry is analysed on a copy of dist/'s declarations
 * in which a relative import of another entry's file names that entry instead ('busline'), as a
 * user's code would, and the package is installed next to the copy as a dependency (under
 * .tmp/api-report/node_modules/), which is what makes API Extractor take it as external. That
 * also fails the run when a public type of one entry uses a type that the entry owning it does not
 * export: the user could not name it.
 */
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const work = join(root, '.tmp', 'api-report');
const configFile = join(root, 'api', 'api-extractor.json');
const check = process.argv.includes('--check');

/**
 * Which entry each declaration file of dist/ belongs to: the longest matching path prefix wins.
 * A new layer (a transport under lib/) needs its line here and its entry in package.json.
 */
const OWNERS = [
  ['index.d.ts', 'busline'],
  ['core/', 'busline'],
  ['local/', 'busline'],
  ['mqtt/', 'busline/mqtt'],
  ['mqtt/embedded-broker.d.ts', 'busline/testing'],
  ['nest/', 'busline/nest'],
  ['testing/', 'busline/testing'],
];

/** The entries of package.json's exports map, with their declaration file and report name. */
function entries() {
  const { name, exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.entries(exports)
    .filter(([, target]) => typeof target === 'object' && target.types)
    .map(([subpath, target]) => {
      const entry = posix.join(name, subpath);
      return {
        entry,
        types: posix.relative('./dist', target.types),
        report: entry.replaceAll('/', '-'),
      };
    });
}

function ownerOf(file) {
  let best;
  for (const [prefix, entry] of OWNERS) {
    if ((file === prefix || file.startsWith(prefix)) && (!best || prefix.length > best[0].length)) {
      best = [prefix, entry];
    }
  }
  if (!best) throw new Error(`dist/${file}: no entry owns it; add its folder to OWNERS in ${me()}`);
  return best[1];
}

function me() {
  return relative(root, fileURLToPath(import.meta.url));
}

function declarationFiles(dir, base = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const rel = base ? `${base}/${d.name}` : d.name;
    if (d.isDirectory()) return declarationFiles(join(dir, d.name), rel);
    return d.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** The declaration file a relative specifier of `from` points at, relative to dist/. */
function target(from, specifier, files) {
  const path = posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.js$/, '');
  for (const candidate of [`${path}.d.ts`, `${path}/index.d.ts`]) {
    if (files.has(candidate)) return candidate;
  }
  throw new Error(`dist/${from}: cannot find the declarations of '${specifier}'`);
}

/** Copy dist/'s declarations to `dir`, importing other entries' files through their entry. */
function stage(entry, files, dir) {
  const specifiers = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"]*)\2/g;
  for (const file of files) {
    const text = readFileSync(join(dist, file), 'utf8').replace(
      specifiers,
      (whole, keyword, quote, specifier) => {
        const owner = ownerOf(target(file, specifier, files));
        return owner === entry ? whole : `${keyword}${quote}${owner}${quote}`;
      },
    );
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
}

/**
 * The package as a dependency of the staged copies: .tmp/api-report/node_modules/busline with
 * package.json and dist/'s declarations. The package.json above the copies stops TypeScript from
 * resolving 'busline' to the project itself (a package may import itself by name).
 */
function installed(files) {
  const pkg = readFileSync(join(root, 'package.json'), 'utf8');
  const dir = join(work, 'node_modules', JSON.parse(pkg).name);
  for (const file of files) {
    mkdirSync(dirname(join(dir, 'dist', file)), { recursive: true });
    copyFileSync(join(dist, file), join(dir, 'dist', file));
  }
  writeFileSync(join(dir, 'package.json'), pkg);
  writeFileSync(join(work, 'package.json'), '{ "name": "busline-api-report", "private": true }\n');
}

function run() {
  if (!existsSync(join(dist, 'index.d.ts'))) {
    throw new Error('dist/ has no declarations: run `npm run build` first');
  }
  // dist/cli/ is the `busline` command, not a library entry: no report covers it.
  const files = declarationFiles(dist).filter((file) => !file.startsWith('cli/'));
  files.forEach(ownerOf); // every file has an owner
  const all = entries();
  rmSync(work, { recursive: true, force: true });
  installed(files);

  const failed = [];
  for (const { entry, types, report } of all) {
    const dir = join(work, 'dts', report);
    stage(entry, new Set(files), dir);
    const configObject = ExtractorConfig.loadFile(configFile);
    configObject.mainEntryPointFilePath = join(dir, types);
    configObject.apiReport.reportFileName = report;
    configObject.compiler = {
      overrideTsconfig: {
        compilerOptions: {
          target: 'es2022',
          lib: ['es2022', 'dom'], // mqtt.js' declarations use DOM types
          module: 'node20',
          moduleResolution: 'node16',
          types: ['node'],
          strict: true,
          // The entry's own declarations are what is checked here; so are the ones of the
          // packages they use, which compile cleanly with these options.
          skipLibCheck: false,
        },
        files: [join(dir, types)],
      },
    };
    const config = ExtractorConfig.prepare({
      configObject,
      configObjectFullPath: configFile,
      packageJsonFullPath: join(root, 'package.json'),
    });
    console.log(`\n${entry} -> api/${report}.api.md`);
    const result = Extractor.invoke(config, { localBuild: !check, showVerboseMessages: false });
    if (check && result.apiReportChanged) {
      const committed = join(root, 'api', `${report}.api.md`);
      const made = join(config.reportTempFolder, `${report}.api.md`);
      spawnSync('diff', ['-u', committed, made], { stdio: 'inherit' });
    }
    if (!result.succeeded || (check && result.apiReportChanged)) failed.push(entry);
  }

  if (failed.length > 0) {
    console.error(
      `\nAPI report${failed.length > 1 ? 's' : ''} of ${failed.join(', ')}: ` +
        (check
          ? 'errors or warnings above, or the public API changed. If the change is meant, run ' +
            '`npm run api` and commit api/*.api.md with it.'
          : 'errors above.'),
    );
    process.exitCode = 1;
    return;
  }
  console.log(check ? '\nAPI reports match dist/.' : '\nAPI reports written to api/.');
}

try {
  run();
} catch (error) {
  console.error(`${me().split(sep).join('/')}: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
