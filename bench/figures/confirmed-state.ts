// Figure 3: click → the page shows the state Genesys confirmed, when every request to Genesys costs
// a fixed round trip.
import { controlCentre } from '../../test/e2e/harness.ts';
import { defined, detail, medP95, ms, round, stats, verdict, type FigureOutput, type Section } from '../report.ts';
import {
  epochNow,
  FAST_CONFIRM_DELAY_MS,
  installClickProbe,
  installStatusProbe,
  lastClick,
  nextPatch,
  pastHold,
  RUNS,
  serverMuted,
  settled,
  statusesSince,
  type BenchRig,
} from '../rig.ts';

/** The fixed round trip the emulator adds to every API request. */
const ROUND_TRIP_MS = 50;
const BUDGET_OVER_ROUND_TRIP_MS = 25;

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

async function confirmedRuns(rig: BenchRig): Promise<ConfirmedRun[]> {
  const runs: ConfirmedRun[] = [];
  rig.emulator.setLatency(ROUND_TRIP_MS);
  rig.emulator.setConfirmDelay(0);
  try {
    await installClickProbe(rig.desk);
    await installStatusProbe(rig.desk);
    const centre = await controlCentre(rig.desk);
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
      // The next click must be a single click again, not one folded into this one's hold window.
      await pastHold(patch.wallTime);
    }
  } finally {
    rig.emulator.setLatency(0);
    rig.emulator.setConfirmDelay(FAST_CONFIRM_DELAY_MS);
  }
  return runs;
}

export async function confirmedState(rig: BenchRig, section: Section): Promise<FigureOutput> {
  const confirmed = await section(`3. click → confirmed on the page, ${ROUND_TRIP_MS} ms round trip (${RUNS.confirmed} runs)`, () => confirmedRuns(rig));
  const runs = confirmed ?? [];
  const clickToConfirmedMs = stats(runs.map((r) => r.confirmedMs));
  const figures = {
    roundTripMs: ROUND_TRIP_MS,
    clickToConfirmedMs,
    ratioToRoundTrip: clickToConfirmedMs ? round(clickToConfirmedMs.median / ROUND_TRIP_MS) : undefined,
    clickToPendingMs: stats(defined(runs, (r) => r.pendingMs)),
    clickToPatchMs: stats(runs.map((r) => r.patchMs)),
    eventToPageMs: stats(defined(runs, (r) => r.eventToPageMs)),
  };
  const budgetMs = ROUND_TRIP_MS + BUDGET_OVER_ROUND_TRIP_MS;
  const rows = [
    {
      item: '3',
      figure: `Click → confirmed on the page, ${ROUND_TRIP_MS} ms round trip`,
      result: clickToConfirmedMs ? `${medP95(clickToConfirmedMs)} = ${figures.ratioToRoundTrip!.toFixed(2)}× RT` : 'no data',
      budget: `≤ ${budgetMs} ms (RT + ${BUDGET_OVER_ROUND_TRIP_MS})`,
      verdict: verdict(clickToConfirmedMs && clickToConfirmedMs.median <= budgetMs),
    },
    detail(
      '3',
      '  medians: click → pending / → PATCH; event sent → page',
      `${ms(figures.clickToPendingMs?.median)} / ${ms(figures.clickToPatchMs?.median)}; ${ms(figures.eventToPageMs?.median)}`,
    ),
  ];
  return { rows, figures: { confirmed: figures }, raw: { confirmed } };
}
