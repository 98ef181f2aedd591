// The bench rig: the e2e harness's emulator + Chromium with the build under measurement, signed in
// through the popup, the agent desktop open on one connected call; plus what every figure needs to
// click, time and wait on it.
//
// Clocks: the page (or popup, or worker) takes `performance.timeOrigin + performance.now()` when
// the click is dispatched; the emulator takes the same epoch clock in Node when a request arrives
// (RecordedRequest.wallTime). Both run on this machine; the offset between the two clocks is
// measured (min-RTT probe) and written to results.json as a check, not subtracted.
import type { CDPSession, Page } from 'playwright-core';
import { resolve } from 'node:path';
import type { RecordedRequest } from '../emulator/server.ts';
import { DEFAULT_TIMING } from '../src/background/intent/machine.ts';
import { agentMuted } from '../test/shared/agent.ts';
import {
  currentWorker,
  EXTENSION_ID,
  pageControl,
  pageStatus,
  signInThroughPopup,
  startRig,
  workerView,
  type Rig,
} from '../test/e2e/harness.ts';
import type { MicView } from '../src/shared/view.ts';
import { round } from './report.ts';

export const ROOT = resolve(import.meta.dirname, '..');
/** GMC_BENCH_EXTENSION: another e2e build than dist-e2e/ (e.g. an older commit's, for a baseline). */
export const EXTENSION_DIR = resolve(ROOT, process.env['GMC_BENCH_EXTENSION'] ?? 'dist-e2e');
/** GMC_BENCH_QUICK=1: a few runs of everything, for working on the bench. */
export const QUICK = process.env['GMC_BENCH_QUICK'] === '1';

/** How many runs of each figure; warm-up runs come on top and are discarded. */
export const RUNS = QUICK
  ? { warmUp: 1, warm: 5, confirmed: 5, burstReps: 1, stopped: 3, contentScript: 2, idleMs: 20_000 }
  : { warmUp: 3, warm: 40, confirmed: 30, burstReps: 5, stopped: 15, contentScript: 10, idleMs: 120_000 };

/** Figures 1, 2: a short confirm delay keeps the runs quick; it does not enter click → PATCH. */
export const FAST_CONFIRM_DELAY_MS = 20;
export const PATCH_TIMEOUT_MS = 3_000;
/** Requests a minute per token before the emulator answers 429: none of the bench's figures is about that. */
const NO_RATE_LIMIT = 1_000_000;
/**
 * After a PATCH leaves, the worker folds further clicks until none has come for this long
 * (src/background/intent/machine.ts). A figure that times single clicks waits this out between
 * them, or it would time the hold instead of the click.
 */
export const HOLD_MS = DEFAULT_TIMING.holdMs;

export const epochNow = (): number => performance.timeOrigin + performance.now();
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---- the rig ----------------------------------------------------------------------------------

export interface BenchRig extends Rig {
  desk: Page;
  call: string;
  cdp: CDPSession;
}

export async function startBenchRig(): Promise<BenchRig> {
  // The same Chromium and flags as the end-to-end tests, with the build under measurement.
  // Genesys allows 300 requests a minute per token; figure 4 clicks hundreds of bursts a minute, and
  // a build that sends a PATCH per click would hit that limit and measure its Retry-After instead.
  const rig = await startRig({ extensionPath: EXTENSION_DIR, emulator: { confirmDelayMs: FAST_CONFIRM_DELAY_MS, rateLimitPerMinute: NO_RATE_LIMIT } });
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

/** The view the live worker would push now (the worker changes when Chrome restarts it). */
export async function liveView(rig: BenchRig): Promise<MicView> {
  return workerView(await currentWorker(rig.context));
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
export const clicksSince = (page: Page, since: number): Promise<number[]> =>
  page.evaluate((t) => (window as unknown as { __gmcBench: PageProbe }).__gmcBench.clicks.filter((c) => c >= t), since);
export const statusesSince = (page: Page, since: number): Promise<[string, number][]> =>
  page.evaluate((t) => (window as unknown as { __gmcBench: PageProbe }).__gmcBench.statuses.filter(([, at]) => at >= t), since);

// ---- emulator observations --------------------------------------------------------------------

export const serverMuted = (rig: BenchRig): boolean => agentMuted(rig.emulator, rig.call) === true;

export const patchesSince = (rig: BenchRig, since: number): RecordedRequest[] =>
  rig.emulator.requests().filter((r) => r.method === 'PATCH' && r.wallTime >= since);

export function nextPatch(rig: BenchRig, since: number, timeoutMs = PATCH_TIMEOUT_MS): Promise<RecordedRequest | undefined> {
  return rig.emulator.waitForRequest((r) => r.method === 'PATCH' && r.wallTime >= since, timeoutMs).catch(() => undefined);
}

interface Shown {
  page: string | null | undefined;
  popup?: string | null;
  view: MicView;
  /** All of it in words, for a failure's message. */
  text: string;
}

/** What Genesys, the agent desktop's control, the popup's (when given) and the worker show now. */
export async function shown(rig: BenchRig, popup?: Page): Promise<Shown> {
  const page = await pageStatus(rig.desk);
  const view = await liveView(rig);
  const popupStatus = popup ? await popup.locator('.gmc').getAttribute('data-status') : undefined;
  const problem = view.problem ? ` (${view.problem.code})` : '';
  return {
    page,
    ...(popup ? { popup: popupStatus } : {}),
    view,
    text: `Genesys muted=${serverMuted(rig)}, page ${page}${popup ? `, popup ${popupStatus}` : ''}, worker ${view.status}/${view.connection}${problem}`,
  };
}

/**
 * Waits until Genesys, the worker and the page (and the popup, when given) all show `muted` (or all
 * `live`): nothing pending.
 */
export async function settled(rig: BenchRig, muted: boolean, timeoutMs = 10_000, popup?: Page): Promise<void> {
  const want = muted ? 'muted' : 'live';
  let seen = '';
  await waitFor(
    `the settled state "${want}"`,
    async () => {
      const now = await shown(rig, popup);
      seen = now.text;
      return serverMuted(rig) === muted && now.page === want && now.view.status === want && (!popup || now.popup === want);
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

/**
 * Waits until the hold window a PATCH opened (`HOLD_MS` from when it left) has closed, plus
 * `marginMs`, so the next click is a single click again and leaves at once.
 */
export async function pastHold(patchAt: number, marginMs = 100): Promise<void> {
  await sleep(Math.max(marginMs, patchAt + HOLD_MS + marginMs - epochNow()));
}

// ---- clock check ------------------------------------------------------------------------------

export interface ClockCheck {
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

/** The page's and the worker's clocks against Node's. */
export async function clockCheck(rig: BenchRig): Promise<{ page: ClockCheck; worker: ClockCheck }> {
  return {
    page: await clockOffset(() => rig.desk.evaluate(() => performance.timeOrigin + performance.now())),
    worker: await clockOffset(async () => (await currentWorker(rig.context)).evaluate(() => performance.timeOrigin + performance.now())),
  };
}
