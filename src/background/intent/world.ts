// Test support only (nothing in the extension imports it): the world the intent machine lives in,
// as the property test and the named soak sequences drive it. A clock, the agent's calls as
// Genesys holds them, the events on their way to the background (in order; lost while the socket
// is down), the one PATCH on the wire, the session's token, the timers the driver would run. The
// product's promises are checked after each step (promises.ts).
import { DEFAULT_TIMING, IDLE, transition, type IntentEffect, type IntentEvent, type IntentState, type MuteTarget, type Timer } from './machine';
import { checkHealed, checkSend, checkTransition } from './promises';

export const TIMING = DEFAULT_TIMING;

export type Action =
  /** The agent clicks: `toggle` (the shortcut: flips what the views show) or a value (page, popup: absolute). */
  | { kind: 'click'; how: 'toggle' | boolean }
  /** Time passes; the timers due meanwhile run out, each at its time. */
  | { kind: 'wait'; ms: number }
  /** Genesys applies the PATCH on the wire before answering it (its event can beat the 202). */
  | { kind: 'apply' }
  /** Genesys answers the PATCH on the wire; a 5xx or no answer may have been applied all the same. */
  | { kind: 'answer'; status: 202 | 429 | 500 | 503 | 0 | 401 | 403 | 404; retryAfterS?: number; applied?: boolean }
  /** The next event reaches the background. */
  | { kind: 'deliver' }
  /** The socket drops: the events on their way and those until the reconnect are lost. */
  | { kind: 'drop' }
  /** The reconnect's snapshot (a catch-up after a gap). */
  | { kind: 'reconnect' }
  /** A supervisor, a headset, Genesys's own UI: the agent's call's mute flips. */
  | { kind: 'outside' }
  /** The agent's call: on hold; a consult connects (the call held); ends; a new call; a held one retrieved. */
  | { kind: 'call'; change: 'hold' | 'consult' | 'end' | 'new' | 'retrieve' }
  /** The session answers the token asked for. */
  | { kind: 'token'; renewed: boolean }
  | { kind: 'sign-out' }
  | { kind: 'sign-in' };

interface Observation {
  target?: MuteTarget;
  muted: boolean;
  /** How many changes of each call's mute it shows (all, and those from outside). */
  seen: Map<string, Changes>;
}

export interface Changes {
  changes: number;
  outside: number;
}

export interface World {
  now: number;
  state: IntentState;
  signedIn: boolean;
  /** Genesys's truth: each call's mute and how many times it changed; the agent's connected, unheld call. */
  truth: Map<string, { muted: boolean } & Changes>;
  current?: string;
  held: string[];
  calls: number;
  /** Events on their way to the background, in order; `socket` false: lost. */
  events: Observation[];
  socket: boolean;
  /** What the background last heard (the worker's `controlledCall`). */
  known?: Observation;
  /** The PATCH on the wire; `heard`: an event showing its value reached the background since it left. */
  wire?: { target: MuteTarget; muted: boolean; attempt: number; applied: boolean; heard: boolean };
  tokenAsked: number;
  timers: Map<Timer, number>;
  /** Every PATCH, and every effect so far (for the checks and the failure messages). */
  sent: { at: number; target: string; muted: boolean; attempt: number }[];
  trail: string[];
  /** The burst the latest click belongs to (clicks less than holdMs apart, same call, no change between). */
  burst?: { last: number; target: string; patches: number; caughtUp: boolean };
  /**
   * The latest click. `tainted`: Genesys's state changed behind the intent's back (from outside,
   * or a refused PATCH applied all the same) after it, or before it unheard; `failed`: a failure
   * was told since; `moved`: the agent's call changed since (or they signed out).
   */
  lastClick?: { at: number; target: string; muted: boolean; tainted: boolean; failed: boolean; moved: boolean };
  /** An accepted PATCH of the pending intent, until an event shows it, a reconnect, or the intent ends. */
  unconfirmed?: { target: string; muted: boolean };
  /** Failures told to the agent so far. */
  failures: number;
  /**
   * Genesys's state changed behind the intent's back (from outside, or a refused PATCH applied all
   * the same) while a PATCH was on the wire or awaited, and no reconnect's snapshot has settled it
   * since: the intent may wait for a confirmation that cannot come, and time out (told).
   */
  raced: boolean;
}

const targetOf = (call: string): MuteTarget => ({ conversationId: call, participantId: `${call}-agent` });

export function newWorld(): World {
  const world: World = { now: 0, state: IDLE, signedIn: true, truth: new Map(), held: [], calls: 0, events: [], socket: true, tokenAsked: 0, timers: new Map(), sent: [], trail: [], failures: 0, raced: false };
  step(world, { kind: 'call', change: 'new' });
  step(world, { kind: 'deliver' });
  return world;
}

/** What the background hears now about the agent's controlled call. */
function observation(world: World): Observation {
  const seen = new Map([...world.truth].map(([call, { changes, outside }]) => [call, { changes, outside }]));
  return world.current ? { target: targetOf(world.current), muted: world.truth.get(world.current)!.muted, seen } : { muted: false, seen };
}

/** Genesys's truth changes: an event is on its way (lost while the socket is down). */
function change(world: World, call: string | undefined, muted?: boolean, outside = false): void {
  const truth = call === undefined ? undefined : world.truth.get(call);
  if (truth && muted !== undefined && truth.muted !== muted) world.truth.set(call!, { muted, changes: truth.changes + 1, outside: truth.outside + Number(outside) });
  if (world.socket && world.signedIn) world.events.push(observation(world));
}

/** Hands `event` to the machine, runs its effects as the driver would, and checks every promise. */
function dispatch(world: World, event: IntentEvent): void {
  const before = world.state;
  const { state, effects } = transition(before, event, TIMING);
  world.state = state;
  world.trail.push(`${event.type}${'timer' in event ? `(${event.timer})` : ''} [${effects.map((e) => e.type).join(',')}]`);
  for (const effect of effects) run(world, effect);
  checkTransition(world, before, effects);
  if (!state.intent && !state.lane) world.raced = false;
}

function run(world: World, effect: IntentEffect): void {
  switch (effect.type) {
    case 'send': {
      const target = effect.target.conversationId;
      checkSend(world, effect);
      world.wire = { target: effect.target, muted: effect.muted, attempt: effect.attempt, applied: false, heard: false };
      world.sent.push({ at: world.now, target, muted: effect.muted, attempt: effect.attempt });
      return;
    }
    case 'timer':
      if (effect.ms === undefined) world.timers.delete(effect.timer);
      else {
        // A timer started again goes to the back (Map order: the order timers due together run out).
        world.timers.delete(effect.timer);
        world.timers.set(effect.timer, world.now + effect.ms);
      }
      return;
    case 'need-token':
      world.tokenAsked += 1;
      return;
    case 'finished':
      delete world.unconfirmed;
      if (effect.result === 'confirmed' || effect.result === 'call-changed' || effect.result === 'reset') return;
      world.failures += 1;
      if (world.lastClick) world.lastClick.failed = true;
      return;
    case 'changed':
    case 'failed':
    case 'unconfirmed':
      return;
  }
}

/** The background hears `next` (an event, or a snapshot: `caughtUp`). */
function hear(world: World, next: Observation, caughtUp: boolean): void {
  const before = world.known?.target?.conversationId;
  world.known = next;
  const call = next.target?.conversationId;
  if (call !== before) {
    // Another call (or none): a burst and the last click were about the old one.
    delete world.burst;
    if (world.lastClick) world.lastClick.moved = true;
  }
  const { wire, unconfirmed } = world;
  if (wire && call === wire.target.conversationId && next.muted === wire.muted) wire.heard = true;
  if (caughtUp && world.burst) world.burst.caughtUp = true;
  if (caughtUp && !wire) world.raced = false;
  if (unconfirmed && (caughtUp || (call === unconfirmed.target && next.muted === unconfirmed.muted))) delete world.unconfirmed;
  dispatch(world, { type: 'observed', ...(next.target ? { target: next.target } : {}), muted: next.muted, ...(caughtUp ? { caughtUp } : {}) });
}

/** Runs out every timer due by `until`, each at its own time, in order. */
function runTimers(world: World, until: number): void {
  for (;;) {
    let next: [Timer, number] | undefined;
    for (const entry of world.timers) if (entry[1] <= until && (!next || entry[1] < next[1])) next = entry;
    if (!next) break;
    world.now = next[1];
    world.timers.delete(next[0]);
    dispatch(world, { type: 'due', timer: next[0] });
  }
  world.now = until;
}

export function step(world: World, action: Action): void {
  world.trail.push(`«${action.kind}${'how' in action ? ` ${action.how}` : ''}${'status' in action ? ` ${action.status}${action.applied ? ' applied' : ''}` : ''}${'change' in action ? ` ${action.change}` : ''}${'ms' in action ? ` ${action.ms}` : ''}»`);
  const { state } = world;
  switch (action.kind) {
    case 'click': {
      const known = world.known!;
      const target = known.target!;
      const muted = action.how === 'toggle' ? !(state.intent?.wanted ?? known.muted) : action.how;
      const call = target.conversationId;
      const burst = world.burst;
      if (!burst || burst.target !== call || world.now - burst.last >= TIMING.holdMs) world.burst = { last: world.now, target: call, patches: 0, caughtUp: false };
      else burst.last = world.now;
      // Changes Genesys made that the background has not heard of: from outside, or its own other
      // than those of the PATCH on the wire and of the one it awaits.
      const truth = world.truth.get(call)!;
      const seen = known.seen.get(call) ?? { changes: 0, outside: 0 };
      const { wire, unconfirmed } = world;
      const awaited = Number(wire?.applied === true && wire.target.conversationId === call) + Number(unconfirmed?.target === call);
      const tainted = seen.outside < truth.outside || truth.changes - seen.changes > awaited;
      world.lastClick = { at: world.now, target: call, muted, tainted, failed: false, moved: false };
      dispatch(world, { type: 'click', target, muted, confirmed: known.muted, at: world.now });
      return;
    }
    case 'wait':
      runTimers(world, world.now + action.ms);
      return;
    case 'apply':
      if (!world.wire!.applied) {
        world.wire!.applied = true;
        change(world, world.wire!.target.conversationId, world.wire!.muted);
      }
      return;
    case 'answer': {
      const wire = world.wire!;
      delete world.wire;
      if (action.status === 202 && !wire.applied) change(world, wire.target.conversationId, wire.muted);
      if (action.status !== 202 && (action.applied || wire.applied)) {
        // A refused PATCH that Genesys applied all the same changed the call behind the intent's
        // back, as if from outside: the intent may settle on what it last heard (a retry finds
        // Genesys has the wish) before the event shows it.
        const call = wire.target.conversationId;
        const truth = world.truth.get(call)!;
        world.truth.set(call, { ...truth, muted: wire.muted, changes: truth.changes + 1, outside: truth.outside + 1 });
        change(world, call);
        if (world.lastClick) world.lastClick.tainted = true;
        world.raced = true;
      }
      if (action.status === 202) {
        // The intent's PATCH, accepted: unconfirmed until an event shows it (unless one did already).
        if (state.intent && state.call?.target.conversationId === wire.target.conversationId && !wire.heard) world.unconfirmed = { target: wire.target.conversationId, muted: wire.muted };
        dispatch(world, { type: 'answered' });
      } else {
        const code = ({ 0: 'network', 401: 'session-expired', 403: 'not-your-participant', 404: 'call-gone', 429: 'rate-limited' } as const)[action.status as 0] ?? 'server-error';
        dispatch(world, { type: 'answered', failure: { status: action.status, retryAfterMs: (action.retryAfterS ?? 1) * 1000, problem: { code, message: `HTTP ${action.status}` } } });
      }
      return;
    }
    case 'deliver':
      hear(world, world.events.shift()!, false);
      return;
    case 'drop':
      world.socket = false;
      world.events = [];
      return;
    case 'reconnect':
    case 'sign-in':
      world.socket = true;
      world.signedIn = true;
      world.events = [];
      hear(world, observation(world), true);
      return;
    case 'outside':
      if (!world.current) return;
      change(world, world.current, !world.truth.get(world.current)!.muted, true);
      if (world.lastClick) world.lastClick.tainted = true;
      if (world.state.lane) world.raced = true;
      return;
    case 'call': {
      const { current } = world;
      if (action.change === 'hold' || action.change === 'consult') world.held.push(current!);
      if (action.change === 'retrieve') world.current = world.held.pop();
      else if (action.change === 'new' || action.change === 'consult') {
        world.current = `c${++world.calls}`;
        world.truth.set(world.current, { muted: false, changes: 0, outside: 0 });
      } else delete world.current;
      change(world, world.current);
      return;
    }
    case 'token':
      world.tokenAsked -= 1;
      dispatch(world, { type: 'token', renewed: action.renewed });
      return;
    case 'sign-out':
      world.signedIn = false;
      world.socket = false;
      world.events = [];
      delete world.known;
      delete world.burst;
      if (world.lastClick) world.lastClick.moved = true;
      dispatch(world, { type: 'reset' });
      return;
  }
}

/**
 * The faults stop: the socket back (a reconnect's snapshot), every PATCH accepted, every event
 * delivered, every token renewed, every timer run out; then the promises of a healed world are
 * checked (promises.ts, `checkHealed`).
 */
export function heal(world: World): void {
  if (!world.signedIn) return;
  const before = { retrying: world.state.lane?.phase === 'waiting', raced: world.raced, failures: world.failures };
  if (!world.socket) step(world, { kind: 'reconnect' });
  for (let i = 0; i < 200; i++) {
    if (world.wire) step(world, { kind: 'answer', status: 202 });
    else if (world.events.length > 0) step(world, { kind: 'deliver' });
    else if (world.tokenAsked > 0) step(world, { kind: 'token', renewed: true });
    else if (world.timers.size > 0) step(world, { kind: 'wait', ms: Math.min(...world.timers.values()) - world.now });
    else break;
  }
  checkHealed(world, before);
}
