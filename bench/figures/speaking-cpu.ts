// Figure 7: what the speaking-while-muted warning costs in CPU while it listens (issue 10), and
// that it costs nothing otherwise. The CPU time of every Chromium process of the rig's profile is
// read from /proc before and after each window, so everything listening takes counts: the capture
// in the audio service, the detector in the extension's process (the offscreen document shares it
// with the service worker) and the messages. Three windows, the agent muted on a call in two:
//   unmuted   the warning on, the agent not muted: nothing may listen (no offscreen document)
//   off       the agent muted, the warning off: the baseline
//   listening the agent muted, the warning on: the microphone open, the detector running
// Linux only (/proc); the figure is reported, never asserted.
import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { offscreenDocuments, pageStatus, speakingState, type Rig } from '../../test/e2e/harness.ts';

/** Clock ticks per second in /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface SpeakingRig {
  rig: Rig;
  /** The agent desktop with the page control. */
  desk: Page;
  /** The connected call the agent is on. */
  call: string;
}

/** CPU used in one window, as % of one core, by kind of Chromium process. */
export interface CpuWindow {
  seconds: number;
  /** browser, gpu, audio (the audio service), extension (renderer), renderer (pages), other. */
  byKind: Record<string, number>;
  total: number;
  offscreenDocuments: number;
  listening: boolean;
}

export interface SpeakingCpu {
  windowSeconds: number;
  unmuted: CpuWindow;
  off: CpuWindow;
  listening: CpuWindow;
  /** listening − off, % of one core. */
  cost: { extension: number; audio: number; total: number };
  /** Warnings shown while listening (the fake microphone loops speech and quiet). */
  nudges: number;
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  ticks: number;
  kind: string;
  cmdline: string[];
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Chromium's children rewrite their title: one string with spaces rather than NUL-separated.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    const type = cmdline.find((arg) => arg.startsWith('--type='))?.slice(7);
    let kind = type === undefined ? 'browser' : type === 'gpu-process' ? 'gpu' : type;
    if (type === 'renderer') kind = cmdline.includes('--extension-process') ? 'extension' : 'renderer';
    if (type === 'utility') kind = cmdline.some((arg) => arg.includes('audio.mojom.AudioService')) ? 'audio' : 'other';
    if (type === 'zygote') kind = 'other';
    return { pid, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), kind, cmdline };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Every process of the Chromium that runs `userDataDir`, with its CPU ticks so far. */
function chromiumProcesses(userDataDir: string): ProcessInfo[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => readProcess(Number(name)) ?? []);
  const browser = all.find((p) => p.kind === 'browser' && p.cmdline.includes(`--user-data-dir=${userDataDir}`));
  if (!browser) throw new Error(`No Chromium runs the profile ${userDataDir}`);
  const ours = new Set([browser.pid]);
  // Descendants: the zygotes, renderers, GPU and utility processes.
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) if (!ours.has(p.pid) && ours.has(p.ppid)) grew = ours.add(p.pid) !== undefined;
  }
  return all.filter((p) => ours.has(p.pid));
}

async function cpuWindow(target: SpeakingRig, ms: number): Promise<CpuWindow> {
  const before = new Map(chromiumProcesses(target.rig.userDataDir).map((p) => [p.pid, p]));
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = chromiumProcesses(target.rig.userDataDir);
  const seconds = (performance.now() - started) / 1000;
  const byKind: Record<string, number> = {};
  for (const p of after) {
    // A process started during the window counts from zero.
    const used = (p.ticks - (before.get(p.pid)?.ticks ?? 0)) / TICKS_PER_SECOND;
    byKind[p.kind] = (byKind[p.kind] ?? 0) + used;
  }
  const percent = (cpuSeconds: number): number => Math.round((cpuSeconds / seconds) * 10_000) / 100;
  const total = Object.values(byKind).reduce((sum, value) => sum + value, 0);
  return {
    seconds: Math.round(seconds * 10) / 10,
    byKind: Object.fromEntries(Object.entries(byKind).map(([kind, used]) => [kind, percent(used)])),
    total: percent(total),
    offscreenDocuments: await offscreenDocuments(target.rig.worker),
    listening: (await speakingState(target.rig.worker)).listening,
  };
}

async function setWarning(target: SpeakingRig, on: boolean): Promise<void> {
  await target.rig.worker.evaluate((value) => chrome.storage.local.set({ preferences: { speakingWhileMuted: value } }), on);
}

async function setMuted(target: SpeakingRig, muted: boolean): Promise<void> {
  target.rig.emulator.setMuted(target.call, muted);
  for (let i = 0; i < 200 && (await pageStatus(target.desk)) !== (muted ? 'muted' : 'live'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Figure 7. The rig's Chromium needs a fake (or real) microphone and the permission granted. */
export async function speakingCpu(target: SpeakingRig, windowMs = 30_000): Promise<SpeakingCpu> {
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2_000));
  await setMuted(target, false);
  await setWarning(target, true);
  await settle();
  const unmuted = await cpuWindow(target, windowMs);
  await setWarning(target, false);
  await setMuted(target, true);
  await settle();
  const off = await cpuWindow(target, windowMs);
  const nudgesBefore = (await speakingState(target.rig.worker)).nudges;
  await setWarning(target, true);
  await settle();
  const listening = await cpuWindow(target, windowMs);
  const nudges = (await speakingState(target.rig.worker)).nudges - nudgesBefore;
  await setWarning(target, false);
  const delta = (kind: string): number => Math.round(((listening.byKind[kind] ?? 0) - (off.byKind[kind] ?? 0)) * 100) / 100;
  return {
    windowSeconds: windowMs / 1000,
    unmuted,
    off,
    listening,
    cost: { extension: delta('extension'), audio: delta('audio'), total: Math.round((listening.total - off.total) * 100) / 100 },
    nudges,
  };
}
