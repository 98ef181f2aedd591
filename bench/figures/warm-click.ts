// Figure 1: warm click → PATCH, from the page button, the popup and the command, split into IPC,
// the extension's own work and the network stack; and the floor, a bare fetch() from the worker.
import type { Page } from 'playwright-core';
import { controlCentre, currentWorker, dispatchCommand, pageControl } from '../../test/e2e/harness.ts';
import { baselineLabel, detail, medP95, median, ms, round, stats, verdict, type Baseline, type FigureOutput, type Section, type Stats } from '../report.ts';
import { epochNow, installClickProbe, lastClick, nextPatch, pastHold, PATCH_TIMEOUT_MS, RUNS, serverMuted, settled, shown, sleep, waitFor, type BenchRig } from '../rig.ts';

const BUDGET_MS = 5;
const SOURCES = ['page', 'popup', 'command'] as const;
type Source = (typeof SOURCES)[number];
const SOURCE_NAME: Record<Source, string> = { page: 'page button', popup: 'popup toggle', command: 'command (from dispatch in the worker)' };

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
  patchFetches: number[];
  messages: number[];
}

/**
 * Diagnostics only: in the running worker, notes when fetch() is called for a PATCH and when a
 * runtime message arrives (a listener added after the extension's own). Only PATCHes count:
 * Chrome's own `chrome.action.setIcon` fetches the icon through the same global `fetch`. Costs
 * microseconds; lost on a restart.
 */
async function traceWorker(rig: BenchRig): Promise<void> {
  const worker = await currentWorker(rig.context);
  await worker.evaluate(() => {
    const scope = globalThis as unknown as { __gmcTrace?: WorkerTrace; fetch: typeof fetch };
    if (scope.__gmcTrace) return;
    const trace: WorkerTrace = { patchFetches: [], messages: [] };
    scope.__gmcTrace = trace;
    const original = scope.fetch;
    scope.fetch = (input, init) => {
      if (init?.method === 'PATCH') trace.patchFetches.push(performance.timeOrigin + performance.now());
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
    return { fetch: trace?.patchFetches.find((x) => x >= t), message: trace?.messages.find((x) => x >= t) };
  }, since);
}

async function warmClicks(rig: BenchRig, source: Source): Promise<WarmSample[]> {
  // Closed whatever happens: an extension page left open would keep the extension's process alive
  // and turn figure 2's "no extension page open" into the other case.
  const popup = source === 'popup' ? await rig.extensionPage('popup') : undefined;
  try {
    return await clicksFrom(rig, source, popup);
  } finally {
    await popup?.close();
  }
}

async function clicksFrom(rig: BenchRig, source: Source, popup: Page | undefined): Promise<WarmSample[]> {
  const samples: WarmSample[] = [];
  const target = popup ?? rig.desk;
  if (popup) await waitFor('the popup button', () => pageControl(popup).isEnabled());
  if (source !== 'command') await installClickProbe(target);
  await traceWorker(rig);
  const centre = source === 'command' ? undefined : await controlCentre(target);
  for (let i = 0; i < RUNS.warmUp + RUNS.warm; i++) {
    const wasMuted = serverMuted(rig);
    const since = epochNow();
    let dispatchedAt: number | undefined;
    if (source === 'command') dispatchedAt = await dispatchCommand(await currentWorker(rig.context), 'toggle-mute');
    else await target.mouse.click(centre!.x, centre!.y);
    const patch = await nextPatch(rig, since);
    if (source !== 'command') dispatchedAt = await lastClick(target);
    if (!patch || dispatchedAt === undefined) {
      const requests = rig.emulator.requests().filter((r) => r.wallTime >= since).map((r) => `${r.method} ${r.path} +${Math.round(r.wallTime - since)} ms`);
      throw new Error(
        `${source}: no PATCH within ${PATCH_TIMEOUT_MS} ms after click ${i + 1} (Genesys muted=${wasMuted} before it); now ` +
          `${(await shown(rig, popup)).text}; requests since the click: ${requests.join(', ') || 'none'}`,
      );
    }
    const trace = await workerTrace(rig, since);
    if (i >= RUNS.warmUp) {
      samples.push({
        totalMs: round(patch.wallTime - dispatchedAt),
        ...(trace.message === undefined || source === 'command' ? {} : { toWorkerMs: round(trace.message - dispatchedAt) }),
        ...(trace.fetch === undefined ? {} : { toFetchMs: round(trace.fetch - dispatchedAt), fetchToWireMs: round(patch.wallTime - trace.fetch) }),
      });
    }
    // The clicked page too: a click there toggles what it shows.
    await settled(rig, !wasMuted, undefined, popup);
    // The next click must be a single click again, not one folded into this one's hold window.
    await pastHold(patch.wallTime);
  }
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

export async function warmClick(rig: BenchRig, section: Section, baseline: Baseline | undefined): Promise<FigureOutput> {
  const floor = await section(`1. floor: bare fetch() in the worker → emulator (${RUNS.warm} runs)`, () => fetchFloor(rig));
  const warm: Partial<Record<Source, WarmSample[]>> = {};
  for (const source of SOURCES) {
    const samples = await section(`1. warm click → PATCH: ${source} (${RUNS.warm} runs)`, () => warmClicks(rig, source));
    if (samples) warm[source] = samples;
  }

  const floorStats = stats(floor ?? []);
  const figures = Object.fromEntries(
    SOURCES.map((source) => {
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
  const before = baseline?.figures['warm'] as Record<Source, { clickToPatchMs?: Stats }> | undefined;
  const rows = SOURCES.flatMap((source) => {
    const f = figures[source]!;
    return [
      {
        item: '1',
        figure: `Warm click → PATCH, ${SOURCE_NAME[source]}`,
        result: medP95(f.clickToPatchMs),
        budget: `median ≤ ${BUDGET_MS} ms`,
        verdict: verdict(f.clickToPatchMs && f.clickToPatchMs.median <= BUDGET_MS),
      },
      detail('1', '  medians: to worker / to fetch() / fetch() → wire', `${source === 'command' ? '—' : ms(f.medianClickToWorkerMs)} / ${ms(f.medianClickToFetchMs)} / ${ms(f.medianFetchToWireMs)}`),
      ...(baseline && before ? [detail('1', `  ${baselineLabel(baseline)}`, medP95(before[source]?.clickToPatchMs))] : []),
    ];
  });
  rows.push(detail('1', 'Floor: bare fetch() in the worker → emulator', medP95(floorStats)));
  return { rows, figures: { warm: figures, fetchFloorMs: floorStats }, raw: { floor, warm } };
}
