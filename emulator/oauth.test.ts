import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { CHROME_REDIRECT_URI, DEFAULT_CLIENT, FIREFOX_REDIRECT_URI, startEmulator, type Emulator, type EmulatorOptions } from './server.ts';
import { GECKO_ID } from '../manifest.gecko.ts';
import { api, authorizeUrl, codeFrom, exchange, pkce, REDIRECT_URI } from './test-support.ts';

let emulator: Emulator | undefined;
async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emulator = await startEmulator({ confirmDelayMs: 20, ...options });
  return emulator;
}
afterEach(async () => {
  vi.useRealTimers();
  await emulator?.close();
  emulator = undefined;
});

/** Hidden fields of the login form, as a browser would submit them. */
function hiddenFields(html: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(match[1] ?? '', (match[2] ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))));
  }
  return form;
}

describe('authorize', () => {
  it('redirects with a code and the state when the login session lives (auto-approve)', async () => {
    const emu = await start({ autoApprove: true });
    const response = await fetch(authorizeUrl(emu, pkce().challenge), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('st-123');
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
  });

  it('accepts both browsers\' redirect URIs on the default client, as an org serving Chrome and Firefox agents registers them', async () => {
    // Firefox's identity.getRedirectURL() is the SHA-1 of the add-on id under extensions.allizom.org.
    expect(FIREFOX_REDIRECT_URI).toBe(`https://${createHash('sha1').update(GECKO_ID).digest('hex')}.extensions.allizom.org/`);
    expect(DEFAULT_CLIENT.redirectUris).toEqual([CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI]);
    const emu = await start({ autoApprove: true });
    for (const redirectUri of [CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI]) {
      const response = await fetch(authorizeUrl(emu, pkce().challenge, { redirect_uri: redirectUri }), { redirect: 'manual' });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
      expect(location.searchParams.get('code')).toBeTruthy();
    }
  });

  it('keeps a query the registered redirect URI already has', async () => {
    const redirectUri = 'https://example.test/callback?tenant=7';
    const emu = await start({ autoApprove: true, clients: [{ clientId: 'c1', redirectUris: [redirectUri] }] });
    const url = authorizeUrl(emu, pkce().challenge, { client_id: 'c1', redirect_uri: redirectUri });
    const location = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '');
    expect(location.searchParams.get('tenant')).toBe('7');
    expect(location.searchParams.get('code')).toBeTruthy();
  });

  it('shows an error page, never a redirect, for an unknown client id', async () => {
    const emu = await start({ autoApprove: true });
    const response = await fetch(authorizeUrl(emu, pkce().challenge, { client_id: 'nope' }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/client id is not valid/i);
  });

  it('shows an error page, never a redirect, for an unregistered redirect URI', async () => {
    const emu = await start({ autoApprove: true });
    const url = authorizeUrl(emu, pkce().challenge, { redirect_uri: 'https://evil.example/' });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toMatch(/redirect URI is not registered/i);
  });

  it.each([
    ['a missing challenge', { code_challenge: '' }],
    ['a plain challenge method', { code_challenge_method: 'plain' }],
  ])('redirects back with invalid_request for %s', async (_, extra) => {
    const emu = await start({ autoApprove: true });
    const response = await fetch(authorizeUrl(emu, pkce().challenge, extra), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('st-123');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('signs in through the login form, then silently with its session cookie', async () => {
    const emu = await start();
    const { challenge, verifier } = pkce();
    const page = await fetch(authorizeUrl(emu, challenge), { redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Avery Agent');
    expect(html).toContain('<button type="submit" class="primary">Sign in</button>');
    expect(html).toContain('action="/oauth/authorize/approve"');

    const approved = await fetch(`${emu.origin}/oauth/authorize/approve`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: hiddenFields(html),
      redirect: 'manual',
    });
    expect(approved.status).toBe(302);
    const cookie = approved.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\//);
    const token = await exchange(emu, { code: codeFrom(approved), code_verifier: verifier });
    expect(token.status).toBe(200);

    const again = await fetch(authorizeUrl(emu, pkce().challenge), { redirect: 'manual', headers: { Cookie: cookie.split(';')[0] ?? '' } });
    expect(again.status).toBe(302);
    expect(codeFrom(again)).toBeTruthy();
  });

  it('redirects with access_denied when the agent cancels', async () => {
    const emu = await start();
    const html = await (await fetch(authorizeUrl(emu, pkce().challenge))).text();
    const denied = await fetch(`${emu.origin}/oauth/authorize/deny`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: hiddenFields(html),
      redirect: 'manual',
    });
    const location = new URL(denied.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st-123');
  });
});

describe('token', () => {
  it('exchanges a code and a matching verifier for a bearer token that the API accepts', async () => {
    const emu = await start({ autoApprove: true, tokenLifetimeSeconds: 3600 });
    const { verifier, challenge } = pkce();
    const code = codeFrom(await fetch(authorizeUrl(emu, challenge), { redirect: 'manual' }));
    const response = await exchange(emu, { code, code_verifier: verifier });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600 });
    expect((await api(emu, body.access_token, 'GET', '/api/v2/users/me')).status).toBe(200);
  });

  it('rejects a wrong verifier with invalid_grant', async () => {
    const emu = await start({ autoApprove: true });
    const code = codeFrom(await fetch(authorizeUrl(emu, pkce().challenge), { redirect: 'manual' }));
    const response = await exchange(emu, { code, code_verifier: pkce().verifier });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('accepts a code only once', async () => {
    const emu = await start({ autoApprove: true });
    const { verifier, challenge } = pkce();
    const code = codeFrom(await fetch(authorizeUrl(emu, challenge), { redirect: 'manual' }));
    expect((await exchange(emu, { code, code_verifier: verifier })).status).toBe(200);
    const reuse = await exchange(emu, { code, code_verifier: verifier });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('rejects a code after 60 seconds', async () => {
    const emu = await start({ autoApprove: true });
    const { verifier, challenge } = pkce();
    const code = codeFrom(await fetch(authorizeUrl(emu, challenge), { redirect: 'manual' }));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    expect(await (await exchange(emu, { code, code_verifier: verifier })).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('binds the code to its redirect URI and client', async () => {
    const emu = await start({ autoApprove: true });
    const { verifier, challenge } = pkce();
    const code = codeFrom(await fetch(authorizeUrl(emu, challenge), { redirect: 'manual' }));
    const other = await exchange(emu, { code, code_verifier: verifier, redirect_uri: 'https://other.example/' });
    expect(await other.json()).toMatchObject({ error: 'invalid_grant' });
    const unknown = await exchange(emu, { code, code_verifier: verifier, client_id: 'nope' });
    expect(await unknown.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('rejects a malformed verifier and a missing code with invalid_request', async () => {
    const emu = await start({ autoApprove: true });
    expect(await (await exchange(emu, { code: 'x', code_verifier: 'short' })).json()).toMatchObject({ error: 'invalid_request' });
    expect(await (await exchange(emu, { code_verifier: pkce().verifier })).json()).toMatchObject({ error: 'invalid_request' });
  });

  it('expires tokens after their lifetime', async () => {
    const emu = await start({ autoApprove: true, tokenLifetimeSeconds: 300 });
    const { verifier, challenge } = pkce();
    const code = codeFrom(await fetch(authorizeUrl(emu, challenge), { redirect: 'manual' }));
    const { access_token: token } = (await (await exchange(emu, { code, code_verifier: verifier })).json()) as { access_token: string };
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 301_000);
    const response = await api(emu, token, 'GET', '/api/v2/users/me');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'authentication.required', status: 401 });
  });

  it('answers CORS preflights like Genesys', async () => {
    const emu = await start();
    const response = await fetch(`${emu.origin}/oauth/token`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://example.test', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });
});
