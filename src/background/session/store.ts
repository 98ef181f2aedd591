// What survives a stopped background: kept in `storage.session`, which only the extension's own
// trusted contexts can read and which the browser empties when it closes. The token and the
// channel (the socket's credential) are never written anywhere else.
import type { StoredToken } from '../auth';
import { restoreCalls, storeCalls, type CallsState, type StoredCalls } from '../calls';
import type { StoredChannel } from '../connection/channel';

export interface Agent {
  id: string;
  name: string;
}

export interface WorkerSession {
  token?: StoredToken;
  /** Epoch ms when this background got the token: it earns trust by lasting (reauth.ts). */
  tokenSince?: number;
  /** Young tokens refused in a row before this one: the silent sign-ins' bound survives a stopped background. */
  refusedInARow?: number;
  agent?: Agent;
  channel?: StoredChannel;
  calls?: CallsState;
}

interface StoredSession {
  token?: StoredToken;
  tokenSince?: number;
  refusedInARow?: number;
  agent?: Agent;
  channel?: StoredChannel;
  calls?: StoredCalls;
}

const SESSION_KEY = 'session';

/**
 * The session as stored. Only this background writes `storage.session` (the browser keeps it from
 * content scripts and empties it on update), so the shape is ours; the calls are rebuilt as a Map.
 */
export function readSession(value: unknown): WorkerSession {
  if (typeof value !== 'object' || value === null) return {};
  const { calls, ...rest } = value as StoredSession;
  return { ...rest, ...(calls !== undefined ? { calls: restoreCalls(calls) } : {}) };
}

export async function loadSession(): Promise<WorkerSession> {
  const stored = await chrome.storage.session.get(SESSION_KEY);
  return readSession(stored[SESSION_KEY]);
}

export async function saveSession(session: WorkerSession): Promise<void> {
  const { calls, ...rest } = session;
  const stored: StoredSession = { ...rest, ...(calls ? { calls: storeCalls(calls) } : {}) };
  await chrome.storage.session.set({ [SESSION_KEY]: stored });
}

export async function clearSession(): Promise<void> {
  await chrome.storage.session.remove(SESSION_KEY);
}
