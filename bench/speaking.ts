// `npm run bench:speaking`: figure 7 (bench/figures/speaking-cpu.ts) on its own rig: Chromium with
// a fake microphone that loops the project's synthetic speech (talk 4 s, quiet 8 s) and the
// microphone permission granted in the profile, signed in on a call. Prints the figure and writes
// bench/speaking-results.json. GMC_BENCH_QUICK=1: 10 s windows instead of 30 s.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { browserVersion, ensureChromium } from '../scripts/chromium.ts';
import { writeTestAudio } from '../scripts/test-audio.ts';
import { grantMicrophone, startOnACall, EXTENSION_ID } from '../test/e2e/harness.ts';
import { speakingCpu } from './figures/speaking-cpu.ts';

const QUICK = process.env['GMC_BENCH_QUICK'] === '1';
const WINDOW_MS = QUICK ? 10_000 : 30_000;
const RESULTS = resolve(import.meta.dirname, 'speaking-results.json');

async function main(): Promise<void> {
  const chromium = browserVersion(ensureChromium());
  const dir = mkdtempSync(join(tmpdir(), 'gmc-bench-mic-'));
  const audio = await writeTestAudio(dir);
  const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
  console.log(`[bench] ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, ${chromium}; load ${loadAtStart.join(' ')}`);
  // No %noloop: the file plays again and again, so the detector hears talk and quiet all along.
  const { rig, popup, desk, call } = await startOnACall('Bench Bailey', {
    args: ['--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${audio.speech}`],
    prepareProfile: grantMicrophone,
  });
  try {
    await popup.close();
    for (const page of rig.context.pages()) if (page.url().startsWith(`chrome-extension://${EXTENSION_ID}/`)) await page.close();
    console.log(`[bench] 7. speaking warning: three windows of ${WINDOW_MS / 1000} s (unmuted / muted, off / muted, listening)`);
    const figure = await speakingCpu({ rig, desk, call }, WINDOW_MS);
    const row = (name: string, w: typeof figure.off): string =>
      `| ${name.padEnd(26)} | ${w.total.toFixed(2).padStart(6)} % | ${(w.byKind['extension'] ?? 0).toFixed(2).padStart(6)} % | ${(w.byKind['audio'] ?? 0).toFixed(2).padStart(6)} % | ${String(w.offscreenDocuments).padStart(9)} | ${String(w.listening).padEnd(9)} |`;
    console.log('| Window (% of one core)     | Chromium | extension | audio svc | offscreen | listening |');
    console.log('|----------------------------|----------|-----------|-----------|-----------|-----------|');
    console.log(row('unmuted, warning on', figure.unmuted));
    console.log(row('muted, warning off', figure.off));
    console.log(row('muted, listening', figure.listening));
    console.log(`[bench] listening costs ${figure.cost.total.toFixed(2)} % of one core in all (extension process ${figure.cost.extension.toFixed(2)} %, audio service ${figure.cost.audio.toFixed(2)} %); ${figure.nudges} warnings shown meanwhile`);
    const results = { date: new Date().toISOString(), machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, chromium, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100) }, speakingCpu: figure };
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`[bench] wrote ${RESULTS}`);
  } finally {
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
