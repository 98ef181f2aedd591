// What happened lately, for an admin's ticket: the last state changes with their reasons (socket
// opened and closed, reconnects, subscription answers, 401/429/5xx seen, sign-ins, restarts of the
// background) and the last mute intents with their outcome. A bounded ring kept in storage.session,
// so it survives a stopped background; never a token, a channel id or a socket address.
import type { DiagnosticEntry, DiagnosticIntent } from '../shared/diagnostics';
import { backoffCeiling, type ConnectionEvent, type ConnectionState } from './connection/machine';

export const DIAGNOSTICS_KEY = 'diagnostics';
export const DIAGNOSTICS_LIMITS = { entries: 50, intents: 10 } as const;

/** Where the ring is kept: `storage.session` in the extension, a fake in tests. */
export interface DiagnosticsStorage {
  get(): Promise<unknown>;
  set(value: unknown): Promise<void>;
}

export const sessionDiagnosticsStorage: DiagnosticsStorage = {
  get: async () => (await chrome.storage.session.get(DIAGNOSTICS_KEY))[DIAGNOSTICS_KEY],
  set: (value) => chrome.storage.session.set({ [DIAGNOSTICS_KEY]: value }),
};

interface Stored {
  entries: DiagnosticEntry[];
  intents: DiagnosticIntent[];
}

/**
 * Takes out anything that could be a credential, whatever a message passed on from elsewhere says:
 * addresses (a socket address carries the channel id), and long runs of token-like characters
 * (Genesys channel ids, access tokens). Conversation ids (UUIDs) stay: they are not credentials.
 */
export function redact(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<address>')
    .replace(/[A-Za-z0-9_~+=-]{24,}/g, (run) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(run) ? run : '<redacted>'));
}

/** An API address as diagnostics show it: the path, with the channel and every id replaced. */
export function pathShape(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split('?')[0] ?? '';
  }
  return path
    .replace(/\/channels\/[^/]+/, '/channels/{channel}')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{id}');
}

/** What each connection event means, for the diagnostics (failures and lost sockets say more). */
const EVENT_WORDS: Record<ConnectionEvent['type'], string> = {
  start: 'connect',
  stop: 'disconnect',
  token: 'new token',
  prepared: 'subscribed',
  opened: 'socket opened',
  'caught-up': 'calls fetched',
  failed: 'failed',
  'socket-lost': 'socket lost',
  'socket-closing': 'socket closing soon',
  'renewal-due': 'channel near its end',
  'retry-due': 'retry',
  refresh: 'refetch (mute unconfirmed)',
  online: 'browser online',
  offline: 'browser offline',
};

/** A connection change in words, with its reason: `socket closed (1006) → backoff, attempt 2 in at most 1 s`. */
export function describeChange(state: ConnectionState, event: ConnectionEvent): string {
  let what = EVENT_WORDS[event.type];
  if (event.type === 'socket-lost') what = `socket ${event.reason ?? 'lost'}`;
  if (event.type === 'failed') {
    const { cause } = event;
    const why = cause.kind === 'unauthorized' ? 'token refused (401)' : cause.kind === 'rejected' ? `subscription refused: ${cause.message}` : cause.kind === 'not-reopened' ? `not reopened: ${cause.detail}` : (cause.detail ?? 'error');
    what = `${event.lane} failed (${why}${cause.kind === 'transient' && cause.retryAfterMs !== undefined ? `, Retry-After ${cause.retryAfterMs / 1000} s` : ''})`;
  }
  if ('lane' in event && event.type !== 'failed' && event.lane !== 'connect') what += ` (${event.lane})`;
  return `${what} → ${phaseWords(state)}${moves(state)}`;
}

/** The phase, and for a backoff when the next attempt comes: `backoff, attempt 2 in at most 1 s: a new socket on the same channel`. */
function phaseWords(state: ConnectionState): string {
  if (state.phase !== 'backoff') return `${state.phase}${reopenWords(state)}`;
  const within = backoffCeiling(state.failures, state.reopen === 'failed') / 1000;
  if (state.reopen === 'failed') return `backoff, next attempt in at most ${within} s${reopenWords(state)}`;
  return `backoff, attempt ${state.failures + 1} in at most ${within} s${reopenWords(state)}`;
}

/** What a reopen of the lost socket is at: `: a new socket on the same channel`. */
function reopenWords(state: ConnectionState): string {
  switch (state.reopen) {
    case 'planned':
    case 'trying':
      return ': a new socket on the same channel';
    case 'failed':
      return ': the socket could not be reopened, the channel is subscribed again';
    case undefined:
      return '';
  }
}

/** The move under way, what is owed after it, and failed renewals: `, moving to a new socket, then a new channel`. */
function moves(state: ConnectionState): string {
  const renewals = state.failedRenewals ? `, ${state.failedRenewals} renewal${state.failedRenewals === 1 ? '' : 's'} failed` : '';
  return `${state.move ? `, moving to a new ${state.move}` : ''}${state.owed ? `, then a new ${state.owed}` : ''}${renewals}`;
}

/** Where the connection stands, in words: `backoff after 2 failures in a row`. */
export function connectionDetail(state: ConnectionState): string {
  // A failed reopen counts as several failures (a longer backoff): the count would mislead.
  const failures = state.reopen === 'failed' ? '' : state.failures > 0 ? ` after ${state.failures} failure${state.failures === 1 ? '' : 's'} in a row` : '';
  return `${state.phase}${failures}${reopenWords(state)}${moves(state)}`;
}

function isEntry(value: unknown): value is DiagnosticEntry {
  return typeof value === 'object' && value !== null && typeof (value as DiagnosticEntry).at === 'number' && typeof (value as DiagnosticEntry).text === 'string';
}

function isIntent(value: unknown): value is DiagnosticIntent {
  const intent = value as DiagnosticIntent;
  return typeof value === 'object' && value !== null && typeof intent.at === 'number' && typeof intent.wanted === 'boolean' && typeof intent.result === 'string';
}

export class Diagnostics {
  private entries: DiagnosticEntry[] = [];
  private intents: DiagnosticIntent[] = [];
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly storage: DiagnosticsStorage = sessionDiagnosticsStorage,
    private readonly now: () => number = Date.now,
  ) {}

  /** Brings back what an earlier life of the background kept; what this one noted so far stays after it. */
  async restore(): Promise<void> {
    let stored: unknown;
    try {
      stored = await this.storage.get();
    } catch {
      return;
    }
    const saved = (typeof stored === 'object' && stored !== null ? stored : {}) as Partial<Stored>;
    const entries = Array.isArray(saved.entries) ? saved.entries.filter(isEntry) : [];
    const intents = Array.isArray(saved.intents) ? saved.intents.filter(isIntent) : [];
    this.entries = [...entries, ...this.entries].slice(-DIAGNOSTICS_LIMITS.entries);
    this.intents = [...intents, ...this.intents].slice(-DIAGNOSTICS_LIMITS.intents);
    this.save();
  }

  note(text: string): void {
    this.entries.push({ at: this.now(), text: redact(text) });
    if (this.entries.length > DIAGNOSTICS_LIMITS.entries) this.entries.splice(0, this.entries.length - DIAGNOSTICS_LIMITS.entries);
    this.save();
  }

  intent(intent: Omit<DiagnosticIntent, 'at'>): void {
    this.intents.push({ at: this.now(), ...intent });
    if (this.intents.length > DIAGNOSTICS_LIMITS.intents) this.intents.splice(0, this.intents.length - DIAGNOSTICS_LIMITS.intents);
    this.save();
  }

  snapshot(): Stored {
    return { entries: [...this.entries], intents: [...this.intents] };
  }

  /** Written at once (the background may stop at any moment), one write at a time. */
  private save(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.saving = this.saving.then(async () => {
      this.dirty = false;
      await this.storage.set(this.snapshot()).catch(() => undefined);
    });
  }
}
