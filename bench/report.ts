// The bench's reporting: statistics, the table, the machine and commit measured, results.json, and
// the figures of the code before the hold window (bench/baseline-before-hold.json) to print beside
// today's. Nothing here touches Chromium or the emulator.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { browserVersion } from '../scripts/chromium.ts';

/** Measured before the intent's hold window (commit 24068ce); see BENCHMARKS.md, figure 4. */
export const BASELINE_PATH = resolve(import.meta.dirname, 'baseline-before-hold.json');

export const log = (line: string): void => console.log(`[bench] ${line}`);

// ---- statistics -------------------------------------------------------------------------------

export interface Stats {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Median and p95 (nearest rank) of the samples; undefined when there are none. */
export function stats(samples: number[]): Stats | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { n: sorted.length, median: round(median), p95: round(rank(0.95)), min: round(sorted[0]!), max: round(sorted.at(-1)!) };
}

/** The median of the values that are defined. */
export const median = (values: (number | undefined)[]): number | undefined => stats(values.filter((v): v is number => v !== undefined))?.median;

/** The defined values of `pick` over `items`. */
export const defined = <T>(items: T[], pick: (item: T) => number | undefined): number[] =>
  items.flatMap((item) => {
    const value = pick(item);
    return value === undefined ? [] : [value];
  });

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

// ---- the table --------------------------------------------------------------------------------

export interface Row {
  /** The figure's number in BENCHMARKS.md; the table is ordered by it. */
  item: string;
  figure: string;
  result: string;
  budget: string;
  verdict: string;
}

export const ms = (value: number | undefined): string => (value === undefined ? '—' : `${value.toFixed(1)} ms`);
export const medP95 = (s: Stats | undefined): string => (s ? `${ms(s.median)} / ${ms(s.p95)} (n=${s.n})` : 'no data');
export const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;
export const verdict = (ok: boolean | undefined): Row['verdict'] => (ok === undefined ? 'n/a' : ok ? 'ok' : 'MISS');
/** A row that explains the one above it: no budget, no verdict. */
export const detail = (item: string, figure: string, result: string): Row => ({ item, figure, result, budget: '', verdict: '' });

/** A Markdown table of `rows` under `head`, each column as wide as its widest cell. */
export function markdownTable<K extends string>(head: Record<K, string>, rows: Record<K, string>[]): string {
  const keys = Object.keys(head) as K[];
  const all = [head, ...rows];
  const width = (key: K): number => Math.max(...all.map((r) => r[key].length));
  const line = (r: Record<K, string>): string => `| ${keys.map((k) => r[k].padEnd(width(k))).join(' | ')} |`;
  const rule = `|${keys.map((k) => '-'.repeat(width(k) + 2)).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

export function printTable(rows: Row[]): string {
  return markdownTable({ item: '#', figure: 'Figure', result: 'Result (median / p95)', budget: 'Budget', verdict: 'Verdict' }, rows);
}

// ---- figures ----------------------------------------------------------------------------------

/** What each figure (bench/figures/*.ts) gives the report. */
export interface FigureOutput {
  rows: Row[];
  /** Summaries, merged into results.json's `figures`. */
  figures: Record<string, unknown>;
  /** Every sample, merged into results.json's `raw`. */
  raw: Record<string, unknown>;
  /** Printed after the table (e.g. the burst matrix). */
  text?: string;
}

/** Runs one measurement, logging it; a failure is recorded in `errors` and the bench goes on. */
export type Section = <T>(name: string, run: () => Promise<T>) => Promise<T | undefined>;

export function sections(errors: Record<string, string>): Section {
  return async (name, run) => {
    log(name);
    const started = Date.now();
    try {
      const value = await run();
      log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return value;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      errors[name] = message;
      log(`  FAILED: ${message}`);
      return undefined;
    }
  };
}

// ---- what was measured, where -----------------------------------------------------------------

/** `git describe --always --dirty` in `dir` (the tree the measured build came from), or 'unknown'. */
export function sourceCommit(dir: string): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  chromium: string;
  platform: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export function machine(chromium: string): Machine {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    chromium: browserVersion(chromium),
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadAverage(),
  };
}

export const loadAverage = (): number[] => loadavg().map((l) => round(l));

/**
 * Chromium's machine-wide policy folder on Linux. A file there that names the extension configures
 * it in every Chromium on the machine, the bench's too: test/e2e/policy.test.ts writes one for the
 * length of its tests, and the extension then follows the other run's emulator and signs out.
 */
const POLICY_DIR = '/etc/chromium/policies/managed';

/** The policy files that configure the extension now. */
export function extensionPolicies(extensionId: string): string[] {
  try {
    return readdirSync(POLICY_DIR).filter((name) => readFileSync(join(POLICY_DIR, name), 'utf8').includes(extensionId));
  } catch {
    return [];
  }
}

/** Notes every change in the policy folder until `stop()`, which returns them (time and file). */
export function watchPolicies(): { stop(): string[] } {
  const changes: string[] = [];
  try {
    const watcher = watch(POLICY_DIR, (event, name) => changes.push(`${new Date().toISOString()} ${event} ${name ?? '?'}`));
    watcher.on('error', () => undefined);
    watcher.unref(); // never what keeps the bench from exiting
    return {
      stop: () => {
        watcher.close();
        return changes;
      },
    };
  } catch {
    return { stop: () => changes };
  }
}

export function writeResults(path: string, results: Record<string, unknown>): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

// ---- the figures before the hold window -------------------------------------------------------

/** The parts of a results.json the report prints beside today's figures. */
export interface Baseline {
  date: string;
  commit: string;
  machine: Machine;
  figures: Record<string, unknown>;
}

/** bench/baseline-before-hold.json, unless it is what is being measured now (or absent). */
export function readBaseline(measuredCommit: string): Baseline | undefined {
  if (!existsSync(BASELINE_PATH)) return undefined;
  const baseline = JSON.parse(readFileSync(BASELINE_PATH, 'utf8')) as Baseline;
  return baseline.commit === measuredCommit ? undefined : baseline;
}

/** How a baseline is named in the table: its commit and the day it was measured. */
export const baselineLabel = (baseline: Baseline): string => `before the hold window (${baseline.commit}, ${baseline.date.slice(0, 10)})`;
