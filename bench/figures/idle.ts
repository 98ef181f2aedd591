// Figure 6: what the extension costs Genesys and the network while nothing happens, with no call
// and with a call on hold.
import type { SocketFrame } from '../../emulator/server.ts';
import { log, round, verdict, type FigureOutput, type Row, type Section } from '../report.ts';
import { epochNow, liveView, RUNS, sleep, waitFor, type BenchRig } from '../rig.ts';

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
  await waitFor('no call', async () => (await liveView(rig)).status === 'no-call');
  await sleep(2_000);
  log(`  idle with no call for ${RUNS.idleMs / 1000} s…`);
  const noCall = await idleWindow(rig);
  rig.call = rig.emulator.startCall({ customerName: 'Held Hayden' });
  await waitFor('the call', async () => (await liveView(rig)).call?.conversationId === rig.call);
  rig.emulator.setHeld(rig.call, true);
  await waitFor('the call on hold', async () => (await liveView(rig)).call?.held === true);
  await sleep(2_000);
  log(`  idle with a call on hold for ${RUNS.idleMs / 1000} s…`);
  const callOnHold = await idleWindow(rig);
  return { noCall, callOnHold };
}

/** Ends the rig's call: run it last. */
export async function idle(rig: BenchRig, section: Section): Promise<FigureOutput> {
  const windows = await section(`6. idle cost (2 × ${RUNS.idleMs / 1000} s)`, () => idleCost(rig));
  const rows: Row[] = Object.entries(windows ?? {}).map(([name, w]) => ({
    item: '6',
    figure: `Idle, ${name === 'noCall' ? 'no call' : 'call on hold'}: HTTP requests / socket frames per hour`,
    result: `${w.perHour.requests} / ${w.perHour.frames} (in ${w.windowMs / 1000} s: ${w.requests.length} req, ${w.framesReceived} in + ${w.framesSent} out)`,
    budget: 'no HTTP polling',
    verdict: verdict(w.requests.length === 0),
  }));
  return { rows, figures: { idle: windows }, raw: {} };
}
