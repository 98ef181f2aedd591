// `npm run bench`: how fast and how light the extension is, measured in real Chromium against the
// bundled emulator. Prints a table, writes bench/results.json; BENCHMARKS.md explains every figure.
// Timings are only reported here, never asserted (the size budgets are asserted by `npm test`).
//
// Clocks: the page (or popup, or worker) takes `performance.timeOrigin + performance.now()` when
// the click is dispatched; the emulator takes the same epoch clock in Node when a request arrives
// (RecordedRequest.wallTime). Both run on this machine; the offset between the two clocks is
// measured (min-RTT probe) and written to results.json as a check, not subtracted.
//
// Environment: GMC_BENCH_QUICK=1 runs a few of everything (for working on this file);
// GMC_BENCH_EXTENSION=<dir> loads another e2e build than dist-e2e/.
import type { CDPSession, Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, type RecordedRequest, type SocketFrame } from '../emulator/server.ts';
import { browserVersion, ensureChromium } from '../scripts/chromium.ts';
import { BUDGETS, entrySizes, type Entry, type EntrySize } from '../scripts/sizes.ts';
import { currentWorker, EXTENSION_ID, pageControl, signInThroughPopup, startRig, type Rig } from '../test/e2e/harness.ts';
import type { MicView } from '../src/shared/view.ts';

const ROOT = resolve(import.meta.dirname, '..');
const EXTENSION_DIR = resolve(ROOT, process.env['GMC_BENCH_EXTENSION'] ?? 'dist-e2e');
const RESULTS = resolve(import.meta.dirname, 'results.json');
const QUICK = process.env['GMC_BENCH_QUICK'] === '1';

/** How many runs of each figure; warm-up runs come on top and are discarded. */
const RUNS = QUICK
  ? { warmUp: 1, warm: 5, confirmed: 5, burstReps: 1, stopped: 3, contentScript: 2, idleMs: 20_000 }
  : { warmUp: 3, warm: 40, confirmed: 30, burstReps: 5, stopped: 15, contentScript: 10, idleMs: 120_000 };
const BURSTS = [1, 2, 5, 9, 20];
/** Item 4, for context: 9 clicks at a fast human pace (8 a second) instead of back to back. */
const HUMAN_BURST = { clicks: 9, intervalMs: 125 };
/** Item 3: the fixed round trip the emulator adds to every API request. */
const ROUND_TRIP_MS = 50;
/** Item 4: how long Genesys takes to apply and announce a PATCH while a burst is clicked. */
const BURST_CONFIRM_DELAY_MS = 150;
/** Items 1, 2: a short confirm delay keeps the runs quick; it does not enter click → PATCH. */
const FAST_CONFIRM_DELAY_MS = 20;
const PATCH_TIMEOUT_MS = 3_000;

const BUDGET = {
  warmClickToPatchMs: 5,
  stoppedClickToPatchMs: 80,
  confirmedOverRoundTripMs: 25,
  burstOf9Patches: 2,
};

// ---- small helpers ----------------------------------------------------------------------------

export const epochNow = (): number => performance.timeOrigin + performance.now();
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string): void => console.log(`[bench] ${line}`);

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

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The commit measured, with -dirty when the work tree has changes (GMC_BENCH_COMMIT overrides). */
function sourceCommit(): string {
  if (process.env['GMC_BENCH_COMMIT']) return process.env['GMC_BENCH_COMMIT'];
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}


// ---- the rig: emulator + Chromium with the e2e build ------------------------------------------

export interface BenchRig extends Rig {
  desk: Page;
  call: string;
  cdp: CDPSession;
}

export async function startBenchRig(): Promise<BenchRig> {
  // The same Chromium and flags as the end-to-end tests, with the build under measurement.
  const rig = await startRig({ extensionPath: EXTENSION_DIR, emulator: { confirmDelayMs: FAST_CONFIRM_DELAY_MS } });
  const { emulator, context } = rig;
  const popup = await signInThroughPopup(rig);
  await popup.close();
  // No extension page may stay open unnoticed (an onboarding tab, say): it would keep the
  // extension's process alive and change figure 2.
  for (const page of context.pages()) if (page.url().startsWith(`chrome-extension://${EXTENSION_ID}/`)) await page.close();
  const desk = await rig.agentDesktop();
  const call = emulator.startCall({ customerName: 'Bench Bailey' });
  await waitFor('the page control', () => pageControl(desk).isEnabled(), 15_000);
  await desk.waitForFunction(() => document.querySelector('genesys-mic-control')?.getAttribute('data-placement') === 'toolbar');
  await sleep(500); // let the page's own re-render settle so the button stays put
  const cdp = await context.newCDPSession(desk);
  await cdp.send('ServiceWorker.enable');
  return { ...rig, desk, call, cdp };
}

// ---- page instrumentation (runs in the page's main world) -------------------------------------

interface PageProbe {
  clicks: number[];
  statuses: [string, number][];
}

/** A capturing click listener on window: the epoch time each click is dispatched. */
export async function installClickProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __gmcBench?: PageProbe };
    if (w.__gmcBench) return;
    const probe: PageProbe = { clicks: [], statuses: [] };
    w.__gmcBench = probe;
    window.addEventListener('click', () => probe.clicks.push(performance.timeOrigin + performance.now()), true);
  });
}

/** Records each change of the control's data-status with its epoch time (the DOM change, before paint). */
export async function installStatusProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const probe = (window as unknown as { __gmcBench: PageProbe }).__gmcBench;
    const root = document.querySelector('genesys-mic-control')?.shadowRoot;
    if (!root) throw new Error('no control on the page');
    let last = root.querySelector('.gmc')?.getAttribute('data-status') ?? '';
    new MutationObserver(() => {
      const now = performance.timeOrigin + performance.now();
      const status = root.querySelector('.gmc')?.getAttribute('data-status') ?? '';
      if (status !== last) {
        last = status;
        probe.statuses.push([status, now]);
      }
    }).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  });
}

export const lastClick = (page: Page): Promise<number | undefined> =>
  page.evaluate(() => (window as unknown as { __gmcBench: PageProbe }).__gmcBench.clicks.at(-1));
const statusesSince = (page: Page, since: number): Promise<[string, number][]> =>
  page.evaluate((t) => (window as unknown as { __gmcBench: PageProbe }).__gmcBench.statuses.filter(([, at]) => at >= t), since);
const pageStatus = (page: Page): Promise<string | null | undefined> =>
  page.evaluate(() => document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('.gmc')?.getAttribute('data-status'));

export async function buttonCentre(page: Page): Promise<{ x: number; y: number }> {
  const box = await pageControl(page).boundingBox();
  if (!box) throw new Error('the mute button is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

// ---- emulator observations --------------------------------------------------------------------

export const serverMuted = (rig: BenchRig): boolean =>
  rig.emulator.call(rig.call)?.participants?.find((p) => p.purpose === 'agent')?.muted === true;

const patchesSince = (rig: BenchRig, since: number): RecordedRequest[] =>
  rig.emulator.requests().filter((r) => r.method === 'PATCH' && r.wallTime >= since);

export function nextPatch(rig: BenchRig, since: number, timeoutMs = PATCH_TIMEOUT_MS): Promise<RecordedRequest | undefined> {
  return rig.emulator.waitForRequest((r) => r.method === 'PATCH' && r.wallTime >= since, timeoutMs).catch(() => undefined);
}

async function workerView(rig: BenchRig): Promise<MicView> {
  const worker = await currentWorker(rig.context);
  return worker.evaluate(() => (globalThis as unknown as { gmcView: () => Promise<MicView> }).gmcView());
}

/** Waits until Genesys, the worker and the page all show `muted` (or all `live`), nothing pending. */
export async function settled(rig: BenchRig, muted: boolean, timeoutMs = 10_000): Promise<void> {
  const want = muted ? 'muted' : 'live';
  let seen = '';
  await waitFor(
    `the settled state "${want}"`,
    async () => {
      const [page, view] = [await pageStatus(rig.desk), await workerView(rig)];
      seen = `Genesys muted=${serverMuted(rig)}, page ${page}, worker ${view.status}/${view.connection}${view.problem ? ` (${view.problem.code})` : ''}`;
      return serverMuted(rig) === muted && page === want && view.status === want;
    },
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen: ${seen}`);
  });
}

/** Genesys announces the call's true state again (as any change would), and everyone settles on it. */
export async function recover(rig: BenchRig): Promise<void> {
  rig.emulator.setMuted(rig.call, serverMuted(rig));
  await settled(rig, serverMuted(rig));
}

// ---- clock check ------------------------------------------------------------------------------

interface ClockCheck {
  /** Browser clock minus Node clock, ms, from the probe with the shortest round trip. */
  offsetMs: number;
  /** Half that shortest round trip: the offset is known to ± this. */
  uncertaintyMs: number;
}

async function clockOffset(read: () => Promise<number>): Promise<ClockCheck> {
  const samples: { rtt: number; offset: number }[] = [];
  for (let i = 0; i < 25; i++) {
    const before = epochNow();
    const theirs = await read();
    const after = epochNow();
    samples.push({ rtt: after - before, offset: theirs - (before + after) / 2 });
  }
  samples.sort((a, b) => a.rtt - b.rtt);
  const best = samples[0]!;
  return { offsetMs: round(best.offset), uncertaintyMs: round(best.rtt / 2) };
}

// ---- 1. warm click → PATCH --------------------------------------------------------------------

type Source = 'page' | 'popup' | 'command';

export interface WarmSample {
  /** Click dispatched (command: dispatched in the worker) → PATCH received by the emulator. */
  totalMs: number;
  /** Click → the worker has the message (an extra onMessage listener, after the extension's). */
  toWorkerMs?: number;
  /** Click → the worker calls fetch() for the PATCH. */
  toFetchMs?: number;
  /** fetch() called → the emulator has the request (Chromium's network stack + Node). */
  fetchToWireMs?: number;
}

interface WorkerTrace {
  fetches: number[];
  messages: number[];
}

/**
 * Diagnostics only: in the running worker, notes when fetch() is called and when a runtime message
 * arrives (a listener added after the extension's own). Costs microseconds; lost on a restart.
 */
async function traceWorker(rig: BenchRig): Promise<void> {
  const worker = await currentWorker(rig.context);
  await worker.evaluate(() => {
    const scope = globalThis as unknown as { __gmcTrace?: WorkerTrace; fetch: typeof fetch };
    if (scope.__gmcTrace) return;
    const trace: WorkerTrace = { fetches: [], messages: [] };
    scope.__gmcTrace = trace;
    const original = scope.fetch;
    scope.fetch = (input, init) => {
      trace.fetches.push(performance.timeOrigin + performance.now());
      return original(input, init);
    };
    chrome.runtime.onMessage.addListener(() => {
      trace.messages.push(performance.timeOrigin + performance.now());
      return undefined;
    });
  });
}

async function workerTrace(rig: BenchRig, since: number): Promise<{ fetch?: number; message?: number }> {
  const worker = await currentWorker(rig.context);
  return worker.evaluate((t) => {
    const trace = (globalThis as unknown as { __gmcTrace?: WorkerTrace }).__gmcTrace;
    return { fetch: trace?.fetches.find((x) => x >= t), message: trace?.messages.find((x) => x >= t) };
  }, since);
}

async function warmClicks(rig: BenchRig, source: Source): Promise<WarmSample[]> {
  const samples: WarmSample[] = [];
  let popup: Page | undefined;
  let target = rig.desk;
  if (source === 'popup') {
    popup = await rig.extensionPage('popup');
    await waitFor('the popup button', () => pageControl(popup!).isEnabled());
    target = popup;
  }
  if (source !== 'command') await installClickProbe(target);
  await traceWorker(rig);
  const centre = source === 'command' ? undefined : await buttonCentre(target);
  for (let i = 0; i < RUNS.warmUp + RUNS.warm; i++) {
    const wasMuted = serverMuted(rig);
    const since = epochNow();
    let dispatchedAt: number | undefined;
    if (source === 'command') {
      const worker = await currentWorker(rig.context);
      dispatchedAt = await worker.evaluate(() => {
        const at = performance.timeOrigin + performance.now();
        (globalThis as unknown as { gmcDispatchCommand: (command: string) => void }).gmcDispatchCommand('toggle-mute');
        return at;
      });
    } else {
      await target.mouse.click(centre!.x, centre!.y);
    }
    const patch = await nextPatch(rig, since);
    if (source !== 'command') dispatchedAt = await lastClick(target);
    if (!patch || dispatchedAt === undefined) throw new Error(`${source}: no PATCH after a click`);
    const trace = await workerTrace(rig, since);
    if (i >= RUNS.warmUp) {
      samples.push({
        totalMs: round(patch.wallTime - dispatchedAt),
        ...(trace.message === undefined || source === 'command' ? {} : { toWorkerMs: round(trace.message - dispatchedAt) }),
        ...(trace.fetch === undefined ? {} : { toFetchMs: round(trace.fetch - dispatchedAt), fetchToWireMs: round(patch.wallTime - trace.fetch) }),
      });
    }
    await settled(rig, !wasMuted);
    await sleep(100);
  }
  await popup?.close();
  return samples;
}

/** The floor any design pays: a bare fetch() from the worker → the emulator has it. */
async function fetchFloor(rig: BenchRig): Promise<number[]> {
  const samples: number[] = [];
  const url = `${rig.emulator.origin}/api/v2/bench-floor`;
  for (let i = 0; i < RUNS.warmUp + RUNS.warm; i++) {
    const since = epochNow();
    const worker = await currentWorker(rig.context);
    const calledAt = await worker.evaluate((target) => {
      const at = performance.timeOrigin + performance.now();
      void fetch(target, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{"muted":true}' }).catch(() => undefined);
      return at;
    }, url);
    const seen = await rig.emulator.waitForRequest((r) => r.path === '/api/v2/bench-floor' && r.wallTime >= since, PATCH_TIMEOUT_MS);
    if (i >= RUNS.warmUp) samples.push(round(seen.wallTime - calledAt));
    await sleep(100);
  }
  return samples;
}

// ---- 3. click → confirmed state with a fixed round trip ---------------------------------------

interface ConfirmedRun {
  /** Click → the page shows pending. */
  pendingMs?: number;
  /** Click → PATCH received. */
  patchMs: number;
  /** Click → the page shows the confirmed state. */
  confirmedMs: number;
  /** The confirming event left the emulator → the page shows it. */
  eventToPageMs?: number;
}

async function confirmedState(rig: BenchRig): Promise<ConfirmedRun[]> {
  const runs: ConfirmedRun[] = [];
  rig.emulator.setLatency(ROUND_TRIP_MS);
  rig.emulator.setConfirmDelay(0);
  try {
    await installClickProbe(rig.desk);
    await installStatusProbe(rig.desk);
    const centre = await buttonCentre(rig.desk);
    for (let i = 0; i < RUNS.warmUp + RUNS.confirmed; i++) {
      const wasMuted = serverMuted(rig);
      const want = wasMuted ? 'live' : 'muted';
      const since = epochNow();
      await rig.desk.mouse.click(centre.x, centre.y);
      const patch = await nextPatch(rig, since);
      await settled(rig, !wasMuted);
      const clickAt = await lastClick(rig.desk);
      const statuses = await statusesSince(rig.desk, since);
      const confirmedAt = statuses.find(([status]) => status === want)?.[1];
      const pendingAt = statuses.find(([status]) => status === 'pending')?.[1];
      if (!patch || clickAt === undefined || confirmedAt === undefined) throw new Error('no confirmed state after a click');
      const event = rig.emulator
        .socketFrames()
        .find((f) => f.direction === 'sent' && f.wallTime >= patch.wallTime && f.data.includes('conversations.calls'));
      if (i >= RUNS.warmUp) {
        runs.push({
          ...(pendingAt === undefined ? {} : { pendingMs: round(pendingAt - clickAt) }),
          patchMs: round(patch.wallTime - clickAt),
          confirmedMs: round(confirmedAt - clickAt),
          ...(event ? { eventToPageMs: round(confirmedAt - event.wallTime) } : {}),
        });
      }
      await sleep(100);
    }
  } finally {
    rig.emulator.setLatency(0);
    rig.emulator.setConfirmDelay(FAST_CONFIRM_DELAY_MS);
  }
  return runs;
}

// ---- 4. requests per intent -------------------------------------------------------------------

interface BurstRun {
  clicks: number;
  /** Pause between clicks; 0 = back to back. */
  intervalMs: number;
  patches: number;
  /** First click → last click dispatched. */
  burstMs: number;
  /** The final state is what the last click asked for. */
  lastClickWon: boolean;
}

async function bursts(rig: BenchRig): Promise<BurstRun[]> {
  const runs: BurstRun[] = [];
  rig.emulator.setConfirmDelay(BURST_CONFIRM_DELAY_MS);
  try {
    await installClickProbe(rig.desk);
    const centre = await buttonCentre(rig.desk);
    const plan = [...BURSTS.map((clicks) => ({ clicks, intervalMs: 0 })), HUMAN_BURST];
    for (const { clicks, intervalMs } of plan) {
      for (let rep = 0; rep < RUNS.burstReps; rep++) {
        const wasMuted = serverMuted(rig);
        const want = clicks % 2 === 1 ? !wasMuted : wasMuted;
        const since = epochNow();
        // Real mouse clicks at the button's position, back to back (as test/e2e/mute.test.ts does).
        for (let i = 0; i < clicks; i++) {
          if (i > 0 && intervalMs > 0) await sleep(intervalMs);
          await rig.desk.mouse.click(centre.x, centre.y);
        }
        const clickTimes = await rig.desk.evaluate((t) => (window as unknown as { __gmcBench: PageProbe }).__gmcBench.clicks.filter((c) => c >= t), since);
        let lastClickWon = true;
        try {
          await sleep(50);
          await settled(rig, want);
          // Quiet for well over a confirm delay: any further PATCH would have left by now.
          await sleep(BURST_CONFIRM_DELAY_MS * 3);
          await settled(rig, want, 2_000);
        } catch {
          lastClickWon = false;
          await settled(rig, serverMuted(rig), 15_000).catch(() => undefined);
        }
        runs.push({
          clicks,
          intervalMs,
          patches: patchesSince(rig, since).length,
          burstMs: round((clickTimes.at(-1) ?? 0) - (clickTimes[0] ?? 0)),
          lastClickWon,
        });
        await sleep(100);
      }
    }
  } finally {
    rig.emulator.setConfirmDelay(FAST_CONFIRM_DELAY_MS);
  }
  return runs;
}

// ---- 2. click → PATCH with a stopped worker; 5. worker start-up -------------------------------

export interface StoppedRun {
  /** Whether an extension page (the options page) was open, keeping the extension's process alive. */
  extensionPageOpen: boolean;
  /** Click → PATCH received; undefined when no PATCH came within PATCH_TIMEOUT_MS. */
  patchMs?: number;
  /** False when the new worker had started before the click (a view's port reconnecting woke it). */
  clickWokeWorker: boolean;
  /** Click → Chrome reports the worker starting / running (CDP ServiceWorker domain). */
  startingMs?: number;
  runningMs?: number;
  /** Click → the new worker's time origin (its global scope exists: process and thread are up). */
  workerOriginMs?: number;
  /** Worker origin → end of module evaluation, and → stored session restored (test hook). */
  evaluatedMs?: number;
  readyMs?: number;
  /** Set when the worker and page did not come to show Genesys's state within 10 s: what they showed. */
  diverged?: string;
  /** What the woken worker asked Genesys for, ms after the click. */
  requests: string[];
}

interface Startup {
  origin: number;
  evaluatedMs: number;
  readyMs?: number;
}

export async function stoppedWorkerClicks(rig: BenchRig, extensionPageOpen: boolean): Promise<StoppedRun[]> {
  const runs: StoppedRun[] = [];
  const scope = `chrome-extension://${EXTENSION_ID}/`;
  const status: [string, number][] = [];
  const onVersion = (event: { versions: { scriptURL: string; runningStatus: string }[] }): void => {
    for (const version of event.versions) if (version.scriptURL.startsWith(scope)) status.push([version.runningStatus, epochNow()]);
  };
  rig.cdp.on('ServiceWorker.workerVersionUpdated', onVersion);
  const options = extensionPageOpen ? await rig.extensionPage('options') : undefined;
  try {
    await installClickProbe(rig.desk);
    const centre = await buttonCentre(rig.desk);
    for (let i = 0; i < RUNS.stopped; i++) {
      status.length = 0;
      const stopAt = epochNow();
      await rig.cdp.send('ServiceWorker.stopAllWorkers');
      await waitFor('the worker to stop', async () => status.some(([s, at]) => s === 'stopped' && at >= stopAt), 5_000, 2);
      const since = epochNow();
      await rig.desk.mouse.click(centre.x, centre.y);
      const patch = await nextPatch(rig, since);
      const clickAt = (await lastClick(rig.desk)) ?? since;
      // The woken worker (not the stopped one), back to live with the call, whatever the click did.
      const startup = await waitFor('the woken worker', async () => {
        const worker = await currentWorker(rig.context);
        const found = await worker.evaluate(() => ({
          origin: performance.timeOrigin,
          ...(globalThis as unknown as { gmcStartup?: { evaluatedMs: number; readyMs?: number } }).gmcStartup,
        }));
        return found.origin > stopAt && found.evaluatedMs !== undefined ? (found as Startup) : undefined;
      });
      await waitFor('the woken worker to be live', async () => {
        const view = await workerView(rig);
        return view.connection === 'live' && (view.status === 'live' || view.status === 'muted');
      });
      // What Genesys has now must be what the worker and the page show; if not, note it and put
      // things right (an event with the true state) before the next run.
      let diverged: string | undefined;
      await settled(rig, serverMuted(rig)).catch(async (error: Error) => {
        diverged = error.message.replace(/^.*last seen: /, '');
        await recover(rig);
      });
      const after = (name: string): number | undefined => status.find(([s, at]) => s === name && at >= stopAt)?.[1];
      const starting = after('starting');
      const running = after('running');
      runs.push({
        extensionPageOpen,
        ...(patch ? { patchMs: round(patch.wallTime - clickAt) } : {}),
        ...(diverged ? { diverged } : {}),
        clickWokeWorker: startup.origin >= since,
        ...(starting === undefined ? {} : { startingMs: round(starting - clickAt) }),
        ...(running === undefined ? {} : { runningMs: round(running - clickAt) }),
        workerOriginMs: round(startup.origin - clickAt),
        evaluatedMs: round(startup.evaluatedMs),
        ...(startup.readyMs === undefined ? {} : { readyMs: round(startup.readyMs) }),
        requests: rig.emulator
          .requests()
          .filter((r) => r.wallTime >= since && r.wallTime <= clickAt + PATCH_TIMEOUT_MS)
          .map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}|streaming-0-[0-9a-f]+/g, '…')} +${Math.round(r.wallTime - clickAt)} ms`),
      });
      const run = runs.at(-1)!;
      log(
        `  ${i + 1}/${RUNS.stopped}: ${patch ? `PATCH after ${run.patchMs} ms` : 'no PATCH (state not restored)'}; worker origin +${run.workerOriginMs} ms, evaluated +${round(run.workerOriginMs! + run.evaluatedMs!)} ms` +
          (diverged ? `; DIVERGED: ${diverged}` : ''),
      );
      await sleep(300);
    }
  } finally {
    rig.cdp.off('ServiceWorker.workerVersionUpdated', onVersion);
    await options?.close();
  }
  return runs;
}

// ---- 5. content script ------------------------------------------------------------------------

interface ContentRun {
  /** Navigation start → Chrome creates the content script's isolated world (CDP, ± 1 ms): injection. */
  injectedMs?: number;
  /** Navigation start → the control mounted (the content script's performance mark). */
  mountedMs: number;
  /** Navigation start → DOMContentLoaded end / load end (the page's own loading, for context). */
  domContentLoadedMs: number;
  loadMs: number;
  /** Long tasks (≥ 50 ms) on the page from navigation to 1 s after mounting. */
  longTasks: { startMs: number; durationMs: number }[];
  /** Long tasks that overlap the content script's run (injection → mounted + 1 s). */
  longTasksDuringContentScript: number;
  /** Long animation frames in which extension script ran (≥ 5 ms), with that script's own time. */
  extensionScriptInLongFrames: { sourceURL: string; durationMs: number }[];
}

/**
 * Loads the agent desktop RUNS.contentScript times. `origin` defaults to the emulator the extension
 * is configured for; a baseline passes another origin the content script does not match.
 */
export async function contentScriptRuns(rig: BenchRig, origin = rig.emulator.origin): Promise<ContentRun[]> {
  const runs: ContentRun[] = [];
  const withExtension = origin === rig.emulator.origin;
  for (let i = 0; i < RUNS.contentScript; i++) {
    const page = await rig.context.newPage();
    await page.addInitScript(() => {
      const found: { long: PerformanceEntry[]; frames: PerformanceEntry[] } = { long: [], frames: [] };
      (window as unknown as { __gmcPerf: typeof found }).__gmcPerf = found;
      new PerformanceObserver((list) => found.long.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
      try {
        new PerformanceObserver((list) => found.frames.push(...list.getEntries())).observe({ type: 'long-animation-frame', buffered: true });
      } catch {
        // Long animation frames need Chrome 123+.
      }
    });
    // The content script's isolated world is created right before it runs; CDP says when.
    const session = await rig.context.newCDPSession(page);
    let injectedAt: number | undefined;
    session.on('Runtime.executionContextCreated', (event) => {
      if (injectedAt === undefined && event.context.origin.startsWith(`chrome-extension://${EXTENSION_ID}`)) injectedAt = epochNow();
    });
    await session.send('Runtime.enable');
    await page.goto(`${origin}/directory/`);
    if (withExtension) {
      await page.waitForFunction(() => performance.getEntriesByName('genesys-mic-control:mounted').length > 0, undefined, { timeout: 15_000 });
    } else {
      // As long as the content script usually takes after load, so both watch the same stretch.
      await page.waitForFunction(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd > 0);
      await sleep(200);
    }
    await sleep(1_000);
    const found = await page.evaluate((scope) => {
      const perf = (window as unknown as { __gmcPerf: { long: PerformanceEntry[]; frames: PerformanceEntry[] } }).__gmcPerf;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      // No named helper functions in here: tsx would wrap them in a __name() the page does not have.
      type Frame = PerformanceEntry & { scripts?: { sourceURL: string; duration: number }[] };
      return {
        timeOrigin: performance.timeOrigin,
        mountedMs: performance.getEntriesByName('genesys-mic-control:mounted')[0]?.startTime ?? Number.NaN,
        domContentLoadedMs: nav.domContentLoadedEventEnd,
        loadMs: nav.loadEventEnd,
        longTasks: perf.long.map((e) => ({ startMs: e.startTime, durationMs: e.duration })),
        extensionScriptInLongFrames: (perf.frames as Frame[]).flatMap((f) =>
          (f.scripts ?? []).filter((x) => x.sourceURL.startsWith(scope)).map((x) => ({ sourceURL: x.sourceURL.slice(scope.length), durationMs: x.duration })),
        ),
      };
    }, `chrome-extension://${EXTENSION_ID}/`);
    const injectedMs = injectedAt === undefined ? undefined : injectedAt - found.timeOrigin;
    const windowStart = injectedMs ?? found.loadMs;
    const windowEnd = (Number.isNaN(found.mountedMs) ? found.loadMs + 200 : found.mountedMs) + 1_000;
    runs.push({
      ...(injectedMs === undefined ? {} : { injectedMs: round(injectedMs) }),
      mountedMs: round(found.mountedMs),
      domContentLoadedMs: round(found.domContentLoadedMs),
      loadMs: round(found.loadMs),
      longTasks: found.longTasks.map((t) => ({ startMs: round(t.startMs), durationMs: round(t.durationMs) })),
      longTasksDuringContentScript: found.longTasks.filter((t) => t.startMs + t.durationMs >= windowStart && t.startMs <= windowEnd).length,
      extensionScriptInLongFrames: found.extensionScriptInLongFrames.map((f) => ({ ...f, durationMs: round(f.durationMs) })),
    });
    await session.detach().catch(() => undefined);
    await page.close();
  }
  return runs;
}

// ---- 6. idle cost -----------------------------------------------------------------------------

interface IdleWindow {
  windowMs: number;
  /** Every /oauth and /api/v2 request and socket (re)connection in the window. */
  requests: string[];
  framesSent: number;
  framesReceived: number;
  /** Frames by kind: ping (client), pong, heartbeat, event, other. */
  byKind: Record<string, number>;
  perHour: { requests: number; frames: number };
}

function frameKind(frame: SocketFrame): string {
  if (frame.direction === 'received') return frame.data.includes('"ping"') ? 'ping' : 'other-received';
  if (frame.data.includes('"pong"')) return 'pong';
  if (frame.data.includes('WebSocket Heartbeat')) return 'heartbeat';
  if (frame.data.includes('conversations.calls')) return 'event';
  return 'other-sent';
}

async function idleWindow(rig: BenchRig): Promise<IdleWindow> {
  const start = epochNow();
  await sleep(RUNS.idleMs);
  const end = epochNow();
  const inWindow = <T extends { wallTime: number }>(items: T[]): T[] => items.filter((x) => x.wallTime >= start && x.wallTime < end);
  const requests = inWindow(rig.emulator.requests());
  const frames = inWindow(rig.emulator.socketFrames());
  const byKind: Record<string, number> = {};
  for (const frame of frames) byKind[frameKind(frame)] = (byKind[frameKind(frame)] ?? 0) + 1;
  const perHour = (count: number): number => round((count * 3_600_000) / RUNS.idleMs, 0);
  return {
    windowMs: RUNS.idleMs,
    requests: requests.map((r) => `${r.method} ${r.path} at ${((r.wallTime - start) / 1000).toFixed(1)} s`),
    framesSent: frames.filter((f) => f.direction === 'sent').length,
    framesReceived: frames.filter((f) => f.direction === 'received').length,
    byKind,
    perHour: { requests: perHour(requests.length), frames: perHour(frames.length) },
  };
}

async function idleCost(rig: BenchRig): Promise<{ noCall: IdleWindow; callOnHold: IdleWindow }> {
  rig.emulator.endCall(rig.call);
  await waitFor('no call', async () => (await workerView(rig)).status === 'no-call');
  await sleep(2_000);
  log(`  idle with no call for ${RUNS.idleMs / 1000} s…`);
  const noCall = await idleWindow(rig);
  rig.call = rig.emulator.startCall({ customerName: 'Held Hayden' });
  await waitFor('the call', async () => (await workerView(rig)).call?.conversationId === rig.call);
  rig.emulator.setHeld(rig.call, true);
  await waitFor('the call on hold', async () => (await workerView(rig)).call?.held === true);
  await sleep(2_000);
  log(`  idle with a call on hold for ${RUNS.idleMs / 1000} s…`);
  const callOnHold = await idleWindow(rig);
  return { noCall, callOnHold };
}

// ---- 5. sizes ---------------------------------------------------------------------------------

interface SizeRow {
  entry: Entry;
  storeGzipBytes: number;
  e2eGzipBytes?: number;
  budgetBytes?: number;
  files: string[];
}

function sizes(): SizeRow[] {
  // The budgets are for the store build; build it into a temporary folder so dist/ is left alone.
  const storeDir = mkdtempSync(join(tmpdir(), 'gmc-bench-store-'));
  try {
    execFileSync('npx', ['vite', 'build', '--outDir', storeDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const store = entrySizes(storeDir);
    let e2e: EntrySize[] = [];
    try {
      e2e = entrySizes(EXTENSION_DIR);
    } catch {
      // No e2e build: only the store sizes.
    }
    return store.map((s) => {
      const budget = BUDGETS[s.entry];
      const e2eBytes = e2e.find((e) => e.entry === s.entry)?.gzipBytes;
      return {
        entry: s.entry,
        storeGzipBytes: s.gzipBytes,
        ...(e2eBytes === undefined ? {} : { e2eGzipBytes: e2eBytes }),
        ...(budget === undefined ? {} : { budgetBytes: budget }),
        files: s.files,
      };
    });
  } finally {
    rmSync(storeDir, { recursive: true, force: true });
  }
}

// ---- the table --------------------------------------------------------------------------------

interface Row {
  item: string;
  figure: string;
  result: string;
  budget: string;
  verdict: string;
}

const ms = (value: number | undefined): string => (value === undefined ? '—' : `${value.toFixed(1)} ms`);
const medP95 = (s: Stats | undefined): string => (s ? `${ms(s.median)} / ${ms(s.p95)} (n=${s.n})` : 'no data');
const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;
const verdict = (ok: boolean | undefined): Row['verdict'] => (ok === undefined ? 'n/a' : ok ? 'ok' : 'MISS');

function printTable(rows: Row[]): string {
  const head: Row = { item: '#', figure: 'Figure', result: 'Result (median / p95)', budget: 'Budget', verdict: 'Verdict' };
  const all = [head, ...rows];
  const width = (key: keyof Row): number => Math.max(...all.map((r) => r[key].length));
  const line = (r: Row): string =>
    `| ${r.item.padEnd(width('item'))} | ${r.figure.padEnd(width('figure'))} | ${r.result.padEnd(width('result'))} | ${r.budget.padEnd(width('budget'))} | ${r.verdict.padEnd(width('verdict'))} |`;
  const rule = `|${['item', 'figure', 'result', 'budget', 'verdict'].map((k) => '-'.repeat(width(k as keyof Row) + 2)).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

// ---- main -------------------------------------------------------------------------------------

async function section<T>(name: string, errors: Record<string, string>, run: () => Promise<T>): Promise<T | undefined> {
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
}

const median = (values: (number | undefined)[]): number | undefined => stats(values.filter((v): v is number => v !== undefined))?.median;

async function main(): Promise<void> {
  const began = Date.now();
  const errors: Record<string, string> = {};
  const executable = ensureChromium();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    chromium: browserVersion(executable),
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg().map((l) => round(l)),
  };
  log(`${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, ${machine.chromium}; load ${machine.loadAverageAtStart.join(' ')}`);
  if (machine.loadAverageAtStart[0]! > machine.cpus / 2) log('  note: the machine is busy; timings will be noisier than usual');

  log('sizes (store build in a temporary folder; e2e build as loaded)');
  const sizeRows = sizes();

  log(`starting the emulator and Chromium with ${EXTENSION_DIR}`);
  const rig = await startBenchRig();
  let results: Record<string, unknown>;
  try {
    const clocks = {
      page: await clockOffset(() => rig.desk.evaluate(() => performance.timeOrigin + performance.now())),
      worker: await clockOffset(async () => (await currentWorker(rig.context)).evaluate(() => performance.timeOrigin + performance.now())),
    };
    log(`clock offset page−node ${clocks.page.offsetMs} ± ${clocks.page.uncertaintyMs} ms, worker−node ${clocks.worker.offsetMs} ± ${clocks.worker.uncertaintyMs} ms`);

    const floor = await section(`1. floor: bare fetch() in the worker → emulator (${RUNS.warm} runs)`, errors, () => fetchFloor(rig));
    const warm: Partial<Record<Source, WarmSample[]>> = {};
    for (const source of ['page', 'popup', 'command'] as const) {
      const samples = await section(`1. warm click → PATCH: ${source} (${RUNS.warm} runs)`, errors, () => warmClicks(rig, source));
      if (samples) warm[source] = samples;
    }
    const confirmed = await section(`3. click → confirmed on the page, ${ROUND_TRIP_MS} ms round trip (${RUNS.confirmed} runs)`, errors, () => confirmedState(rig));
    const burstRuns = await section(`4. bursts of ${BURSTS.join(', ')} clicks and 9 at a human pace (${RUNS.burstReps} each)`, errors, () => bursts(rig));
    const stoppedCold = await section(`2. stopped worker, no extension page open (${RUNS.stopped} runs)`, errors, () => stoppedWorkerClicks(rig, false));
    const stoppedWarmProcess = await section(`2. stopped worker, an extension page open (${RUNS.stopped} runs)`, errors, () => stoppedWorkerClicks(rig, true));
    const content = await section(`5. content script on the agent desktop (${RUNS.contentScript} loads)`, errors, () => contentScriptRuns(rig));
    const baseline = await section(`5. the same page where the content script does not run (${RUNS.contentScript} loads)`, errors, async () => {
      // A second emulator on another loopback address: same page, same call, no content script.
      const other = await startEmulator({ host: '127.0.0.2' });
      try {
        other.startCall({ customerName: 'Bench Bailey' });
        return await contentScriptRuns(rig, other.origin);
      } finally {
        await other.close();
      }
    });
    const idle = await section(`6. idle cost (2 × ${RUNS.idleMs / 1000} s)`, errors, () => idleCost(rig));

    // ---- figures and the table ----
    const rows: Row[] = [];
    const floorStats = stats(floor ?? []);
    const warmFigures = Object.fromEntries(
      (['page', 'popup', 'command'] as const).map((source) => {
        const samples = warm[source] ?? [];
        return [
          source,
          {
            clickToPatchMs: stats(samples.map((x) => x.totalMs)),
            medianClickToWorkerMs: median(samples.map((x) => x.toWorkerMs)),
            medianClickToFetchMs: median(samples.map((x) => x.toFetchMs)),
            medianFetchToWireMs: median(samples.map((x) => x.fetchToWireMs)),
          },
        ];
      }),
    );
    const sourceName: Record<Source, string> = { page: 'page button', popup: 'popup toggle', command: 'command (from dispatch in the worker)' };
    for (const source of ['page', 'popup', 'command'] as const) {
      const f = warmFigures[source]!;
      rows.push({
        item: '1',
        figure: `Warm click → PATCH, ${sourceName[source]}`,
        result: medP95(f.clickToPatchMs),
        budget: `median ≤ ${BUDGET.warmClickToPatchMs} ms`,
        verdict: verdict(f.clickToPatchMs && f.clickToPatchMs.median <= BUDGET.warmClickToPatchMs),
      });
      rows.push({
        item: '1',
        figure: '  medians: to worker / to fetch() / fetch() → wire',
        result: `${source === 'command' ? '—' : ms(f.medianClickToWorkerMs)} / ${ms(f.medianClickToFetchMs)} / ${ms(f.medianFetchToWireMs)}`,
        budget: '',
        verdict: '',
      });
    }
    rows.push({ item: '1', figure: 'Floor: bare fetch() in the worker → emulator', result: medP95(floorStats), budget: '', verdict: '' });

    const stoppedFigures = (runs: StoppedRun[] | undefined) => {
      const list = runs ?? [];
      const patches = list.flatMap((r) => (r.patchMs === undefined ? [] : [r.patchMs]));
      return {
        runs: list.length,
        noPatch: list.filter((r) => r.patchMs === undefined).length,
        diverged: list.filter((r) => r.diverged !== undefined).length,
        clickDidNotWake: list.filter((r) => !r.clickWokeWorker).length,
        clickToPatchMs: stats(patches),
        clickToWorkerOriginMs: stats(list.flatMap((r) => (r.workerOriginMs === undefined ? [] : [r.workerOriginMs]))),
        originToEvaluatedMs: stats(list.flatMap((r) => (r.evaluatedMs === undefined ? [] : [r.evaluatedMs]))),
        originToReadyMs: stats(list.flatMap((r) => (r.readyMs === undefined ? [] : [r.readyMs]))),
        medianReadyToPatchMs: median(list.map((r) => (r.patchMs === undefined || r.readyMs === undefined ? undefined : r.patchMs - r.workerOriginMs! - r.readyMs))),
      };
    };
    const stopped = { noExtensionPage: stoppedFigures(stoppedCold), extensionPageOpen: stoppedFigures(stoppedWarmProcess) };
    for (const [key, f] of Object.entries(stopped)) {
      const label = key === 'noExtensionPage' ? 'no extension page open (process ends)' : 'an extension page open (process kept)';
      const missing = [
        f.noPatch > 0 ? `${f.noPatch}/${f.runs} no PATCH (state not restored)` : '',
        f.diverged > 0 ? `${f.diverged}/${f.runs} WRONG STATE shown afterwards` : '',
      ].filter(Boolean).join('; ');
      rows.push({
        item: '2',
        figure: `Stopped worker, ${label}: click → PATCH`,
        result: f.runs === 0 ? 'no data' : [f.clickToPatchMs ? medP95(f.clickToPatchMs) : '', missing].filter(Boolean).join('; '),
        budget: `median ≤ ${BUDGET.stoppedClickToPatchMs} ms`,
        verdict: f.runs === 0 ? 'n/a' : f.noPatch > 0 ? 'MISS' : verdict(f.clickToPatchMs && f.clickToPatchMs.median <= BUDGET.stoppedClickToPatchMs),
      });
      rows.push({
        item: '2',
        figure: '  medians: worker origin; from it evaluated / restored; → PATCH',
        result: `${ms(f.clickToWorkerOriginMs?.median)}; ${ms(f.originToEvaluatedMs?.median)} / ${ms(f.originToReadyMs?.median)}; ${ms(f.medianReadyToPatchMs)}`,
        budget: '',
        verdict: '',
      });
    }

    const confirmedStats = stats((confirmed ?? []).map((r) => r.confirmedMs));
    const confirmedFigures = {
      roundTripMs: ROUND_TRIP_MS,
      clickToConfirmedMs: confirmedStats,
      ratioToRoundTrip: confirmedStats ? round(confirmedStats.median / ROUND_TRIP_MS) : undefined,
      clickToPendingMs: stats((confirmed ?? []).flatMap((r) => (r.pendingMs === undefined ? [] : [r.pendingMs]))),
      clickToPatchMs: stats((confirmed ?? []).map((r) => r.patchMs)),
      eventToPageMs: stats((confirmed ?? []).flatMap((r) => (r.eventToPageMs === undefined ? [] : [r.eventToPageMs]))),
    };
    rows.push({
      item: '3',
      figure: `Click → confirmed on the page, ${ROUND_TRIP_MS} ms round trip`,
      result: confirmedStats ? `${medP95(confirmedStats)} = ${confirmedFigures.ratioToRoundTrip!.toFixed(2)}× RT` : 'no data',
      budget: `≤ ${ROUND_TRIP_MS + BUDGET.confirmedOverRoundTripMs} ms (RT + ${BUDGET.confirmedOverRoundTripMs})`,
      verdict: verdict(confirmedStats && confirmedStats.median <= ROUND_TRIP_MS + BUDGET.confirmedOverRoundTripMs),
    });
    rows.push({
      item: '3',
      figure: '  medians: click → pending / → PATCH; event sent → page',
      result: `${ms(confirmedFigures.clickToPendingMs?.median)} / ${ms(confirmedFigures.clickToPatchMs?.median)}; ${ms(confirmedFigures.eventToPageMs?.median)}`,
      budget: '',
      verdict: '',
    });

    const burstSummary = [...BURSTS.map((clicks) => ({ clicks, intervalMs: 0 })), HUMAN_BURST].map(({ clicks, intervalMs }) => {
      const runs = (burstRuns ?? []).filter((r) => r.clicks === clicks && r.intervalMs === intervalMs);
      const patches = runs.map((r) => r.patches);
      return {
        clicks,
        intervalMs,
        naivePatches: clicks,
        measuredPatches: stats(patches),
        maxPatches: patches.length > 0 ? Math.max(...patches) : undefined,
        lastClickWonEveryTime: runs.every((r) => r.lastClickWon),
        burstMs: stats(runs.map((r) => r.burstMs)),
      };
    });
    for (const b of burstSummary) {
      rows.push({
        item: '4',
        figure: `Burst of ${b.clicks} toggle${b.clicks === 1 ? '' : 's'}${b.intervalMs ? ` at ${Math.round(1000 / b.intervalMs)}/s` : ''}: PATCHes (naive: ${b.naivePatches})`,
        result:
          b.measuredPatches === undefined
            ? 'no data'
            : `median ${b.measuredPatches.median}, max ${b.maxPatches} (n=${b.measuredPatches.n}, ${ms(b.burstMs?.median)} burst)${b.lastClickWonEveryTime ? '' : ', last click LOST'}`,
        budget: b.clicks === 9 && !b.intervalMs ? `≤ ${BUDGET.burstOf9Patches}` : '',
        verdict: b.clicks === 9 && !b.intervalMs ? verdict(b.maxPatches !== undefined && b.maxPatches <= BUDGET.burstOf9Patches && b.lastClickWonEveryTime) : '',
      });
    }

    for (const size of sizeRows) {
      rows.push({
        item: '5',
        figure: `Size: ${size.entry} (gzip, with all it loads)`,
        result: `${kB(size.storeGzipBytes)}${size.e2eGzipBytes === undefined ? '' : ` (e2e build ${kB(size.e2eGzipBytes)})`}`,
        budget: size.budgetBytes === undefined ? '' : `≤ ${kB(size.budgetBytes)}`,
        verdict: size.budgetBytes === undefined ? '' : verdict(size.storeGzipBytes <= size.budgetBytes),
      });
    }
    const startup = {
      extensionPageOpen: { originToEvaluatedMs: stopped.extensionPageOpen.originToEvaluatedMs, originToReadyMs: stopped.extensionPageOpen.originToReadyMs },
      newProcess: {
        clickToWorkerOriginMs: stopped.noExtensionPage.clickToWorkerOriginMs,
        originToEvaluatedMs: stopped.noExtensionPage.originToEvaluatedMs,
        originToReadyMs: stopped.noExtensionPage.originToReadyMs,
      },
    };
    rows.push({ item: '5', figure: 'Worker start-up: origin → modules evaluated (process kept)', result: medP95(startup.extensionPageOpen.originToEvaluatedMs), budget: '', verdict: '' });
    rows.push({ item: '5', figure: 'Worker start-up: origin → modules evaluated (new process)', result: medP95(startup.newProcess.originToEvaluatedMs), budget: '', verdict: '' });
    const contentFigures = {
      mountedMs: stats((content ?? []).map((r) => r.mountedMs)),
      domContentLoadedMs: stats((content ?? []).map((r) => r.domContentLoadedMs)),
      loadMs: stats((content ?? []).map((r) => r.loadMs)),
      injectedToMountedMs: stats((content ?? []).flatMap((r) => (r.injectedMs === undefined ? [] : [r.mountedMs - r.injectedMs]))),
      loads: content?.length ?? 0,
      longTasksDuringContentScript: (content ?? []).reduce((sum, r) => sum + r.longTasksDuringContentScript, 0),
      longTasks: (content ?? []).flatMap((r) => r.longTasks),
      extensionScriptInLongFrames: (content ?? []).flatMap((r) => r.extensionScriptInLongFrames),
    };
    rows.push({ item: '5', figure: 'Content script: navigation start → control mounted', result: medP95(contentFigures.mountedMs), budget: '', verdict: '' });
    rows.push({ item: '5', figure: 'Content script: injected → control mounted', result: medP95(contentFigures.injectedToMountedMs), budget: '', verdict: '' });
    rows.push({
      item: '5',
      figure: '  the page itself: DOMContentLoaded / load (medians)',
      result: `${ms(contentFigures.domContentLoadedMs?.median)} / ${ms(contentFigures.loadMs?.median)}`,
      budget: '',
      verdict: '',
    });
    const longest = (values: number[]): string => (values.length ? ` (longest ${Math.max(...values).toFixed(0)} ms)` : '');
    const baselineLongTasks = (baseline ?? []).flatMap((r) => r.longTasks);
    rows.push({
      item: '5',
      figure: 'Long tasks (≥ 50 ms) per page load: with / without the extension',
      result:
        content === undefined
          ? 'no data'
          : `${contentFigures.longTasks.length} in ${content.length}${longest(contentFigures.longTasks.map((t) => t.durationMs))} / ` +
            `${baseline === undefined ? '—' : `${baselineLongTasks.length} in ${baseline.length}${longest(baselineLongTasks.map((t) => t.durationMs))}`}`,
      budget: '',
      verdict: '',
    });
    rows.push({
      item: '5',
      figure: '  during the content script; extension script in long frames',
      result: `${contentFigures.longTasksDuringContentScript}; ${contentFigures.extensionScriptInLongFrames.length}${longest(contentFigures.extensionScriptInLongFrames.map((t) => t.durationMs))}`,
      budget: '',
      verdict: '',
    });
    for (const [name, w] of Object.entries(idle ?? {})) {
      rows.push({
        item: '6',
        figure: `Idle, ${name === 'noCall' ? 'no call' : 'call on hold'}: HTTP requests / socket frames per hour`,
        result: `${w.perHour.requests} / ${w.perHour.frames} (in ${w.windowMs / 1000} s: ${w.requests.length} req, ${w.framesReceived} in + ${w.framesSent} out)`,
        budget: 'no HTTP polling',
        verdict: verdict(w.requests.length === 0),
      });
    }
    const table = printTable(rows);
    console.log(`\n${table}\n`);

    results = {
      date: new Date().toISOString(),
      durationSeconds: Math.round((Date.now() - began) / 1000),
      quick: QUICK,
      commit: sourceCommit(),
      machine: { ...machine, loadAverageAtEnd: loadavg().map((l) => round(l)) },
      extension: EXTENSION_DIR,
      clockCheck: clocks,
      settings: { runs: RUNS, bursts: BURSTS, humanBurst: HUMAN_BURST, roundTripMs: ROUND_TRIP_MS, burstConfirmDelayMs: BURST_CONFIRM_DELAY_MS, fastConfirmDelayMs: FAST_CONFIRM_DELAY_MS },
      budgets: { ...BUDGET, sizesBytes: BUDGETS },
      table: rows,
      figures: {
        warm: warmFigures,
        fetchFloorMs: floorStats,
        stoppedWorker: stopped,
        confirmed: confirmedFigures,
        bursts: burstSummary,
        sizes: sizeRows.map(({ files, ...rest }) => ({ ...rest, files: files.length })),
        workerStartup: startup,
        contentScript: {
          ...contentFigures,
          longTasks: contentFigures.longTasks.length,
          extensionScriptInLongFrames: contentFigures.extensionScriptInLongFrames.length,
          baseline: {
            loads: baseline?.length ?? 0,
            longTasks: baselineLongTasks.length,
            domContentLoadedMs: stats((baseline ?? []).map((r) => r.domContentLoadedMs)),
            loadMs: stats((baseline ?? []).map((r) => r.loadMs)),
          },
        },
        idle,
      },
      raw: {
        floor,
        warm,
        stopped: [...(stoppedCold ?? []), ...(stoppedWarmProcess ?? [])],
        confirmed,
        bursts: burstRuns,
        contentScript: content,
        contentScriptBaseline: baseline,
        sizes: sizeRows,
      },
      errors,
    };
  } finally {
    await rig.close();
  }
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${RESULTS} in ${Math.round((Date.now() - began) / 1000)} s${Object.keys(errors).length ? `; ${Object.keys(errors).length} section(s) failed` : ''}`);
  if (Object.keys(errors).length > 0) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
