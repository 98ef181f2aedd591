import { describe, expect, it } from 'vitest';
import { signIn, SignInError, type Identity } from './auth';

const SETTINGS = { environment: 'mypurecloud.ie', clientId: 'client-1' };

/** A Genesys login host: approves at once (or redirects with `redirect`), answers the token POST with `answer`. */
function genesys(answer: Response, redirect?: (state: string) => string) {
  const seen: RequestInit[] = [];
  const identity: Identity = {
    redirectUri: () => 'https://ext.chromiumapp.org/',
    launchWebAuthFlow: async (url) => {
      const state = new URL(url).searchParams.get('state') ?? '';
      return redirect ? redirect(state) : `https://ext.chromiumapp.org/?code=c1&state=${state}`;
    },
  };
  const fetchImpl = async (_input: RequestInfo | URL, init?: RequestInit) => {
    seen.push(init ?? {});
    return answer;
  };
  return { identity, fetchImpl: fetchImpl as typeof fetch, seen };
}

async function problem(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SignInError) return error.problem;
    throw error;
  }
  throw new Error('expected a SignInError');
}

describe('sign-in', () => {
  it('exchanges the code without following redirects (a 307 would resend the code and verifier)', async () => {
    const { identity, fetchImpl, seen } = genesys(Response.json({ access_token: 't', expires_in: 86_400 }));
    const token = await signIn(SETTINGS, true, identity, fetchImpl);
    expect(token.accessToken).toBe('t');
    expect(seen[0]?.redirect).toBe('error');
    expect(String(seen[0]?.body)).toContain('code_verifier=');
  });

  it.each([
    ['no token at all', {}],
    ['an empty token', { access_token: '' }],
    ['a token of the wrong type', { access_token: 42 }],
  ])('refuses an answer with %s', async (_what, body) => {
    const { identity, fetchImpl } = genesys(Response.json(body));
    expect((await problem(signIn(SETTINGS, true, identity, fetchImpl))).code).toBe('sign-in-failed');
  });

  it('believes token lifetimes only within what Genesys allows', async () => {
    const now = Date.now();
    const { identity, fetchImpl } = genesys(Response.json({ access_token: 't', expires_in: 5 }));
    const token = await signIn(SETTINGS, true, identity, fetchImpl);
    expect(token.expiresAt - now).toBeGreaterThanOrEqual((300 - 60) * 1000 - 50);
  });

  it("shows the real error of an error redirect that carries no state", async () => {
    const { identity, fetchImpl } = genesys(Response.json({}), () => 'https://ext.chromiumapp.org/?error=unauthorized_client');
    expect((await problem(signIn(SETTINGS, true, identity, fetchImpl))).code).toBe('wrong-client-id');
  });

  it('never takes a code that comes back with another state', async () => {
    const { identity, fetchImpl, seen } = genesys(Response.json({ access_token: 't' }), () => 'https://ext.chromiumapp.org/?code=stolen&state=other');
    expect((await problem(signIn(SETTINGS, true, identity, fetchImpl))).code).toBe('sign-in-failed');
    expect(seen).toEqual([]);
  });
});
