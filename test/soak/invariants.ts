// The five invariants, judged from what the views show, what the emulator (Genesys) received and
// holds, and what the browser's DevTools heard. Each violation keeps the seed, the time and the
// trail of recent events, so a run can be replayed (`npm run soak -- --seed N`) to reproduce it.
import type { CallChange, RecordedRequest, SocketRecord } from '../../emulator/server.ts';
import type { FaultWindow } from './faults.ts';
import { shiftClock } from './schedule.ts';
import type { Surface } from './schedule.ts';

export type Invariant = 1 | 2 | 3 | 4 | 5;

export const INVARIANTS: Readonly<Record<Invariant, string>> = {
  1: 'convergence',
  2: 'no surprise mutes',
  3: 'no leaks',
  4: 'no secrets out',
  5: 'no crashes',
};

export interface Violation {
  invariant: Invariant;
  /** Epoch ms. */
  at: number;
  /** Wall time from the start of the run and shift time. */
  when: string;
  title: string;
  detail: string;
  trail: string[];
}

/** What the three views show at one moment. */
export interface ViewsSample {
  at: number;
  page?: { count: number; status: string | null; pressed: string | null; disabled: boolean | null };
  popup?: { status: string | null; pressed: string | null; disabled: boolean | null; who: string | null };
  badge?: string;
}

/** Genesys's truth for the call the agent talks on (undefined conversationId: none). */
export interface Truth {
  conversationId?: string;
  muted?: boolean;
  customer?: string;
}

export interface Click {
  /** When it reached the extension (a shortcut: at the latest; `from`: at the earliest). */
  at: number;
  from?: number;
  surface: Surface;
  /** What the agent asked for; undefined when it could not be known (the control had nothing to act on). */
  want?: boolean;
  /** Genesys's controlled call when the agent clicked. */
  conversationId?: string;
  /** Every call that was the agent's in the 15 s before (a view may lag behind during a fault). */
  calls?: string[];
  /** The click raced a change of what the view showed: either value is the agent's. */
  ambiguous?: boolean;
}

/** A view the popup received (pushed on its port, or answered to a request). */
export interface ReceivedView {
  at: number;
  status?: string;
  problem?: string;
}

const INTENT_PROBLEMS = new Set(['not-your-participant', 'call-gone', 'rate-limited', 'server-error', 'network', 'not-confirmed', 'session-expired']);
/** The views must agree with Genesys this long after the last fault cleared and the last change. */
export const CONVERGE_MS = 2_000;
/** However busy the agent, views may not disagree with Genesys for longer than this outside a fault. */
const STUCK_MS = 10_000;
/** A PATCH must leave within this of the click it serves. */
export const PATCH_WITHIN_MS = 10_000;
/** An intent's outcome (applied or reported) must be known within this. */
const OUTCOME_WITHIN_MS = 12_000;

export interface JudgeOptions {
  seed: number;
  /** Epoch ms of the start of the shift (set by `arm`; setup happens before it, at negative times). */
  start: number;
  compression: number;
}

export class Judge {
  readonly violations: Violation[] = [];
  private readonly notes: { at: number; text: string }[] = [];
  private readonly windows: FaultWindow[] = [];
  readonly faultCounts = new Map<string, number>();
  /** Windows when something outside the run (another process) changed the browser's world. */
  readonly interferences: FaultWindow[] = [];
  readonly convergence: number[] = [];
  /** Each convergence with the faults whose clearing started it and the backoff allowance then. */
  readonly convergenceDetail: { ms: number; after: string; allowanceMs: number }[] = [];
  private quiet: { since: number; allowanceMs: number; flagged: boolean; measuringFrom?: number } | undefined;
  private lastDisturbance = 0;
  private disagreeingSince: number | undefined;
  private stuckFlagged = false;
  private unreadableSince: number | undefined;
  private unreadableFlagged = false;
  private armed = false;
  /** Agent actions under way: a click that has not landed yet is a change the views cannot show yet. */
  private busy = 0;

  constructor(private readonly options: JudgeOptions) {}

  /** `12.3 s (00:01:38)`: wall time from the start and shift time. */
  when(at: number): string {
    const wall = at - this.options.start;
    return `${(wall / 1000).toFixed(1)} s (shift ${shiftClock(wall, this.options.compression)})`;
  }

  note(at: number, text: string): void {
    this.notes.push({ at, text });
  }

  /** More events for the trail (what Genesys received), merged in by time. */
  extraNotes: () => { at: number; text: string }[] = () => [];

  /** What happened in the 15 s up to `at` (and just after), in order: the last 30 events. */
  trail(at: number): string[] {
    return [...this.notes, ...this.extraNotes()]
      .filter((note) => note.at >= at - 15_000 && note.at <= at + 1_000)
      .sort((a, b) => a.at - b.at)
      .slice(-30)
      .map((note) => `${this.when(note.at)}  ${note.text}`);
  }

  violate(invariant: Invariant, at: number, title: string, detail: string): void {
    this.violations.push({ invariant, at, when: this.when(at), title, detail, trail: this.trail(at) });
    this.note(at, `VIOLATION (${INVARIANTS[invariant]}): ${title}`);
  }

  /** Checks start once the agent is signed in and on the desktop; times count from here. */
  arm(at: number): void {
    this.armed = true;
    this.options.start = at;
    this.lastDisturbance = at;
  }

  /** Runs an agent action; the views are not judged while it is under way, and it is a change after. */
  async acting<T>(action: () => Promise<T>, now: () => number): Promise<T> {
    this.busy += 1;
    try {
      return await action();
    } finally {
      this.busy -= 1;
      this.lastDisturbance = Math.max(this.lastDisturbance, now());
      if (this.quiet) this.quiet.flagged = false;
    }
  }

  fault(window: FaultWindow): void {
    this.windows.push(window);
    if (window.kind === 'interference') this.interferences.push(window);
    else this.faultCounts.set(window.kind, (this.faultCounts.get(window.kind) ?? 0) + 1);
    this.note(window.startedAt, `fault: ${window.label}`);
    this.quiet = undefined;
  }

  /** A change the views must follow: a click, a mute from outside, a call event. */
  disturbed(at: number, text: string): void {
    this.lastDisturbance = Math.max(this.lastDisturbance, at);
    if (this.quiet) this.quiet.flagged = false;
    this.note(at, text);
  }

  /** Faults still in force at `now` (after updating each window from what it watches). */
  active(now: number): FaultWindow[] {
    for (const window of this.windows) {
      if (window.clearedAt !== undefined) continue;
      const cleared = window.clears?.();
      if (cleared !== undefined) {
        window.clearedAt = cleared;
        this.note(cleared, `cleared: ${window.label}`);
      } else if (window.latest !== undefined && Number.isFinite(window.latest) && now > window.latest) {
        window.clearedAt = window.latest;
        this.violate(1, now, window.overdue ?? `${window.label} did not clear`, `injected at ${this.when(window.startedAt)}`);
      }
    }
    return this.windows.filter((w) => w.clearedAt === undefined || w.clearedAt > now);
  }

  /**
   * One look at the views against Genesys. `allowance` says how long a reconnect the extension had
   * already scheduled when the faults cleared may take (its backoff after consecutive failures).
   */
  tick(sample: ViewsSample, truth: Truth, allowance: () => Promise<number>): void {
    if (!this.armed) return;
    const now = sample.at;
    const active = this.active(now);
    // A view that could not be read in time (its context restarting, a loaded machine) says nothing;
    // only a long run of them does.
    if (sample.badge === undefined || !sample.page || !sample.popup) {
      this.unreadableSince ??= now;
      if (now - this.unreadableSince > STUCK_MS && active.length === 0 && this.busy === 0 && !this.unreadableFlagged) {
        this.unreadableFlagged = true;
        this.violate(1, now, `a view could not be read for ${STUCK_MS / 1000} s with no fault in force`, `${!sample.page ? 'page ' : ''}${!sample.popup ? 'popup ' : ''}${sample.badge === undefined ? 'badge' : ''}`);
      }
      return;
    }
    this.unreadableSince = undefined;
    this.unreadableFlagged = false;
    const differences = disagreement(sample, truth);
    const agree = differences.length === 0;
    if (this.busy > 0) {
      this.disagreeingSince = undefined;
      if (this.quiet) this.quiet.measuringFrom = undefined;
    }
    if (active.length > 0 || this.busy > 0) {
      this.quiet = undefined;
      this.disagreeingSince = undefined;
      this.stuckFlagged = false;
      return;
    }
    if (!this.quiet) {
      const since = Math.max(0, ...this.windows.map((w) => w.clearedAt ?? 0));
      const quiet: { since: number; allowanceMs: number; flagged: boolean; measuringFrom?: number } = { since, allowanceMs: 0, flagged: false, measuringFrom: since };
      this.quiet = quiet;
      void allowance().then((ms) => (quiet.allowanceMs = ms));
    }
    const quiet = this.quiet;
    if (agree) {
      if (quiet.measuringFrom !== undefined && quiet.measuringFrom > 0) {
        // From the moment nothing more changed: the fault cleared, or the agent's last click or an
        // outside change after it.
        const ms = Math.max(0, now - Math.max(quiet.measuringFrom, this.lastDisturbance));
        this.convergence.push(ms);
        const last = this.windows.filter((w) => w.clearedAt !== undefined && w.clearedAt >= quiet.since - 1_500).map((w) => w.kind);
        this.convergenceDetail.push({ ms, after: [...new Set(last)].join('+'), allowanceMs: quiet.allowanceMs });
      }
      quiet.measuringFrom = undefined;
      this.disagreeingSince = undefined;
      this.stuckFlagged = false;
      return;
    }
    this.disagreeingSince ??= now;
    const deadline = Math.max(quiet.since + quiet.allowanceMs, this.lastDisturbance) + CONVERGE_MS;
    if (now > deadline && !quiet.flagged) {
      quiet.flagged = true;
      this.violate(1, now, `views not showing Genesys's truth ${((now - Math.max(quiet.since, this.lastDisturbance)) / 1000).toFixed(1)} s after the last fault cleared or change`, `${differences.join('; ')} (truth: ${describeTruth(truth)})`);
    } else if (now - this.disagreeingSince > STUCK_MS && !this.stuckFlagged) {
      this.stuckFlagged = true;
      this.violate(1, now, `views not showing Genesys's truth for ${STUCK_MS / 1000} s with no fault in force`, `${differences.join('; ')} (truth: ${describeTruth(truth)})`);
    }
  }

}

export function describeTruth(truth: Truth): string {
  return truth.conversationId === undefined ? 'no call to control' : `${truth.customer ?? truth.conversationId} ${truth.muted ? 'muted' : 'not muted'}`;
}

/** What each view gets wrong, in words; empty when all three show the truth. */
export function disagreement(sample: ViewsSample, truth: Truth): string[] {
  const wrong: string[] = [];
  const onCall = truth.conversationId !== undefined;
  const pressed = String(truth.muted === true);
  const page = sample.page;
  if (!page || page.count === 0) wrong.push('no page control');
  else {
    if (page.count > 1) wrong.push(`${page.count} page controls`);
    if (onCall && (page.status === 'pending' || page.pressed !== pressed || page.disabled)) wrong.push(`page control ${page.status}/${page.pressed}${page.disabled ? '/disabled' : ''}`);
    if (!onCall && page.status !== 'no-call') wrong.push(`page control ${page.status} with no call`);
  }
  const popup = sample.popup;
  if (!popup) wrong.push('no popup');
  else {
    if (onCall && (popup.status === 'pending' || popup.pressed !== pressed || popup.disabled)) wrong.push(`popup ${popup.status}/${popup.pressed}${popup.disabled ? '/disabled' : ''}`);
    if (onCall && truth.customer && popup.who !== truth.customer) wrong.push(`popup names ${popup.who ?? 'nobody'}`);
    if (!onCall && popup.status !== 'no-call' && popup.status !== null) wrong.push(`popup ${popup.status} with no call`);
  }
  const badge = onCall && truth.muted ? 'MUTE' : '';
  if (sample.badge === undefined) wrong.push('badge unreadable');
  else if (sample.badge !== badge) wrong.push(`badge "${sample.badge}"`);
  return wrong;
}

// ---- invariant 2: no surprise mutes --------------------------------------------------------------

export interface PatchFinding {
  at: number;
  title: string;
  detail: string;
}

/**
 * Every PATCH: exactly `{"muted": bool}`, on the agent's own leg of the call the agent was on when
 * clicking, leaving at most 10 s after a click, and carrying the agent's latest wish.
 */
export function checkPatches(requests: readonly RecordedRequest[], clicks: readonly Click[], agentLegOf: (conversationId: string) => string | undefined): PatchFinding[] {
  const findings: PatchFinding[] = [];
  const patches = requests.filter((r) => r.method === 'PATCH');
  for (const patch of patches) {
    const match = /^\/api\/v2\/conversations\/calls\/([^/]+)\/participants\/([^/]+)$/.exec(patch.path);
    const conversationId = match?.[1];
    const participantId = match?.[2];
    let body: unknown;
    try {
      body = JSON.parse(patch.body);
    } catch {
      body = undefined;
    }
    const muted = typeof body === 'object' && body !== null && Object.keys(body).length === 1 ? (body as { muted?: unknown }).muted : undefined;
    if (!conversationId || !participantId || typeof muted !== 'boolean') {
      findings.push({ at: patch.wallTime, title: 'a PATCH that is not exactly {"muted": bool} on a participant', detail: `${patch.path} ${patch.body}` });
      continue;
    }
    if (agentLegOf(conversationId) !== participantId) {
      findings.push({ at: patch.wallTime, title: 'a PATCH on someone else\'s leg', detail: `${patch.path}` });
      continue;
    }
    // A click acts on the call its view showed, which during a fault may be one Genesys moved the
    // agent off a moment ago: any call that was the agent's in the 15 s before the click counts.
    const onThatCall = (c: Click) => c.conversationId === conversationId || (c.calls ?? []).includes(conversationId);
    const served = clicks.filter((c) => onThatCall(c) && (c.from ?? c.at) <= patch.wallTime && patch.wallTime - c.at <= PATCH_WITHIN_MS);
    if (served.length === 0) {
      const last = clicks.filter((c) => c.at <= patch.wallTime).at(-1);
      findings.push({
        at: patch.wallTime,
        title: `a PATCH (muted: ${muted}) with no click on that call in the ${PATCH_WITHIN_MS / 1000} s before it`,
        detail: last ? `last click ${((patch.wallTime - last.at) / 1000).toFixed(1)} s before, on ${onThatCall(last) ? 'that call' : 'another call'}` : 'no click at all',
      });
      continue;
    }
    // The agent's latest wish: any click that reached the extension before the PATCH left and that
    // no other click surely followed (a shortcut is only known to arrive within an interval).
    const arrived = clicks.filter((c) => (c.from ?? c.at) <= patch.wallTime && patch.wallTime - c.at <= PATCH_WITHIN_MS);
    // (A click less than 250 ms before the PATCH may not have reached the background when it left.)
    const latest = arrived.filter((c) => !arrived.some((d) => (d.from ?? d.at) > c.at && d.at <= patch.wallTime - 250));
    const fits = latest.some((c) => c.ambiguous || c.want === undefined || c.want === muted);
    if (!fits) {
      const last = latest.at(-1) ?? served.at(-1)!;
      findings.push({
        at: patch.wallTime,
        title: `a PATCH carried an older wish (muted: ${muted}) after the agent asked for ${last.want ? 'mute' : 'unmute'}`,
        detail: `latest click ${((patch.wallTime - last.at) / 1000).toFixed(2)} s before, from the ${last.surface}`,
      });
    }
  }
  return findings;
}

export interface IntentVerdict {
  applied: number;
  superseded: number;
  reported: number;
  /** The call it was for ended or stopped being the agent's call, and the agent was told. */
  callChanged: number;
  unobserved: number;
  lost: { click: Click; why: string }[];
}

/**
 * Every click with something to act on ends applied (Genesys had the wanted state within 12 s),
 * superseded by a later click before that, or reported to the agent (a view with the failure).
 */
export function judgeIntents(
  clicks: readonly Click[],
  history: readonly CallChange[],
  views: readonly ReceivedView[],
  observedAt: (at: number) => boolean,
  controlledAt: (at: number) => string | undefined,
): IntentVerdict {
  const verdict: IntentVerdict = { applied: 0, superseded: 0, reported: 0, callChanged: 0, unobserved: 0, lost: [] };
  clicks.forEach((click, index) => {
    if (click.conversationId === undefined || click.want === undefined) return;
    const until = click.at + OUTCOME_WITHIN_MS;
    const changes = history.filter((h) => h.conversationId === click.conversationId);
    const stateAt = (time: number) => changes.filter((h) => h.time <= time).at(-1);
    const wants = click.ambiguous ? [true, false] : [click.want];
    const appliedAt = wants.includes(stateAt(click.at)?.muted ?? false) ? click.at : changes.find((h) => h.time > click.at && h.time <= until && wants.includes(h.muted))?.time;
    // A failure shown after the click (a new click clears the last one's problem).
    const toldAt = views.find((v) => v.at >= click.at && v.at <= until + 500 && (v.status === 'error' || (v.problem !== undefined && INTENT_PROBLEMS.has(v.problem))))?.at;
    const outcomeAt = Math.min(appliedAt ?? Infinity, toldAt ?? Infinity);
    const next = clicks[index + 1];
    if (next && next.at < Math.min(outcomeAt, until)) {
      verdict.superseded += 1;
      return;
    }
    if (toldAt !== undefined && toldAt <= (appliedAt ?? Infinity)) {
      verdict.reported += 1;
      return;
    }
    if (appliedAt !== undefined) {
      verdict.applied += 1;
      return;
    }
    const gone = changes.find((h) => h.time > click.at && (h.state === 'disconnected' || h.state === 'terminated' || h.held));
    const movedAt = gone?.time ?? sampleWhenChanged(click, controlledAt, until);
    if (!observedAt(click.at) || !observedAt(until)) {
      verdict.unobserved += 1;
      return;
    }
    verdict.lost.push({
      click,
      why: movedAt !== undefined ? `the call stopped being the agent's call ${((movedAt - click.at) / 1000).toFixed(1)} s after the click, and nothing was said` : 'neither applied nor reported within 12 s',
    });
  });
  return verdict;
}

function sampleWhenChanged(click: Click, controlledAt: (at: number) => string | undefined, until: number): number | undefined {
  for (let at = click.at; at <= until; at += 250) if (controlledAt(at) !== click.conversationId) return at;
  return undefined;
}

// ---- invariant 3: no leaks ---------------------------------------------------------------------

/** Open sockets over time: never more than two, and two only for a hand-over (at most `handOverMs`). */
export function checkSockets(sockets: readonly SocketRecord[], end: number, handOverMs = 2_000): { maxOpen: number; findings: PatchFinding[] } {
  const edges = sockets.flatMap((s) => [
    { at: s.openedAt, delta: 1 },
    { at: s.closedAt ?? end, delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let maxOpen = 0;
  let twoSince: number | undefined;
  const findings: PatchFinding[] = [];
  for (const edge of edges) {
    open += edge.delta;
    maxOpen = Math.max(maxOpen, open);
    if (open > 2) findings.push({ at: edge.at, title: `${open} sockets open at once`, detail: 'one per extension, two only while handing over' });
    if (open >= 2 && twoSince === undefined) twoSince = edge.at;
    if (open < 2 && twoSince !== undefined) {
      if (edge.at - twoSince > handOverMs) findings.push({ at: twoSince, title: `two sockets open for ${((edge.at - twoSince) / 1000).toFixed(1)} s`, detail: `a hand-over takes at most ${handOverMs / 1000} s` });
      twoSince = undefined;
    }
  }
  return { maxOpen, findings };
}

/**
 * Every channel made is explained: the first of a session, a renewal (the one in use was near its
 * end), the one in use gone (404, ended by Genesys), or another try after a fault broke the last.
 */
export function checkChannels(
  channels: readonly { id: string; createdAt: number }[],
  requests: readonly RecordedRequest[],
  lifetimeMs: number,
  faultsBetween: (from: number, to: number) => number,
  sessionsBetween: (from: number, to: number) => number,
): { created: number; used: number; maxAlive: number; findings: PatchFinding[] } {
  const findings: PatchFinding[] = [];
  const used = (id: string) => requests.some((r) => r.method === 'WS' && r.status === 101 && r.path === `/channels/${id}`);
  const renewAfter = lifetimeMs - Math.min(10 * 60_000, lifetimeMs / 4);
  for (let i = 1; i < channels.length; i++) {
    const previous = channels[i - 1]!;
    const channel = channels[i]!;
    const inUse = [...channels.slice(0, i)].reverse().find((c) => used(c.id));
    const gone = requests.some((r) => r.wallTime > previous.createdAt && r.wallTime <= channel.createdAt && r.status === 404 && (r.path.endsWith('/subscriptions') || r.method === 'WS'));
    const renewal = inUse !== undefined && channel.createdAt - inUse.createdAt >= renewAfter - 1_500;
    const retry = !used(previous.id) && faultsBetween(previous.createdAt - 1_000, channel.createdAt) > 0;
    const session = sessionsBetween(previous.createdAt, channel.createdAt) > 0;
    const expired = faultsBetween(previous.createdAt, channel.createdAt) > 0 && gone;
    if (!(gone || renewal || retry || session || expired)) {
      findings.push({
        at: channel.createdAt,
        title: 'a notification channel made without a reason',
        detail: `${((channel.createdAt - previous.createdAt) / 1000).toFixed(1)} s after the previous one; the one in use was ${inUse ? `${((channel.createdAt - inUse.createdAt) / 1000).toFixed(1)} s old (renewal due at ${(renewAfter / 1000).toFixed(1)} s)` : 'none'}`,
      });
    }
  }
  let maxAlive = 0;
  for (const channel of channels) maxAlive = Math.max(maxAlive, channels.filter((c) => c.createdAt <= channel.createdAt && c.createdAt > channel.createdAt - lifetimeMs).length);
  return { created: channels.length, used: channels.filter((c) => used(c.id)).length, maxAlive, findings };
}

// ---- invariant 4: no secrets out ------------------------------------------------------------------

/** The secrets (by kind) that `text` contains. */
export function secretsIn(text: string, tokens: readonly string[], channels: readonly string[]): string[] {
  const found: string[] = [];
  for (const token of tokens) if (text.includes(token)) found.push(`access token ${token.slice(0, 4)}…`);
  for (const channel of channels) if (text.includes(channel)) found.push(`channel id ${channel.slice(0, 14)}…`);
  return found;
}
