// The life cycle of the link to Genesys's notifications, as a pure state machine: what happens
// next is `transition(state, event)`, which returns the new state and the effects for the driver
// (driver.ts) to run. Nothing here waits, fetches or reads a clock, so every path is unit-tested.
//
//   start ──► preparing ──prepared──► opening ──opened──► catching-up ──caught-up──► live
//   (token)   me, channel,            the socket          one GET of                  │ ▲
//             subscription                                the calls                   │ │ refresh, socket
//                 │                      │                    │                       │ │ closing, renewal,
//                 └─────── failed ───────┴────── failed ──────┤                       │ │ new token: done
//                            ▼                                └───── socket lost ─────┤ │ beside the open
//                   backoff(n) ──retry-due──► preparing                               │ ▼ socket; one move
//                   backoff(n), reopen ◄──────────────────────────────────────────────┘   at a time, the
//                     └──retry-due──► opening: a new socket on the stored channel, no     others owed
//                                     request before it; failed: backoff, spread ──► preparing
//                   rejected (subscription refused: an admin must act)
//                   waiting-for-token (a 401) ──token──► preparing
//                   offline ──online──► preparing            stop (any) ──► idle
//
// A lost socket's channel lives on (24 h) with its subscription, and the channel id is the socket's
// credential: so the first attempt after losing a live or catching-up socket (`reopen`) opens a new
// socket on the stored channel with no request before it, then catches up with the one GET as any
// connect does. When a whole contact centre's sockets drop at once, their first retries ask nothing
// of the API. If the reopen fails (the channel may be gone), the attempts after it prepare. A failed
// reopen is also what every agent meets at once when Genesys or the contact centre's proxy is down,
// so the next wait, before the first request, is spread wide (1–10 s) and the backoff goes on from
// 8–16 s: the short early steps (1, 2, 4 s), taken by a whole fleet together, are what crowd the API.
// No reopen when the API is owed something a preparing reconnect settles: a channel due for renewal
// (a renewal under way, failed or owed) or a new token to subscribe with.
//
// Three lanes of work can be in flight, each cancelled on its own (an AbortController in the
// driver): `connect` (preparing → catching-up), `refresh` (a GET while live) and `move` (a new
// socket, or a new channel, while the live one stays open until its successor is). Two rules keep
// the agent's view honest: a socket is open in every state that says so (catching-up, live), and
// work beside a live socket (refresh, move) never takes that socket down when it fails.
//
// Nothing heard is lost: a renewal due, a new token or Genesys closing the socket that comes while
// connecting or while another move is under way is remembered (`owed`) and started as soon as the
// connection is live with no move under way. Live therefore always has a channel renewal scheduled,
// under way, or owed until the move under way is over.

export type ConnectionPhase =
  | 'idle' // no token: nothing to connect with
  | 'preparing' // users/me, the channel, the subscription
  | 'opening' // the socket is connecting
  | 'catching-up' // the socket is open; one GET of the calls
  | 'live' // the socket is open and the calls are current
  | 'backoff' // an attempt failed; the next one waits
  | 'offline' // the browser has no network
  | 'rejected' // Genesys refused the subscription: an admin must grant a permission
  | 'waiting-for-token'; // Genesys refused the token; the session is getting a new one

export type Lane = 'connect' | 'refresh' | 'move';

/**
 * A move beside the live socket, smallest first: each covers the ones before it (a new channel is
 * subscribed with the current token and gets a new socket; a subscription move opens a new socket).
 */
export type Move = 'socket' | 'subscription' | 'channel';
const MOVE_SIZE: Record<Move, number> = { socket: 1, subscription: 2, channel: 3 };

export interface ConnectionState {
  phase: ConnectionPhase;
  /**
   * Failed attempts in a row: the backoff grows with it; catching up resets it. A failed reopen
   * counts as the fourth at least (`FAILURES_AFTER_FAILED_REOPEN`), so the backoff after it is long.
   */
  failures: number;
  /**
   * While live, a planned move beside the open socket: to a new socket on the same channel
   * (Genesys is closing this one), to the same channel subscribed again with a new token, or to a
   * new channel (this one is near its end).
   */
  move?: Move;
  /**
   * While connecting or live: a move asked for when it could not start (connecting, or another move
   * under way), the largest of those asked for. Started as soon as the connection is live with no
   * move under way, so it is never set then; a reconnect settles it (the new attempt subscribes with
   * the token it has, takes a new channel when the stored one is near its end, and schedules its
   * renewal). A closing socket owed is settled too when a move's socket is adopted: that old socket
   * is no longer the open one.
   */
  owed?: Move;
  /**
   * While live: channel renewals that failed in a row (the next waits longer); the adopted socket
   * of a new channel, or a reconnect, resets it. Apart from `failures`, so a reconnect's backoff
   * starts short whatever the renewals did.
   */
  failedRenewals?: number;
  /**
   * A lost socket reopened on the stored channel, with no request before it (Genesys keeps a
   * channel's subscriptions for its life, across sockets):
   * - `planned` (backoff, after a live or catching-up socket was lost): the next attempt reopens.
   *   Not when the lost connection owed the API more than a socket (a renewal due, under way or
   *   failed; a new token), and cleared by a new token while backing off: the next attempt then
   *   prepares, subscribing with it.
   * - `trying` (opening): this socket is the reopen.
   * - `failed` (backoff): it was refused or closed before opening; the next attempt prepares, after
   *   a wait spread over 1–10 s (`backoffDelay`).
   */
  reopen?: 'planned' | 'trying' | 'failed';
  /** While live: a GET of the calls is under way. */
  refreshing: boolean;
  /** Why the subscription was refused (phase `rejected`). */
  rejection?: string;
}

export const IDLE: ConnectionState = { phase: 'idle', failures: 0, refreshing: false };

export type FailureCause =
  | { kind: 'unauthorized' }
  | { kind: 'rejected'; message: string }
  /** `detail`: what failed, for diagnostics only (`HTTP 503`, `network`, `socket error`). */
  | { kind: 'transient'; retryAfterMs?: number; detail?: string }
  /** A reopen not tried: the stored channel is near its end (or gone). Nothing was asked of Genesys. */
  | { kind: 'not-reopened'; detail: string };

export type ConnectionEvent =
  /** A token is there (sign-in, restore). */
  | { type: 'start'; online: boolean }
  /** Signed out, or the settings changed: drop everything. */
  | { type: 'stop' }
  /** The session has a new token (after a 401, or before the old one expired). */
  | { type: 'token' }
  | { type: 'prepared'; lane: 'connect' | 'move' }
  | { type: 'opened'; lane: 'connect' | 'move' }
  | { type: 'caught-up'; lane: 'connect' | 'refresh' }
  | { type: 'failed'; lane: Lane; cause: FailureCause }
  /** The open socket closed, failed or went silent (`reason`, for diagnostics: `closed (1006)`, `silent`). */
  | { type: 'socket-lost'; reason?: string }
  /** Genesys announced it will close the open socket soon. */
  | { type: 'socket-closing' }
  /** The channel is near its expiry. */
  | { type: 'renewal-due' }
  | { type: 'retry-due' }
  /** Something needs the truth now (a mute went unconfirmed). */
  | { type: 'refresh' }
  | { type: 'online' }
  | { type: 'offline' };

export type ConnectionEffect =
  /** Starts `lane`: users/me, a channel (a new one, or the stored one while it lives), the subscription. */
  | { type: 'prepare'; lane: 'connect' | 'move'; newChannel: boolean }
  /** Opens a socket on the lane's channel (`move` on the open socket's own channel when not prepared). */
  | { type: 'open-socket'; lane: 'connect' | 'move' }
  /**
   * Starts `connect` with a socket on the stored channel and no request before it: its subscription
   * outlives the lost socket. When that channel has come due for renewal meanwhile, fails at once
   * (`not-reopened`): the connection prepares instead.
   */
  | { type: 'reopen-socket' }
  /** The lane's new socket becomes the open one; the previous one, if any, is closed now. */
  | { type: 'adopt-socket'; lane: 'connect' | 'move' }
  /** One GET of the calls, applied with the events heard meanwhile. */
  | { type: 'catch-up'; lane: 'connect' | 'refresh' }
  /** Cancels the lanes' work and closes their not-yet-adopted sockets. */
  | { type: 'cancel'; lanes: readonly Lane[] }
  | { type: 'close-socket' }
  /** Schedules `retry-due` after the backoff for `failures` (at least `atLeastMs`; `spread`: after a failed reopen). */
  | { type: 'retry-later'; failures: number; atLeastMs: number; spread: boolean }
  | { type: 'cancel-retry' }
  /** Schedules `renewal-due` for the open socket's channel. */
  | { type: 'schedule-renewal' }
  /** Schedules another channel renewal after a failed one. */
  | { type: 'renew-later'; failures: number }
  | { type: 'cancel-renewal' }
  /** Asks the session for a new token (Genesys answered 401). */
  | { type: 'need-token' };

export interface Transition {
  state: ConnectionState;
  effects: ConnectionEffect[];
}

const ALL_LANES: readonly Lane[] = ['connect', 'refresh', 'move'];
/** Phases with work under way or a socket open, which `stop`, `offline` and a loss must undo. */
const ACTIVE = new Set<ConnectionPhase>(['preparing', 'opening', 'catching-up', 'live', 'backoff', 'waiting-for-token']);
const CONNECTING = new Set<ConnectionPhase>(['preparing', 'opening', 'catching-up']);

const stay = (state: ConnectionState): Transition => ({ state, effects: [] });

/** `state`, now also owing `move` (nothing changes when as large a move is owed already). */
function owe(state: ConnectionState, move: Move): ConnectionState {
  return state.owed !== undefined && MOVE_SIZE[state.owed] >= MOVE_SIZE[move] ? state : { ...state, owed: move };
}

/** The effect that starts `move` on the move lane. */
function startMove(move: Move): ConnectionEffect {
  return move === 'socket' ? { type: 'open-socket', lane: 'move' } : { type: 'prepare', lane: 'move', newChannel: move === 'channel' };
}

/** Live with no move under way: the move owed, if any, starts now. */
function payOwed(next: Transition): Transition {
  const { state, effects } = next;
  if (state.phase !== 'live' || state.move !== undefined || state.owed === undefined) return next;
  const { owed, ...rest } = state;
  return { state: { ...rest, move: owed }, effects: [...effects, startMove(owed)] };
}

/** A move's socket was adopted: a closing socket owed was the one it replaced. */
function withoutOwedSocket(state: ConnectionState): ConnectionState {
  if (state.owed !== 'socket') return state;
  const { owed: _settled, ...rest } = state;
  return rest;
}

/** Everything stops: lanes cancelled, socket closed, timers cleared. */
const teardown: ConnectionEffect[] = [{ type: 'cancel', lanes: ALL_LANES }, { type: 'close-socket' }, { type: 'cancel-retry' }, { type: 'cancel-renewal' }];

function connectFrom(state: ConnectionState, failures: number): Transition {
  return {
    state: { phase: 'preparing', failures, refreshing: false },
    effects: [...teardown, { type: 'prepare', lane: 'connect', newChannel: false }],
  };
}

/** An attempt to connect failed: back off, ask for a token, or stop for the admin. */
function connectFailed(state: ConnectionState, cause: FailureCause): Transition {
  switch (cause.kind) {
    case 'unauthorized':
      return { state: { phase: 'waiting-for-token', failures: state.failures, refreshing: false }, effects: [...teardown, { type: 'need-token' }] };
    case 'rejected':
      return { state: { phase: 'rejected', failures: 0, refreshing: false, rejection: cause.message }, effects: teardown };
    case 'not-reopened':
      // Nothing was tried: prepare now, no wait.
      return connectFrom(state, state.failures);
    case 'transient': {
      if (state.reopen === 'trying') {
        // The reopen failed: the channel may be gone, or Genesys (or the proxy) is down for
        // everyone. The next attempt prepares; its wait, before the first request, is spread wide.
        const failures = Math.max(state.failures + 1, FAILURES_AFTER_FAILED_REOPEN);
        return {
          state: { phase: 'backoff', failures, refreshing: false, reopen: 'failed' },
          effects: [...teardown, { type: 'retry-later', failures, atLeastMs: cause.retryAfterMs ?? 0, spread: true }],
        };
      }
      const failures = state.failures + 1;
      return {
        state: { phase: 'backoff', failures, refreshing: false },
        effects: [...teardown, { type: 'retry-later', failures, atLeastMs: cause.retryAfterMs ?? 0, spread: false }],
      };
    }
  }
}

export function transition(state: ConnectionState, event: ConnectionEvent): Transition {
  return payOwed(step(state, event));
}

function step(state: ConnectionState, event: ConnectionEvent): Transition {
  const { phase } = state;
  switch (event.type) {
    case 'start':
      if (ACTIVE.has(phase) && phase !== 'backoff' && phase !== 'waiting-for-token') return stay(state);
      if (!event.online) return { state: { phase: 'offline', failures: 0, refreshing: false }, effects: teardown };
      return connectFrom(state, 0);

    case 'stop':
      return phase === 'idle' ? stay(state) : { state: IDLE, effects: teardown };

    case 'token':
      if (phase === 'waiting-for-token') return connectFrom(state, state.failures);
      // Live: the channel is subscribed again with the new token and a socket opened on it, beside
      // the open one, so nothing rests on what the old token set up. While connecting or moving,
      // the work under way started with the old token: the move is owed until live (payOwed).
      if (phase === 'live' || CONNECTING.has(phase)) return stay(owe(state, 'subscription'));
      // Backoff (and offline, idle): the next attempt asks for the token when it starts, so it
      // uses this one; nothing is owed. A reopen planned would not subscribe with it: the next
      // attempt prepares instead. Rejected waits for an admin, whatever the token.
      if (phase === 'backoff' && state.reopen === 'planned') {
        const { reopen: _prepareInstead, ...rest } = state;
        return stay(rest);
      }
      return stay(state);

    case 'prepared':
      if (event.lane === 'connect' && phase === 'preparing') {
        return { state: { ...state, phase: 'opening' }, effects: [{ type: 'open-socket', lane: 'connect' }] };
      }
      if (event.lane === 'move' && (phase === 'live' || phase === 'opening') && (state.move === 'channel' || state.move === 'subscription')) {
        return { state, effects: [{ type: 'open-socket', lane: 'move' }] };
      }
      return stay(state);

    case 'opened':
      if (event.lane === 'connect' && phase === 'opening') {
        const { reopen: _opened, ...rest } = state;
        return {
          state: { ...rest, phase: 'catching-up' },
          effects: [{ type: 'adopt-socket', lane: 'connect' }, { type: 'schedule-renewal' }, { type: 'catch-up', lane: 'connect' }],
        };
      }
      if (event.lane === 'move' && phase === 'live' && state.move !== undefined) {
        // The successor is open: only now does the old socket go, so no event is missed; one GET
        // then covers anything that happened between the two. A move owed starts after (payOwed).
        const { move, ...rest } = withoutOwedSocket(state);
        const next: ConnectionState = { ...rest, refreshing: true };
        // On a new channel: the renewal is done.
        if (move === 'channel') delete next.failedRenewals;
        return {
          state: next,
          effects: [{ type: 'cancel', lanes: ['refresh'] }, { type: 'adopt-socket', lane: 'move' }, { type: 'schedule-renewal' }, { type: 'catch-up', lane: 'refresh' }],
        };
      }
      if (event.lane === 'move' && phase === 'opening' && state.move !== undefined) {
        // The old socket went first (see socket-lost): the successor carries on as a connect,
        // still owing what it owed.
        const { move: _moved, ...rest } = withoutOwedSocket(state);
        return {
          state: { ...rest, phase: 'catching-up', refreshing: false },
          effects: [{ type: 'adopt-socket', lane: 'move' }, { type: 'schedule-renewal' }, { type: 'catch-up', lane: 'connect' }],
        };
      }
      return stay(state);

    case 'caught-up':
      if (event.lane === 'connect' && phase === 'catching-up') return stay({ ...state, phase: 'live', failures: 0 });
      if (event.lane === 'refresh' && phase === 'live' && state.refreshing) return stay({ ...state, refreshing: false });
      return stay(state);

    case 'failed':
      if (event.lane === 'connect') return CONNECTING.has(phase) ? connectFailed(state, event.cause) : stay(state);
      if (event.lane === 'move' && phase === 'opening' && state.move !== undefined) return connectFailed(state, event.cause);
      if (phase !== 'live') return stay(state);
      // Beside a live socket: the socket stays, whatever went wrong.
      if (event.lane === 'refresh') {
        const next = { ...state, refreshing: false };
        return event.cause.kind === 'unauthorized' ? { state: next, effects: [{ type: 'need-token' }] } : stay(next);
      }
      if (state.move === undefined) return stay(state);
      {
        const { move, ...rest } = state;
        const next: ConnectionState = rest;
        const effects: ConnectionEffect[] = [{ type: 'cancel', lanes: ['move'] }];
        if (event.cause.kind === 'unauthorized') effects.push({ type: 'need-token' });
        // A socket Genesys is closing goes by itself (then: reconnect); a channel near its end
        // still has minutes left, so the renewal is tried again, later each time. A move owed
        // (asked for while this one was under way) starts now (payOwed): it has not been tried yet.
        if (move === 'channel') {
          next.failedRenewals = (state.failedRenewals ?? 0) + 1;
          effects.push({ type: 'renew-later', failures: next.failedRenewals });
        }
        return { state: next, effects };
      }

    case 'socket-lost':
      if (phase === 'live' && (state.move === 'socket' || state.move === 'subscription')) {
        // Genesys allows one socket per channel and may drop the old one as the new one connects:
        // the move goes on, now as the only way back to live.
        return { state: { ...state, phase: 'opening', refreshing: false }, effects: [{ type: 'cancel', lanes: ['refresh'] }] };
      }
      if (phase !== 'catching-up' && phase !== 'live') return stay(state);
      {
        // The channel lives on with its subscription: the next attempt reopens a socket on it,
        // unless the API is owed something (a renewal due, under way or failed; a new token), which
        // a reconnect that prepares settles.
        const lost = connectFailed(state, { kind: 'transient' });
        const owesTheApi = state.move !== undefined || (state.owed !== undefined && state.owed !== 'socket') || (state.failedRenewals ?? 0) > 0;
        return owesTheApi ? lost : { ...lost, state: { ...lost.state, reopen: 'planned' } };
      }

    case 'socket-closing':
      // Only an open socket closes: live (moved at once, or after the move under way if that one
      // fails) or catching up (moved once live).
      if (phase !== 'live' && phase !== 'catching-up') return stay(state);
      return stay(owe(state, 'socket'));

    case 'renewal-due':
      // While connecting, or moving to a socket or a subscription: owed until live with no move.
      // Anywhere else there is no channel to renew: the next connect takes a usable one and
      // schedules its renewal.
      if ((phase !== 'live' && !CONNECTING.has(phase)) || state.move === 'channel') return stay(state);
      return stay(owe(state, 'channel'));

    case 'retry-due':
      if (phase !== 'backoff') return stay(state);
      // The first attempt after a lost socket: a new socket on the stored channel, no request
      // before it; once it opens, the one GET as after any connect. If it fails, the next prepares.
      if (state.reopen === 'planned') {
        return { state: { phase: 'opening', failures: state.failures, refreshing: false, reopen: 'trying' }, effects: [...teardown, { type: 'reopen-socket' }] };
      }
      return connectFrom(state, state.failures);

    case 'refresh':
      // While connecting or backing off, the coming catch-up fetches the truth anyway.
      if (phase !== 'live' || state.refreshing || state.move !== undefined) return stay(state);
      return { state: { ...state, refreshing: true }, effects: [{ type: 'catch-up', lane: 'refresh' }] };

    case 'offline':
      if (!ACTIVE.has(phase)) return stay(state);
      return { state: { phase: 'offline', failures: 0, refreshing: false }, effects: teardown };

    case 'online':
      return phase === 'offline' ? connectFrom(state, 0) : stay(state);
  }
}

/** The connection as the views name it. */
export function connectionWord(state: ConnectionState): 'signed-out' | 'connecting' | 'live' | 'reconnecting' | 'offline' {
  switch (state.phase) {
    case 'idle':
      return 'signed-out';
    case 'live':
      return 'live';
    case 'offline':
    case 'rejected':
      return 'offline';
    case 'backoff':
    case 'waiting-for-token':
      return 'reconnecting';
    case 'preparing':
    case 'opening':
    case 'catching-up':
      return state.failures > 0 ? 'reconnecting' : 'connecting';
  }
}

export const MAX_BACKOFF_MS = 30_000;
/** After a failed reopen, the next wait is a random point in this range (or up to the step's own, when longer). */
export const REOPEN_FAILED_SPREAD_MS = [1_000, 10_000] as const;
/** A failed reopen counts as this many failures in a row at least: the backoff after the spread wait goes on from 8–16 s. */
export const FAILURES_AFTER_FAILED_REOPEN = 4;

const backoffStep = (failures: number): number => Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, failures - 1));

/**
 * How long to wait before attempt `failures + 1`: doubling from 1 s to 30 s, each a random point in
 * the upper half so a contact centre's worth of agents does not reconnect in the same second.
 * `spread` (after a failed reopen, which a whole contact centre meets at once): anywhere from 1 s to
 * 10 s (or to the step, when longer), so the fleet's first requests after every socket dropped come
 * over several seconds rather than one.
 */
export function backoffDelay(failures: number, random: number, atLeastMs = 0, spread = false): number {
  const base = backoffStep(failures);
  if (spread) {
    const [low, high] = REOPEN_FAILED_SPREAD_MS;
    return Math.max(atLeastMs, low + random * (Math.max(high, base) - low));
  }
  return Math.max(atLeastMs, base / 2 + random * (base / 2));
}

/** The longest `backoffDelay(failures, …, spread)` waits, Retry-After aside. */
export function backoffCeiling(failures: number, spread = false): number {
  const base = backoffStep(failures);
  return spread ? Math.max(REOPEN_FAILED_SPREAD_MS[1], base) : base;
}
