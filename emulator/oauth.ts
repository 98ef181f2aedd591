// Genesys's login host for one org: Authorization Code + PKCE for public clients, a login form
// standing in for the real sign-in page, a login-session cookie that makes later sign-ins silent,
// and opaque bearer tokens with a lifetime and no refresh.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Agent } from './calls.ts';
import { cookies, escapeHtml, redirect, sendHtml, sendJson } from './http.ts';

export interface OAuthClient {
  clientId: string;
  redirectUris: string[];
}

export interface TokenGrant {
  token: string;
  clientId: string;
  userId: string;
  /** Epoch ms (Date.now() clock, so tests can move it). */
  expiresAt: number;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
  used: boolean;
}

/** The parameters /oauth/authorize takes, carried through the login form as hidden fields. */
interface AuthorizeParams {
  client_id: string;
  redirect_uri: string;
  response_type: string;
  code_challenge: string;
  code_challenge_method: string;
  state: string;
}

type AuthorizeCheck =
  | { kind: 'ok'; params: AuthorizeParams }
  /** Shown as a page: never redirect to a URI we could not verify. */
  | { kind: 'page'; message: string }
  /** Sent back to the verified redirect URI, as RFC 6749 §4.1.2.1 says. */
  | { kind: 'redirect'; redirectUri: string; state: string; error: string; description: string };

const CODE_LIFETIME_MS = 60_000;
const SESSION_COOKIE = 'emulator_login_session';
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** base64url of a SHA-256 digest, no padding. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

const random = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export interface OAuthOptions {
  clients: OAuthClient[];
  agent: Agent;
  tokenLifetimeSeconds: number;
  autoApprove: () => boolean;
}

export class OAuthServer {
  private readonly codes = new Map<string, PendingCode>();
  private readonly tokens = new Map<string, TokenGrant>();
  private readonly sessions = new Set<string>();
  /** Every token ever issued, revoked or not. */
  private readonly issued: string[] = [];

  constructor(private readonly options: OAuthOptions) {}

  /** Handles an /oauth/* request; false when the path is not one of ours. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, body: string): boolean {
    const route = `${req.method ?? ''} ${url.pathname}`;
    switch (route) {
      case 'GET /oauth/authorize':
        this.authorize(req, res, Object.fromEntries(url.searchParams));
        return true;
      case 'POST /oauth/authorize/approve':
        this.approve(res, Object.fromEntries(new URLSearchParams(body)));
        return true;
      case 'POST /oauth/authorize/deny':
        this.deny(res, Object.fromEntries(new URLSearchParams(body)));
        return true;
      case 'POST /oauth/token':
        this.token(req, res, body);
        return true;
      default:
        return false;
    }
  }

  /** The grant behind an Authorization header, or why there is none. */
  authenticate(authorization: string | undefined): { ok: true; grant: TokenGrant } | { ok: false; message: string } {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) return { ok: false, message: 'No authentication bearer token specified in authorization header.' };
    const grant = this.tokens.get(match[1]);
    if (!grant) return { ok: false, message: 'Invalid login credentials.' };
    if (Date.now() >= grant.expiresAt) {
      this.tokens.delete(grant.token);
      return { ok: false, message: 'Authentication token has expired.' };
    }
    return { ok: true, grant };
  }

  issuedTokens(): string[] {
    return [...this.issued];
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  revokeAll(): void {
    this.tokens.clear();
  }

  /** Ends every login session, so the next authorize shows the form again. */
  clearLoginSessions(): void {
    this.sessions.clear();
  }

  private check(query: Record<string, string>): AuthorizeCheck {
    const client = this.options.clients.find((c) => c.clientId === query.client_id);
    if (!client) return { kind: 'page', message: 'The client id is not valid. Ask your administrator to check the OAuth client.' };
    const redirectUri = query.redirect_uri ?? '';
    if (!client.redirectUris.includes(redirectUri)) {
      return { kind: 'page', message: 'The redirect URI is not registered for this OAuth client.' };
    }
    const state = query.state ?? '';
    const fail = (error: string, description: string): AuthorizeCheck => ({ kind: 'redirect', redirectUri, state, error, description });
    if (query.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be code');
    if (query.code_challenge_method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (!CHALLENGE.test(query.code_challenge ?? '')) return fail('invalid_request', 'code_challenge is missing or malformed');
    return {
      kind: 'ok',
      params: {
        client_id: client.clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        code_challenge: query.code_challenge ?? '',
        code_challenge_method: 'S256',
        state,
      },
    };
  }

  private authorize(req: IncomingMessage, res: ServerResponse, query: Record<string, string>): void {
    const checked = this.check(query);
    if (checked.kind !== 'ok') return this.refuse(res, checked);
    const session = cookies(req).get(SESSION_COOKIE);
    if (this.options.autoApprove() || (session !== undefined && this.sessions.has(session))) {
      return this.issueCode(res, checked.params);
    }
    sendHtml(res, 200, loginPage(this.options.agent, checked.params));
  }

  private approve(res: ServerResponse, form: Record<string, string>): void {
    const checked = this.check(form);
    if (checked.kind !== 'ok') return this.refuse(res, checked);
    const session = random();
    this.sessions.add(session);
    this.issueCode(res, checked.params, { 'Set-Cookie': `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax` });
  }

  private deny(res: ServerResponse, form: Record<string, string>): void {
    const checked = this.check(form);
    if (checked.kind !== 'ok') return this.refuse(res, checked);
    redirect(res, withQuery(checked.params.redirect_uri, { error: 'access_denied', error_description: 'The user denied access', state: checked.params.state }));
  }

  private refuse(res: ServerResponse, checked: Exclude<AuthorizeCheck, { kind: 'ok' }>): void {
    if (checked.kind === 'page') return sendHtml(res, 400, errorPage(checked.message));
    redirect(res, withQuery(checked.redirectUri, { error: checked.error, error_description: checked.description, state: checked.state }));
  }

  private issueCode(res: ServerResponse, params: AuthorizeParams, headers: Record<string, string> = {}): void {
    const code = random();
    this.codes.set(code, {
      clientId: params.client_id,
      redirectUri: params.redirect_uri,
      codeChallenge: params.code_challenge,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
      used: false,
    });
    redirect(res, withQuery(params.redirect_uri, { code, state: params.state }), headers);
  }

  private token(req: IncomingMessage, res: ServerResponse, body: string): void {
    const fail = (error: string, description: string): void =>
      sendJson(res, 400, { error, error_description: description }, { 'Cache-Control': 'no-store' });
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
      return fail('invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'authorization_code') return fail('unsupported_grant_type', 'grant_type must be authorization_code');
    const clientId = form.get('client_id');
    if (!clientId) return fail('invalid_request', 'client_id is required');
    if (!this.options.clients.some((c) => c.clientId === clientId)) return fail('invalid_client', 'Unknown client_id');
    const codeText = form.get('code');
    const verifier = form.get('code_verifier');
    if (!codeText) return fail('invalid_request', 'code is required');
    if (!verifier || !VERIFIER.test(verifier)) return fail('invalid_request', 'code_verifier must be 43-128 characters of [A-Za-z0-9-._~]');
    const code = this.codes.get(codeText);
    if (!code || code.used || Date.now() >= code.expiresAt) return fail('invalid_grant', 'The authorization code is invalid, used or expired');
    // A code is spent by any attempt to redeem it, right or wrong (RFC 6749 §4.1.2).
    code.used = true;
    if (code.clientId !== clientId) return fail('invalid_grant', 'The code was issued to another client');
    if (code.redirectUri !== form.get('redirect_uri')) return fail('invalid_grant', 'redirect_uri does not match the authorization request');
    if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) {
      return fail('invalid_grant', 'code_verifier does not match the code_challenge');
    }
    const grant: TokenGrant = {
      token: random(),
      clientId,
      userId: this.options.agent.id,
      expiresAt: Date.now() + this.options.tokenLifetimeSeconds * 1000,
    };
    this.tokens.set(grant.token, grant);
    this.issued.push(grant.token);
    sendJson(
      res,
      200,
      { access_token: grant.token, token_type: 'bearer', expires_in: this.options.tokenLifetimeSeconds },
      { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    );
  }
}

/** Adds parameters to a redirect URI, keeping any query it already has. */
function withQuery(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) if (value !== '') url.searchParams.set(key, value);
  return url.toString();
}

const PAGE_STYLE = `
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f4f5f7;
    font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #33383d; }
  main { width: 340px; background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 28px 28px 22px;
    box-shadow: 0 2px 8px rgba(0,0,0,.06); }
  h1 { margin: 0 0 4px; font-size: 18px; font-weight: 600; }
  p { margin: 0 0 18px; color: #5e6670; }
  .who { padding: 10px 12px; border: 1px solid #e4e7eb; border-radius: 4px; margin-bottom: 18px; }
  .who strong { display: block; }
  .actions { display: flex; gap: 8px; }
  button { flex: 1; font: inherit; padding: 8px 12px; border-radius: 4px; cursor: pointer; }
  .primary { background: #2a60c8; color: #fff; border: 1px solid #2a60c8; }
  .secondary { background: #fff; color: #2a60c8; border: 1px solid #c5cdd8; }
  .error { color: #b3261e; }
  small { display: block; margin-top: 18px; color: #8a929b; }`;

function loginPage(agent: Agent, params: AuthorizeParams): string {
  const hidden = Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('\n      ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Genesys Cloud - Sign in</title>
<style>${PAGE_STYLE}</style></head>
<body><main>
  <h1>Genesys Cloud</h1>
  <p>Sign in to continue to the application.</p>
  <div class="who"><strong>${escapeHtml(agent.name)}</strong>${escapeHtml(agent.email)}</div>
  <form method="post" action="/oauth/authorize/approve">
      ${hidden}
    <div class="actions">
      <button type="submit" class="primary">Sign in</button>
      <button type="submit" class="secondary" formaction="/oauth/authorize/deny">Cancel</button>
    </div>
  </form>
  <small>Genesys Cloud emulator</small>
</main></body></html>`;
}

function errorPage(message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Genesys Cloud - Error</title>
<style>${PAGE_STYLE}</style></head>
<body><main>
  <h1>Something went wrong</h1>
  <p class="error">${escapeHtml(message)}</p>
  <small>Genesys Cloud emulator</small>
</main></body></html>`;
}
