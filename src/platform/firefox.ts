// Firefox (Manifest V3 event page). Measured on Firefox ESR 153 (docs/FIREFOX.md).
import type { BackgroundPlatform, PagesPlatform } from './types';
import { playCue } from '../shared/tones';
import { identity, toolbar } from './common';
import { t } from '../shared/i18n';

/** Less than Firefox's 30 s idle timeout, with room for a busy machine. */
const KEEP_ALIVE_MS = 20_000;

export const background: BackgroundPlatform = {
  browser: 'firefox',
  identity,
  toolbar,

  // The event page is a window with audio of its own: no offscreen document (Firefox has none).
  async playCue(cue) {
    playCue(cue);
    return true;
  },

  async releaseAudio() {},

  // Not supported: Firefox has no offscreen document, and its background page cannot be given the
  // microphone permission by the agent (no page of ours could ask for it for the background).
  microphone: {
    permission: async () => 'unsupported',
    onPermissionChange() {},
    listen: async () => undefined,
    release: async () => undefined,
  },

  async popupOpen() {
    const popups = await chrome.runtime.getContexts({ contextTypes: ['POPUP' as chrome.runtime.ContextType] });
    return popups.length > 0;
  },

  keepAlive(signal) {
    // Any extension API call resets Firefox's idle timer; a fetch or socket traffic does not.
    const timer = setInterval(() => void chrome.runtime.getPlatformInfo().catch(() => undefined), KEEP_ALIVE_MS);
    signal.addEventListener('abort', () => clearInterval(timer));
  },

  // Firefox cannot restrict storage.local (only storage.session has access levels there).
  async restrictLocalStorage() {},
};

export const pages: PagesPlatform = {
  globalShortcuts: false,
  speakingWarning: false,
  async openMicrophoneSettings() {},
  redirectUri: identity.redirectUri,
  // Firefox's own words (its about:addons page, the ⚙ menu, then the item as Firefox labels it).
  shortcutsPageName: () => `about:addons → ⚙ → ${t('firefoxShortcutsMenu')}`,
  async openShortcutsPage() {
    // Firefox will not open about: pages by URL for an extension; this opens the shortcuts view.
    await (chrome.commands as unknown as { openShortcutSettings(): Promise<void> }).openShortcutSettings();
  },
};
