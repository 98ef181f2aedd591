// The manifest, typed. crxjs turns it into manifest.json for each build mode.
import { defineManifest } from '@crxjs/vite-plugin';
import packageJson from './package.json' with { type: 'json' };
import { GECKO_ANDROID_MIN_VERSION, GECKO_ID, GECKO_MIN_VERSION } from './manifest.gecko.ts';
import regionHosts from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/PureCloudRegionHosts.js';

const domains = Object.values(regionHosts);

/**
 * The public half of the key that pins the extension id (palaebnopndlohdhpbjmeopgkididbbo) for
 * unpacked installs, so the OAuth redirect URI admins register never changes. The Chrome Web Store
 * assigns its own key; remove this field from the store upload if the store asks.
 */
export const EXTENSION_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtEvXyjzgsm/l228Y5U+YNqg2QHkhoPXjMJOObP4grXqS1yVxS1ds8KFeVPxzPlwkrY/HudiniLIScO09sVGpFE7wZiYS3jhMWP6ND5v/vI2th9cUOPJzJcGiG6xcajL4teJctbAe7ndIKit0b1/srDbucR0W5ob0xjIYO92Qbdi/08YGskTtXpgo9M7LwUnVtZEKj0qwJ8TlfTZ5fLs8+0X6FUfCnqNjbtMuQLmgO9STrCHus88kdvPs/INPhuCgnZyGx0KwzywuVouRRhy8X2ggiZMYF++6ucddqga760cbxI9aHjD/XwCv0c1NMVdaXzKJSY70NLK8CHgkWhT+GwIDAQAB';

/** The loopback origins the e2e build also accepts as an environment (any port). */
const LOOPBACK_MATCHES = ['http://127.0.0.1/*', 'http://localhost/*'];

/**
 * Where Genesys serves its embedded clients (Embeddable Framework, Salesforce, Zendesk, …) and
 * their WebRTC pop-out: under /crm/ on the agent desktop's own host (docs/GENESYS.md). Only these
 * paths are matched in frames; the page that frames them (the CRM's) is never matched.
 */
export function embeddedClientMatches(origins: string[]): string[] {
  return origins.map((match) => match.replace(/\/\*$/, '/crm/*'));
}

/** Vite modes: 'production' (Chrome store, the default), 'e2e', 'firefox' (AMO), 'firefox-e2e'. */
export function isFirefoxMode(mode: string): boolean {
  return mode === 'firefox' || mode === 'firefox-e2e';
}

/** The test builds: they also accept a loopback origin (the emulator) as the environment. */
export function isE2eMode(mode: string): boolean {
  return mode === 'e2e' || mode === 'firefox-e2e';
}

export default defineManifest(({ mode }) => {
  const e2e = isE2eMode(mode);
  const firefox = isFirefoxMode(mode);
  const agentDesktops = domains.map((domain) => `https://apps.${domain}/*`);
  const embeddedClients = embeddedClientMatches([...agentDesktops, ...(e2e ? LOOPBACK_MATCHES : [])]);
  return {
    manifest_version: 3,
    // Name, description and command text come from public/_locales/<locale>/messages.json.
    default_locale: 'en',
    name: '__MSG_extName__',
    short_name: 'Mic Control',
    description: '__MSG_extDescription__',
    version: packageJson.version,
    // Chrome only: Firefox has no such keys (its id and minimum version are under gecko, below).
    ...(firefox ? {} : { minimum_chrome_version: '116', key: EXTENSION_KEY }),
    // identity: launchWebAuthFlow. storage: settings and the session. scripting: put the control
    // back into agent desktops that were open while the extension was updated. offscreen: the
    // optional mute sound. notifications: tell an agent in another application that a mute failed.
    // Firefox has no offscreen API (its background is a page with DOM and audio).
    permissions: ['identity', 'storage', 'scripting', ...(firefox ? [] : ['offscreen']), 'notifications'],
    // login.* for the token exchange, api.* for the Platform API (nothing else is ever fetched);
    // apps.* to find and re-inject open agent desktop tabs after an update.
    host_permissions: [
      ...domains.flatMap((domain) => [`https://login.${domain}/*`, `https://api.${domain}/*`]),
      ...agentDesktops,
      ...(e2e ? LOOPBACK_MATCHES : []),
    ],
    // Firefox has no extension service workers: an event page (crxjs puts its module loader first).
    background: firefox
      ? { scripts: ['src/background/index.ts'], type: 'module' }
      : { service_worker: 'src/background/index.ts', type: 'module' },
    // The same control in two places. [0]: the agent desktop, top frame only (its other tools
    // load in frames of their own); the background re-injects this entry after an update.
    // [1]: the embedded clients under /crm/, in any frame of any page (a CRM's page frames them)
    // and as the top-level WebRTC pop-out. The CRM's page itself is never matched.
    content_scripts: [
      {
        matches: [...agentDesktops, ...(e2e ? LOOPBACK_MATCHES : [])],
        exclude_matches: embeddedClients,
        js: ['src/content/index.tsx'],
        run_at: 'document_idle',
      },
      {
        matches: embeddedClients,
        js: ['src/content/index.tsx'],
        run_at: 'document_idle',
        all_frames: true,
      },
    ],
    // Drawn by scripts/icons.ts into public/, which vite copies to the build root.
    icons: { 16: 'icons/icon-16.png', 32: 'icons/icon-32.png', 48: 'icons/icon-48.png', 128: 'icons/icon-128.png' },
    action: {
      default_popup: 'src/popup/index.html',
      default_title: '__MSG_extName__',
      // The worker switches to the muted/attention variants with chrome.action.setIcon.
      default_icon: { 16: 'icons/toolbar-unmuted-16.png', 32: 'icons/toolbar-unmuted-32.png' },
    },
    options_ui: { page: 'src/options/index.html', open_in_tab: true },
    commands: {
      'toggle-mute': {
        suggested_key: { default: 'Alt+Shift+M' },
        description: '__MSG_commandToggleMute__',
      },
    },
    ...(firefox
      ? {
          browser_specific_settings: {
            gecko: { id: GECKO_ID, strict_min_version: GECKO_MIN_VERSION, data_collection_permissions: { required: ['none'] } },
            gecko_android: { strict_min_version: GECKO_ANDROID_MIN_VERSION },
          },
          // Firefox's MV3 default CSP adds `upgrade-insecure-requests`, which turns the emulator's
          // ws:// into wss:// (the socket then fails with a bare error). Only the test build relaxes it.
          ...(e2e ? { content_security_policy: { extension_pages: "script-src 'self'" } } : {}),
        }
      : // Firefox does not read managed_schema (policies.json values are not validated against it).
        { storage: { managed_schema: 'managed-schema.json' } }),
  };
});
