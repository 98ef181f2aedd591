// The one path every mute intent takes (page button, popup, shortcut), as a pure state machine:
// `transition(state, event)` returns the new state and the effects for the driver (driver.ts) to
// run. Nothing here waits, sends or reads a clock, so every path is unit-tested (machine.test.ts,
// property.test.ts).
//
// Three parts. The intent: what the agent last asked for on their current call, until Genesys
// shows it or the intent ends. The lane: the one request to Genesys at a time. The hold window.
//
//   no intent ──click: Genesys lacks it, or the lane is busy──► pending (wanted) ──► no intent:
//       confirmed (Genesys shows `wanted`, the lane free) │ refused for good (told) │ 10 s after
//       the last click (told, the calls fetched) │ the call changed (told if none is left) │ reset
//
//   The lane (one request to Genesys at a time):
//   free ──intent pending, Genesys lacks it, hold window closed──► sending ──202──► awaiting
//    ▲ ▲ ▲                                                          │   ▲               │
//    │ │ └─ refused for good: 403, 404, the rest, retries spent ────┤   │               │
//    │ │    waiting ◄─ 429 (Retry-After ≤ 8 s), 5xx, no answer ×2 ──┤   │               │
//    │ │    token ◄─── 401, first attempt (no new token: refused) ──┘   │               │
//    │ │      └─ both: the latest wish (none if Genesys has it) ────────┘               │
//    │ └─ an event shows it (or did before the 202); a reconnect's snapshot ────────────┘
//    └─── the intent ends (a PATCH on the wire keeps the lane until answered)
//
//   The hold window: opened when a first attempt leaves; a click inside it opens it again; closed
//   400 ms after the last of them. No first attempt leaves while it is open, so a burst of clicks
//   less than 400 ms apart costs at most two PATCHes: the first click's, at once, and the last
//   click's when the window closes (none when Genesys has it by then).
//
// When an intent ends, a wait (a retry, a new token, a confirmation) ends with it. A PATCH on the
// wire keeps the lane until it is answered (one request at a time, so Genesys applies them in
// order); its answer serves the intent pending on its call by then, if any (accepted: its
// confirmation awaited, since it lands there; refused: retried or told as that intent's), and
// otherwise only frees the lane.
import type { ProblemCode, ProblemView } from '../../shared/view';

export interface MuteTarget {
  conversationId: string;
  participantId: string;
}

export interface IntentTiming {
  /** How long an intent may stay unconfirmed after its last click before it is abandoned. */
  confirmTimeoutMs: number;
  /** Waits between retries of 5xx and network failures. */
  retryDelaysMs: readonly number[];
  /** A Retry-After longer than this abandons the intent instead of waiting. */
  maxRetryAfterMs: number;
  /**
   * After a PATCH leaves, further clicks wait until none has come for this long; then at most one
   * PATCH carries the last click. A burst (clicks less than this apart) costs at most two PATCHes.
   */
  holdMs: number;
}

/**
 * 400 ms hold: people clicking or tapping a key repeatedly do so 100–250 ms apart, and the
 * double-click threshold of desktop systems is 500 ms with most double-clicks well under 300, so
 * a burst stays one burst; a deliberate mute-then-unmute is slower. Only the click that ends a burst
 * waits this long, and it still lands within half a second.
 */
export const DEFAULT_TIMING: IntentTiming = { confirmTimeoutMs: 10_000, retryDelaysMs: [250, 1_000], maxRetryAfterMs: 8_000, holdMs: 400 };

/** What the agent is told: a refusal as the driver worded it, or one of the machine's own (worded there too). */
export type Problem = ProblemView | { code: 'not-confirmed' | 'call-gone'; message?: undefined };

/** A refused PATCH: Genesys's status (0: no answer; -1: not an HTTP failure), its Retry-After, and what the agent is told if it is given up. */
export interface Failure {
  status: number;
  retryAfterMs: number;
  problem: ProblemView;
}

export type Lane =
  /** A PATCH is on the wire (`attempt` 0: a first attempt; `heard`: an event came since it left). */
  | { phase: 'sending'; target: MuteTarget; muted: boolean; attempt: number; heard: boolean }
  /** A 401: the session is getting a new token (`problem`: what the agent is told without one). */
  | { phase: 'token'; problem: ProblemView }
  /** A retry waits (`attempt`: the one it will be). */
  | { phase: 'waiting'; attempt: number }
  /** Genesys accepted `muted` (202); no PATCH leaves until an event shows it. */
  | { phase: 'awaiting'; muted: boolean };

/** What the agent last asked for, since when (`began`: the first click, on the driver's clock), and the PATCHes it cost. */
export interface Intent {
  wanted: boolean;
  began: number;
  patches: number;
}

export interface IntentState {
  /** The agent's connected, unheld leg and its mute as Genesys last said; undefined: none. */
  call?: { target: MuteTarget; muted: boolean };
  intent?: Intent;
  /** Undefined: free. */
  lane?: Lane;
  /** The hold window is open. */
  hold?: boolean;
  problem?: Problem;
}

export const IDLE: IntentState = {};

export type Timer = 'hold' | 'confirm' | 'retry';

export type IntentEvent =
  /** The agent asked for `muted` on `target`, whose mute Genesys last said is `confirmed`; `at`: now. */
  | { type: 'click'; target: MuteTarget; muted: boolean; confirmed: boolean; at: number }
  /** Genesys's latest word on the agent's controlled leg (none: no call to control). `caughtUp`: a snapshot after a gap in the events (a reconnect). */
  | { type: 'observed'; target?: MuteTarget; muted: boolean; caughtUp?: boolean }
  /** The PATCH on the wire was answered: accepted (202), or refused with `failure`. */
  | { type: 'answered'; failure?: Failure }
  | { type: 'token'; renewed: boolean }
  /** A timer ran out. */
  | { type: 'due'; timer: Timer }
  /** Signed out. */
  | { type: 'reset' };

export type IntentResult = 'confirmed' | 'call-changed' | 'reset' | ProblemCode;

export type IntentEffect =
  | { type: 'send'; target: MuteTarget; muted: boolean; attempt: number }
  /** (Re)starts `timer` for `ms`; without `ms`, stops it. */
  | { type: 'timer'; timer: Timer; ms?: number }
  | { type: 'need-token' }
  /** `wanted` or `problem` changed, or the agent clicked: the views are pushed. */
  | { type: 'changed' }
  | { type: 'finished'; result: IntentResult; intent: Intent }
  | { type: 'failed'; problem: Problem }
  /** Abandoned unconfirmed: the host fetches the truth. */
  | { type: 'unconfirmed' };

export interface Transition {
  state: IntentState;
  effects: IntentEffect[];
}

export function transition(state: IntentState, event: IntentEvent, timing: IntentTiming = DEFAULT_TIMING): Transition {
  // `s` is this transition's own copy of the state: the steps below change it and add to `fx`.
  const s: IntentState = { ...state };
  const fx: IntentEffect[] = [];
  const timer = (name: Timer, ms?: number) => fx.push({ type: 'timer', timer: name, ms });

  const closeHold = () => {
    if (s.hold) timer('hold');
    delete s.hold;
  };

  /** The pending intent ends (with `problem`: told); a wait ends with it, a PATCH on the wire goes on. */
  const end = (result: IntentResult, problem?: Problem) => {
    const { intent, lane } = s;
    if (intent) {
      fx.push({ type: 'finished', result, intent });
      timer('confirm');
    }
    if (lane?.phase === 'waiting') timer('retry');
    if (lane?.phase !== 'sending') delete s.lane;
    delete s.intent;
    if (!problem) return;
    s.problem = problem;
    fx.push({ type: 'failed', problem });
  };

  /** Genesys's word on `target`: another call than before ends whatever was about the old one. */
  const follow = (target: MuteTarget, muted: boolean) => {
    if (!sameCall(s, target)) {
      end('call-changed');
      closeHold();
      delete s.problem;
    }
    s.call = { target, muted };
  };

  const send = (attempt: number) => {
    const { intent, call } = s;
    if (!intent || !call) return;
    s.intent = { ...intent, patches: intent.patches + 1 };
    s.lane = { phase: 'sending', target: call.target, muted: intent.wanted, attempt, heard: false };
    fx.push({ type: 'send', target: call.target, muted: intent.wanted, attempt });
    // A first attempt opens the hold window (a retry is the same PATCH again).
    if (attempt > 0) return;
    s.hold = true;
    timer('hold', timing.holdMs);
  };

  /** Settles a confirmed intent or sends the PATCH it needs; waits while the lane is busy or the hold window open. */
  const next = (): void => {
    const { intent, call } = s;
    if (!intent || !call || s.lane) return;
    if (intent.wanted === call.muted) return end('confirmed');
    if (!s.hold) send(0);
  };

  /** A retry carries the agent's latest wish, and nothing when Genesys already has it. */
  const retry = (attempt: number) => (s.intent?.wanted === s.call?.muted ? next() : send(attempt));

  const lane = s.lane;
  switch (event.type) {
    case 'click':
      follow(event.target, event.confirmed);
      delete s.problem;
      // A click inside the hold window keeps it open, even one that needs nothing sent: the burst
      // is not over yet.
      if (s.hold) timer('hold', timing.holdMs);
      // Genesys already has it and nothing is on its way: nothing to send.
      if (!s.intent && !s.lane && event.muted === event.confirmed) break;
      s.intent = { began: event.at, patches: 0, ...s.intent, wanted: event.muted };
      timer('confirm', timing.confirmTimeoutMs);
      next();
      break;

    case 'observed':
      if (!event.target) {
        if (s.intent) end('call-gone', { code: 'call-gone' });
        closeHold();
        delete s.call;
        break;
      }
      follow(event.target, event.muted);
      // An event older than the PATCH proves nothing; one heard since it left may beat its 202.
      if (s.lane?.phase === 'sending') s.lane = { ...s.lane, heard: true };
      // After a gap, the confirmation awaited may have been among the events missed and been
      // undone since (a supervisor, Genesys's own UI): Genesys's state now decides.
      if (s.lane?.phase === 'awaiting' && (s.lane.muted === event.muted || event.caughtUp)) delete s.lane;
      next();
      break;

    case 'answered': {
      if (lane?.phase !== 'sending') break;
      delete s.lane;
      // The PATCH serves the intent pending on its call, if any (the intent it was sent for may
      // have ended while it was on the wire); else its answer only frees the lane.
      const { failure } = event;
      const mine = s.intent && sameCall(s, lane.target);
      if (!mine || !failure) {
        // Accepted: awaited (it lands on that call), unless an event since it left already shows it.
        if (mine && !(lane.heard && s.call?.muted === lane.muted)) s.lane = { phase: 'awaiting', muted: lane.muted };
        next();
        break;
      }
      const { status, retryAfterMs, problem } = failure;
      // 401, once: a fresh token from a silent sign-in lets the same intent go on.
      if (status === 401 && lane.attempt === 0) {
        s.lane = { phase: 'token', problem };
        fx.push({ type: 'need-token' });
        break;
      }
      // 429: Retry-After, unless too long; 5xx and no answer: a bounded number of times; the rest: never.
      const wait = status === 429 ? (retryAfterMs <= timing.maxRetryAfterMs ? retryAfterMs : undefined) : status === 0 || status >= 500 ? timing.retryDelaysMs[lane.attempt] : undefined;
      if (wait === undefined) {
        end(problem.code, problem);
        break;
      }
      s.lane = { phase: 'waiting', attempt: lane.attempt + 1 };
      timer('retry', wait);
      break;
    }

    case 'token':
      if (lane?.phase !== 'token') break;
      delete s.lane;
      if (event.renewed) retry(1);
      else end(lane.problem.code, lane.problem);
      break;

    case 'due':
      if (event.timer === 'hold') {
        delete s.hold;
        next();
      } else if (event.timer === 'retry') {
        if (lane?.phase !== 'waiting') break;
        delete s.lane;
        retry(lane.attempt);
      } else if (s.intent) {
        end('not-confirmed', { code: 'not-confirmed' });
        fx.push({ type: 'unconfirmed' });
      }
      break;

    case 'reset':
      end('reset');
      closeHold();
      delete s.problem;
      delete s.call;
      break;
  }
  if (event.type === 'click' || s.intent?.wanted !== state.intent?.wanted || s.problem !== state.problem) fx.push({ type: 'changed' });
  return { state: s, effects: fx };
}

/** Whether `target` is the agent's call as `state` knows it. */
const sameCall = (state: IntentState, target: MuteTarget): boolean =>
  state.call?.target.conversationId === target.conversationId && state.call.target.participantId === target.participantId;
