// Firefox's manifest constants, shared by manifest.config.ts, scripts/firefox.ts and the Firefox
// end-to-end harness (which pins the moz-extension UUID by add-on id).

/**
 * Firefox add-on id (probe proposal). It is permanent once uploaded to addons.mozilla.org and it
 * determines the OAuth redirect URI (`https://<sha1 of id>.extensions.allizom.org/`) admins register.
 * The domain part should be one the publisher controls; decide before the first AMO upload.
 */
export const GECKO_ID = 'genesys-mic-control@example.com';

/**
 * 140: `data_collection_permissions` needs Firefox 140 (older versions reject or warn on the key);
 * everything else we use is older: runtime.getContexts 127, storage.session 115, background
 * `type: module` 112, MV3 + action + host_permissions 109 (MDN browser-compat-data). 140 is an ESR.
 */
export const GECKO_MIN_VERSION = '140.0';

/** Firefox for Android reads data_collection_permissions from 142 (web-ext lint warns otherwise). */
export const GECKO_ANDROID_MIN_VERSION = '142.0';
