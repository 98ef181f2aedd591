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

/** The part of a `chrome.storage` area the session uses. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * Where the session lives (`session`: the token, agent, channel and calls) and where the agent's
 * "signed out on purpose" flag lives (`local`). The browser's own areas unless told otherwise: the
 * fleet simulation runs many sessions in one process, each with its own.
 */
export interface SessionStorage {
  session: SessionArea;
  local: SessionArea;
}

/** The browser's `storage.session` and `storage.local`, read when used (tests stub `chrome` late). */
export const CHROME_STORAGE: SessionStorage = {
  session: {
    get: (key) => chrome.storage.session.get(key),
    set: (items) => chrome.storage.session.set(items),
    remove: (key) => chrome.storage.session.remove(key),
  },
  local: {
    get: (key) => chrome.storage.local.get(key),
    set: (items) => chrome.storage.local.set(items),
    remove: (key) => chrome.storage.local.remove(key),
  },
};

/**
 * The session as stored. Only this background writes `storage.session` (the browser keeps it from
 * content scripts and empties it on update), so the shape is ours; the calls are rebuilt as a Map.
 */
export function readSession(value: unknown): WorkerSession {
  if (typeof value !== 'object' || value === null) return {};
  const { calls, ...rest } = value as StoredSession;
  return { ...rest, ...(calls !== undefined ? { calls: restoreCalls(calls) } : {}) };
}

export async function loadSession(area: SessionArea = CHROME_STORAGE.session): Promise<WorkerSession> {
  const stored = await area.get(SESSION_KEY);
  return readSession(stored[SESSION_KEY]);
}

export async function saveSession(session: WorkerSession, area: SessionArea = CHROME_STORAGE.session): Promise<void> {
  const { calls, ...rest } = session;
  const stored: StoredSession = { ...rest, ...(calls ? { calls: storeCalls(calls) } : {}) };
  await area.set({ [SESSION_KEY]: stored });
}

export async function clearSession(area: SessionArea = CHROME_STORAGE.session): Promise<void> {
  await area.remove(SESSION_KEY);
}
