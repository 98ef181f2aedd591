import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyCallEvent, controlledCall, fromSnapshot, NO_CALLS, readConversation, restoreCalls, storeCalls, type CallsState } from './calls';

const ME = 'agent-1';

function call(id: string, agent: Record<string, unknown>, others: Record<string, unknown>[] = [{ id: `${id}-c`, purpose: 'customer', state: 'connected', name: 'Casey' }]) {
  return { id, participants: [{ id: `${id}-a`, purpose: 'agent', user: { id: ME }, ...agent }, ...others] };
}

describe('reading a conversation', () => {
  it('finds the agent leg and the other people, ignoring unknown fields', () => {
    const read = readConversation(
      {
        id: 'c1',
        additionalProperties: {},
        participants: [
          { id: 'p-acd', purpose: 'acd', state: 'disconnected', name: 'Sales queue' },
          { id: 'p-a', purpose: 'agent', state: 'CONNECTED', muted: true, held: false, user: { id: ME, name: 'Me' }, connectedTime: '2026-11-24T10:00:00Z', extra: [1, 2] },
          { id: 'p-c', purpose: 'customer', state: 'connected', address: 'tel:+15551230000' },
        ],
      },
      ME,
    );
    expect(read?.call).toEqual({
      conversationId: 'c1',
      agentLeg: { participantId: 'p-a', state: 'connected', muted: true, held: false, connectedAt: '2026-11-24T10:00:00Z' },
      otherParties: ['tel:+15551230000'],
    });
  });

  it('treats mistyped fields as absent', () => {
    const read = readConversation({ id: 'c1', participants: [{ id: 'p-a', user: { id: ME }, state: 7, muted: 'yes', held: null }, 'junk', null] }, ME);
    expect(read?.call?.agentLeg).toEqual({ participantId: 'p-a', state: '', muted: false, held: false });
  });

  it('says the call is over for the agent when the agent leg is disconnected', () => {
    expect(readConversation(call('c1', { state: 'disconnected' }), ME)).toEqual({ conversationId: 'c1' });
  });

  it('ignores conversations without an id', () => {
    expect(readConversation({ participants: [] }, ME)).toBeUndefined();
    expect(readConversation('nope', ME)).toBeUndefined();
  });

  it('prefers the live leg of an agent who rejoined', () => {
    const read = readConversation(
      { id: 'c1', participants: [{ id: 'old', user: { id: ME }, state: 'connected' }, { id: 'new', user: { id: ME }, state: 'disconnected' }] },
      ME,
    );
    expect(read?.call?.agentLeg.participantId).toBe('old');
  });
});

describe('applying events', () => {
  it('adds, updates and removes calls', () => {
    let state = applyCallEvent(NO_CALLS, call('c1', { state: 'connected', muted: false }), ME);
    expect(controlledCall(state)?.agentLeg.muted).toBe(false);
    state = applyCallEvent(state, call('c1', { state: 'connected', muted: true }), ME);
    expect(controlledCall(state)?.agentLeg.muted).toBe(true);
    state = applyCallEvent(state, call('c1', { state: 'terminated' }), ME);
    expect(state.calls.size).toBe(0);
  });

  it('ignores calls the agent is not on', () => {
    const other = { id: 'c9', participants: [{ id: 'x', user: { id: 'someone-else' }, state: 'connected' }] };
    expect(applyCallEvent(NO_CALLS, other, ME)).toBe(NO_CALLS);
  });
});

describe('the call to control', () => {
  it('is the connected one when another is held', () => {
    let state = applyCallEvent(NO_CALLS, call('held', { state: 'connected', held: true, connectedTime: '2026-11-24T10:05:00Z' }), ME);
    state = applyCallEvent(state, call('live', { state: 'connected', connectedTime: '2026-11-24T10:00:00Z' }), ME);
    expect(controlledCall(state)?.conversationId).toBe('live');
  });

  it('is the most recently connected of several', () => {
    let state = applyCallEvent(NO_CALLS, call('later', { state: 'connected', connectedTime: '2026-11-24T10:05:00Z' }), ME);
    state = applyCallEvent(state, call('earlier', { state: 'connected', connectedTime: '2026-11-24T10:00:00Z' }), ME);
    expect(controlledCall(state)?.conversationId).toBe('later');
  });

  it('falls back to the order seen when times are missing', () => {
    let state = applyCallEvent(NO_CALLS, call('first', { state: 'connected' }), ME);
    state = applyCallEvent(state, call('second', { state: 'connected' }), ME);
    expect(controlledCall(state)?.conversationId).toBe('second');
  });

  it('is none while the agent leg only rings', () => {
    expect(controlledCall(applyCallEvent(NO_CALLS, call('c1', { state: 'alerting' }), ME))).toBeUndefined();
  });
});

describe('ids from the network', () => {
  it.each(['__proto__', 'constructor', 'hasOwnProperty'])('are only keys of a Map, never of an object: %s', (id) => {
    const state = applyCallEvent(NO_CALLS, call(id, { id: 'p1', purpose: 'agent', state: 'connected', user: { id: ME } }), ME);
    expect(state.calls.get(id)?.conversationId).toBe(id);
    expect(controlledCall(state)?.conversationId).toBe(id);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const ended = applyCallEvent(state, call(id, { id: 'p1', purpose: 'agent', state: 'disconnected', user: { id: ME } }), ME);
    expect(ended.calls.size).toBe(0);
  });
});

describe('calls kept across a stopped background', () => {
  it('come back as they were', () => {
    const state = applyCallEvent(NO_CALLS, call('a', { id: 'p1', purpose: 'agent', state: 'connected', muted: true, user: { id: ME } }), ME);
    const back = restoreCalls(JSON.parse(JSON.stringify(storeCalls(state))));
    expect(back).toEqual(state);
    expect(restoreCalls('garbage')).toBe(NO_CALLS);
  });
});

describe('snapshots', () => {
  it('replace the state and keep the order calls were first seen in', () => {
    let state = applyCallEvent(NO_CALLS, call('a', { state: 'connected' }), ME);
    state = applyCallEvent(state, call('b', { state: 'connected' }), ME);
    const snapshot = { entities: [call('b', { state: 'connected' }), call('a', { state: 'connected', muted: true })], pageSize: 25 };
    const next = fromSnapshot(state, snapshot, ME);
    expect(controlledCall(next)?.conversationId).toBe('b');
    expect(next.calls.get('a')?.agentLeg.muted).toBe(true);
  });

  it('drop calls that are gone', () => {
    const state = applyCallEvent(NO_CALLS, call('a', { state: 'connected' }), ME);
    expect(fromSnapshot(state, { entities: [] }, ME).calls.size).toBe(0);
    expect(fromSnapshot(state, 'garbage', ME).calls.size).toBe(0);
  });
});

describe('any sequence of events', () => {
  const participant = fc.record(
    {
      id: fc.constantFrom('p1', 'p2', 'p3'),
      user: fc.option(fc.record({ id: fc.constantFrom(ME, 'other') }), { nil: undefined }),
      state: fc.constantFrom('connected', 'CONNECTED', 'alerting', 'disconnected', 'Terminated', 7, undefined),
      muted: fc.constantFrom(true, false, 'true', undefined),
      held: fc.constantFrom(true, false, undefined),
      connectedTime: fc.option(fc.constantFrom('2026-11-24T10:00:00Z', '2026-11-24T11:00:00Z', 'not a date'), { nil: undefined }),
    },
    { requiredKeys: [] },
  );
  const event = fc.oneof(
    fc.record({ id: fc.constantFrom('c1', 'c2', 'c3'), participants: fc.array(participant, { maxLength: 4 }) }),
    fc.anything(),
  );

  it('never throws, and the controlled call is always connected, not held and the agent\'s', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        let state: CallsState = NO_CALLS;
        for (const body of events) state = applyCallEvent(state, body, ME);
        const controlled = controlledCall(state);
        if (controlled) {
          expect(controlled.agentLeg.state).toBe('connected');
          expect(controlled.agentLeg.held).toBe(false);
        }
        // The state equals what the last event of each conversation says.
        for (const [id, tracked] of state.calls) {
          const last = [...events].reverse().find((e) => typeof e === 'object' && e !== null && (e as { id?: unknown }).id === id);
          const { mutedAt, ...leg } = tracked.agentLeg;
          expect(readConversation(last, ME)?.call?.agentLeg).toEqual(leg);
          // A muted leg always knows since when; an open one never says.
          expect(mutedAt !== undefined).toBe(leg.muted);
        }
      }),
    );
  });
});
