/** What one measurement (one fresh process) reports: named figures, for example `{ rate: 1.2e7 }`. */
export type Measurement = Record<string, number>;

/** How big a run is: `full` for the published figures, `smoke` to check the benchmarks still run. */
export type Size = 'full' | 'smoke';

/** What the runner hands a worker process: which scenario, case and contender to measure. */
export interface Job {
  scenario: string;
  case: string;
  contender: string;
  size: Size;
  /** Scenario-specific settings chosen by the runner (broker URL, ...). */
  settings: Record<string, string>;
}

/** A figure a scenario reports, and how to read it. */
export interface Metric {
  key: string;
  label: string;
  /** Whether more is better (throughput) or less (latency, bytes). */
  better: 'higher' | 'lower';
  /**
   * How it is printed: `rate` per second with SI prefixes, `ms`, `bytes`, `fixed` (two digits
   * after the point), `x` (a ratio: `1.85x`), `count` (a whole number).
   */
  format: 'rate' | 'ms' | 'bytes' | 'fixed' | 'x' | 'count';
  /** Print the ratio of each contender to the reference (same repetition, then the median). */
  ratio: boolean;
}

/** One row group of a scenario's table. */
export interface CaseDef {
  name: string;
  title: string;
  contenders: readonly string[];
  /**
   * Contenders measured only when `--contender` names them: floors (plain code doing the least any
   * implementation must do for the case) and contenders that take Busline apart (one side of MQTT
   * only). They answer "how close can Busline get, and where does it lose?", not "how fast is it?".
   */
  namedOnly?: readonly string[];
  /** The contender the others are divided by; the scenario's reference unless given. */
  reference?: string;
  /** Extra ratio columns: each contender against these, same repetition, then the median. */
  compareTo?: readonly string[];
}

/**
 * A ratio computed between two measurements of the same repetition: `numerator` case/contender
 * over `denominator` case/contender, for each repetition, then the median.
 */
export interface DerivedRatio {
  title: string;
  metric: string;
  numerator: { case: string; contender: string };
  denominator: { case: string; contender: string };
}

/** A scenario: its cases, its contenders, and the module its worker runs. */
export interface ScenarioDef {
  name: string;
  title: string;
  /** The contender others are compared with (a practical floor). */
  reference: string;
  metrics: readonly Metric[];
  cases: readonly CaseDef[];
  derived?: readonly DerivedRatio[];
  /** Node flags of the worker process (for example `--expose-gc`). */
  nodeFlags?: readonly string[];
  /** Notes printed under the table. */
  notes?: readonly string[];
}
