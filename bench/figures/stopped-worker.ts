// Figure 2: click → PATCH when the click finds the worker stopped, with and without an extension
// page keeping the extension's process alive; and from the same wakes, figure 5's worker start-up.
import { controlCentre, currentWorker, EXTENSION_ID } from '../../test/e2e/harness.ts';
import { defined, detail, log, medP95, median, ms, round, stats, verdict, type FigureOutput, type Section } from '../report.ts';
import {
  epochNow,
  installClickProbe,
  lastClick,
  liveView,
  nextPatch,
  PATCH_TIMEOUT_MS,
  recover,
  RUNS,
  serverMuted,
  settled,
  sleep,
  waitFor,
  type BenchRig,
} from '../rig.ts';

const BUDGET_MS = 80;

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

async function stoppedWorkerClicks(rig: BenchRig, extensionPageOpen: boolean): Promise<StoppedRun[]> {
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
    const centre = await controlCentre(rig.desk);
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
        const view = await liveView(rig);
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

function summarise(runs: StoppedRun[] | undefined) {
  const list = runs ?? [];
  return {
    runs: list.length,
    noPatch: list.filter((r) => r.patchMs === undefined).length,
    diverged: list.filter((r) => r.diverged !== undefined).length,
    clickDidNotWake: list.filter((r) => !r.clickWokeWorker).length,
    clickToPatchMs: stats(defined(list, (r) => r.patchMs)),
    clickToWorkerOriginMs: stats(defined(list, (r) => r.workerOriginMs)),
    originToEvaluatedMs: stats(defined(list, (r) => r.evaluatedMs)),
    originToReadyMs: stats(defined(list, (r) => r.readyMs)),
    medianReadyToPatchMs: median(list.map((r) => (r.patchMs === undefined || r.readyMs === undefined ? undefined : r.patchMs - r.workerOriginMs! - r.readyMs))),
  };
}

export async function stoppedWorker(rig: BenchRig, section: Section): Promise<FigureOutput> {
  const cold = await section(`2. stopped worker, no extension page open (${RUNS.stopped} runs)`, () => stoppedWorkerClicks(rig, false));
  const warmProcess = await section(`2. stopped worker, an extension page open (${RUNS.stopped} runs)`, () => stoppedWorkerClicks(rig, true));
  const stopped = { noExtensionPage: summarise(cold), extensionPageOpen: summarise(warmProcess) };
  const rows = Object.entries(stopped).flatMap(([key, f]) => {
    const label = key === 'noExtensionPage' ? 'no extension page open (process ends)' : 'an extension page open (process kept)';
    const missing = [f.noPatch > 0 ? `${f.noPatch}/${f.runs} no PATCH (state not restored)` : '', f.diverged > 0 ? `${f.diverged}/${f.runs} WRONG STATE shown afterwards` : '']
      .filter(Boolean)
      .join('; ');
    return [
      {
        item: '2',
        figure: `Stopped worker, ${label}: click → PATCH`,
        result: f.runs === 0 ? 'no data' : [f.clickToPatchMs ? medP95(f.clickToPatchMs) : '', missing].filter(Boolean).join('; '),
        budget: `median ≤ ${BUDGET_MS} ms`,
        verdict: f.runs === 0 ? 'n/a' : f.noPatch > 0 ? 'MISS' : verdict(f.clickToPatchMs && f.clickToPatchMs.median <= BUDGET_MS),
      },
      detail(
        '2',
        '  medians: worker origin; from it evaluated / restored; → PATCH',
        `${ms(f.clickToWorkerOriginMs?.median)}; ${ms(f.originToEvaluatedMs?.median)} / ${ms(f.originToReadyMs?.median)}; ${ms(f.medianReadyToPatchMs)}`,
      ),
    ];
  });
  // Figure 5's worker start-up, from the same wakes.
  const startup = {
    extensionPageOpen: { originToEvaluatedMs: stopped.extensionPageOpen.originToEvaluatedMs, originToReadyMs: stopped.extensionPageOpen.originToReadyMs },
    newProcess: {
      clickToWorkerOriginMs: stopped.noExtensionPage.clickToWorkerOriginMs,
      originToEvaluatedMs: stopped.noExtensionPage.originToEvaluatedMs,
      originToReadyMs: stopped.noExtensionPage.originToReadyMs,
    },
  };
  rows.push(detail('5', 'Worker start-up: origin → modules evaluated (process kept)', medP95(startup.extensionPageOpen.originToEvaluatedMs)));
  rows.push(detail('5', 'Worker start-up: origin → modules evaluated (new process)', medP95(startup.newProcess.originToEvaluatedMs)));
  return { rows, figures: { stoppedWorker: stopped, workerStartup: startup }, raw: { stopped: [...(cold ?? []), ...(warmProcess ?? [])] } };
}
