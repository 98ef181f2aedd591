// What survives a stopped worker: kept in chrome.storage.session, which only the extension's own
// trusted pages and worker can read, and which Chrome empties when the browser closes.
import type { StoredToken } from './auth';
import type { CallsState } from './calls';

export interface StoredChannel {
  id: string;
  connectUri: string;
  createdAt: number;
  /** Epoch ms when Genesys expires the channel (24 h after creation). */
  expiresAt: number;
}

export interface WorkerSession {
  token?: StoredToken;
  agent?: { id: string; name: string };
  channel?: StoredChannel;
  calls?: CallsState;
}

/**
 * When to move to a new channel: 10 minutes before Genesys expires it, or a quarter of its life
 * before for short-lived channels (the emulator's tests use seconds).
 */
export function channelRenewalAt(channel: StoredChannel): number {
  const life = channel.expiresAt - (channel.createdAt ?? channel.expiresAt - 24 * 3_600_000);
  return channel.expiresAt - Math.min(10 * 60_000, life / 4);
}

const SESSION_KEY = 'session';

export async function loadSession(): Promise<WorkerSession> {
  const stored = await chrome.storage.session.get(SESSION_KEY);
  const value: unknown = stored[SESSION_KEY];
  return typeof value === 'object' && value !== null ? (value as WorkerSession) : {};
}

export async function saveSession(session: WorkerSession): Promise<void> {
  await chrome.storage.session.set({ [SESSION_KEY]: session });
}

export async function clearSession(): Promise<void> {
  await chrome.storage.session.remove(SESSION_KEY);
}
