import { median, range } from './stats';
import type { CaseDef, Measurement, Metric, ScenarioDef } from './types';

/** Measurements of one scenario: `[case][contender][repetition]`, `undefined` where one failed. */
export type Results = Record<string, Record<string, (Measurement | undefined)[]>>;

const SI: [number, string][] = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** A figure as printed in the tables. */
export function formatValue(value: number, format: Metric['format']): string {
  if (!Number.isFinite(value)) return 'n/a';
  switch (format) {
    case 'rate': {
      for (const [scale, prefix] of SI) {
        if (value >= scale) return `${(value / scale).toPrecision(3)}${prefix}/s`;
      }
      return `${value.toPrecision(3)}/s`;
    }
    case 'ms':
      return `${value < 10 ? value.toFixed(3) : value.toFixed(1)} ms`;
    case 'bytes': {
      const abs = Math.abs(value);
      if (abs >= 1e6) return `${(value / 1e6).toFixed(1)} MB`;
      if (abs >= 1e4) return `${(value / 1e3).toFixed(1)} kB`;
      return `${abs >= 100 ? value.toFixed(0) : value.toFixed(2)} B`;
    }
    case 'fixed':
      return value.toFixed(2);
    case 'x':
      return `${value.toFixed(2)}x`;
    case 'count':
      return value.toFixed(0);
  }
}

function formatRatio(ratios: number[]): string {
  if (ratios.length === 0) return 'n/a';
  const mid = median(ratios);
  const digits = mid >= 100 ? 0 : mid >= 10 ? 1 : 2;
  if (ratios.length < 3) return `${mid.toFixed(digits)}x`;
  const [lo, hi] = range(ratios);
  return `${mid.toFixed(digits)}x (${lo.toFixed(digits)}-${hi.toFixed(digits)})`;
}

/** Per-repetition ratios `a[m] / b[m]`, over the repetitions where both were measured. */
export function ratios(
  a: readonly (Measurement | undefined)[],
  b: readonly (Measurement | undefined)[],
  metric: string,
): number[] {
  const out: number[] = [];
  for (let r = 0; r < Math.min(a.length, b.length); r++) {
    const x = a[r]?.[metric];
    const y = b[r]?.[metric];
    if (x !== undefined && y !== undefined && y !== 0 && Number.isFinite(x / y)) out.push(x / y);
  }
  return out;
}

function values(runs: readonly (Measurement | undefined)[], metric: string): number[] {
  return runs.flatMap((m) => (m?.[metric] === undefined ? [] : [m[metric]]));
}

function caseTable(
  def: ScenarioDef,
  c: CaseDef,
  results: Results,
  against: string | undefined,
): string[] {
  const reference = c.reference ?? def.reference;
  const compareTo = (c.compareTo ?? []).filter((x) => x !== reference);
  const header = ['contender'];
  for (const metric of def.metrics) {
    header.push(metric.label);
    if (metric.ratio) {
      header.push(`x ${reference}`);
      for (const other of compareTo) header.push(`x ${other}`);
    }
    // With --against: each contender over itself at the other revision, on every metric.
    if (against !== undefined) header.push(`x ${against}`);
  }
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  // Contenders left out of the run (--contender) have no row; with --against, each Busline row
  // is followed by its row at the other revision.
  const measured = [...c.contenders, ...(c.namedOnly ?? [])].filter(
    (x) => results[c.name]?.[x] !== undefined,
  );
  const rows =
    against === undefined
      ? measured
      : measured.flatMap((x) =>
          results[c.name]?.[`${x}@${against}`] ? [x, `${x}@${against}`] : [x],
        );
  for (const contender of rows) {
    const runs = results[c.name]?.[contender] ?? [];
    const failed = runs.filter((m) => m === undefined).length;
    const row = [contender + (failed > 0 ? ` (${failed} failed)` : '')];
    for (const metric of def.metrics) {
      row.push(formatValue(median(values(runs, metric.key)), metric.format));
      if (metric.ratio) {
        for (const base of [reference, ...compareTo]) {
          row.push(
            contender === base
              ? '1'
              : formatRatio(ratios(runs, results[c.name]?.[base] ?? [], metric.key)),
          );
        }
      }
      if (against !== undefined) {
        const then = results[c.name]?.[`${contender}@${against}`];
        row.push(then ? formatRatio(ratios(runs, then, metric.key)) : '');
      }
    }
    lines.push(`| ${row.join(' | ')} |`);
  }
  return lines;
}

/** The scenario's results as Markdown: one table per case, then the derived ratios. */
export function renderScenario(
  def: ScenarioDef,
  results: Results,
  reps: number,
  against?: string,
): string {
  const lines = [`### ${def.title}`, '', `Medians over ${reps} repetition(s); ratios are taken`];
  lines.push('per repetition against the same repetition, then the median (min-max in brackets).');
  for (const c of def.cases) {
    if (results[c.name] === undefined) continue;
    lines.push('', `**${c.title}** (\`${c.name}\`)`, '', ...caseTable(def, c, results, against));
  }
  const derived = (def.derived ?? []).filter(
    (d) =>
      results[d.numerator.case]?.[d.numerator.contender] &&
      results[d.denominator.case]?.[d.denominator.contender],
  );
  if (derived.length > 0) {
    lines.push('', '| ratio | median |', '|---|---|');
    for (const d of derived) {
      const r = ratios(
        results[d.numerator.case][d.numerator.contender],
        results[d.denominator.case][d.denominator.contender],
        d.metric,
      );
      lines.push(`| ${d.title} | ${formatRatio(r)} |`);
    }
  }
  if (def.notes?.length) lines.push('', ...def.notes.map((n) => `> ${n}`));
  return lines.join('\n');
}
