// `npm run bench`: how fast and how light the extension is, measured in real Chromium against the
// bundled emulator. Runs the figures (bench/figures/) in order on one rig (bench/rig.ts), prints the
// table and writes bench/results.json (bench/report.ts). BENCHMARKS.md explains every figure.
// Timings are only reported here, never asserted (the size budgets are asserted by `npm test`).
//
// Environment: GMC_BENCH_QUICK=1 runs a few of everything (for working on the bench);
// GMC_BENCH_EXTENSION=<dir> loads another e2e build than dist-e2e/ (its commit is read from the git
// checkout around it, or GMC_BENCH_COMMIT); GMC_BENCH_FIGURES=warm-click,bursts runs only those;
// GMC_BENCH_RESULTS=<file> writes the results elsewhere than bench/results.json.
import { dirname, resolve } from 'node:path';
import { ensureChromium } from '../scripts/chromium.ts';
import { EXTENSION_ID } from '../test/e2e/harness.ts';
import { bursts } from './figures/bursts.ts';
import { confirmedState } from './figures/confirmed-state.ts';
import { contentScript } from './figures/content-script.ts';
import { idle } from './figures/idle.ts';
import { sizes } from './figures/sizes.ts';
import { stoppedWorker } from './figures/stopped-worker.ts';
import { warmClick } from './figures/warm-click.ts';
import { extensionPolicies, loadAverage, log, machine, printTable, readBaseline, sections, sourceCommit, watchPolicies, writeResults, type FigureOutput } from './report.ts';
import { clockCheck, EXTENSION_DIR, ROOT, FAST_CONFIRM_DELAY_MS, HOLD_MS, QUICK, RUNS, startBenchRig } from './rig.ts';

/** In the order they run; the idle figure ends the rig's call, so it comes last. */
const FIGURES = ['sizes', 'warm-click', 'confirmed-state', 'bursts', 'stopped-worker', 'content-script', 'idle'] as const;
type FigureName = (typeof FIGURES)[number];

function chosenFigures(): Set<FigureName> {
  const asked = process.env['GMC_BENCH_FIGURES']?.split(',').map((name) => name.trim()).filter(Boolean);
  if (!asked) return new Set(FIGURES);
  const unknown = asked.filter((name) => !(FIGURES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`GMC_BENCH_FIGURES: no figure ${unknown.join(', ')}; the figures are ${FIGURES.join(', ')}`);
  return new Set(asked as FigureName[]);
}

async function main(): Promise<void> {
  const began = Date.now();
  const chosen = chosenFigures();
  const resultsPath = process.env['GMC_BENCH_RESULTS'] ? resolve(process.env['GMC_BENCH_RESULTS']) : resolve(import.meta.dirname, 'results.json');
  const commit = process.env['GMC_BENCH_COMMIT'] ?? sourceCommit(dirname(EXTENSION_DIR));
  const benchCommit = sourceCommit(ROOT);
  const baseline = readBaseline(commit);
  const errors: Record<string, string> = {};
  const section = sections(errors);
  const host = machine(ensureChromium());
  log(`${host.cpus} × ${host.cpuModel}, Node ${host.node}, ${host.chromium}; load ${host.loadAverageAtStart.join(' ')}`);
  if (host.loadAverageAtStart[0]! > host.cpus / 2) log('  note: the machine is busy; timings will be noisier than usual');
  const policies = watchPolicies();
  const policiesAtStart = extensionPolicies(EXTENSION_ID);
  if (policiesAtStart.length > 0) log(`  WARNING: a machine-wide policy configures the extension (${policiesAtStart.join(', ')}): is an e2e run going on?`);

  const outputs: FigureOutput[] = [];
  if (chosen.has('sizes')) outputs.push(await sizes(section));
  log(`starting the emulator and Chromium with ${EXTENSION_DIR} (${commit})`);
  const rig = await startBenchRig();
  let clocks;
  try {
    clocks = await clockCheck(rig);
    log(`clock offset page−node ${clocks.page.offsetMs} ± ${clocks.page.uncertaintyMs} ms, worker−node ${clocks.worker.offsetMs} ± ${clocks.worker.uncertaintyMs} ms`);
    const figures: Record<Exclude<FigureName, 'sizes'>, () => Promise<FigureOutput>> = {
      'warm-click': () => warmClick(rig, section, baseline),
      'confirmed-state': () => confirmedState(rig, section),
      bursts: () => bursts(rig, section, baseline),
      'stopped-worker': () => stoppedWorker(rig, section),
      'content-script': () => contentScript(rig, section),
      idle: () => idle(rig, section),
    };
    for (const name of FIGURES) if (name !== 'sizes' && chosen.has(name)) outputs.push(await figures[name]());
  } finally {
    await rig.close();
  }

  const policyChanges = policies.stop();
  if (policyChanges.length > 0) log(`WARNING: Chromium's policy folder changed during the run (${policyChanges.length}×): another run's policy may have reconfigured the extension`);

  // By figure number; within one, in the order measured.
  const rows = outputs.flatMap((o) => o.rows).sort((a, b) => Number(a.item) - Number(b.item));
  console.log(`\n${printTable(rows)}\n`);
  for (const o of outputs) if (o.text) console.log(`${o.text}\n`);
  writeResults(resultsPath, {
    date: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - began) / 1000),
    quick: QUICK,
    commit,
    /** The bench's own commit (differs from `commit` when GMC_BENCH_EXTENSION is another checkout's build). */
    benchCommit,
    machine: { ...host, loadAverageAtEnd: loadAverage(), extensionPoliciesAtStart: policiesAtStart, policyFolderChanges: policyChanges },
    extension: EXTENSION_DIR,
    figuresRun: FIGURES.filter((name) => chosen.has(name)),
    clockCheck: clocks,
    settings: { runs: RUNS, holdMs: HOLD_MS, fastConfirmDelayMs: FAST_CONFIRM_DELAY_MS },
    ...(baseline ? { baseline: { commit: baseline.commit, date: baseline.date } } : {}),
    table: rows,
    figures: Object.assign({}, ...outputs.map((o) => o.figures)),
    raw: Object.assign({}, ...outputs.map((o) => o.raw)),
    errors,
  });
  log(`wrote ${resultsPath} in ${Math.round((Date.now() - began) / 1000)} s${Object.keys(errors).length ? `; ${Object.keys(errors).length} section(s) failed` : ''}`);
  if (Object.keys(errors).length > 0) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
