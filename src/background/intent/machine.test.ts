import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, IDLE, transition, type IntentEffect, type IntentEvent, type IntentState, type MuteTarget } from './machine';
import { heal, newWorld, step, type Action, type World } from './world';

/** Runs events from `state`, collecting every effect. */
function run(state: IntentState, ...events: IntentEvent[]): { state: IntentState; effects: IntentEffect[] } {
  const effects: IntentEffect[] = [];
  for (const event of events) {
    const next = transition(state, event);
    state = next.state;
    effects.push(...next.effects);
  }
  return { state, effects };
}

const CALL: MuteTarget = { conversationId: 'c1', participantId: 'p1' };
const CONSULT: MuteTarget = { conversationId: 'c2', participantId: 'p2' };
const click = (muted: boolean, confirmed = false, target = CALL): IntentEvent => ({ type: 'click', target, muted, confirmed, at: 0 });
const heard = (muted: boolean, target: MuteTarget | undefined = CALL, caughtUp = false): IntentEvent => ({ type: 'observed', target, muted, caughtUp });
const refused = (status: number, retryAfterMs = 1000): IntentEvent => ({ type: 'answered', failure: { status, retryAfterMs, problem: { code: 'server-error', message: `HTTP ${status}` } } });
const ACCEPTED: IntentEvent = { type: 'answered' };
const due = (timer: 'hold' | 'confirm' | 'retry'): IntentEvent => ({ type: 'due', timer });
const sends = (effects: IntentEffect[]) => effects.flatMap((effect) => (effect.type === 'send' ? [`${effect.target.conversationId} ${effect.muted}`] : []));
const types = (effects: IntentEffect[]) => effects.map((effect) => effect.type);
const ON_CALL = run(IDLE, heard(false)).state;

describe('the intent', () => {
  it('sends nothing when Genesys already has the state', () => {
    const { state, effects } = run(ON_CALL, click(false));
    expect(state).toEqual(ON_CALL);
    expect(types(effects)).toEqual(['changed']);
  });

  it("sends the first click's PATCH at once, opens the hold window and starts the confirmation timeout", () => {
    const { state, effects } = run(ON_CALL, click(true));
    expect(effects).toEqual([
      { type: 'timer', timer: 'confirm', ms: DEFAULT_TIMING.confirmTimeoutMs },
      { type: 'send', target: CALL, muted: true, attempt: 0 },
      { type: 'timer', timer: 'hold', ms: DEFAULT_TIMING.holdMs },
      { type: 'changed' },
    ]);
    expect(state).toMatchObject({ intent: { wanted: true, patches: 1 }, lane: { phase: 'sending' }, hold: true });
  });

  it('folds clicks inside the hold window (each keeps it open) into one PATCH with the last value, when it closes', () => {
    const burst = run(ON_CALL, click(true), ACCEPTED, heard(true), click(false, true), click(true, true), click(false, true));
    expect(sends(burst.effects)).toEqual(['c1 true']);
    expect(burst.effects.filter((effect) => effect.type === 'timer' && effect.timer === 'hold')).toHaveLength(4);
    expect(sends(run(burst.state, due('hold')).effects)).toEqual(['c1 false']);
  });

  it('settles on an event heard after the PATCH left (before or after its 202), never on an older one', () => {
    expect(run(ON_CALL, click(true), ACCEPTED, heard(true)).state.intent).toBeUndefined();
    expect(run(ON_CALL, click(true), heard(true), ACCEPTED).state.intent).toBeUndefined();
    expect(run(ON_CALL, click(true), ACCEPTED, heard(false)).state).toMatchObject({ intent: { wanted: true }, lane: { phase: 'awaiting', muted: true } });
  });

  it('waits Retry-After on a 429 up to 8 s, else gives up and says so', () => {
    expect(run(ON_CALL, click(true), refused(429, 2000)).effects.at(-1)).toEqual({ type: 'timer', timer: 'retry', ms: 2000 });
    const { state, effects } = run(ON_CALL, click(true), refused(429, 9000));
    expect(types(effects)).toContain('failed');
    expect(state.intent).toBeUndefined();
  });

  it.each([500, 503, 0])('retries a %i twice (250 ms, 1 s), with the latest wish, then gives up', (status) => {
    const { effects, state } = run(ON_CALL, click(true), refused(status), due('retry'), refused(status), due('retry'), refused(status));
    expect(effects.flatMap((effect) => (effect.type === 'timer' && effect.timer === 'retry' && effect.ms ? [effect.ms] : []))).toEqual([250, 1000]);
    expect(sends(effects)).toEqual(['c1 true', 'c1 true', 'c1 true']);
    expect(state).toMatchObject({ problem: { message: `HTTP ${status}` } });
    expect(state.intent).toBeUndefined();
  });

  it.each([403, 404, 400])('gives up on a %i at once', (status) => {
    const { state, effects } = run(ON_CALL, click(true), refused(status));
    expect(sends(effects)).toEqual(['c1 true']);
    expect(types(effects)).toContain('failed');
    expect(state.problem).toEqual({ code: 'server-error', message: `HTTP ${status}` });
  });

  it('asks for a new token once on a 401, goes on with it, and says "sign in again" without it', () => {
    const asked = run(ON_CALL, click(true), refused(401));
    expect(asked.effects.at(-1)).toEqual({ type: 'need-token' });
    expect(sends(run(asked.state, { type: 'token', renewed: true }).effects)).toEqual(['c1 true']);
    expect(run(asked.state, { type: 'token', renewed: true }, refused(401)).state.intent).toBeUndefined();
    expect(run(asked.state, { type: 'token', renewed: false }).state.problem?.message).toBe('HTTP 401');
  });

  it('abandons an intent unconfirmed after the timeout, tells the agent and fetches the truth', () => {
    const { state, effects } = run(ON_CALL, click(true), ACCEPTED, due('confirm'));
    expect(types(effects).filter((type) => type !== 'timer').slice(-4)).toEqual(['finished', 'failed', 'unconfirmed', 'changed']);
    expect(state.problem).toEqual({ code: 'not-confirmed' });
    expect(state.lane).toBeUndefined();
  });

  it('ends the intent when the call changes; a PATCH on the wire keeps the lane, and its failure is told to no one', () => {
    const moved = run(ON_CALL, click(true), heard(false, CONSULT));
    expect(moved.effects).toContainEqual({ type: 'finished', result: 'call-changed', intent: { wanted: true, began: 0, patches: 1 } });
    expect(moved.state).toMatchObject({ lane: { phase: 'sending', target: CALL }, call: { target: CONSULT } });
    const { state, effects } = run(moved.state, click(true, false, CONSULT), refused(404));
    expect(sends(effects)).toEqual(['c2 true']);
    expect(types(effects)).not.toContain('failed');
    expect(state.problem).toBeUndefined();
  });

  it('tells the agent when no call is left, and forgets everything on sign-out', () => {
    expect(run(ON_CALL, click(true), { type: 'observed', muted: false }).state.problem).toEqual({ code: 'call-gone' });
    const { state, effects } = run(ON_CALL, click(true), refused(503), { type: 'reset' });
    expect(state).toEqual(IDLE);
    expect(effects).toContainEqual({ type: 'timer', timer: 'retry', ms: undefined });
  });
});

// ---- the soak's findings, as sequences of the world the property test drives ----------------------

/** Runs `actions` in a fresh world (every promise checked at each step), then lets the faults end. */
function sequence(...actions: Action[]): World {
  const world = newWorld();
  for (const action of actions) step(world, action);
  return world;
}
const sentValues = (world: World) => world.sent.map((sent) => `${sent.target} ${sent.muted}`);

describe('the soak found (named sequences; the property test checks every promise at each step)', () => {
  it('seed 2: a retry carried the first click: after a 503, the agent clicks back; the retry sends nothing', () => {
    const world = sequence({ kind: 'click', how: true }, { kind: 'answer', status: 503 }, { kind: 'wait', ms: 100 }, { kind: 'click', how: false }, { kind: 'wait', ms: 250 });
    expect(sentValues(world)).toEqual(['c1 true']);
    expect(world.state.intent).toBeUndefined();
    heal(world);
    expect(world.truth.get('c1')?.muted).toBe(false);
  });

  it('seed 3: a confirmation lost while the socket was down: the reconnect decides, and the agent is heard', () => {
    const world = sequence(
      { kind: 'click', how: true },
      { kind: 'drop' },
      { kind: 'answer', status: 202 }, // applied; its event is lost
      { kind: 'outside' }, // a supervisor unmutes the agent; lost too
      { kind: 'reconnect' }, // the snapshot: unmuted
      { kind: 'wait', ms: 400 }, // the hold window closes: the wish goes again
    );
    expect(sentValues(world)).toEqual(['c1 true', 'c1 true']);
    step(world, { kind: 'answer', status: 202 });
    step(world, { kind: 'deliver' });
    expect(world.state.intent).toBeUndefined();
    step(world, { kind: 'wait', ms: 1000 });
    step(world, { kind: 'click', how: false }); // and the next click is answered at once
    expect(sentValues(world)).toEqual(['c1 true', 'c1 true', 'c1 false']);
  });

  it('seed 101: a retry went to a held call: the customer on hold, a consult, a click there; the retry is dropped, the consult gets its PATCH', () => {
    const world = sequence(
      { kind: 'click', how: true },
      { kind: 'answer', status: 429, retryAfterS: 2 },
      { kind: 'call', change: 'consult' },
      { kind: 'deliver' },
      { kind: 'click', how: true },
      { kind: 'wait', ms: 3000 },
    );
    expect(sentValues(world)).toEqual(['c1 true', 'c2 true']);
    heal(world);
    expect([world.truth.get('c1')?.muted, world.truth.get('c2')?.muted]).toEqual([false, true]);
  });
});

describe('found by the property test', () => {
  it('a click inside the hold window that needs nothing sent keeps it open: a burst still costs two PATCHes at most', () => {
    // Before: a click that asked for what Genesys had (after the first PATCH failed) let the window
    // close 400 ms after the PATCH, so the burst's next click sent a second PATCH at once and its
    // last click a third.
    const world = sequence(
      { kind: 'click', how: true },
      { kind: 'answer', status: 404 }, // told; nothing pending
      { kind: 'wait', ms: 20 },
      { kind: 'click', how: false }, // Genesys has it: nothing to send
      { kind: 'wait', ms: 399 },
      { kind: 'click', how: true },
      { kind: 'click', how: 'toggle' },
      { kind: 'click', how: 'toggle' },
    );
    expect(world.sent.map((sent) => sent.at)).toEqual([0]);
    step(world, { kind: 'wait', ms: 400 });
    expect(world.sent.map((sent) => sent.at)).toEqual([0, 819]);
  });
});

describe('what the hold window costs', () => {
  it('a deliberate second click just inside it leaves 400 ms after that click; one just outside leaves at once', () => {
    const inside = sequence({ kind: 'click', how: true }, { kind: 'answer', status: 202 }, { kind: 'deliver' }, { kind: 'wait', ms: 399 }, { kind: 'click', how: false }, { kind: 'wait', ms: 400 });
    expect(inside.sent.map((sent) => sent.at)).toEqual([0, 799]);
    const outside = sequence({ kind: 'click', how: true }, { kind: 'answer', status: 202 }, { kind: 'deliver' }, { kind: 'wait', ms: 400 }, { kind: 'click', how: false });
    expect(outside.sent.map((sent) => sent.at)).toEqual([0, 400]);
  });
});
