import { describe, expect, it } from 'vitest';
import { connectionDetail, describeChange, Diagnostics, DIAGNOSTICS_LIMITS, pathShape, redact, type DiagnosticsStorage } from './diagnostics';
import { formatDiagnostics, type DiagnosticsReport } from '../shared/diagnostics';

function memory(initial?: unknown): DiagnosticsStorage & { value: unknown; writes: number } {
  const store = {
    value: initial,
    writes: 0,
    get: async () => store.value,
    set: async (value: unknown) => {
      store.value = JSON.parse(JSON.stringify(value));
      store.writes += 1;
    },
  };
  return store;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the diagnostics ring', () => {
  it('keeps the last 50 state changes and the last 10 intents, and writes them to storage.session', async () => {
    const storage = memory();
    let now = 0;
    const diagnostics = new Diagnostics(storage, () => ++now);
    for (let i = 0; i < 70; i++) diagnostics.note(`change ${i}`);
    for (let i = 0; i < 15; i++) diagnostics.intent({ wanted: i % 2 === 0, result: 'confirmed', ms: 100, patches: 1 });
    await settle();
    const { entries, intents } = diagnostics.snapshot();
    expect(entries).toHaveLength(DIAGNOSTICS_LIMITS.entries);
    expect(entries[0]?.text).toBe('change 20');
    expect(intents).toHaveLength(DIAGNOSTICS_LIMITS.intents);
    expect(storage.value).toEqual({ entries, intents });
    expect(storage.writes).toBeLessThan(10); // writes are coalesced
  });

  it('survives a stopped background: a new one restores what the last kept, before its own', async () => {
    const storage = memory();
    const first = new Diagnostics(storage, () => 1);
    first.note('socket closed (1006) → backoff');
    await settle();
    const second = new Diagnostics(storage, () => 2);
    second.note('background started');
    await second.restore();
    await settle();
    expect(second.snapshot().entries.map((e) => e.text)).toEqual(['socket closed (1006) → backoff', 'background started']);
  });

  it('ignores a stored value of the wrong shape', async () => {
    const diagnostics = new Diagnostics(memory({ entries: [{ at: 'x' }, 7, { at: 1, text: 'kept' }], intents: 'no' }));
    await diagnostics.restore();
    expect(diagnostics.snapshot()).toEqual({ entries: [{ at: 1, text: 'kept' }], intents: [] });
  });

  it('never keeps an address, a channel id or a token, whatever it is handed', () => {
    const diagnostics = new Diagnostics(memory());
    diagnostics.note('failed: wss://streaming.mypurecloud.ie/channels/streaming-0-835f0442c11da717ba584824 closed');
    diagnostics.note('channel streaming-0-835f0442c11da717ba584824 and token Xy3_kq9ZbT0aL4mN8pQ2rS6tU1vW5xYz');
    const text = diagnostics.snapshot().entries.map((e) => e.text).join('\n');
    expect(text).not.toMatch(/streaming-0|wss:|Xy3_kq9Z/);
    expect(redact('HTTP 404 to PUT /api/v2/notifications/channels/{channel}/subscriptions')).toBe('HTTP 404 to PUT /api/v2/notifications/channels/{channel}/subscriptions');
    expect(redact('call 7c3b2f0e-4a1d-4b8e-9f2a-1e6d5c4b3a21')).toBe('call 7c3b2f0e-4a1d-4b8e-9f2a-1e6d5c4b3a21');
  });

  it('shows API addresses as shapes', () => {
    expect(pathShape('https://api.mypurecloud.ie/api/v2/notifications/channels/streaming-0-abc/subscriptions')).toBe('/api/v2/notifications/channels/{channel}/subscriptions');
    expect(pathShape('https://api.mypurecloud.ie/api/v2/conversations/calls/7c3b2f0e-4a1d-4b8e-9f2a-1e6d5c4b3a21/participants/8f2e4d6a-1b3c-4e5f-a7b9-0c1d2e3f4a5b')).toBe(
      '/api/v2/conversations/calls/{id}/participants/{id}',
    );
  });
});

describe('connection changes in words', () => {
  it('say what happened, why, and where the connection went', () => {
    expect(describeChange({ phase: 'backoff', failures: 2, refreshing: false }, { type: 'socket-lost', reason: 'closed (1006)' })).toBe(
      'socket closed (1006) → backoff, attempt 3 in at most 2 s',
    );
    expect(
      describeChange({ phase: 'backoff', failures: 1, refreshing: false }, { type: 'failed', lane: 'connect', cause: { kind: 'transient', retryAfterMs: 3000, detail: 'HTTP 429' } }),
    ).toBe('connect failed (HTTP 429, Retry-After 3 s) → backoff, attempt 2 in at most 1 s');
    expect(describeChange({ phase: 'waiting-for-token', failures: 0, refreshing: false }, { type: 'failed', lane: 'connect', cause: { kind: 'unauthorized' } })).toBe(
      'connect failed (token refused (401)) → waiting-for-token',
    );
    expect(describeChange({ phase: 'live', failures: 0, refreshing: false, move: 'channel' }, { type: 'renewal-due' })).toBe(
      'channel near its end → live, moving to a new channel',
    );
  });

  it('say when a lost socket is reopened on its channel, and when that failed', () => {
    expect(describeChange({ phase: 'backoff', failures: 1, refreshing: false, reopen: 'planned' }, { type: 'socket-lost', reason: 'closed (1006)' })).toBe(
      'socket closed (1006) → backoff, attempt 2 in at most 1 s: a new socket on the same channel',
    );
    expect(describeChange({ phase: 'opening', failures: 1, refreshing: false, reopen: 'trying' }, { type: 'retry-due' })).toBe('retry → opening: a new socket on the same channel');
    expect(
      describeChange({ phase: 'backoff', failures: 4, refreshing: false, reopen: 'failed' }, { type: 'failed', lane: 'connect', cause: { kind: 'transient', detail: 'socket error' } }),
    ).toBe('connect failed (socket error) → backoff, next attempt in at most 10 s: the socket could not be reopened, the channel is subscribed again');
    expect(
      describeChange({ phase: 'preparing', failures: 1, refreshing: false }, { type: 'failed', lane: 'connect', cause: { kind: 'not-reopened', detail: 'channel near its end' } }),
    ).toBe('connect failed (not reopened: channel near its end) → preparing');
    expect(connectionDetail({ phase: 'backoff', failures: 4, refreshing: false, reopen: 'failed' })).toBe(
      'backoff: the socket could not be reopened, the channel is subscribed again',
    );
    expect(connectionDetail({ phase: 'opening', failures: 1, refreshing: false, reopen: 'trying' })).toBe('opening after 1 failure in a row: a new socket on the same channel');
  });

  it('say where the connection stands', () => {
    expect(connectionDetail({ phase: 'live', failures: 0, refreshing: false })).toBe('live');
    expect(connectionDetail({ phase: 'backoff', failures: 1, refreshing: false })).toBe('backoff after 1 failure in a row');
    expect(connectionDetail({ phase: 'backoff', failures: 3, refreshing: false, move: 'socket' })).toBe('backoff after 3 failures in a row, moving to a new socket');
  });
});

describe('the diagnostics report', () => {
  const report: DiagnosticsReport = {
    version: '0.1.0',
    region: 'mypurecloud.ie',
    clientId: 'client-1',
    signedIn: true,
    connection: 'reconnecting',
    connectionDetail: 'backoff after 2 failures in a row',
    status: 'live',
    entries: [{ at: Date.UTC(2026, 10, 30, 9, 15, 2, 120), text: 'socket closed (1006) → backoff, attempt 2 in at most 1 s' }],
    intents: [{ at: Date.UTC(2026, 10, 30, 9, 15, 4), source: 'page', wanted: true, result: 'confirmed', ms: 180, patches: 1 }],
  };

  it('says what support needs, in plain text', () => {
    const text = formatDiagnostics(report, { browser: 'Chromium 156.0.7390.54 on Linux', shortcut: 'Alt+Shift+M', shortcutsPage: 'chrome://extensions/shortcuts', now: Date.UTC(2026, 10, 30, 9, 16) });
    expect(text).toContain('Extension: 0.1.0');
    expect(text).toContain('Browser: Chromium 156.0.7390.54 on Linux');
    expect(text).toContain('Region: mypurecloud.ie');
    expect(text).toContain('Client id: client-1');
    expect(text).toContain('Signed in: yes');
    expect(text).toContain('Connection: reconnecting (backoff after 2 failures in a row)');
    expect(text).toContain('Shortcut: Alt+Shift+M; it works while the browser has focus unless its scope is set to Global at chrome://extensions/shortcuts');
    expect(text).toContain('  09:15:02.120  socket closed (1006) → backoff, attempt 2 in at most 1 s');
    expect(text).toContain('  09:15:04.000  mute from the page: confirmed by Genesys after 180 ms, 1 PATCH');
  });

  it('says when the shortcut is not set or could not be read', () => {
    const context = { browser: 'x', shortcutsPage: 'chrome://extensions/shortcuts', now: 0 };
    expect(formatDiagnostics(report, { ...context, shortcut: '' })).toContain('Shortcut: not set');
    expect(formatDiagnostics(report, { ...context, shortcut: undefined })).toContain('Shortcut: could not be read');
  });
});
