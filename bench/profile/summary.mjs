/* global process, console */
/*
 * Self time by function of a `node --cpu-prof` profile, largest first:
 *   node bench/profile/summary.mjs <file.cpuprofile> [rows]
 */
import { readFileSync } from 'node:fs';

const [file, rows = '30'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]);
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*\/(node_modules|lib|bench)\//, '$1/');
  const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const sorted = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(rows));
for (const [key, micros] of sorted) {
  console.log(
    `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${key}`,
  );
}
console.log(`total ${(total / 1000).toFixed(0)} ms`);
