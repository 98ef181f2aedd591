// Authorization Code + PKCE pieces (RFC 7636), kept pure so they are unit tested.

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random string of unreserved characters; 64 chars gives ~384 bits for the verifier. */
export function randomString(length: number, random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  // Bytes past the largest multiple of the alphabet size are dropped so every character is equally likely.
  const limit = 256 - (256 % UNRESERVED.length);
  let out = '';
  while (out.length < length) {
    for (const byte of random(new Uint8Array(length))) {
      if (byte < limit && out.length < length) out += UNRESERVED[byte % UNRESERVED.length];
    }
  }
  return out;
}

export async function challengeFor(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export interface PkceRequest {
  verifier: string;
  challenge: string;
  state: string;
}

export async function newPkceRequest(): Promise<PkceRequest> {
  const verifier = randomString(64);
  return { verifier, challenge: await challengeFor(verifier), state: randomString(32) };
}

export function authorizeUrl(loginOrigin: string, clientId: string, redirectUri: string, pkce: PkceRequest): string {
  const params = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    state: pkce.state,
  });
  return `${loginOrigin}/oauth/authorize?${params.toString()}`;
}

export type RedirectResult = { code: string } | { error: string; description?: string };

/** Reads the redirect Genesys sent back; a wrong `state` means it is not the answer to our request. */
export function readRedirect(redirectUrl: string, expectedState: string): RedirectResult {
  const url = new URL(redirectUrl);
  // Genesys answers in the query; some OAuth servers use the fragment.
  const params = url.searchParams.has('state') || url.searchParams.has('code') || url.searchParams.has('error')
    ? url.searchParams
    : new URLSearchParams(url.hash.slice(1));
  const state = params.get('state');
  const error = params.get('error');
  // An error carries no code, so it is shown as it is even without a `state` (some servers omit
  // it on errors): the agent and the admin need the real reason, and nothing is accepted.
  if (error !== null && (state === null || state === expectedState)) {
    const description = params.get('error_description');
    return description === null ? { error } : { error, description };
  }
  if (state !== expectedState) return { error: 'state_mismatch' };
  const code = params.get('code');
  return code === null || code === '' ? { error: 'no_code' } : { code };
}
