// Figure 4: requests per intent. Bursts of real mouse clicks at human speed on the page control,
// with Genesys confirming at once and 50 ms later: how many PATCHes each costs, beside the naive
// count (one per click) and beside the code before the hold window (bench/baseline-before-hold.json).
import type { Page } from 'playwright-core';
import { controlCentre } from '../../test/e2e/harness.ts';
import { log, markdownTable, median, ms, round, stats, verdict, type Baseline, type FigureOutput, type Row, type Section, type Stats } from '../report.ts';
import { epochNow, FAST_CONFIRM_DELAY_MS, HOLD_MS, installClickProbe, lastClick, patchesSince, RUNS, serverMuted, settled, sleep, type BenchRig } from '../rig.ts';

const CLICKS = [2, 5, 9, 20];
/** Between one click's dispatch and the next: a fast and an ordinary repeated click. */
const INTERVALS_MS = [60, 105];
/** How long Genesys takes to apply and announce a PATCH: at once, and a little later. */
const CONFIRM_DELAYS_MS = [0, 50];
/** At any human speed a burst may cost at most this many PATCHes. */
const BUDGET_PATCHES = 2;
/**
 * Once the state settled, nothing more may leave for this long before the PATCHes are counted. The
 * hold window closes HOLD_MS (400 ms) after the last click, so a late PATCH would have left by then.
 */
const QUIET_MS = HOLD_MS + 200;

/**
 * The extension keeps a token under Genesys's 300 requests a minute by holding requests back past
 * 250 in any 60 s (RequestBudget in src/background/genesys.ts). A build that sends a PATCH per click
 * spends that in 80 bursts; before each burst the bench waits until all its clicks fit with room to
 * spare, so no burst measures the budget's wait. (At most two PATCHes a burst never wait.)
 */
const REQUEST_BUDGET = { fits: 200, windowMs: 60_000 };

interface Cell {
  clicks: number;
  intervalMs: number;
  confirmDelayMs: number;
}

interface BurstRun extends Cell {
  patches: number;
  /** What each PATCH asked for, in order. */
  patchBodies: string[];
  /** The real time between consecutive clicks' dispatch on the page. */
  gapsMs: number[];
  /** First click → last click dispatched. */
  burstMs: number;
  /** Last click dispatched → the last PATCH received, when one came after the last click. */
  lastClickToLastPatchMs?: number;
  /** The final state is what the last click asked for. */
  lastClickWon: boolean;
  /** How long the bench waited before the burst for the extension's request budget. */
  budgetWaitMs: number;
}

interface CellSummary extends Cell {
  naivePatches: number;
  patches?: Stats;
  lastClickWonEveryTime: boolean;
  clickGapMs?: Stats;
  burstMs?: Stats;
  medianLastClickToLastPatchMs?: number;
  /** How long the bench waited in all for the extension's request budget before this cell's bursts. */
  budgetWaitMs: number;
}

const cells = (): Cell[] =>
  CONFIRM_DELAYS_MS.flatMap((confirmDelayMs) => INTERVALS_MS.flatMap((intervalMs) => CLICKS.map((clicks) => ({ clicks, intervalMs, confirmDelayMs }))));
const sameCell = (a: Cell, b: Cell): boolean => a.clicks === b.clicks && a.intervalMs === b.intervalMs && a.confirmDelayMs === b.confirmDelayMs;

/**
 * `clicks` real mouse clicks at `at`, each dispatched `intervalMs` after the previous one's dispatch
 * (as the page saw it): a click takes a few milliseconds from the call to its dispatch, so each is
 * started that much early (the median so far). Resolves with the dispatch times.
 */
async function clickBurst(page: Page, at: { x: number; y: number }, clicks: number, intervalMs: number): Promise<number[]> {
  const dispatched: number[] = [];
  const leads: number[] = [];
  for (let i = 0; i < clicks; i++) {
    const previous = dispatched.at(-1);
    if (previous !== undefined) await sleep(Math.max(0, previous + intervalMs - (median(leads) ?? 0) - epochNow()));
    const calledAt = epochNow();
    await page.mouse.click(at.x, at.y);
    const dispatchedAt = await lastClick(page);
    if (dispatchedAt === undefined || dispatchedAt < calledAt) throw new Error(`click ${i + 1} of ${clicks} did not reach the page`);
    leads.push(dispatchedAt - calledAt);
    dispatched.push(dispatchedAt);
  }
  return dispatched;
}

/** Waits until `requests` more would fit in the extension's request budget; resolves with the wait. */
async function roomInBudget(rig: BenchRig, requests: number): Promise<number> {
  let waitedMs = 0;
  for (;;) {
    const now = epochNow();
    const recent = rig.emulator.requests().filter((r) => r.path.startsWith('/api/v2/') && r.wallTime > now - REQUEST_BUDGET.windowMs);
    const over = recent.length + requests - REQUEST_BUDGET.fits;
    if (over <= 0) return round(waitedMs);
    const wait = recent[over - 1]!.wallTime + REQUEST_BUDGET.windowMs - now + 10;
    await sleep(wait);
    waitedMs += wait;
  }
}

async function burstRuns(rig: BenchRig): Promise<BurstRun[]> {
  const runs: BurstRun[] = [];
  try {
    await installClickProbe(rig.desk);
    const centre = await controlCentre(rig.desk);
    for (const cell of cells()) {
      rig.emulator.setConfirmDelay(cell.confirmDelayMs);
      for (let rep = 0; rep < RUNS.burstReps; rep++) {
        const budgetWaitMs = await roomInBudget(rig, cell.clicks);
        const wasMuted = serverMuted(rig);
        const want = cell.clicks % 2 === 1 ? !wasMuted : wasMuted;
        const since = epochNow();
        const clickTimes = await clickBurst(rig.desk, centre, cell.clicks, cell.intervalMs);
        let lastClickWon = true;
        try {
          // The page, the worker and Genesys agree with nothing pending; then nothing more may leave.
          await settled(rig, want);
          await sleep(QUIET_MS);
          await settled(rig, want, 2_000);
        } catch {
          lastClickWon = false;
          await settled(rig, serverMuted(rig), 15_000).catch(() => undefined);
        }
        const patches = patchesSince(rig, since);
        const lastClick = clickTimes.at(-1)!;
        const lastPatch = patches.at(-1);
        const afterLastClick = lastPatch && lastPatch.wallTime > lastClick ? lastPatch.wallTime - lastClick : undefined;
        runs.push({
          ...cell,
          patches: patches.length,
          patchBodies: patches.map((p) => p.body),
          gapsMs: clickTimes.slice(1).map((t, i) => round(t - clickTimes[i]!)),
          burstMs: round(lastClick - clickTimes[0]!),
          ...(afterLastClick === undefined ? {} : { lastClickToLastPatchMs: round(afterLastClick) }),
          lastClickWon,
          budgetWaitMs,
        });
        await sleep(100);
      }
    }
  } finally {
    rig.emulator.setConfirmDelay(FAST_CONFIRM_DELAY_MS);
  }
  return runs;
}

function summarise(runs: BurstRun[]): CellSummary[] {
  return cells().map((cell) => {
    const mine = runs.filter((r) => sameCell(r, cell));
    return {
      ...cell,
      naivePatches: cell.clicks,
      patches: stats(mine.map((r) => r.patches)),
      lastClickWonEveryTime: mine.every((r) => r.lastClickWon),
      clickGapMs: stats(mine.flatMap((r) => r.gapsMs)),
      burstMs: stats(mine.map((r) => r.burstMs)),
      medianLastClickToLastPatchMs: median(mine.map((r) => r.lastClickToLastPatchMs)),
      budgetWaitMs: round(mine.reduce((sum, r) => sum + r.budgetWaitMs, 0)),
    };
  });
}

/** Says so when a click came later than the hold window: that burst was two bursts. */
const slowGap = (c: CellSummary): string => (c.clickGapMs && c.clickGapMs.max >= HOLD_MS ? `, a gap of ${ms(c.clickGapMs.max)}` : '');
const patchCount = (s: Stats | undefined): string => (s ? `${s.median} / ${s.max}` : '—');

export async function bursts(rig: BenchRig, section: Section, baseline: Baseline | undefined): Promise<FigureOutput> {
  const n = cells().length;
  const runs = await section(`4. bursts: ${CLICKS.join(', ')} clicks, ${INTERVALS_MS.join(' and ')} ms apart, confirm ${CONFIRM_DELAYS_MS.join(' and ')} ms (${n} × ${RUNS.burstReps})`, () =>
    burstRuns(rig),
  );
  const summary = summarise(runs ?? []);
  const waited = summary.reduce((sum, c) => sum + c.budgetWaitMs, 0);
  if (waited > 0) log(`  waited ${(waited / 1000).toFixed(1)} s in all for the extension's request budget between bursts`);
  const before = (baseline?.figures['bursts'] as { cells?: CellSummary[] } | undefined)?.cells ?? [];
  const beforeOf = (cell: Cell): Stats | undefined => before.find((b) => sameCell(b, cell))?.patches;

  const rows: Row[] = summary.map((c) => {
    const old = beforeOf(c);
    return {
      item: '4',
      figure: `Burst of ${c.clicks} clicks ${c.intervalMs} ms apart, confirm ${c.confirmDelayMs} ms: PATCHes (naive ${c.naivePatches})`,
      result: c.patches
        ? `median ${c.patches.median}, max ${c.patches.max} (n=${c.patches.n})${c.lastClickWonEveryTime ? '' : ', last click LOST'}${slowGap(c)}${old ? `; before: ${old.median}, max ${old.max}` : ''}`
        : 'no data',
      budget: `≤ ${BUDGET_PATCHES}`,
      verdict: verdict(c.patches && c.patches.max <= BUDGET_PATCHES && c.lastClickWonEveryTime),
    };
  });
  const matrix = markdownTable(
    { clicks: 'N', interval: 'Interval (real, median)', confirm: 'Confirm delay', naive: 'Naive', before: 'Before (median / max)', after: 'This build (median / max)', last: 'Last click → a PATCH after it (median)' },
    summary.map((c) => ({
      clicks: String(c.clicks),
      interval: `${c.intervalMs} ms (${ms(c.clickGapMs?.median)})`,
      confirm: `${c.confirmDelayMs} ms`,
      naive: String(c.naivePatches),
      before: patchCount(beforeOf(c)),
      after: `${patchCount(c.patches)}${c.lastClickWonEveryTime ? '' : ' LOST'}${slowGap(c)}`,
      last: ms(c.medianLastClickToLastPatchMs),
    })),
  );
  const settings = { clicks: CLICKS, intervalsMs: INTERVALS_MS, confirmDelaysMs: CONFIRM_DELAYS_MS, quietMs: QUIET_MS, reps: RUNS.burstReps };
  return {
    rows,
    figures: { bursts: { settings, cells: summary } },
    raw: { bursts: runs },
    text: `PATCHes per burst (${RUNS.burstReps} bursts per cell${baseline ? `; before = ${baseline.commit}` : ''}):\n${matrix}`,
  };
}
