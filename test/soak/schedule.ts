// The agent's day and the faults, as a seeded schedule fixed before the browser starts: the same
// seed gives the same actions at the same wall-clock offsets, so a run can be replayed to reproduce
// what it found. The schedule follows its own model of the calls (it is the one making them), so it
// never ends a call that is not there; what the extension makes of it is left to the run.
import { seededRandom } from '../seeded-random.ts';

export type Surface = 'page' | 'popup' | 'shortcut' | 'keys';

/** Where a connection fault bites: one of the requests a reconnect makes. */
export type ConnectPath = 'users/me' | 'channels' | 'subscriptions' | 'calls' | 'socket';

export type FaultSpec =
  | { kind: 'socket-drop'; code?: number }
  | { kind: 'socket-closing' }
  | { kind: 'channel-expiry' }
  | { kind: 'garbage-frame'; frame: number }
  | { kind: 'silent-socket' }
  /** An outage of one of the reconnect's requests for `forMs`, as 429 (Retry-After: what is left), 5xx, or no answer. */
  | { kind: 'connect-429' | 'connect-5xx' | 'connect-network'; path: ConnectPath; status: number; forMs: number }
  /** Reconnect requests arriving in the next `forMs` hang and die after `hangMs` (beyond the client's 8 s timeout). */
  | { kind: 'connect-hang'; path: ConnectPath; forMs: number; hangMs: number }
  /** The next PATCHes fail for `forMs` (armed just before a click). */
  | { kind: 'patch-429' | 'patch-5xx'; status: number; forMs: number }
  | { kind: 'patch-hang'; forMs: number; hangMs: number }
  /** Every token is refused from now (401 on the next request; a silent sign-in gets a new one). */
  | { kind: 'token-revoked' }
  | { kind: 'offline'; forMs: number }
  | { kind: 'worker-stop' }
  | { kind: 'extension-reload' };

export type FaultKind = FaultSpec['kind'];

export type Action =
  | { kind: 'call-arrives'; call: number; customer: string; ringing: boolean }
  | { kind: 'answer'; call: number }
  | { kind: 'hold'; call: number }
  | { kind: 'unhold'; call: number }
  /** The agent's leg ends: hung up, a consult finished, or a transfer completed. */
  | { kind: 'end'; call: number; why: 'hang-up' | 'consult-done' | 'transfer' }
  /** A mute made outside the extension: Genesys's own UI, a headset, a supervisor. */
  | { kind: 'server-mute'; call: number; muted: boolean }
  /** The agent clicks (or presses) `presses` times, `gapsMs` apart; `arm` is a fault set just before. */
  | { kind: 'click'; surface: Surface; gapsMs: number[]; arm?: FaultSpec }
  | { kind: 'fault'; fault: FaultSpec };

export interface Scheduled {
  /** Wall-clock ms from the start of the run. */
  at: number;
  action: Action;
}

export interface ScheduleOptions {
  seed: number;
  /** Wall-clock length of the run. */
  wallMs: number;
  /** Shift time per wall time (8: 4 minutes of wall time are 32 minutes of shift). */
  compression: number;
  /** Whether real key presses (xdotool on Xvfb) can be made. */
  keys: boolean;
}

export interface Schedule {
  options: ScheduleOptions;
  items: Scheduled[];
}

/** How often each fault kind is picked for an episode (extension reloads are placed separately). */
const FAULT_WEIGHTS: Readonly<Record<Exclude<FaultKind, 'extension-reload'>, number>> = {
  'socket-drop': 14,
  'socket-closing': 8,
  'channel-expiry': 5,
  'garbage-frame': 6,
  'silent-socket': 1.2,
  'connect-429': 8,
  'connect-5xx': 8,
  'connect-network': 3,
  'connect-hang': 2.5,
  'patch-429': 6,
  'patch-5xx': 7,
  'patch-hang': 2,
  'token-revoked': 6,
  offline: 4,
  'worker-stop': 7,
};

/** Faults that keep the extension busy for seconds: at most one per episode. */
const LONG: ReadonlySet<FaultKind> = new Set(['silent-socket', 'connect-hang', 'patch-hang', 'offline', 'extension-reload']);
const MAX_SILENT = 3;

const GARBAGE_FRAMES = 6;

export function buildSchedule(options: ScheduleOptions): Schedule {
  const random = seededRandom(options.seed);
  const between = (low: number, high: number): number => low + random() * (high - low);
  const int = (low: number, high: number): number => Math.floor(between(low, high + 1));
  const chance = (p: number): boolean => random() < p;
  function pick<T>(weights: readonly (readonly [T, number])[]): T {
    const total = weights.reduce((sum, [, w]) => sum + w, 0);
    let r = random() * total;
    for (const [value, w] of weights) if ((r -= w) < 0) return value;
    return weights[weights.length - 1]![0];
  }
  const items: Scheduled[] = [];
  const add = (at: number, action: Action): void => void items.push({ at: Math.round(at), action });
  const end = options.wallMs;

  // ---- the calls: one after another, with consults and transfers; the agent leg's state is known here.
  /** Intervals during which each call is the one the agent talks on (for clicks and outside mutes). */
  const talking: { call: number; from: number; to: number }[] = [];
  let t = 1_500;
  let next = 0;
  while (t < end - 8_000) {
    const call = next++;
    const ringing = chance(0.5);
    add(t, { kind: 'call-arrives', call, customer: `Customer ${call + 1}`, ringing });
    if (ringing) {
      t += between(700, 2_500);
      add(t, { kind: 'answer', call });
    }
    const callEnd = Math.min(end - 3_000, t + between(12_000, 30_000));
    let from = t;
    if (chance(0.4) && callEnd - t > 10_000) {
      // A consult: the customer on hold, the agent talking to someone else.
      const holdAt = t + between(3_000, (callEnd - t) / 2);
      const consult = next++;
      talking.push({ call, from, to: holdAt });
      add(holdAt, { kind: 'hold', call });
      add(holdAt + between(150, 600), { kind: 'call-arrives', call: consult, customer: `Colleague ${consult + 1}`, ringing: false });
      const consultEnd = Math.min(callEnd - 1_000, holdAt + between(4_000, 9_000));
      talking.push({ call: consult, from: holdAt + 700, to: consultEnd });
      if (chance(0.6)) {
        add(consultEnd, { kind: 'end', call: consult, why: 'consult-done' });
        add(consultEnd + between(200, 900), { kind: 'unhold', call });
        from = consultEnd + 1_000;
        talking.push({ call, from, to: callEnd });
        add(callEnd, { kind: 'end', call, why: 'hang-up' });
      } else {
        // Consult transfer: the customer goes to the colleague; both of the agent's legs end.
        add(consultEnd, { kind: 'end', call, why: 'transfer' });
        add(consultEnd + between(300, 1_200), { kind: 'end', call: consult, why: 'transfer' });
      }
      t = Math.max(callEnd, consultEnd) + between(1_000, 4_000);
      continue;
    }
    talking.push({ call, from, to: callEnd });
    add(callEnd, { kind: 'end', call, why: chance(0.2) ? 'transfer' : 'hang-up' });
    t = callEnd + between(1_000, 4_000);
  }

  const talkingAt = (time: number) => talking.find((span) => time >= span.from + 300 && time <= span.to - 300);

  // ---- mutes from outside the extension, on the call the agent talks on.
  for (let at = between(3_000, 8_000); at < end - 3_000; at += between(3_000, 10_000)) {
    const span = talkingAt(at);
    if (span) add(at, { kind: 'server-mute', call: span.call, muted: chance(0.5) });
  }

  // ---- the agent's own clicks, single or in bursts; some on a surface armed with a PATCH fault.
  const surfaces: (readonly [Surface, number])[] = [
    ['page', 5],
    ['popup', 3],
    ['shortcut', 3],
    ...(options.keys ? ([['keys', 1.5]] as const) : []),
  ];
  for (let at = between(2_000, 4_000); at < end - 3_000; at += between(1_200, 4_000)) {
    if (!talkingAt(at)) continue;
    const presses = chance(0.25) ? int(2, 5) : 1;
    const gapsMs = Array.from({ length: presses - 1 }, () => Math.round(between(80, 260)));
    add(at, { kind: 'click', surface: pick(surfaces), gapsMs });
  }

  // ---- faults, in episodes of a few at once, each followed by a quiet gap in which the extension
  // must show the truth again.
  // An extension reload mid-call: twice in a full run, once in a short one.
  const reloads = new Set(options.wallMs >= 120_000 ? [Math.round(options.wallMs * 0.38), Math.round(options.wallMs * 0.72)] : [Math.round(options.wallMs * 0.5)]);
  let silent = 0;
  let at = 4_000;
  while (at < end - 6_000) {
    const count = int(3, 7);
    let long = false;
    let episodeEnd = at;
    const reloadHere = [...reloads].find((r) => r <= at + 1_500);
    if (reloadHere !== undefined) {
      reloads.delete(reloadHere);
      add(at, { kind: 'fault', fault: { kind: 'extension-reload' } });
      long = true;
      episodeEnd = at + 6_000;
    }
    for (let i = 0; i < count; i++) {
      const offset = at + between(0, 1_500);
      const kinds = Object.entries(FAULT_WEIGHTS).filter(([kind]) => !(long && LONG.has(kind as FaultKind)) && !(kind === 'silent-socket' && silent >= MAX_SILENT));
      const kind = pick(kinds.map(([k, w]) => [k as Exclude<FaultKind, 'extension-reload'>, w] as const));
      if (LONG.has(kind)) long = true;
      const fault = faultOf(kind);
      if (fault.kind === 'silent-socket') silent += 1;
      // The next episode waits for this one's short faults; a long one (a hang, a silent socket)
      // runs on beside the next episodes, and the run checks nothing until it has cleared.
      episodeEnd = Math.max(episodeEnd, offset + Math.min(nominalMs(fault), 3_000));
      if (fault.kind === 'patch-429' || fault.kind === 'patch-5xx' || fault.kind === 'patch-hang') {
        // A PATCH fault only means something with a click behind it.
        add(offset, { kind: 'click', surface: pick(surfaces.filter(([s]) => s !== 'keys')), gapsMs: [], arm: fault });
        continue;
      }
      if (fault.kind === 'connect-429' || fault.kind === 'connect-5xx' || fault.kind === 'connect-network' || fault.kind === 'connect-hang') {
        // An outage of a reconnect's request bites when something makes the extension reconnect.
        add(offset, { kind: 'fault', fault });
        add(offset + 50, { kind: 'fault', fault: { kind: 'socket-drop' } });
        i += 1;
        continue;
      }
      add(offset, { kind: 'fault', fault });
    }
    at = episodeEnd + between(2_800, 4_000);
  }

  function faultOf(kind: Exclude<FaultKind, 'extension-reload'>): FaultSpec {
    const path = (): ConnectPath => pick<ConnectPath>([['subscriptions', 4], ['calls', 4], ['socket', 2], ['channels', 1], ['users/me', 1]]);
    switch (kind) {
      case 'socket-drop':
        return chance(0.6) ? { kind } : { kind, code: pick([[1001, 1], [1011, 1], [4000, 1]]) };
      case 'garbage-frame':
        return { kind, frame: int(0, GARBAGE_FRAMES - 1) };
      case 'connect-429':
        return { kind, path: path(), status: 429, forMs: Math.round(between(600, 1_800)) };
      case 'connect-5xx':
        return { kind, path: path(), status: pick([[500, 1], [502, 1], [503, 2], [504, 1]]), forMs: Math.round(between(400, 1_400)) };
      case 'connect-network':
        return { kind, path: path(), status: 0, forMs: Math.round(between(300, 1_200)) };
      case 'connect-hang':
        return { kind, path: pick<ConnectPath>([['subscriptions', 1], ['calls', 1]]), forMs: 1_200, hangMs: 9_000 };
      case 'patch-429':
        return { kind, status: 429, forMs: Math.round(between(600, 2_500)) };
      case 'patch-5xx':
        return { kind, status: pick([[500, 1], [502, 1], [503, 2], [504, 1]]), forMs: Math.round(between(200, 1_600)) };
      case 'patch-hang':
        return { kind, forMs: 400, hangMs: 9_000 };
      case 'offline':
        return { kind, forMs: Math.round(between(800, 3_000)) };
      case 'channel-expiry':
      case 'silent-socket':
      case 'socket-closing':
      case 'token-revoked':
      case 'worker-stop':
        return { kind };
    }
  }

  items.sort((a, b) => a.at - b.at);
  return { options, items };
}

/** How long a fault keeps the extension from the truth at most, as planned (the run measures the real one). */
function nominalMs(fault: FaultSpec): number {
  switch (fault.kind) {
    case 'connect-429':
    case 'connect-5xx':
    case 'connect-network':
    case 'patch-429':
    case 'patch-5xx':
      return fault.forMs;
    case 'connect-hang':
    case 'patch-hang':
      return fault.forMs + 8_000;
    case 'offline':
      return fault.forMs + 2_000;
    case 'silent-socket':
      return 20_000;
    case 'extension-reload':
      return 6_000;
    case 'channel-expiry':
    case 'garbage-frame':
    case 'socket-closing':
    case 'socket-drop':
    case 'token-revoked':
    case 'worker-stop':
      return 0;
  }
}

/** Frames Genesys would never send, or sends for someone else: the extension must ignore each. */
export function garbageFrame(index: number, agentId: string, conversationId: string | undefined): string {
  const frames = [
    'not json at all',
    '{"topicName": 42}',
    JSON.stringify({ topicName: 'v2.users.someone-else.conversations.calls', eventBody: { id: conversationId ?? 'x', participants: [] } }),
    JSON.stringify({ topicName: 'v2.unknown.topic', eventBody: null }),
    JSON.stringify({ topicName: `v2.users.${agentId}.conversations.calls`, eventBody: 'nope' }),
    JSON.stringify({ topicName: `v2.users.${agentId}.conversations.calls`, eventBody: { participants: [{ muted: 'yes' }] } }),
  ];
  return frames[index % frames.length]!;
}

export function countFaults(schedule: Schedule): number {
  return schedule.items.filter((item) => item.action.kind === 'fault' || (item.action.kind === 'click' && item.action.arm)).length;
}

/** Shift time (hh:mm:ss from the start of the shift) of a wall-clock offset. */
export function shiftClock(wallMs: number, compression: number): string {
  const s = Math.floor((wallMs * compression) / 1000);
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
