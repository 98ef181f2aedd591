// The views check what the background pushes before they render it (a message is a message:
// a bug or a stale background must not become a broken control). Only the views load this.
import { readPosition } from './position';
import type { Connection, ControlStatus, ControlView, MicView, Nudge, ProblemCode, ProblemView, SpeakingCheck } from './view';

const STATUSES: ReadonlySet<string> = new Set<ControlStatus>(['not-configured', 'signed-out', 'no-call', 'live', 'muted', 'pending', 'error']);
const CONNECTIONS: ReadonlySet<string> = new Set<Connection>(['signed-out', 'connecting', 'live', 'reconnecting', 'offline']);
const NUDGES: ReadonlySet<string> = new Set<Nudge>(['speaking-while-muted']);
const SPEAKING_CHECKS: ReadonlySet<string> = new Set<SpeakingCheck>(['no-permission', 'unsupported']);

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** An absent field passes; a present one must have the right type. */
function fits<T>(value: unknown, check: (value: unknown) => value is T): value is T | undefined {
  return value === undefined || check(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

function readProblem(value: unknown): ProblemView | undefined {
  const problem = record(value);
  return problem && isString(problem['code']) && isString(problem['message']) ? { code: problem['code'] as ProblemCode, message: problem['message'] } : undefined;
}

/** A `ControlView` from an untrusted message, or undefined when it is not one. */
export function readControlView(value: unknown): ControlView | undefined {
  const view = record(value);
  if (!view || !isString(view['status']) || !STATUSES.has(view['status'])) return undefined;
  const control: ControlView = { status: view['status'] as ControlStatus };
  const call = record(view['call']);
  if (view['call'] !== undefined) {
    if (!call || !isBoolean(call['held']) || !isBoolean(call['muted'])) return undefined;
    const mutedAt = call['mutedAt'];
    if (mutedAt !== undefined && !(typeof mutedAt === 'number' && Number.isFinite(mutedAt))) return undefined;
    control.call = { held: call['held'], muted: call['muted'], ...(mutedAt !== undefined ? { mutedAt } : {}) };
  }
  const nudge = view['nudge'];
  if (nudge !== undefined) {
    if (!isString(nudge) || !NUDGES.has(nudge)) return undefined;
    control.nudge = nudge as Nudge;
  }
  const { wantMuted, agentDesktopOrigin } = view;
  if (!fits(wantMuted, isBoolean) || !fits(agentDesktopOrigin, isString)) return undefined;
  if (wantMuted !== undefined) control.wantMuted = wantMuted;
  if (agentDesktopOrigin !== undefined) control.agentDesktopOrigin = agentDesktopOrigin;
  if (view['problem'] !== undefined) {
    const problem = readProblem(view['problem']);
    if (!problem) return undefined;
    control.problem = problem;
  }
  const position = readPosition(view['position']);
  if (position) control.position = position;
  return control;
}

/** A `MicView` from an untrusted message, or undefined when it is not one. */
export function readMicView(value: unknown): MicView | undefined {
  const control = readControlView(value);
  const view = record(value);
  if (!control || !view) return undefined;
  const { connection, agentName, otherCalls, signingIn } = view;
  if (!isString(connection) || !CONNECTIONS.has(connection) || typeof otherCalls !== 'number' || !isBoolean(signingIn)) return undefined;
  if (agentName !== undefined && !isString(agentName)) return undefined;
  const result: MicView = { ...control, connection: connection as Connection, otherCalls, signingIn } as MicView;
  if (agentName !== undefined) result.agentName = agentName;
  const speakingCheck = view['speakingCheck'];
  if (speakingCheck !== undefined) {
    if (!isString(speakingCheck) || !SPEAKING_CHECKS.has(speakingCheck)) return undefined;
    result.speakingCheck = speakingCheck as SpeakingCheck;
  }
  const call = record(view['call']);
  if (call && control.call) {
    const { conversationId, otherParties, connectedAt } = call;
    if (!isString(conversationId) || !Array.isArray(otherParties) || !otherParties.every(isString)) return undefined;
    if (connectedAt !== undefined && !isString(connectedAt)) return undefined;
    result.call = { ...control.call, conversationId, otherParties, ...(connectedAt !== undefined ? { connectedAt } : {}) };
  }
  return result;
}
