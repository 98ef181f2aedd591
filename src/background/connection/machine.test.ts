import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffCeiling, backoffDelay, connectionWord, IDLE, transition, type ConnectionEffect, type ConnectionEvent, type ConnectionState, type Lane } from './machine';

/** Runs events from `state`, collecting every effect. */
function run(state: ConnectionState, ...events: ConnectionEvent[]): { state: ConnectionState; effects: ConnectionEffect[] } {
  const effects: ConnectionEffect[] = [];
  for (const event of events) {
    const next = transition(state, event);
    state = next.state;
    effects.push(...next.effects);
  }
  return { state, effects };
}

const types = (effects: ConnectionEffect[]) => effects.map((effect) => effect.type);
const lastPrepare = (effects: ConnectionEffect[]) => effects.filter((effect) => effect.type === 'prepare').at(-1);
const transient = { kind: 'transient' } as const;

/** The events of a first connect that goes well. */
const CONNECT: ConnectionEvent[] = [
  { type: 'start', online: true },
  { type: 'prepared', lane: 'connect' },
  { type: 'opened', lane: 'connect' },
  { type: 'caught-up', lane: 'connect' },
];
const LIVE = run(IDLE, ...CONNECT).state;

describe('the connection', () => {
  it('connects: me + channel + subscription, then the socket, then one GET, then live', () => {
    const steps = CONNECT.map((event, index) => run(run(IDLE, ...CONNECT.slice(0, index)).state, event));
    expect(steps.map((step) => step.state.phase)).toEqual(['preparing', 'opening', 'catching-up', 'live']);
    expect(steps.map((step) => types(step.effects).filter((type) => !type.startsWith('cancel') && type !== 'close-socket'))).toEqual([
      ['prepare'],
      ['open-socket'],
      ['adopt-socket', 'schedule-renewal', 'catch-up'],
      [],
    ]);
    expect(connectionWord(steps[0]!.state)).toBe('connecting');
    expect(connectionWord(LIVE)).toBe('live');
  });

  it('starts offline when the browser has no network, and connects when it comes back', () => {
    const offline = run(IDLE, { type: 'start', online: false }).state;
    expect(offline.phase).toBe('offline');
    expect(run(offline, { type: 'online' }).state.phase).toBe('preparing');
  });

  it('ignores a start while already connecting or live (a second token for the same session)', () => {
    expect(run(LIVE, { type: 'start', online: true })).toEqual({ state: LIVE, effects: [] });
  });

  it.each(['preparing', 'opening', 'catching-up'] as const)('backs off when %s fails, and says reconnecting', (phase) => {
    const events = CONNECT.slice(0, ['preparing', 'opening', 'catching-up'].indexOf(phase) + 1);
    const { state, effects } = run(run(IDLE, ...events).state, { type: 'failed', lane: 'connect', cause: transient });
    expect(state).toMatchObject({ phase: 'backoff', failures: 1 });
    expect(types(effects)).toEqual(['cancel', 'close-socket', 'cancel-retry', 'cancel-renewal', 'retry-later']);
    expect(connectionWord(state)).toBe('reconnecting');
  });

  it('waits at least Retry-After after a 429', () => {
    const { effects } = run(IDLE, { type: 'start', online: true }, { type: 'failed', lane: 'connect', cause: { kind: 'transient', retryAfterMs: 7_000 } });
    expect(effects.at(-1)).toEqual({ type: 'retry-later', failures: 1, atLeastMs: 7_000, spread: false });
  });

  it('counts failures in a row and resets them once caught up', () => {
    let state = run(IDLE, { type: 'start', online: true }).state;
    for (let i = 0; i < 3; i++) state = run(state, { type: 'failed', lane: 'connect', cause: transient }, { type: 'retry-due' }).state;
    expect(state).toMatchObject({ phase: 'preparing', failures: 3 });
    expect(connectionWord(state)).toBe('reconnecting');
    state = run(state, ...CONNECT.slice(1)).state;
    expect(state).toMatchObject({ phase: 'live', failures: 0 });
  });

  it('stops for an admin when Genesys refuses the subscription (no retry loop)', () => {
    const { state, effects } = run(IDLE, { type: 'start', online: true }, { type: 'failed', lane: 'connect', cause: { kind: 'rejected', message: 'missing X' } });
    expect(state).toMatchObject({ phase: 'rejected', rejection: 'missing X' });
    expect(types(effects)).not.toContain('retry-later');
    expect(run(state, { type: 'retry-due' }).state).toBe(state);
    expect(connectionWord(state)).toBe('offline');
  });

  it('asks for a token on a 401 while connecting, and goes on when it comes', () => {
    const waiting = run(IDLE, { type: 'start', online: true }, { type: 'failed', lane: 'connect', cause: { kind: 'unauthorized' } });
    expect(waiting.state.phase).toBe('waiting-for-token');
    expect(types(waiting.effects)).toContain('need-token');
    expect(run(waiting.state, { type: 'token' }).state.phase).toBe('preparing');
  });

  it('reconnects with the catch-up when the socket drops', () => {
    const { state, effects } = run(LIVE, { type: 'socket-lost' });
    expect(state).toMatchObject({ phase: 'backoff', failures: 1 });
    expect(effects.at(-1)).toEqual({ type: 'retry-later', failures: 1, atLeastMs: 0, spread: false });
  });

  it('goes offline and back, dropping everything in between', () => {
    const offline = run(LIVE, { type: 'offline' });
    expect(offline.state.phase).toBe('offline');
    expect(types(offline.effects)).toEqual(['cancel', 'close-socket', 'cancel-retry', 'cancel-renewal']);
    expect(run(offline.state, { type: 'online' }).state).toMatchObject({ phase: 'preparing', failures: 0 });
  });

  it('drops everything on stop (sign-out, settings changed)', () => {
    const { state, effects } = run(LIVE, { type: 'stop' });
    expect(state).toEqual(IDLE);
    expect(types(effects)).toEqual(['cancel', 'close-socket', 'cancel-retry', 'cancel-renewal']);
    expect(connectionWord(state)).toBe('signed-out');
  });
});

describe('work beside a live socket', () => {
  it('refreshes with one GET while live, once at a time', () => {
    const first = run(LIVE, { type: 'refresh' });
    expect(first.effects).toEqual([{ type: 'catch-up', lane: 'refresh' }]);
    expect(run(first.state, { type: 'refresh' }).effects).toEqual([]);
    expect(run(first.state, { type: 'caught-up', lane: 'refresh' }).state).toEqual(LIVE);
  });

  it('regression: a failed refresh never closes the healthy socket', () => {
    // Before: the refresh's GET went through the connect failure path and closed the socket.
    const { state, effects } = run(LIVE, { type: 'refresh' }, { type: 'failed', lane: 'refresh', cause: transient });
    expect(state).toEqual(LIVE);
    expect(types(effects)).not.toContain('close-socket');
    expect(connectionWord(state)).toBe('live');
  });

  it('regression: a refresh during a reconnect backoff is folded into it, never "live" without a socket', () => {
    // Before: a successful refresh while backing off set the connection live with no socket open.
    const backingOff = run(LIVE, { type: 'socket-lost' }).state;
    const { state, effects } = run(backingOff, { type: 'refresh' }, { type: 'caught-up', lane: 'refresh' });
    expect(state).toEqual(backingOff);
    expect(effects).toEqual([]);
    expect(connectionWord(state)).toBe('reconnecting');
  });

  it('a 401 on a refresh asks for a token and keeps the socket', () => {
    const { state, effects } = run(LIVE, { type: 'refresh' }, { type: 'failed', lane: 'refresh', cause: { kind: 'unauthorized' } });
    expect(state.phase).toBe('live');
    expect(effects.at(-1)).toEqual({ type: 'need-token' });
  });

  it('socket_closing: a new socket on the same channel, the old one kept until it opens, then one GET', () => {
    const closing = run(LIVE, { type: 'socket-closing' });
    expect(closing.effects).toEqual([{ type: 'open-socket', lane: 'move' }]);
    const moved = run(closing.state, { type: 'opened', lane: 'move' });
    expect(types(moved.effects)).toEqual(['cancel', 'adopt-socket', 'schedule-renewal', 'catch-up']);
    expect(moved.state).toMatchObject({ phase: 'live', refreshing: true });
    expect(moved.state.move).toBeUndefined();
  });

  it('renews the channel before it ends: a new channel prepared and its socket opened beside the old', () => {
    const renewing = run(LIVE, { type: 'renewal-due' });
    expect(renewing.effects).toEqual([{ type: 'prepare', lane: 'move', newChannel: true }]);
    const prepared = run(renewing.state, { type: 'prepared', lane: 'move' });
    expect(prepared.effects).toEqual([{ type: 'open-socket', lane: 'move' }]);
    expect(run(prepared.state, { type: 'opened', lane: 'move' }).state.phase).toBe('live');
  });

  it('tries a failed renewal again later, keeping the live socket', () => {
    const { state, effects } = run(LIVE, { type: 'renewal-due' }, { type: 'failed', lane: 'move', cause: transient });
    expect(state).toEqual({ ...LIVE, failedRenewals: 1 });
    expect(types(effects)).toEqual(['prepare', 'cancel', 'renew-later']);
  });

  it('regression: a renewal that keeps failing waits longer each time, and starts over once one succeeds', () => {
    // Before: live has no failures, so every failed renewal was tried again within a second.
    const fail = [{ type: 'renewal-due' }, { type: 'failed', lane: 'move', cause: transient }] as const;
    const { state, effects } = run(LIVE, ...fail, ...fail, ...fail);
    expect(effects.filter((effect) => effect.type === 'renew-later')).toEqual([1, 2, 3].map((failures) => ({ type: 'renew-later', failures })));
    expect(connectionWord(state)).toBe('live');
    const renewed = run(state, { type: 'renewal-due' }, { type: 'prepared', lane: 'move' }, { type: 'opened', lane: 'move' }).state;
    expect(run(renewed, ...fail).effects.at(-1)).toEqual({ type: 'renew-later', failures: 1 });
    // A reconnect's backoff does not count them.
    expect(run(state, { type: 'socket-lost' }).state.failures).toBe(1);
  });

  it('moves to the new token: the channel subscribed again and a socket opened beside the live one', () => {
    const { state, effects } = run(LIVE, { type: 'token' });
    expect(state.move).toBe('subscription');
    expect(effects).toEqual([{ type: 'prepare', lane: 'move', newChannel: false }]);
  });

  it('carries on when Genesys drops the old socket as the new one connects (one socket per channel)', () => {
    const closing = run(LIVE, { type: 'socket-closing' }).state;
    const dropped = run(closing, { type: 'socket-lost' });
    expect(dropped.state).toMatchObject({ phase: 'opening', move: 'socket' });
    expect(types(dropped.effects)).not.toContain('retry-later');
    const opened = run(dropped.state, { type: 'opened', lane: 'move' });
    expect(opened.state.phase).toBe('catching-up');
    expect(opened.effects).toContainEqual({ type: 'catch-up', lane: 'connect' });
    expect(run(dropped.state, { type: 'failed', lane: 'move', cause: transient }).state.phase).toBe('backoff');
  });

  it('a lost socket during a channel renewal is a plain reconnect', () => {
    const renewing = run(LIVE, { type: 'renewal-due' }).state;
    expect(run(renewing, { type: 'socket-lost' }).state.phase).toBe('backoff');
  });
});

describe('no renewal, token or closing socket is lost', () => {
  const CATCHING_UP = run(IDLE, ...CONNECT.slice(0, 3)).state;

  it('regression: a renewal due during a socket move that then fails is still done', () => {
    // Before: the renewal was ignored while the socket moved; the move failed and the connection
    // stayed live with no renewal pending, so the channel ended under the agent.
    const { state, effects } = run(LIVE, { type: 'socket-closing' }, { type: 'renewal-due' }, { type: 'failed', lane: 'move', cause: transient });
    expect(state).toMatchObject({ phase: 'live', move: 'channel' });
    expect(state.owed).toBeUndefined();
    expect(lastPrepare(effects)).toEqual({ type: 'prepare', lane: 'move', newChannel: true });
  });

  it('regression: a renewal due during a subscription move that then fails is still done', () => {
    const { state, effects } = run(LIVE, { type: 'token' }, { type: 'renewal-due' }, { type: 'failed', lane: 'move', cause: transient });
    expect(state).toMatchObject({ phase: 'live', move: 'channel' });
    expect(lastPrepare(effects)).toEqual({ type: 'prepare', lane: 'move', newChannel: true });
  });

  it('regression: a renewal due while catching up is done once live', () => {
    // Before: dropped while catching up; live came with no renewal pending.
    const { state, effects } = run(CATCHING_UP, { type: 'renewal-due' }, { type: 'caught-up', lane: 'connect' });
    expect(state).toMatchObject({ phase: 'live', move: 'channel' });
    expect(effects).toEqual([{ type: 'prepare', lane: 'move', newChannel: true }]);
  });

  it('a renewal due during a move that succeeds is done after it', () => {
    const moved = run(LIVE, { type: 'socket-closing' }, { type: 'renewal-due' }, { type: 'opened', lane: 'move' });
    expect(moved.state).toMatchObject({ phase: 'live', move: 'channel', refreshing: true });
    expect(moved.effects.at(-1)).toEqual({ type: 'prepare', lane: 'move', newChannel: true });
  });

  it.each([1, 2, 3])('regression: a new token while connecting (after %i steps) is used once live: the subscription moves', (steps) => {
    // Before: a token while preparing, opening or catching up was ignored; the subscription stayed
    // the one the old token made.
    const connecting = run(IDLE, ...CONNECT.slice(0, steps)).state;
    const { state, effects } = run(connecting, { type: 'token' }, ...CONNECT.slice(steps));
    expect(state).toMatchObject({ phase: 'live', move: 'subscription' });
    expect(lastPrepare(effects)).toEqual({ type: 'prepare', lane: 'move', newChannel: false });
  });

  it.each(['socket-closing', 'renewal-due', 'token'] as const)('regression: a new token during a move (%s) is used once the move is over', (start) => {
    const moving = run(LIVE, { type: start }).state;
    expect(moving.move).toBeDefined();
    const during = run(moving, { type: 'token' });
    expect(during.effects).toEqual([]);
    const { state, effects } = run(during.state, ...(moving.move === 'socket' ? [] : [{ type: 'prepared', lane: 'move' } as const]), { type: 'opened', lane: 'move' });
    expect(state).toMatchObject({ phase: 'live', move: 'subscription' });
    expect(effects.at(-1)).toEqual({ type: 'prepare', lane: 'move', newChannel: false });
  });

  it('a token owed with a renewal owed: the channel move covers both (it subscribes with the current token)', () => {
    const { state, effects } = run(CATCHING_UP, { type: 'token' }, { type: 'renewal-due' }, { type: 'token' }, { type: 'caught-up', lane: 'connect' });
    expect(state).toMatchObject({ phase: 'live', move: 'channel' });
    expect(effects).toEqual([{ type: 'prepare', lane: 'move', newChannel: true }]);
    // Done: once that move is over nothing more is owed.
    expect(run(state, { type: 'prepared', lane: 'move' }, { type: 'opened', lane: 'move' }).state.move).toBeUndefined();
  });

  it('a token while backing off or waiting for one: the next attempt uses it, nothing owed', () => {
    const backingOff = run(IDLE, { type: 'start', online: true }, { type: 'failed', lane: 'connect', cause: transient }).state;
    expect(run(backingOff, { type: 'token' })).toEqual({ state: backingOff, effects: [] });
    const afterRetry = run(backingOff, { type: 'token' }, { type: 'retry-due' }, ...CONNECT.slice(1)).state;
    expect(afterRetry).toEqual(LIVE);
  });

  it('a token while a reopen is planned: the next attempt prepares instead, subscribing with it', () => {
    const backingOff = run(LIVE, { type: 'socket-lost' }).state;
    expect(backingOff.reopen).toBe('planned');
    const { state, effects } = run(backingOff, { type: 'token' }, { type: 'retry-due' });
    expect(state).toMatchObject({ phase: 'preparing', failures: 1 });
    expect(lastPrepare(effects)).toEqual({ type: 'prepare', lane: 'connect', newChannel: false });
    expect(run(state, ...CONNECT.slice(1)).state).toEqual(LIVE);
  });

  it('socket_closing while catching up: the socket moves once live', () => {
    const { state, effects } = run(CATCHING_UP, { type: 'socket-closing' }, { type: 'caught-up', lane: 'connect' });
    expect(state).toMatchObject({ phase: 'live', move: 'socket' });
    expect(effects).toEqual([{ type: 'open-socket', lane: 'move' }]);
  });

  it('socket_closing during a move: done by the move when it succeeds, moved again when it fails', () => {
    const moving = run(LIVE, { type: 'renewal-due' }, { type: 'socket-closing' }, { type: 'prepared', lane: 'move' }).state;
    expect(run(moving, { type: 'opened', lane: 'move' }).state.move).toBeUndefined();
    const failed = run(moving, { type: 'failed', lane: 'move', cause: transient });
    expect(failed.state).toMatchObject({ phase: 'live', move: 'socket' });
    expect(types(failed.effects)).toEqual(['cancel', 'renew-later', 'open-socket']);
  });

  it('a reconnect settles every debt: the new attempt makes a usable channel with the current token', () => {
    const { state } = run(LIVE, { type: 'socket-closing' }, { type: 'renewal-due' }, { type: 'token' }, { type: 'socket-lost' }, { type: 'failed', lane: 'move', cause: transient });
    expect(state).toMatchObject({ phase: 'backoff' });
    expect(state.owed).toBeUndefined();
  });
});

describe('reopening a lost socket on its channel (Genesys keeps the subscription for the channel\'s life)', () => {
  const CATCHING_UP = run(IDLE, ...CONNECT.slice(0, 3)).state;
  const opened: ConnectionEvent[] = [{ type: 'opened', lane: 'connect' }, { type: 'caught-up', lane: 'connect' }];
  const socketError = { kind: 'transient', detail: 'socket error' } as const;

  it('regression (the fleet: 1,022 API requests in the first second of an outage): socket-lost → retry-due → opening with no prepare effect', () => {
    // Before: the first retry after a lost socket began with PUT …/subscriptions; when every socket
    // dropped at once, the whole fleet asked the API in the same second.
    const lost = run(LIVE, { type: 'socket-lost', reason: 'closed (1006)' });
    expect(lost.state).toEqual({ phase: 'backoff', failures: 1, refreshing: false, reopen: 'planned' });
    expect(lost.effects.at(-1)).toEqual({ type: 'retry-later', failures: 1, atLeastMs: 0, spread: false });
    const retry = run(lost.state, { type: 'retry-due' });
    expect(retry.state).toEqual({ phase: 'opening', failures: 1, refreshing: false, reopen: 'trying' });
    expect(types(retry.effects)).toEqual(['cancel', 'close-socket', 'cancel-retry', 'cancel-renewal', 'reopen-socket']);
    expect(types(retry.effects)).not.toContain('prepare');
    expect(connectionWord(retry.state)).toBe('reconnecting');
    // Once open: adopted, its renewal scheduled, and the one GET; then live as after any connect.
    const open = run(retry.state, { type: 'opened', lane: 'connect' });
    expect(open.state).toEqual({ phase: 'catching-up', failures: 1, refreshing: false });
    expect(types(open.effects)).toEqual(['adopt-socket', 'schedule-renewal', 'catch-up']);
    expect(run(open.state, { type: 'caught-up', lane: 'connect' }).state).toEqual(LIVE);
  });

  it('a socket lost while catching up is reopened too (the channel took a socket a moment ago)', () => {
    const { state, effects } = run(CATCHING_UP, { type: 'socket-lost' }, { type: 'retry-due' });
    expect(state).toMatchObject({ phase: 'opening', reopen: 'trying' });
    expect(types(effects)).not.toContain('prepare');
  });

  it('a failed reopen (refused, or closed before opening): the next attempt prepares, after a wait spread over 1–10 s', () => {
    const trying = run(LIVE, { type: 'socket-lost' }, { type: 'retry-due' }).state;
    const failed = run(trying, { type: 'failed', lane: 'connect', cause: socketError });
    expect(failed.state).toEqual({ phase: 'backoff', failures: 4, refreshing: false, reopen: 'failed' });
    expect(failed.effects.at(-1)).toEqual({ type: 'retry-later', failures: 4, atLeastMs: 0, spread: true });
    expect(connectionWord(failed.state)).toBe('reconnecting');
    const retry = run(failed.state, { type: 'retry-due' });
    expect(retry.state).toEqual({ phase: 'preparing', failures: 4, refreshing: false });
    expect(lastPrepare(retry.effects)).toEqual({ type: 'prepare', lane: 'connect', newChannel: false });
    // Failing again: the backoff goes on from there (8–16 s), with no spread; no reopen until live again.
    const again = run(retry.state, { type: 'failed', lane: 'connect', cause: transient });
    expect(again.state).toEqual({ phase: 'backoff', failures: 5, refreshing: false });
    expect(again.effects.at(-1)).toEqual({ type: 'retry-later', failures: 5, atLeastMs: 0, spread: false });
    expect(run(again.state, { type: 'retry-due' }, ...CONNECT.slice(1)).state).toEqual(LIVE);
  });

  it('a channel come due for renewal during the backoff is not reopened: the connection prepares at once, no wait', () => {
    const trying = run(LIVE, { type: 'socket-lost' }, { type: 'retry-due' }).state;
    const { state, effects } = run(trying, { type: 'failed', lane: 'connect', cause: { kind: 'not-reopened', detail: 'channel near its end' } });
    expect(state).toEqual({ phase: 'preparing', failures: 1, refreshing: false });
    expect(lastPrepare(effects)).toEqual({ type: 'prepare', lane: 'connect', newChannel: false });
    expect(types(effects)).not.toContain('retry-later');
  });

  it('a 401 on the reopen\'s catch-up waits for a token, then prepares', () => {
    const catching = run(LIVE, { type: 'socket-lost' }, { type: 'retry-due' }, { type: 'opened', lane: 'connect' }).state;
    const waiting = run(catching, { type: 'failed', lane: 'connect', cause: { kind: 'unauthorized' } });
    expect(waiting.state.phase).toBe('waiting-for-token');
    expect(types(waiting.effects)).toContain('need-token');
    const { state, effects } = run(waiting.state, { type: 'token' });
    expect(state.phase).toBe('preparing');
    expect(lastPrepare(effects)).toEqual({ type: 'prepare', lane: 'connect', newChannel: false });
  });

  it('a token while reopening is owed: the subscription moves to it once live', () => {
    const trying = run(LIVE, { type: 'socket-lost' }, { type: 'retry-due' }).state;
    const { state, effects } = run(trying, { type: 'token' }, ...opened);
    expect(state).toMatchObject({ phase: 'live', move: 'subscription' });
    expect(effects.at(-1)).toEqual({ type: 'prepare', lane: 'move', newChannel: false });
  });

  it.each<[string, ConnectionEvent[]]>([
    ['a renewal under way', [{ type: 'renewal-due' }]],
    ['a renewal failed (the channel is past its renewal time)', [{ type: 'renewal-due' }, { type: 'failed', lane: 'move', cause: transient }]],
  ])('no reopen with %s: the next attempt prepares (and takes a usable channel)', (_name, before) => {
    const { state, effects } = run(LIVE, ...before, { type: 'socket-lost' }, { type: 'retry-due' });
    expect(state.phase).toBe('preparing');
    expect(state.reopen).toBeUndefined();
    expect(lastPrepare(effects)).toEqual({ type: 'prepare', lane: 'connect', newChannel: false });
  });

  it.each<[string, ConnectionEvent]>([
    ['a renewal', { type: 'renewal-due' }],
    ['a new token', { type: 'token' }],
  ])('no reopen when catching up owed %s: the preparing reconnect settles it', (_name, owed) => {
    const { state, effects } = run(CATCHING_UP, owed, { type: 'socket-lost' }, { type: 'retry-due' });
    expect(state.phase).toBe('preparing');
    expect(types(effects)).toContain('prepare');
  });

  it('a closing socket owed while catching up is settled by the reopen: its new socket replaces it', () => {
    const { state, effects } = run(CATCHING_UP, { type: 'socket-closing' }, { type: 'socket-lost' }, { type: 'retry-due' }, ...opened);
    expect(state).toEqual(LIVE);
    expect(types(effects)).not.toContain('prepare');
  });

  it('a reopen that opens and is lost again before catching up is reopened again, later', () => {
    const { state } = run(LIVE, { type: 'socket-lost' }, { type: 'retry-due' }, { type: 'opened', lane: 'connect' }, { type: 'socket-lost' });
    expect(state).toEqual({ phase: 'backoff', failures: 2, refreshing: false, reopen: 'planned' });
  });

  it.each<ConnectionEvent>([{ type: 'offline' }, { type: 'stop' }])('%o drops a planned reopen: the next connect prepares', (event) => {
    const backingOff = run(LIVE, { type: 'socket-lost' }).state;
    const { state } = run(backingOff, event);
    expect(state.reopen).toBeUndefined();
    if (state.phase === 'offline') expect(types(run(state, { type: 'online' }).effects)).toContain('prepare');
  });
});

describe('news from work that no longer matters', () => {
  it.each<ConnectionEvent>([
    { type: 'prepared', lane: 'connect' },
    { type: 'opened', lane: 'connect' },
    { type: 'caught-up', lane: 'connect' },
    { type: 'failed', lane: 'connect', cause: transient },
    { type: 'prepared', lane: 'move' },
    { type: 'opened', lane: 'move' },
    { type: 'failed', lane: 'move', cause: transient },
    { type: 'caught-up', lane: 'refresh' },
    { type: 'socket-lost' },
    { type: 'retry-due' },
  ])('changes nothing when idle: %o', (event) => {
    expect(run(IDLE, event)).toEqual({ state: IDLE, effects: [] });
  });
});

describe('the backoff', () => {
  it('doubles from 1 s to 30 s, each wait in the upper half of its step', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((n) => backoffDelay(n, 1))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect([1, 2, 6].map((n) => backoffDelay(n, 0))).toEqual([500, 1_000, 15_000]);
    expect(backoffDelay(1, 0.5, 5_000)).toBe(5_000);
    expect([1, 4, 9].map((n) => backoffCeiling(n))).toEqual([1_000, 8_000, 30_000]);
  });

  it('after a failed reopen: anywhere from 1 s to 10 s (to the step, when longer), so a fleet failing together spreads out', () => {
    expect([0, 0.5, 1].map((random) => backoffDelay(4, random, 0, true))).toEqual([1_000, 5_500, 10_000]);
    expect([0, 1].map((random) => backoffDelay(6, random, 0, true))).toEqual([1_000, 30_000]);
    expect(backoffDelay(4, 0, 7_000, true)).toBe(7_000);
    expect([4, 5, 6].map((n) => backoffCeiling(n, true))).toEqual([10_000, 16_000, 30_000]);
  });
});

// ---- every sequence the driver can produce ----------------------------------------------------

/** Phases in which a renewal, a token or a closing socket is something the connection owes. */
const CONNECTED = new Set<ConnectionState['phase']>(['preparing', 'opening', 'catching-up', 'live']);

/** What the driver would have in flight after the effects so far: the model the events come from. */
interface World {
  state: ConnectionState;
  socketOpen: boolean;
  retryPending: boolean;
  /** The renewal timer is set (schedule-renewal, renew-later) and has neither fired nor been cancelled. */
  renewalPending: boolean;
  /** Per lane: what it is doing (what news it can bring). */
  work: Partial<Record<Lane, 'prepare' | 'socket' | 'catch-up'>>;
  /** Which lane's socket is ready to be adopted. */
  opened: Partial<Record<Lane, boolean>>;
  /** The move under way, as the effects started it (not the machine's own word for it). */
  moving?: 'socket' | 'subscription' | 'channel';
  /**
   * Events heard but not yet acted on: a renewal due (`channel`), a new token (`token`), Genesys
   * closing the socket (`socket`). Acted on = a move that covers it started after it (a channel
   * move covers all three, a subscription move a token and a socket, any adopted move a closing
   * socket), or the connection left (the next connect makes a usable channel with the token then).
   */
  owed: Set<'socket' | 'token' | 'channel'>;
  /** A channel renewal failed (renew-later) and no new channel has been adopted since. */
  renewalFailed: boolean;
  /**
   * Since the last socket lost while connected, with no attempt since: whether that connection owed
   * the API something a preparing attempt settles (a renewal due, under way or failed; a new token),
   * or a token came while backing off. Undefined: no such loss waiting for its first attempt.
   */
  lostOwing?: boolean;
  /** The connect lane is opening a socket from a `reopen-socket` effect. */
  reopening: boolean;
  /** The last attempt was a reopen that failed (refused, or closed before it opened). */
  reopenFailed: boolean;
}

function apply(world: World, event: ConnectionEvent): World {
  const { state, effects } = transition(world.state, event);
  const next: World = { ...world, state, work: { ...world.work }, opened: { ...world.opened }, owed: new Set(world.owed) };
  if (event.type === 'socket-lost' && (world.state.phase === 'live' || world.state.phase === 'catching-up') && state.phase === 'backoff') {
    next.lostOwing = world.owed.has('channel') || world.owed.has('token') || world.moving === 'channel' || world.renewalFailed;
  }
  if (event.type === 'token' && world.state.phase === 'backoff' && world.lostOwing !== undefined) next.lostOwing = true;
  if (event.type === 'failed' && event.lane === 'connect' && world.reopening && event.cause.kind === 'transient') next.reopenFailed = true;
  if ((event.type === 'failed' || event.type === 'opened') && event.lane === 'connect') next.reopening = false;
  if (CONNECTED.has(world.state.phase)) {
    if (event.type === 'renewal-due' && world.moving !== 'channel') next.owed.add('channel');
    if (event.type === 'token') next.owed.add('token');
    if (event.type === 'socket-closing') next.owed.add('socket');
  }
  if (event.type === 'socket-lost') next.socketOpen = false;
  if (event.type === 'retry-due') next.retryPending = false;
  if (event.type === 'renewal-due') next.renewalPending = false;
  if ('lane' in event && event.type !== 'failed') delete next.work[event.lane];
  if (event.type === 'failed') delete next.work[event.lane];
  if (event.type === 'failed' && event.lane === 'move') delete next.moving;
  if (event.type === 'opened') next.opened[event.lane] = true;
  for (const effect of effects) {
    switch (effect.type) {
      case 'reopen-socket':
        // Only the first attempt after a lost socket that owed the API nothing, never after a failed reopen.
        if (next.lostOwing !== false) throw new Error(`reopened a socket after a loss that owed the API (${String(next.lostOwing)})`);
        if (next.reopenFailed) throw new Error('reopened again after a failed reopen');
        next.work.connect = 'socket';
        next.reopening = true;
        next.lostOwing = undefined;
        break;
      case 'prepare':
        if (effect.lane === 'connect') {
          // The first attempt after a lost socket that owed nothing is a reopen, unless one failed.
          if (event.type === 'retry-due' && next.lostOwing === false && !next.reopenFailed) throw new Error('prepared the first attempt after a loss that owed the API nothing');
          // A connect that prepares settles every debt: it subscribes with the token it has, takes a
          // usable channel, schedules its renewal and opens a new socket.
          next.owed.clear();
          next.lostOwing = undefined;
          next.reopenFailed = false;
          next.renewalFailed = false;
        }
        next.work[effect.lane] = 'prepare';
        if (effect.lane === 'move') {
          next.moving = effect.newChannel ? 'channel' : 'subscription';
          if (effect.newChannel) next.owed.delete('channel');
          next.owed.delete('token');
          next.owed.delete('socket');
        }
        break;
      case 'open-socket':
        next.work[effect.lane] = 'socket';
        if (effect.lane === 'move' && next.moving === undefined) {
          next.moving = 'socket';
          next.owed.delete('socket');
        }
        break;
      case 'adopt-socket':
        if (!next.opened[effect.lane]) throw new Error(`adopted a socket lane ${effect.lane} never opened`);
        next.opened[effect.lane] = false;
        next.socketOpen = true;
        // The socket Genesys was closing is gone: its successor is the open one.
        next.owed.delete('socket');
        if (effect.lane === 'move' && next.moving === 'channel') next.renewalFailed = false;
        if (effect.lane === 'move') delete next.moving;
        break;
      case 'catch-up':
        next.work[effect.lane] = 'catch-up';
        break;
      case 'cancel':
        for (const lane of effect.lanes) {
          delete next.work[lane];
          next.opened[lane] = false;
          if (lane === 'move') delete next.moving;
          if (lane === 'connect') next.reopening = false;
        }
        break;
      case 'close-socket':
        next.socketOpen = false;
        break;
      case 'retry-later':
        next.retryPending = true;
        break;
      case 'cancel-retry':
        next.retryPending = false;
        break;
      case 'schedule-renewal':
        next.renewalPending = true;
        break;
      case 'renew-later':
        next.renewalPending = true;
        next.renewalFailed = true;
        break;
      case 'cancel-renewal':
        next.renewalPending = false;
        break;
      case 'need-token':
        break;
    }
  }
  // Out of the connection, nothing is owed: the next connect uses the token it has then, takes a
  // new channel when the stored one is near its end, and schedules its renewal.
  if (!CONNECTED.has(state.phase)) next.owed.clear();
  // Signed out, offline, refused: the next connect prepares whatever came before.
  if (state.phase === 'idle' || state.phase === 'offline' || state.phase === 'rejected' || state.phase === 'waiting-for-token') {
    next.lostOwing = undefined;
    next.reopenFailed = false;
    next.renewalFailed = false;
  }
  return next;
}

/** The events the world can produce next: news from lanes at work, and anything from outside. */
function possibleEvents(world: World): ConnectionEvent[] {
  const events: ConnectionEvent[] = [
    { type: 'start', online: true },
    { type: 'start', online: false },
    { type: 'stop' },
    { type: 'token' },
    { type: 'refresh' },
    { type: 'online' },
    { type: 'offline' },
  ];
  if (world.socketOpen) events.push({ type: 'socket-lost' }, { type: 'socket-closing' });
  if (world.retryPending) events.push({ type: 'retry-due' });
  if (world.renewalPending) events.push({ type: 'renewal-due' });
  for (const [lane, work] of Object.entries(world.work) as [Lane, string][]) {
    const causes = [{ kind: 'transient' } as const, { kind: 'unauthorized' } as const, { kind: 'rejected', message: 'm' } as const, { kind: 'not-reopened', detail: 'd' } as const];
    for (const cause of causes) events.push({ type: 'failed', lane, cause });
    if (work === 'prepare' && lane !== 'refresh') events.push({ type: 'prepared', lane });
    if (work === 'socket' && lane !== 'refresh') events.push({ type: 'opened', lane });
    if (work === 'catch-up' && lane !== 'move') events.push({ type: 'caught-up', lane });
  }
  return events;
}

const OUTSIDE = new Set<ConnectionEvent['type']>(['start', 'stop', 'token', 'refresh', 'online', 'offline']);

/**
 * One event the world can produce next, steered so that runs get far (live, moves, reconnects,
 * reopens): one time in eight anything, the outside world's events included; one in eight a
 * transient failure of the work under way, one in eight any failure; otherwise other news (work
 * done, a socket, a timer).
 */
function pickEvent(world: World, choice: number): ConnectionEvent {
  const events = possibleEvents(world);
  const failures = events.filter((event) => event.type === 'failed');
  const transients = failures.filter((event) => event.cause.kind === 'transient');
  const news = events.filter((event) => !OUTSIDE.has(event.type) && event.type !== 'failed');
  const kind = choice % 8;
  const wanted = kind === 0 ? events : kind === 1 ? transients : kind === 2 ? failures : news;
  const from = wanted.length > 0 ? wanted : events;
  return from[Math.floor(choice / 8) % from.length]!;
}
const EMPTY_WORLD: World = {
  state: IDLE,
  socketOpen: false,
  retryPending: false,
  renewalPending: false,
  work: {},
  opened: {},
  owed: new Set(),
  renewalFailed: false,
  reopening: false,
  reopenFailed: false,
};

describe('every sequence of events (property)', () => {
  it('never says catching-up or live without an open socket, never live while a retry waits, never closes a live socket for a refresh', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 60 }), (choices) => {
        let world = EMPTY_WORLD;
        for (const choice of choices) {
          const event = pickEvent(world, choice);
          const before = world;
          world = apply(world, event);
          const { phase } = world.state;
          if (phase === 'catching-up' || phase === 'live') expect(world.socketOpen).toBe(true);
          if (phase === 'live') expect(world.retryPending).toBe(false);
          if (phase === 'offline' || phase === 'idle' || phase === 'rejected') expect(world.socketOpen).toBe(false);
          if (event.type === 'failed' && event.lane === 'refresh' && before.state.phase === 'live') expect(world.socketOpen).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('a lost socket is reopened first when it owed the API nothing, never otherwise, never again after a failed reopen', () => {
    // The rules themselves are checked in apply (it throws); this counts that the runs reached them.
    let reopens = 0;
    let failedReopens = 0;
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 80 }), (choices) => {
        let world = EMPTY_WORLD;
        for (const choice of choices) {
          const event = pickEvent(world, choice);
          const before = world;
          world = apply(world, event);
          if (world.reopening && !before.reopening) reopens += 1;
          if (world.reopenFailed && !before.reopenFailed) failedReopens += 1;
        }
      }),
      { numRuns: 3_000 },
    );
    // Not vacuous (typically some 100 reopens and 15 failed ones in the 3,000 runs).
    expect(reopens).toBeGreaterThanOrEqual(30);
    expect(failedReopens).toBeGreaterThanOrEqual(3);
  });

  it('live: a renewal always scheduled or under way; nothing heard is lost: live with no move owes nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 80 }), (choices) => {
        let world = EMPTY_WORLD;
        const seen: string[] = [];
        for (const choice of choices) {
          const event = pickEvent(world, choice);
          seen.push(JSON.stringify(event));
          world = apply(world, event);
          const { phase } = world.state;
          const trail = () => seen.join(' → ');
          if (phase === 'live') {
            // A renewal scheduled, one under way, or one owed until the move under way is over.
            expect(world.renewalPending || world.moving === 'channel' || (world.owed.has('channel') && world.moving !== undefined), trail()).toBe(true);
          }
          if (phase === 'live' && world.moving === undefined) {
            expect([...world.owed], trail()).toEqual([]);
            expect(world.state.owed, trail()).toBeUndefined();
          }
          if (!CONNECTED.has(phase)) expect(world.state.owed, trail()).toBeUndefined();
          // The machine's word for the move under way is the one its effects started.
          expect(world.state.move, trail()).toBe(phase === 'live' || phase === 'opening' ? world.moving : undefined);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
