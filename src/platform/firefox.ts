// Firefox (Manifest V3 event page). Measured on Firefox ESR 153 (docs/FIREFOX.md).
import type { BackgroundPlatform, PagesPlatform } from './types';
import { playCue } from '../shared/tones';
import { t } from '../shared/i18n';

/** Less than Firefox's 30 s idle timeout, with room for a busy machine. */
const KEEP_ALIVE_MS = 20_000;

export const background: BackgroundPlatform = {
  browser: 'firefox',
  identity: {
    redirectUri: () => chrome.identity.getRedirectURL(),
    launchWebAuthFlow: (url, interactive) => chrome.identity.launchWebAuthFlow({ url, interactive }),
  },
  toolbar: {
    setBadgeText: (details) => chrome.action.setBadgeText(details),
    setBadgeBackgroundColor: (details) => chrome.action.setBadgeBackgroundColor(details),
    setTitle: (details) => chrome.action.setTitle(details),
    setIcon: (details) => chrome.action.setIcon(details),
  },

  // The event page is a window with audio of its own: no offscreen document (Firefox has none).
  async playCue(cue) {
    playCue(cue);
    return true;
  },

  async releaseAudio() {},

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
  redirectUri: () => chrome.identity.getRedirectURL(),
  // Firefox's own words (its about:addons page, the ⚙ menu, then the item as Firefox labels it).
  shortcutsPageName: () => `about:addons → ⚙ → ${t('firefoxShortcutsMenu')}`,
  async openShortcutsPage() {
    // Firefox will not open about: pages by URL for an extension; this opens the shortcuts view.
    await (chrome.commands as unknown as { openShortcutSettings(): Promise<void> }).openShortcutSettings();
  },
};
