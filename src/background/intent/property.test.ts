// Every sequence the world can produce (world.ts): clicks from every source (the shortcut's
// toggle, the page's and the popup's absolute values) at human and inhuman speeds; Genesys
// answering 202, 429 with Retry-After, 5xx or nothing (applied or not), 401 (a new token or none),
// 403, 404; events in order, late, lost with the socket, or contradicting (a supervisor); the
// reconnect's snapshot; hold, consult, end, a new call, a held call retrieved; the hold window,
// the retry waits and the confirmation timeout running out; sign-out and back. After each step
// every promise in promises.ts is checked, and once the faults are over, the healed world's.
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { heal, newWorld, step, type Action, type World } from './world';

/**
 * The actions possible now, common and rare (the property test picks a rare one one time in eight):
 * clicks, time, Genesys's answers and events are common; faults that end or move things are rare.
 */
function possible(world: World): { common: Action[]; rare: Action[] } {
  const common: Action[] = [];
  const rare: Action[] = [{ kind: 'outside' }, { kind: 'wait', ms: 9000 }];
  for (const ms of [20, 100, 250, 399, 400, 401, 1000, 3000]) common.push({ kind: 'wait', ms });
  if (world.known?.target) for (let i = 0; i < 3; i++) common.push({ kind: 'click', how: 'toggle' }, { kind: 'click', how: true }, { kind: 'click', how: false });
  if (world.wire) {
    common.push({ kind: 'apply' }, { kind: 'answer', status: 202 }, { kind: 'answer', status: 202 }, { kind: 'answer', status: 401 });
    rare.push({ kind: 'answer', status: 403 }, { kind: 'answer', status: 404 }, { kind: 'answer', status: 429, retryAfterS: 9 });
    for (const retryAfterS of [1, 2]) common.push({ kind: 'answer', status: 429, retryAfterS });
    for (const applied of [false, true]) common.push({ kind: 'answer', status: 503, applied }, { kind: 'answer', status: 0, applied });
  }
  if (world.events.length > 0) common.push({ kind: 'deliver' }, { kind: 'deliver' }, { kind: 'deliver' });
  if (world.tokenAsked > 0) common.push({ kind: 'token', renewed: true }, { kind: 'token', renewed: false });
  if (world.signedIn) rare.push(world.socket ? { kind: 'drop' } : { kind: 'reconnect' });
  if (!world.socket && world.signedIn) common.push({ kind: 'reconnect' });
  if (world.current) for (const change of ['hold', 'consult', 'end'] as const) rare.push({ kind: 'call', change });
  else common.push({ kind: 'call', change: 'new' });
  if (!world.current && world.held.length > 0) common.push({ kind: 'call', change: 'retrieve' });
  rare.push(world.signedIn ? { kind: 'sign-out' } : { kind: 'sign-in' });
  if (!world.signedIn) common.push({ kind: 'sign-in' });
  return { common, rare };
}

/** Picks the action `choice` names among those possible now (one in eight a rare one). */
function pick(world: World, choice: number): Action {
  const { common, rare } = possible(world);
  const from = choice % 8 === 0 ? rare : common;
  return from[Math.floor(choice / 8) % from.length]!;
}


describe('every sequence of clicks, answers, events, call changes and timers (property)', () => {
  it('keeps every promise the intent makes', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1_000_000), { minLength: 1, maxLength: 150, size: 'max' }), (choices) => {
        const world = newWorld();
        for (const choice of choices) step(world, pick(world, choice));
        heal(world);
      }),
      { numRuns: 10_000 },
    );
  });
});
