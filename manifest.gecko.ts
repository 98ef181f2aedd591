// Firefox's manifest constants, shared by manifest.config.ts, scripts/firefox.ts and the Firefox
// end-to-end harness (which pins the moz-extension UUID by add-on id).

/**
 * Firefox add-on id. **A placeholder until the publisher is known** (docs/FIREFOX.md, "Add-on id"):
 * `example.com` is reserved (RFC 2606), so nobody can own it and the id cannot be mistaken for a
 * real one. Before the first upload to addons.mozilla.org replace it with
 * `genesys-mic-control@<a domain the publisher owns>`: the id is permanent there, and it fixes the
 * Firefox OAuth redirect URI admins register (GECKO_REDIRECT_URI). `npm run package` warns while
 * it is the placeholder.
 */
export const GECKO_ID = 'genesys-mic-control@example.com';

/** True while GECKO_ID is still the placeholder (an id under example.com). */
export const GECKO_ID_IS_PLACEHOLDER = GECKO_ID.endsWith('@example.com');

/**
 * Firefox's `identity.getRedirectURL()` for GECKO_ID: the SHA-1 of the add-on id, in hex, under
 * extensions.allizom.org (measured in Firefox 153; a unit test recomputes it from GECKO_ID). Admins
 * register it beside Chrome's `https://<extension id>.chromiumapp.org/` on the same OAuth client.
 */
export const GECKO_REDIRECT_URI = 'https://feab928beab099b307722282e7f7be4ad37e917d.extensions.allizom.org/';

/**
 * 140: `data_collection_permissions` needs Firefox 140 (older versions reject or warn on the key);
 * everything else we use is older: runtime.getContexts 127, storage.session 115, background
 * `type: module` 112, MV3 + action + host_permissions 109 (MDN browser-compat-data). 140 is an ESR.
 */
export const GECKO_MIN_VERSION = '140.0';

/** Firefox for Android reads data_collection_permissions from 142 (web-ext lint warns otherwise). */
export const GECKO_ANDROID_MIN_VERSION = '142.0';
