import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GenesysError, RequestBudget } from '../genesys';
import type { Identity, signIn } from '../auth';
import { SessionKeeper } from './keeper';
import { REAUTH_LIMITS } from './reauth';

/** Just enough of chrome.storage for the session (storage.session) and the signed-out flag. */
function fakeChromeStorage(): void {
  const area = () => {
    let items: Record<string, unknown> = {};
    return {
      get: async (key: string) => (key in items ? { [key]: items[key] } : {}),
      set: async (next: Record<string, unknown>) => void (items = { ...items, ...next }),
      remove: async (key: string) => void delete items[key],
    };
  };
  vi.stubGlobal('chrome', { ...(globalThis as { chrome?: object }).chrome, storage: { session: area(), local: area() } });
}

const SETTINGS = { environment: 'mypurecloud.ie', clientId: 'client-1' };

/**
 * The authorize round trip and the token exchange as requests, without PKCE's real crypto (its
 * SHA-256 answers on Node's real event loop, which a fake clock would race). auth.test.ts covers
 * the real sign-in.
 */
const quickSignIn: typeof signIn = async (settings, _interactive, identity, fetchImpl = fetch) => {
  const state = 'st';
  await identity.launchWebAuthFlow(`https://login.${settings.environment}/oauth/authorize?state=${state}`, false);
  const answer = (await (await fetchImpl(`https://login.${settings.environment}/oauth/token`, { method: 'POST' })).json()) as { access_token: string };
  return { accessToken: answer.access_token, expiresAt: Date.now() + 86_340_000, environment: settings.environment, clientId: settings.clientId };
};

/**
 * A Genesys whose login host always issues tokens (the agent's login session lives) and whose
 * API refuses every token while `apiDown` says so: the sign-in storm of an API or proxy incident.
 */
function incident(refuses: (url: string) => boolean = () => true) {
  const counts = { authorize: 0, token: 0, api: 0 };
  let apiDown = true;
  const identity: Identity = {
    redirectUri: () => 'https://ext.chromiumapp.org/',
    launchWebAuthFlow: async (url) => {
      counts.authorize += 1;
      const state = new URL(url).searchParams.get('state');
      return `https://ext.chromiumapp.org/?code=c${counts.authorize}&state=${state}`;
    },
  };
  const fetchImpl = async (input: string): Promise<Response> => {
    if (input.endsWith('/oauth/token')) {
      counts.token += 1;
      return Response.json({ access_token: `token-${counts.token}`, token_type: 'bearer', expires_in: 86_400 });
    }
    counts.api += 1;
    return apiDown && refuses(input) ? Response.json({ code: 'authentication.required' }, { status: 401 }) : Response.json({ id: 'me', entities: [] });
  };
  let ended = 0;
  const keeper: SessionKeeper = new SessionKeeper({
    settings: () => SETTINGS,
    identity,
    budget: new RequestBudget(),
    // The connection tries the API as soon as it has a token, as the worker's does.
    tokenArrived: () => void useApi(),
    ended: () => (ended += 1),
    changed: () => undefined,
    random: () => 0.5,
    fetch: fetchImpl,
    signIn: quickSignIn,
  });
  const useApi = async (): Promise<void> => {
    try {
      // As the connection does: who the agent is, then the calls.
      await keeper.api().getMe();
      await keeper.api().getCalls();
    } catch (error) {
      if (error instanceof GenesysError && error.status === 401) void keeper.needToken('refused');
    }
  };
  return {
    keeper,
    counts,
    useApi,
    endedCount: () => ended,
    recover: () => {
      apiDown = false;
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  fakeChromeStorage();
});

const pass = (ms: number) => vi.advanceTimersByTimeAsync(ms);
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('a Genesys that refuses every token for 20 s (the sign-in storm)', () => {
  it('costs a handful of sign-ins, not hundreds, then asks the agent to sign in again', async () => {
    const { keeper, counts, useApi, endedCount } = incident();
    await keeper.signInInteractive();
    await pass(20_000);
    expect(counts.authorize).toBeLessThanOrEqual(4);
    expect(counts.token).toBeLessThanOrEqual(4);
    expect(counts.api).toBeLessThanOrEqual(5);
    await pass(60_000);
    // Given up: the agent sees "sign in again", and nothing is tried by itself any more.
    expect(endedCount()).toBe(1);
    expect(keeper.problem?.code).toBe('session-expired');
    expect(keeper.token).toBeUndefined();
    const after = { ...counts };
    await useApi();
    await pass(120_000);
    expect(counts.authorize).toBe(after.authorize);
  });

  it('is back to work by itself when the incident ends within the backoff', async () => {
    const { keeper, counts, endedCount, recover } = incident();
    await keeper.signInInteractive();
    await pass(5_000);
    recover();
    await pass(60_000);
    expect(endedCount()).toBe(0);
    expect(keeper.token).toBeDefined();
    expect(keeper.problem).toBeUndefined();
    expect(counts.authorize).toBeLessThanOrEqual(4);
  });

  it('is back to work with one click after it gave up', async () => {
    const { keeper, recover } = incident();
    await keeper.signInInteractive();
    await pass(120_000);
    expect(keeper.token).toBeUndefined();
    recover();
    expect(await keeper.signInInteractive()).toEqual({ ok: true });
    await pass(1_000);
    expect(keeper.token).toBeDefined();
  });

  it('gets new tokens again after the agent signed in again (the give-up left no renewal behind)', async () => {
    const { keeper, counts } = incident();
    await keeper.signInInteractive();
    await pass(120_000);
    expect(keeper.token).toBeUndefined();
    // The agent clicks Sign in; Genesys still refuses the new token, so a silent sign-in follows
    // (after 1–2 s: a young token). Before: the give-up's settled promise answered every later
    // 401 at once with false, and the connection waited for a token for ever.
    await keeper.signInInteractive();
    const before = counts.authorize;
    await pass(3_000);
    expect(counts.authorize).toBe(before + 1);
    expect(keeper.token?.accessToken).toBe(`token-${counts.token}`);
  });

  it('counts sign-in requests on the same budget as API requests, across tokens', async () => {
    const budget = new RequestBudget(3, 60_000);
    const { keeper } = incident();
    (keeper as unknown as { host: { budget: RequestBudget } }).host.budget = budget;
    await keeper.signInInteractive();
    // authorize + token + one API call: the budget is spent, whatever the new token.
    expect(budget.take()).toBeGreaterThan(0);
  });
});

describe('a partial incident: one service refuses every token while the others accept it', () => {
  it('costs a handful of sign-ins over 20 s: one accepted request is no proof the token is good', async () => {
    const { keeper, counts, endedCount } = incident((url) => url.includes('/conversations/calls'));
    await keeper.signInInteractive();
    await pass(20_000);
    // Before: every refusal followed an accepted users/me, so each signed in again at once (57 in 20 s).
    expect(counts.authorize).toBeLessThanOrEqual(4);
    expect(counts.token).toBeLessThanOrEqual(4);
    await pass(60_000);
    expect(endedCount()).toBe(1);
    expect(keeper.problem?.code).toBe('session-expired');
  });

  it('keeps counting across a stopped background (the count is stored with the session)', async () => {
    const { keeper, counts } = incident((url) => url.includes('/conversations/calls'));
    await keeper.signInInteractive();
    await pass(10_000);
    const restarted = new SessionKeeper((keeper as unknown as { host: ConstructorParameters<typeof SessionKeeper>[0] }).host);
    await restarted.restore();
    expect(restarted.session.refusedInARow).toBeGreaterThan(0);
    const before = counts.authorize;
    void restarted.needToken('refused');
    await pass(0);
    // A fresh count would have signed in at once.
    expect(counts.authorize).toBe(before);
  });
});

describe('a token that lasted and then expired or was revoked', () => {
  it('is replaced at once, silently, and the count starts afresh', async () => {
    const { keeper, counts, recover } = incident();
    recover();
    await keeper.signInInteractive();
    await pass(REAUTH_LIMITS.trustedAfterMs);
    const before = counts.authorize;
    expect(await keeper.needToken('refused')).toBe(true);
    expect(counts.authorize).toBe(before + 1);
  });
});

describe('storage', () => {
  /** A storage area of its own, as the fleet simulation gives each of its agents. */
  function memoryArea() {
    const items = new Map<string, unknown>();
    return {
      items,
      get: async (key: string) => (items.has(key) ? { [key]: items.get(key) } : {}),
      set: async (next: Record<string, unknown>) => void Object.entries(next).forEach(([key, value]) => items.set(key, value)),
      remove: async (key: string) => void items.delete(key),
    };
  }

  it("keeps each session in the storage it was given, never in the browser's", async () => {
    const { keeper } = incident();
    const host = (keeper as unknown as { host: ConstructorParameters<typeof SessionKeeper>[0] }).host;
    const mine = { session: memoryArea(), local: memoryArea() };
    const theirs = { session: memoryArea(), local: memoryArea() };
    const one = new SessionKeeper({ ...host, storage: mine });
    const other = new SessionKeeper({ ...host, storage: theirs });
    await one.signInInteractive();
    expect(mine.session.items.size).toBe(1);
    expect(theirs.session.items.size).toBe(0);
    expect(await chrome.storage.session.get('session')).toEqual({});
    // A restarted background with the same storage finds the session; the other one has none.
    const restarted = new SessionKeeper({ ...host, storage: mine });
    await restarted.restore();
    expect(restarted.token?.accessToken).toBe(one.token?.accessToken);
    await other.restore();
    expect(other.token).toBeUndefined();
    await one.signOut();
    expect(mine.local.items.get('signedOut')).toBe(true);
    expect(await chrome.storage.local.get('signedOut')).toEqual({});
  });
});
