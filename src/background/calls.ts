// The agent's calls, derived by pure functions from Genesys's calls-topic events and from the
// GET /api/v2/conversations/calls snapshot. Input is untrusted JSON: unknown fields are ignored,
// missing or mistyped ones are treated as absent, and states are compared in any letter case.

/** The agent's own leg of a call. */
export interface AgentLeg {
  participantId: string;
  /** Lower-case Genesys state: alerting, dialing, contacting, offering, connected, ... */
  state: string;
  muted: boolean;
  held: boolean;
  connectedAt?: string;
  /**
   * When the extension heard Genesys confirm the mute (epoch ms): the event's arrival, kept for as
   * long as Genesys keeps saying muted (and across a worker restart, with the calls).
   */
  mutedAt?: number;
}

export interface TrackedCall {
  conversationId: string;
  agentLeg: AgentLeg;
  /** Names (or numbers) of the other people on the call. */
  otherParties: string[];
  /** Order in which calls were first seen; breaks ties between calls with equal connect times. */
  seen: number;
}

export interface CallsState {
  /** By conversation id. A Map: the ids come from the network and must never be object keys. */
  calls: ReadonlyMap<string, TrackedCall>;
  nextSeen: number;
}

export const NO_CALLS: CallsState = { calls: new Map(), nextSeen: 0 };

const ENDED = new Set(['disconnected', 'terminated']);
/** Routing and system legs are not people the agent talks to. */
const NOT_PEOPLE = new Set(['acd', 'ivr', 'workflow', 'station', 'voicemail', 'fax']);

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stateOf(participant: Record<string, unknown>): string {
  return (text(participant['state']) ?? '').toLowerCase();
}

function userIdOf(participant: Record<string, unknown>): string | undefined {
  return text(record(participant['user'])?.['id']);
}

export interface ReadConversation {
  conversationId: string;
  /** Absent when the agent has no live leg on it: the call is over for the agent. */
  call?: Omit<TrackedCall, 'seen'>;
}

/** Reads one conversation (event body or REST entity); undefined when it has no id. */
export function readConversation(raw: unknown, userId: string): ReadConversation | undefined {
  const conversation = record(raw);
  const conversationId = text(conversation?.['id']);
  if (!conversation || !conversationId) return undefined;
  const participants = Array.isArray(conversation['participants'])
    ? conversation['participants'].map(record).filter((p): p is Record<string, unknown> => p !== undefined)
    : [];
  let agentLeg: AgentLeg | undefined;
  const otherParties: string[] = [];
  for (const participant of participants) {
    const state = stateOf(participant);
    const id = text(participant['id']);
    if (userIdOf(participant) === userId) {
      // A rejoined agent has an old ended leg and a new live one: the live one counts.
      if (id && !ENDED.has(state)) {
        const connectedAt = text(participant['connectedTime']);
        agentLeg = {
          participantId: id,
          state,
          muted: participant['muted'] === true,
          held: participant['held'] === true,
          ...(connectedAt ? { connectedAt } : {}),
        };
      }
      continue;
    }
    const purpose = (text(participant['purpose']) ?? '').toLowerCase();
    if (ENDED.has(state) || NOT_PEOPLE.has(purpose)) continue;
    const name = text(participant['name']) ?? text(participant['address']) ?? text(participant['ani']);
    if (name && !otherParties.includes(name)) otherParties.push(name);
  }
  return agentLeg ? { conversationId, call: { conversationId, agentLeg, otherParties } } : { conversationId };
}

/** `seenFrom` keeps the order calls were first seen in across snapshots, so "most recent" is stable. */
function withCall(state: CallsState, raw: unknown, userId: string, now: number, seenFrom: CallsState = state): CallsState {
  const read = readConversation(raw, userId);
  if (read === undefined) return state;
  const calls = new Map(state.calls);
  if (!read.call) {
    if (!calls.delete(read.conversationId)) return state;
    return { ...state, calls };
  }
  const known = seenFrom.calls.get(read.conversationId);
  const leg = read.call.agentLeg;
  // Still muted: the mute began when it was first confirmed, not at this event.
  const before = known?.agentLeg.participantId === leg.participantId ? known.agentLeg : undefined;
  if (leg.muted) leg.mutedAt = before?.muted && before.mutedAt !== undefined ? before.mutedAt : now;
  calls.set(read.conversationId, { ...read.call, seen: known?.seen ?? state.nextSeen });
  return { calls, nextSeen: known ? state.nextSeen : state.nextSeen + 1 };
}

/** Applies one calls-topic event body (arrived at `now`). Events for calls without the agent change nothing. */
export function applyCallEvent(state: CallsState, eventBody: unknown, userId: string, now: number = Date.now()): CallsState {
  return withCall(state, eventBody, userId, now);
}

/** Replaces everything with what GET /api/v2/conversations/calls says now. */
export function fromSnapshot(previous: CallsState, listing: unknown, userId: string, now: number = Date.now()): CallsState {
  const entities = record(listing)?.['entities'];
  let state: CallsState = { calls: new Map(), nextSeen: previous.nextSeen };
  if (!Array.isArray(entities)) return state;
  for (const entity of entities) state = withCall(state, entity, userId, now, previous);
  return state;
}

/** The call the mute control acts on: connected and not held; the most recently connected if several. */
export function controlledCall(state: CallsState): TrackedCall | undefined {
  let best: TrackedCall | undefined;
  for (const call of state.calls.values()) {
    if (call.agentLeg.state !== 'connected' || call.agentLeg.held) continue;
    if (!best || isNewer(call, best)) best = call;
  }
  return best;
}

function isNewer(a: TrackedCall, b: TrackedCall): boolean {
  const aTime = a.agentLeg.connectedAt ? Date.parse(a.agentLeg.connectedAt) : Number.NaN;
  const bTime = b.agentLeg.connectedAt ? Date.parse(b.agentLeg.connectedAt) : Number.NaN;
  if (!Number.isNaN(aTime) && !Number.isNaN(bTime) && aTime !== bTime) return aTime > bTime;
  if (Number.isNaN(aTime) !== Number.isNaN(bTime)) return !Number.isNaN(aTime);
  return a.seen > b.seen;
}

/** The calls as `storage.session` keeps them (JSON has no Map). */
export interface StoredCalls {
  calls: TrackedCall[];
  nextSeen: number;
}

export function storeCalls(state: CallsState): StoredCalls {
  return { calls: [...state.calls.values()], nextSeen: state.nextSeen };
}

/** Calls read back from storage.session (written only by the background itself). */
export function restoreCalls(value: unknown): CallsState {
  const stored = record(value) as Partial<StoredCalls> | undefined;
  if (!stored || !Array.isArray(stored.calls) || typeof stored.nextSeen !== 'number') return NO_CALLS;
  return { calls: new Map(stored.calls.map((call) => [call.conversationId, call])), nextSeen: stored.nextSeen };
}

/** The calls topic for one user; the only topic the extension subscribes to. */
export function callsTopic(userId: string): string {
  return `v2.users.${userId}.conversations.calls`;
}
