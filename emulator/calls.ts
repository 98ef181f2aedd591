// The emulated org's call conversations and how they look on the wire: as REST CallConversation
// (GET /api/v2/conversations/calls) and as the calls-topic notification body. The two shapes differ
// the way Genesys's do (user refs with selfUri vs name, extra keys in events).
import { randomUUID } from 'node:crypto';
import type { Models } from 'purecloud-platform-client-v2';

export interface Agent {
  id: string;
  name: string;
  email: string;
}

/** Participant states Genesys uses (lowercase, as in both the REST model and the event enum). */
export type LegState = 'alerting' | 'dialing' | 'contacting' | 'offering' | 'connected' | 'disconnected' | 'terminated';

export interface StartCallOptions {
  customerName?: string;
  customerNumber?: string;
  state?: 'alerting' | 'connected';
  direction?: 'inbound' | 'outbound';
}

interface Leg {
  id: string;
  purpose: 'agent' | 'customer';
  name: string;
  address: string;
  ani: string;
  dnis: string;
  direction: 'inbound' | 'outbound';
  state: LegState;
  initialState: LegState;
  startTime: string;
  startAlertingTime?: string;
  connectedTime?: string;
  endTime?: string;
  startHoldTime?: string;
  disconnectType?: 'client' | 'peer';
  muted: boolean;
  held: boolean;
  confined: boolean;
  recording: boolean;
  /** Only the agent's leg belongs to a user. */
  userId?: string;
}

export interface Call {
  id: string;
  agentLeg: Leg;
  customerLeg: Leg;
  queueId: string;
  divisionId: string;
  utilizationLabelId: string;
}

/** The org's one queue and division, fixed so payloads are stable across runs. */
const QUEUE_ID = '5f4d1b8e-2b8c-4c59-9d2e-7a1f6c3e9b10';
export const DIVISION_ID = '0c3a5e9f-1d2b-4e6f-8a7b-9c0d1e2f3a4b';
const ORG_NUMBER = '+18005550100';

const ENDED: ReadonlySet<LegState> = new Set(['disconnected', 'terminated']);

export function isActive(call: Call): boolean {
  return !ENDED.has(call.agentLeg.state);
}

export function createCall(agent: Agent, options: StartCallOptions = {}): Call {
  const now = new Date().toISOString();
  const direction = options.direction ?? 'inbound';
  const state = options.state ?? 'connected';
  const customerNumber = `tel:${options.customerNumber ?? '+15551230000'}`;
  const orgNumber = `tel:${ORG_NUMBER}`;
  // Inbound: customer called the org number; outbound: the agent dialled the customer.
  const ani = direction === 'inbound' ? customerNumber : orgNumber;
  const dnis = direction === 'inbound' ? orgNumber : customerNumber;
  const common = { direction, ani, dnis, startTime: now, muted: false, held: false, confined: false, recording: false };
  const agentLeg: Leg = {
    ...common,
    id: randomUUID(),
    purpose: 'agent',
    name: agent.name,
    address: `sip:${agent.id}@localhost`,
    state,
    initialState: state,
    userId: agent.id,
    ...(state === 'alerting' ? { startAlertingTime: now } : { connectedTime: now }),
  };
  const customerLeg: Leg = {
    ...common,
    id: randomUUID(),
    purpose: 'customer',
    name: options.customerName ?? 'Casey Customer',
    address: customerNumber,
    // The customer is already on the line (in queue) while the agent's leg alerts.
    state: 'connected',
    initialState: 'connected',
    connectedTime: now,
  };
  return { id: randomUUID(), agentLeg, customerLeg, queueId: QUEUE_ID, divisionId: DIVISION_ID, utilizationLabelId: randomUUID() };
}

export function answer(call: Call): void {
  const leg = call.agentLeg;
  if (leg.state !== 'alerting') return;
  leg.state = 'connected';
  leg.connectedTime = new Date().toISOString();
}

export function setMuted(call: Call, muted: boolean): void {
  call.agentLeg.muted = muted;
}

export function setHeld(call: Call, held: boolean): void {
  const leg = call.agentLeg;
  leg.held = held;
  if (held) leg.startHoldTime = new Date().toISOString();
  else delete leg.startHoldTime;
}

export function end(call: Call): void {
  const now = new Date().toISOString();
  for (const leg of [call.agentLeg, call.customerLeg]) {
    if (ENDED.has(leg.state)) continue;
    leg.state = 'disconnected';
    leg.endTime = now;
    leg.held = false;
    delete leg.startHoldTime;
  }
  call.agentLeg.disconnectType = 'client';
  call.customerLeg.disconnectType = 'peer';
}

function legs(call: Call): Leg[] {
  return [call.customerLeg, call.agentLeg];
}

/** REST shape, as GET /api/v2/conversations/calls lists it. */
export function toCallConversation(call: Call): Models.CallConversation {
  return {
    id: call.id,
    participants: legs(call).map((leg) => toMediaParticipant(call, leg)),
    otherMediaUris: [],
    recentTransfers: [],
    utilizationLabelId: call.utilizationLabelId,
    divisions: [{ division: { id: call.divisionId, selfUri: `/api/v2/authorization/divisions/${call.divisionId}` }, entities: [] }],
    recordingState: 'none',
    securePause: false,
    selfUri: `/api/v2/conversations/calls/${call.id}`,
  };
}

function toMediaParticipant(call: Call, leg: Leg): Models.CallMediaParticipant {
  return {
    id: leg.id,
    name: leg.name,
    address: leg.address,
    startTime: leg.startTime,
    ...(leg.startAlertingTime ? { startAlertingTime: leg.startAlertingTime } : {}),
    ...(leg.connectedTime ? { connectedTime: leg.connectedTime } : {}),
    ...(leg.endTime ? { endTime: leg.endTime } : {}),
    ...(leg.startHoldTime ? { startHoldTime: leg.startHoldTime } : {}),
    purpose: leg.purpose,
    state: leg.state,
    direction: leg.direction,
    ...(leg.disconnectType ? { disconnectType: leg.disconnectType } : {}),
    held: leg.held,
    wrapupRequired: false,
    mediaRoles: [],
    ...(leg.userId ? { user: { id: leg.userId, selfUri: `/api/v2/users/${leg.userId}` } } : {}),
    queue: { id: call.queueId, selfUri: `/api/v2/routing/queues/${call.queueId}` },
    attributes: {},
    alertingTimeoutMs: 8000,
    provider: 'Edge',
    muted: leg.muted,
    confined: leg.confined,
    recording: leg.recording,
    recordingState: 'none',
    ani: leg.ani,
    dnis: leg.dnis,
    securePause: false,
  };
}

/** Keys real events carry that no published model lists; clients must ignore them. */
interface UndocumentedKeys {
  additionalProperties: Record<string, never>;
}
export type CallEventParticipant = Models.ConversationCallEventTopicCallMediaParticipant & UndocumentedKeys;
export type CallEventBody = Models.ConversationCallEventTopicCallConversation &
  UndocumentedKeys & { participants: CallEventParticipant[] };

/**
 * Notification shape (calls topic). `stateCase: 'upper'` sends participant states in capitals, a
 * knob for tolerance tests: the documented values are lowercase.
 */
export function toEventBody(call: Call, agent: Agent, stateCase: 'lower' | 'upper' = 'lower'): CallEventBody {
  return {
    id: call.id,
    participants: legs(call).map((leg) => toEventParticipant(call, leg, agent, stateCase)),
    otherMediaUris: [],
    address: call.customerLeg.address,
    utilizationLabelId: call.utilizationLabelId,
    divisions: [{ division: { id: call.divisionId }, entities: [] }],
    recordingState: 'none',
    securePause: false,
    maxParticipants: 0,
    additionalProperties: {},
  };
}

function toEventParticipant(call: Call, leg: Leg, agent: Agent, stateCase: 'lower' | 'upper'): CallEventParticipant {
  const state = stateCase === 'upper' ? leg.state.toUpperCase() : leg.state;
  return {
    id: leg.id,
    name: leg.name,
    address: leg.address,
    startTime: leg.startTime,
    ...(leg.connectedTime ? { connectedTime: leg.connectedTime } : {}),
    ...(leg.endTime ? { endTime: leg.endTime } : {}),
    ...(leg.startHoldTime ? { startHoldTime: leg.startHoldTime } : {}),
    purpose: leg.purpose,
    state,
    initialState: leg.initialState,
    direction: leg.direction,
    ...(leg.disconnectType ? { disconnectType: leg.disconnectType } : {}),
    held: leg.held,
    wrapupRequired: false,
    ...(leg.userId ? { user: { id: leg.userId, name: agent.name } } : {}),
    queue: { id: call.queueId },
    attributes: {},
    alertingTimeoutMs: 8000,
    provider: 'Edge',
    mediaRoles: [],
    muted: leg.muted,
    confined: leg.confined,
    recording: leg.recording,
    recordingState: 'none',
    securePause: false,
    ani: leg.ani,
    dnis: leg.dnis,
    additionalProperties: {},
  };
}
