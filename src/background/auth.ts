// Sign-in with Authorization Code + PKCE through the browser's identity.launchWebAuthFlow (reached
// through the platform seam). The token is exchanged here, in the background, and never leaves it.
import { authorizeUrl, newPkceRequest, readRedirect } from './pkce';
import { hostsFor, type Settings } from '../shared/settings';
import type { ProblemView } from '../shared/view';
import { t } from '../shared/i18n';
import type { Identity } from '../platform/types';

export interface StoredToken {
  accessToken: string;
  /** Epoch ms after which Genesys will refuse the token. */
  expiresAt: number;
  /** The settings the token was issued for; a change of region or client invalidates it. */
  environment: string;
  clientId: string;
}

export class SignInError extends Error {
  constructor(readonly problem: ProblemView) {
    super(problem.message);
    this.name = 'SignInError';
  }
}

interface TokenAnswer {
  access_token?: unknown;
  expires_in?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/** Maps what Chrome says when launchWebAuthFlow fails to words for the agent or admin. */
export function problemForAuthFlowError(message: string, interactive: boolean): ProblemView {
  const text = message.toLowerCase();
  if (text.includes('did not approve') || text.includes('closed') || text.includes('cancel')) {
    return { code: 'sign-in-cancelled', message: t('signInClosed') };
  }
  if (text.includes('could not be loaded') || text.includes('network')) {
    return { code: 'network', message: t('signInPageUnreachable') };
  }
  if (!interactive && text.includes('interaction required')) {
    return { code: 'session-expired', message: t('sessionEnded') };
  }
  return { code: 'sign-in-failed', message: t('signInFailedBecause', message) };
}

/** Maps an OAuth error from the redirect or the token endpoint. */
export function problemForOAuthError(error: string, description?: string): ProblemView {
  switch (error) {
    case 'invalid_client':
    case 'unauthorized_client':
      return { code: 'wrong-client-id', message: t('wrongClientId') };
    case 'invalid_request':
      return description?.toLowerCase().includes('redirect')
        ? { code: 'redirect-not-registered', message: t('redirectNotRegistered') }
        : { code: 'sign-in-failed', message: description ? t('signInRejectedBecause', description) : t('signInRejected') };
    case 'access_denied':
      return { code: 'sign-in-cancelled', message: t('signInCancelled') };
    case 'state_mismatch':
      return { code: 'sign-in-failed', message: t('signInStateMismatch') };
    default:
      return { code: 'sign-in-failed', message: description ? t('signInFailedCodeBecause', error, description) : t('signInFailedCode', error) };
  }
}

/**
 * When sign-in failed, asks the authorize endpoint directly why: Genesys answers an unknown client
 * id or an unregistered redirect URI with an error page (Chrome then reports only that the page
 * could not be loaded, or the agent closed the window on it). A redirect means the settings were fine.
 */
/** What the authorize endpoint says to a request without a browser window. */
export type AuthorizeProbe =
  | { reached: false }
  | { reached: true; status: number; fault?: 'redirect' | 'client' | 'unknown' };

/**
 * Asks the authorize endpoint directly. Genesys redirects (to its login page or back to us) when
 * client id and redirect URI are right, and answers an error page naming what is wrong otherwise.
 */
export async function probeAuthorize(
  settings: Settings,
  redirectUri: string,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): Promise<AuthorizeProbe> {
  let response: Response;
  try {
    const url = authorizeUrl(hostsFor(settings.environment).login, settings.clientId, redirectUri, await newPkceRequest());
    response = await fetchImpl(url, { redirect: 'manual', credentials: 'omit', cache: 'no-store' });
  } catch {
    return { reached: false };
  }
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400) || response.ok) {
    return { reached: true, status: response.status };
  }
  const page = (await response.text().catch(() => '')).toLowerCase();
  const fault = page.includes('redirect') ? 'redirect' : page.includes('client') ? 'client' : 'unknown';
  return { reached: true, status: response.status, fault };
}

/**
 * When sign-in failed, asks the authorize endpoint why: Chrome reports only that the page "could
 * not be loaded", or the agent closed the window on Genesys's error page.
 */
export async function diagnoseAuthorize(settings: Settings, redirectUri: string, fetchImpl?: typeof fetch): Promise<ProblemView | undefined> {
  const probe = await probeAuthorize(settings, redirectUri, fetchImpl);
  if (!probe.reached) return { code: 'network', message: t('genesysUnreachable') };
  switch (probe.fault) {
    case undefined:
      return undefined;
    case 'redirect':
      return problemForOAuthError('invalid_request', 'redirect_uri not registered');
    case 'client':
      return problemForOAuthError('invalid_client');
    case 'unknown':
      return { code: 'sign-in-failed', message: t('signInRefused', probe.status) };
  }
}

/** What sign-in needs from the browser (the platform seam's). */
export type { Identity };

/** Genesys lets an admin set a token's lifetime between 5 minutes and 48 hours. */
export const MIN_TOKEN_SECONDS = 300;
export const MAX_TOKEN_SECONDS = 48 * 3600;

/** A token's lifetime from `expires_in`, within what Genesys allows (anything else is not believed). */
export function tokenLifetimeSeconds(expiresIn: unknown): number {
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn)) return 3600;
  return Math.min(MAX_TOKEN_SECONDS, Math.max(MIN_TOKEN_SECONDS, expiresIn));
}

export async function signIn(
  settings: Settings,
  interactive: boolean,
  identity: Identity,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): Promise<StoredToken> {
  const { login } = hostsFor(settings.environment);
  const redirectUri = identity.redirectUri();
  const pkce = await newPkceRequest();
  let redirect: string | undefined;
  try {
    redirect = await identity.launchWebAuthFlow(authorizeUrl(login, settings.clientId, redirectUri, pkce), interactive);
  } catch (error) {
    const problem = problemForAuthFlowError(error instanceof Error ? error.message : String(error), interactive);
    // The browser says only "could not be loaded" or "did not approve"; the authorize endpoint says why.
    const diagnosed = problem.code === 'session-expired' ? undefined : await diagnoseAuthorize(settings, redirectUri, fetchImpl);
    throw new SignInError(diagnosed ?? problem);
  }
  if (!redirect) throw new SignInError(problemForAuthFlowError('closed', interactive));
  const result = readRedirect(redirect, pkce.state);
  if ('error' in result) throw new SignInError(problemForOAuthError(result.error, result.description));

  let response: Response;
  try {
    response = await fetchImpl(`${login}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: result.code,
        code_verifier: pkce.verifier,
        client_id: settings.clientId,
        redirect_uri: redirectUri,
      }).toString(),
      credentials: 'omit',
      // A 307/308 would send the code and the verifier on to wherever it points.
      redirect: 'error',
    });
  } catch {
    throw new SignInError({ code: 'network', message: t('tokenUnreachable') });
  }
  let answer: TokenAnswer = {};
  try {
    answer = (await response.json()) as TokenAnswer;
  } catch {
    // Handled below: no token in the answer.
  }
  if (!response.ok || typeof answer.access_token !== 'string' || answer.access_token.trim() === '') {
    const error = typeof answer.error === 'string' ? answer.error : response.ok ? 'no_token' : `http_${response.status}`;
    throw new SignInError(problemForOAuthError(error, typeof answer.error_description === 'string' ? answer.error_description : undefined));
  }
  const lifetimeSeconds = tokenLifetimeSeconds(answer.expires_in);
  return {
    accessToken: answer.access_token,
    // A minute early, so a request never leaves with a token about to die.
    expiresAt: Date.now() + (lifetimeSeconds - 60) * 1000,
    environment: settings.environment,
    clientId: settings.clientId,
  };
}
