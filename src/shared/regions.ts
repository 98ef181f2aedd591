// The region table comes from Genesys's SDK so a new region arrives with an SDK update. The deep
// import is the table alone (a few hundred bytes); the SDK's package root would pull in its
// Node-only runtime client.
import regionHosts from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/PureCloudRegionHosts.js';
import { t, type MessageKey } from './i18n';

export interface Region {
  /** The SDK's key, e.g. `us_east_1`. */
  key: string;
  /** The domain every host derives from, e.g. `mypurecloud.com`. */
  domain: string;
  /** What people choose by, e.g. "Americas (US East) — mypurecloud.com". */
  label: string;
}

const DOMAINS: readonly string[] = Object.values(regionHosts as Record<string, string>);

/**
 * The regions as admins choose them, in the browser's language: "Americas (US East) —
 * mypurecloud.com". A region a newer SDK adds before we name it shows by its SDK key.
 */
export function regions(): Region[] {
  return Object.entries(regionHosts as Record<string, string>)
    .map(([key, domain]) => ({ key, domain, label: `${t(`region_${key}` as MessageKey) || key} — ${domain}` }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

export function isRegionDomain(value: string): boolean {
  return DOMAINS.includes(value);
}
