// The `settings` key in chrome.storage.local and its shape are an interface admins rely on.
import { isRegionDomain } from './regions';
import { t } from './i18n';

export interface Settings {
  /** A Genesys region domain such as `mypurecloud.com` (or, in the e2e build, a loopback origin). */
  environment: string;
  /** The admin's OAuth client id (Authorization Code with PKCE). */
  clientId: string;
}

export const SETTINGS_KEY = 'settings';

/** Only the e2e build accepts a loopback origin; the store build replaces this with `false`. */
export const ACCEPTS_LOOPBACK: boolean = import.meta.env.VITE_ACCEPT_LOOPBACK === 'true';

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost):\d{1,5}$/;
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isLoopbackOrigin(value: string): boolean {
  return LOOPBACK.test(value);
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

/** Reads settings from an untrusted stored value; anything of the wrong shape counts as unset. */
export function readSettings(value: unknown): Partial<Settings> {
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const result: Partial<Settings> = {};
  if (typeof record['environment'] === 'string') result.environment = record['environment'].trim();
  if (typeof record['clientId'] === 'string') result.clientId = record['clientId'].trim();
  return result;
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
  if (isLoopbackOrigin(environment)) return { login: environment, api: environment, apps: environment };
  return { login: `https://login.${environment}`, api: `https://api.${environment}`, apps: `https://apps.${environment}` };
}
