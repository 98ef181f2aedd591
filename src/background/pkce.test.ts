import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorizeUrl, base64Url, challengeFor, newPkceRequest, randomString, readRedirect } from './pkce';

describe('PKCE', () => {
  it('derives the S256 challenge: base64url(SHA-256(verifier)) without padding', async () => {
    const verifier = 'dBjftJeZ4CVP-mJ92IZEMDSNQWUrLI7MC7X0vUFFDPk';
    expect(await challengeFor(verifier)).toBe('NI2YG6ixq6rDsETRZozBnREmZd0qgjHbVRjOkC3UHPc');
    expect(await challengeFor(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('makes verifiers of 43–128 unreserved characters, different each time', async () => {
    const a = await newPkceRequest();
    const b = await newPkceRequest();
    expect(a.verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.state).not.toBe(b.state);
    expect(a.challenge).toBe(createHash('sha256').update(a.verifier).digest('base64url'));
  });

  it('keeps the character choice uniform by dropping biased bytes', () => {
    const bytes = [255, 254, 0, 1];
    const out = randomString(2, (buffer) => {
      buffer.set(bytes.splice(0, buffer.length).concat(Array(buffer.length).fill(1)).slice(0, buffer.length));
      return buffer;
    });
    expect(out).toBe('AB');
  });

  it('encodes base64url without padding', () => {
    expect(base64Url(new Uint8Array([251, 255]))).toBe('-_8');
  });

  it('builds the authorize URL Genesys expects', () => {
    const url = new URL(authorizeUrl('https://login.mypurecloud.ie', 'client', 'https://x.chromiumapp.org/', { verifier: 'v', challenge: 'c', state: 's' }));
    expect(url.origin + url.pathname).toBe('https://login.mypurecloud.ie/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client',
      response_type: 'code',
      redirect_uri: 'https://x.chromiumapp.org/',
      code_challenge: 'c',
      code_challenge_method: 'S256',
      state: 's',
    });
  });

  it('reads the code and checks state on the way back', () => {
    expect(readRedirect('https://x.chromiumapp.org/?code=abc&state=s1', 's1')).toEqual({ code: 'abc' });
    expect(readRedirect('https://x.chromiumapp.org/?code=abc&state=evil', 's1')).toEqual({ error: 'state_mismatch' });
    expect(readRedirect('https://x.chromiumapp.org/?error=access_denied&error_description=no&state=s1', 's1')).toEqual({ error: 'access_denied', description: 'no' });
    expect(readRedirect('https://x.chromiumapp.org/#code=abc&state=s1', 's1')).toEqual({ code: 'abc' });
    // An error without a state is still the real reason, and carries nothing to accept.
    expect(readRedirect('https://x.chromiumapp.org/?error=unauthorized_client&error_description=disabled', 's1')).toEqual({ error: 'unauthorized_client', description: 'disabled' });
    // A code never counts without the right state.
    expect(readRedirect('https://x.chromiumapp.org/?code=abc', 's1')).toEqual({ error: 'state_mismatch' });
    expect(readRedirect('https://x.chromiumapp.org/?error=access_denied&state=evil', 's1')).toEqual({ error: 'state_mismatch' });
    expect(readRedirect('https://x.chromiumapp.org/?state=s1', 's1')).toEqual({ error: 'no_code' });
  });
});
