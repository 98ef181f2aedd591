// The region and OAuth client an agent signs in with (stored as `settings` in chrome.storage.local,
// an interface admins rely on; see config.ts), their validation, and the hosts a region means.
import { isRegionDomain } from './regions';
import { t } from './i18n';

export interface Settings {
  /** A Genesys region domain such as `mypurecloud.com` (or, in the e2e build, a loopback origin). */
  environment: string;
  /** The admin's OAuth client id (Authorization Code with PKCE). */
  clientId: string;
}

/** Only the e2e build accepts a loopback origin; the store build replaces this with `false`. */
export const ACCEPTS_LOOPBACK: boolean = import.meta.env.VITE_ACCEPT_LOOPBACK === 'true';

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A loopback origin the test build accepts; always false in the store build (no trace of it there). */
export function isLoopbackOrigin(value: string): boolean {
  return ACCEPTS_LOOPBACK && /^http:\/\/(127\.0\.0\.1|localhost):\d{1,5}$/.test(value);
}

/** Returns why an environment is not usable, or undefined when it is. */
export function environmentProblem(environment: string, acceptsLoopback = ACCEPTS_LOOPBACK): string | undefined {
  if (environment === '') return t('envEmpty');
  if (isRegionDomain(environment)) return undefined;
  if (acceptsLoopback && isLoopbackOrigin(environment)) return undefined;
  return t('envInvalid', environment);
}

export function clientIdProblem(clientId: string): string | undefined {
  if (clientId === '') return t('clientIdEmpty');
  if (!CLIENT_ID.test(clientId)) return t('clientIdInvalid');
  return undefined;
}

export function isComplete(settings: Partial<Settings>, acceptsLoopback = ACCEPTS_LOOPBACK): settings is Settings {
  return (
    settings.environment !== undefined &&
    settings.clientId !== undefined &&
    environmentProblem(settings.environment, acceptsLoopback) === undefined &&
    clientIdProblem(settings.clientId) === undefined
  );
}

/** The hosts one environment means. */
export interface Hosts {
  login: string;
  api: string;
  apps: string;
}

export function hostsFor(environment: string): Hosts {
  // ACCEPTS_LOOPBACK is a build-time constant: the store build has no trace of this branch.
  if (ACCEPTS_LOOPBACK && isLoopbackOrigin(environment)) return { login: environment, api: environment, apps: environment };
  return { login: `https://login.${environment}`, api: `https://api.${environment}`, apps: `https://apps.${environment}` };
}

/**
 * Whether a socket address Genesys handed out is its own: `wss://streaming.<region>/…` (the
 * emulator's `ws://` loopback origin in the test build). Anything else is not opened.
 */
export function isTrustedSocketUri(uri: string, environment: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (ACCEPTS_LOOPBACK && isLoopbackOrigin(environment)) {
    return url.protocol === 'ws:' && isLoopbackOrigin(`http://${url.host}`) && url.port === new URL(environment).port;
  }
  return url.protocol === 'wss:' && url.hostname === `streaming.${environment}` && url.port === '';
}
