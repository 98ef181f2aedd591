// Figure 4: requests per intent. Bursts of real mouse clicks on the page control: how many PATCHes
// each costs, beside the naive count (one per click).
import { controlCentre } from '../../test/e2e/harness.ts';
import { ms, round, stats, verdict, type FigureOutput, type Row, type Section } from '../report.ts';
import { clicksSince, epochNow, FAST_CONFIRM_DELAY_MS, installClickProbe, patchesSince, RUNS, serverMuted, settled, sleep, type BenchRig } from '../rig.ts';

const BURSTS = [1, 2, 5, 9, 20];
/** For context: 9 clicks at a fast human pace (8 a second) instead of back to back. */
const HUMAN_BURST = { clicks: 9, intervalMs: 125 };
/** How long Genesys takes to apply and announce a PATCH while a burst is clicked. */
const BURST_CONFIRM_DELAY_MS = 150;
const BUDGET_BURST_OF_9_PATCHES = 2;

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

const plan = (): { clicks: number; intervalMs: number }[] => [...BURSTS.map((clicks) => ({ clicks, intervalMs: 0 })), HUMAN_BURST];

async function burstRuns(rig: BenchRig): Promise<BurstRun[]> {
  const runs: BurstRun[] = [];
  rig.emulator.setConfirmDelay(BURST_CONFIRM_DELAY_MS);
  try {
    await installClickProbe(rig.desk);
    const centre = await controlCentre(rig.desk);
    for (const { clicks, intervalMs } of plan()) {
      for (let rep = 0; rep < RUNS.burstReps; rep++) {
        const wasMuted = serverMuted(rig);
        const want = clicks % 2 === 1 ? !wasMuted : wasMuted;
        const since = epochNow();
        // Real mouse clicks at the button's position, back to back (as test/e2e/mute.test.ts does).
        for (let i = 0; i < clicks; i++) {
          if (i > 0 && intervalMs > 0) await sleep(intervalMs);
          await rig.desk.mouse.click(centre.x, centre.y);
        }
        const clickTimes = await clicksSince(rig.desk, since);
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

export async function bursts(rig: BenchRig, section: Section): Promise<FigureOutput> {
  const runs = await section(`4. bursts of ${BURSTS.join(', ')} clicks and 9 at a human pace (${RUNS.burstReps} each)`, () => burstRuns(rig));
  const summary = plan().map(({ clicks, intervalMs }) => {
    const mine = (runs ?? []).filter((r) => r.clicks === clicks && r.intervalMs === intervalMs);
    const patches = mine.map((r) => r.patches);
    return {
      clicks,
      intervalMs,
      naivePatches: clicks,
      measuredPatches: stats(patches),
      maxPatches: patches.length > 0 ? Math.max(...patches) : undefined,
      lastClickWonEveryTime: mine.every((r) => r.lastClickWon),
      burstMs: stats(mine.map((r) => r.burstMs)),
    };
  });
  const rows: Row[] = summary.map((b) => ({
    item: '4',
    figure: `Burst of ${b.clicks} toggle${b.clicks === 1 ? '' : 's'}${b.intervalMs ? ` at ${Math.round(1000 / b.intervalMs)}/s` : ''}: PATCHes (naive: ${b.naivePatches})`,
    result:
      b.measuredPatches === undefined
        ? 'no data'
        : `median ${b.measuredPatches.median}, max ${b.maxPatches} (n=${b.measuredPatches.n}, ${ms(b.burstMs?.median)} burst)${b.lastClickWonEveryTime ? '' : ', last click LOST'}`,
    budget: b.clicks === 9 && !b.intervalMs ? `≤ ${BUDGET_BURST_OF_9_PATCHES}` : '',
    verdict: b.clicks === 9 && !b.intervalMs ? verdict(b.maxPatches !== undefined && b.maxPatches <= BUDGET_BURST_OF_9_PATCHES && b.lastClickWonEveryTime) : '',
  }));
  return { rows, figures: { bursts: summary }, raw: { bursts: runs } };
}
