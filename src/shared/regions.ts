// The region table comes from Genesys's SDK so a new region arrives with an SDK update. The deep
// import is the table alone (a few hundred bytes); the SDK's package root would pull in its
// Node-only runtime client.
import regionHosts from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/PureCloudRegionHosts.js';

/** Where each SDK region key is, in the words an admin picks a region by. */
const LOCATIONS: Readonly<Record<string, string>> = {
  us_east_1: 'Americas (US East)',
  us_east_2: 'Americas (US East 2, FedRAMP)',
  us_west_2: 'Americas (US West)',
  ca_central_1: 'Americas (Canada)',
  sa_east_1: 'Americas (São Paulo)',
  mx_central_1: 'Americas (Mexico)',
  eu_west_1: 'EMEA (Dublin)',
  eu_west_2: 'EMEA (London)',
  eu_central_1: 'EMEA (Frankfurt)',
  eu_central_2: 'EMEA (Zurich)',
  eusc_de_east_1: 'EMEA (EU Sovereign Cloud, Germany)',
  me_central_1: 'EMEA (UAE)',
  ap_south_1: 'Asia Pacific (Mumbai)',
  ap_northeast_1: 'Asia Pacific (Tokyo)',
  ap_northeast_2: 'Asia Pacific (Seoul)',
  ap_northeast_3: 'Asia Pacific (Osaka)',
  ap_southeast_1: 'Asia Pacific (Singapore)',
  ap_southeast_2: 'Asia Pacific (Sydney)',
};

export interface Region {
  /** The SDK's key, e.g. `us_east_1`. */
  key: string;
  /** The domain every host derives from, e.g. `mypurecloud.com`. */
  domain: string;
  /** What people choose by, e.g. "Americas (US East) — mypurecloud.com". */
  label: string;
}

export const REGIONS: readonly Region[] = Object.entries(regionHosts as Record<string, string>)
  .map(([key, domain]) => ({ key, domain, label: `${LOCATIONS[key] ?? key} — ${domain}` }))
  .sort((a, b) => a.label.localeCompare(b.label));

export function isRegionDomain(value: string): boolean {
  return REGIONS.some((region) => region.domain === value);
}
