// Test support only (nothing in the extension imports it): the promises the mute intent makes,
// checked in the world (world.ts) the property test and the named soak sequences drive. Each
// broken promise throws a `Violation` naming it, with the time and the trail of recent steps.
//
// Definitions. A burst: the clicks on one call each less than the hold window (400 ms) after the
// one before, with no call change and no sign-out between them; a PATCH belongs to the burst of the
// latest click before it. A first attempt: a PATCH that is not a retry of a refused one (after a
// 429, a 5xx, no answer, or a 401 and a new token). Behind the intent's back: Genesys's state
// changed other than by the intent's accepted PATCHes (a supervisor, a headset, Genesys's own UI,
// or a refused PATCH that Genesys applied all the same).
import { DEFAULT_TIMING as TIMING, type IntentEffect, type IntentState } from './machine';
import type { World } from './world';

export class Violation extends Error {}

export const fail = (world: World, promise: string): never => {
  throw new Violation(`${promise}\n  at ${world.now} ms after: ${world.trail.slice(-25).join(' → ')}`);
};

/** The promises about a PATCH, as it leaves. */
export function checkSend(world: World, effect: Extract<IntentEffect, { type: 'send' }>): void {
  const { state, known, lastClick, burst } = world;
  const target = effect.target.conversationId;
  if (world.wire) fail(world, 'one PATCH at a time: another left while one was on the wire');
  if (target !== known?.target?.conversationId) fail(world, `a PATCH went to ${target}, not the agent's current, connected, unheld call (${known?.target?.conversationId})`);
  if (lastClick?.target !== target) fail(world, 'a PATCH went to another call than the one the agent clicked on');
  if (state.intent?.wanted !== effect.muted) fail(world, "nothing is sent but the pending intent's latest wish (nothing after an intent ended)");
  if (effect.muted === known?.muted) fail(world, 'a PATCH asked for what Genesys (as last heard) already has');
  if (world.now - lastClick!.at > TIMING.confirmTimeoutMs) fail(world, 'a PATCH left later than the confirmation timeout after the click it serves');
  if (world.unconfirmed) fail(world, 'a PATCH left while an accepted one of the intent was unconfirmed');
  // A reconnect's snapshot showing the wish undone sends it again: a third PATCH for that burst.
  if (effect.attempt === 0 && burst && ++burst.patches > 2 && !burst.caughtUp) fail(world, 'a burst of clicks cost more than two PATCHes');
}

/** The promises that hold after every transition. */
export function checkTransition(world: World, before: IntentState, effects: IntentEffect[]): void {
  const { state } = world;
  const has = (type: IntentEffect['type']) => effects.some((effect) => effect.type === type);
  // Every failure is told: the problem set and reported, with the intent's outcome.
  for (const effect of effects) {
    if (effect.type !== 'finished' || ['confirmed', 'call-changed', 'reset'].includes(effect.result)) continue;
    const told = effects.find((other) => other.type === 'failed');
    if (told?.type !== 'failed' || told.problem.code !== effect.result || state.problem !== told.problem) fail(world, `a failure (${effect.result}) was not told to the agent`);
    if (effect.result === 'not-confirmed' && !has('unconfirmed')) fail(world, 'an unconfirmed intent did not have the calls fetched');
  }
  if (has('failed') && !has('finished')) fail(world, 'a failure was told without an intent ending');
  // The views are pushed whenever what they show of the intent changes.
  if ((state.intent?.wanted !== before.intent?.wanted || state.problem !== before.problem) && !has('changed')) fail(world, 'the views were not told of a change');
  // The timers the driver runs are the ones the state says; a wait ends with its intent.
  if (world.timers.has('hold') !== Boolean(state.hold)) fail(world, 'the hold timer runs exactly while the hold window is open');
  if (world.timers.has('confirm') !== Boolean(state.intent)) fail(world, 'the confirmation timeout runs exactly while an intent is pending');
  if (world.timers.has('retry') !== (state.lane?.phase === 'waiting')) fail(world, 'the retry timer runs exactly while a retry waits');
  if ((state.lane?.phase === 'sending') !== Boolean(world.wire)) fail(world, 'the machine says a PATCH is on the wire exactly when one is');
  if (state.lane && state.lane.phase !== 'sending' && !state.intent) fail(world, 'a wait outlived its intent');
  // Signed out: nothing left but a PATCH on the wire, whose answer only frees the lane.
  if (!world.signedIn && (state.intent || state.call || state.problem || world.timers.size > 0)) fail(world, 'a sign-out forgets everything');
}

/**
 * The promises of a world whose faults are over (world.ts, `heal`): nothing is pending; no
 * failure was told meanwhile unless a retry was already waiting, the call changed, or Genesys
 * changed behind the intent's back; and the last click won: Genesys has its value, unless it
 * failed (told), the agent's call changed or they signed out since, or Genesys's state changed
 * behind the intent's back after it (or before it, unheard).
 */
export function checkHealed(world: World, before: { retrying: boolean; raced: boolean; failures: number }): void {
  const { state, lastClick } = world;
  if (state.intent || state.lane || state.hold) fail(world, 'with the faults over, the intent settles');
  if (world.failures > before.failures && !before.retrying && !before.raced && !lastClick?.tainted && !lastClick?.moved) fail(world, 'with the faults over, no failure is told');
  if (lastClick && !lastClick.tainted && !lastClick.failed && !lastClick.moved && world.truth.get(lastClick.target)?.muted !== lastClick.muted) {
    fail(world, `the last click (${lastClick.muted}) did not win: Genesys has ${world.truth.get(lastClick.target)?.muted}`);
  }
}
