// Figure 5, the content script: how long after navigation and after injection the control is
// mounted, and whether it causes long tasks, against the same page where it does not run.
import { startEmulator } from '../../emulator/server.ts';
import { EXTENSION_ID } from '../../test/e2e/harness.ts';
import { defined, detail, medP95, ms, round, stats, type FigureOutput, type Section } from '../report.ts';
import { epochNow, RUNS, sleep, type BenchRig } from '../rig.ts';

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
async function contentScriptRuns(rig: BenchRig, origin = rig.emulator.origin): Promise<ContentRun[]> {
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

const longest = (values: number[]): string => (values.length ? ` (longest ${Math.max(...values).toFixed(0)} ms)` : '');

export async function contentScript(rig: BenchRig, section: Section): Promise<FigureOutput> {
  const content = await section(`5. content script on the agent desktop (${RUNS.contentScript} loads)`, () => contentScriptRuns(rig));
  const baseline = await section(`5. the same page where the content script does not run (${RUNS.contentScript} loads)`, async () => {
    // A second emulator on another loopback address: same page, same call, no content script.
    const other = await startEmulator({ host: '127.0.0.2' });
    try {
      other.startCall({ customerName: 'Bench Bailey' });
      return await contentScriptRuns(rig, other.origin);
    } finally {
      await other.close();
    }
  });

  const runs = content ?? [];
  const longTasks = runs.flatMap((r) => r.longTasks);
  const inLongFrames = runs.flatMap((r) => r.extensionScriptInLongFrames);
  const baselineLongTasks = (baseline ?? []).flatMap((r) => r.longTasks);
  const figures = {
    mountedMs: stats(runs.map((r) => r.mountedMs)),
    domContentLoadedMs: stats(runs.map((r) => r.domContentLoadedMs)),
    loadMs: stats(runs.map((r) => r.loadMs)),
    injectedToMountedMs: stats(defined(runs, (r) => (r.injectedMs === undefined ? undefined : r.mountedMs - r.injectedMs))),
    loads: runs.length,
    longTasksDuringContentScript: runs.reduce((sum, r) => sum + r.longTasksDuringContentScript, 0),
    longTasks: longTasks.length,
    extensionScriptInLongFrames: inLongFrames.length,
    baseline: {
      loads: baseline?.length ?? 0,
      longTasks: baselineLongTasks.length,
      domContentLoadedMs: stats((baseline ?? []).map((r) => r.domContentLoadedMs)),
      loadMs: stats((baseline ?? []).map((r) => r.loadMs)),
    },
  };
  const rows = [
    detail('5', 'Content script: navigation start → control mounted', medP95(figures.mountedMs)),
    detail('5', 'Content script: injected → control mounted', medP95(figures.injectedToMountedMs)),
    detail('5', '  the page itself: DOMContentLoaded / load (medians)', `${ms(figures.domContentLoadedMs?.median)} / ${ms(figures.loadMs?.median)}`),
    detail(
      '5',
      'Long tasks (≥ 50 ms) per page load: with / without the extension',
      content === undefined
        ? 'no data'
        : `${longTasks.length} in ${content.length}${longest(longTasks.map((t) => t.durationMs))} / ` +
            `${baseline === undefined ? '—' : `${baselineLongTasks.length} in ${baseline.length}${longest(baselineLongTasks.map((t) => t.durationMs))}`}`,
    ),
    detail(
      '5',
      '  during the content script; extension script in long frames',
      `${figures.longTasksDuringContentScript}; ${inLongFrames.length}${longest(inLongFrames.map((t) => t.durationMs))}`,
    ),
  ];
  return { rows, figures: { contentScript: figures }, raw: { contentScript: content, contentScriptBaseline: baseline } };
}
