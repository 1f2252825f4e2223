/*
 * Run by the load worker in a fresh process: `node require-probe.js <time|count> <entry>`. Requires
 * the entry and prints, as JSON, how long the require() call took (`time`) or how many files it
 * compiled (`count`: CommonJS and ES modules alike, seen by the inspector, which slows loading
 * down, hence two modes).
 */
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const load = createRequire(__filename);

function time(entry: string): void {
  const start = performance.now();
  load(entry);
  const ms = performance.now() - start;
  process.stdout.write(`${JSON.stringify({ ms })}\n`);
}

function count(entry: string): void {
  const session = new Session();
  session.connect();
  const files = new Set<string>();
  session.on('Debugger.scriptParsed', ({ params }) => {
    if (params.url.startsWith('file:') || params.url.startsWith('/')) files.add(params.url);
  });
  session.post('Debugger.enable');
  const before = files.size;
  load(entry);
  // Scripts parsed during the require() are reported by now; wait a turn to be sure.
  setImmediate(() => {
    session.disconnect();
    process.stdout.write(`${JSON.stringify({ modules: files.size - before })}\n`);
  });
}

const [mode, entry] = process.argv.slice(2);
if (mode === 'time') time(entry);
else if (mode === 'count') count(entry);
else throw new Error(`usage: require-probe <time|count> <entry>, not '${mode}'`);
