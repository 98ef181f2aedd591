// Chrome and Edge (Chromium, Manifest V3 service worker).
import type { BackgroundPlatform, Cue, PagesPlatform } from './types';
import type { PlayCue } from '../shared/cue';
import { identity, toolbar } from './common';

const OFFSCREEN_PATH = 'src/offscreen/index.html';

async function offscreenOpen(): Promise<boolean> {
  const open = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] });
  return open.length > 0;
}

export const background: BackgroundPlatform = {
  browser: 'chrome',
  identity,
  toolbar,

  // A service worker has no audio: one offscreen document plays the cues.
  async playCue(cue: Cue) {
    if (!(await offscreenOpen())) {
      await chrome.offscreen.createDocument({
        url: OFFSCREEN_PATH,
        reasons: [chrome.offscreen.Reason.AUDIO_PLAYBACK],
        justification: 'A short sound when the microphone is muted or unmuted, if the agent turned it on.',
      });
    }
    const message: PlayCue = { type: 'play-cue', cue };
    // A just-created document may not listen yet: try again briefly rather than lose the sound.
    for (let attempt = 0; attempt < 10; attempt++) {
      const played: unknown = await chrome.runtime.sendMessage(message).catch(() => undefined);
      if (played === true) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  },

  async releaseAudio() {
    if (await offscreenOpen()) await chrome.offscreen.closeDocument();
  },

  async popupOpen() {
    const popups = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.POPUP] });
    return popups.length > 0;
  },

  // The socket's pings every 20 s keep the service worker alive (Chrome 116+).
  keepAlive() {},

  async restrictLocalStorage() {
    await chrome.storage.local.setAccessLevel({ accessLevel: chrome.storage.AccessLevel.TRUSTED_CONTEXTS });
  },
};

/** Edge has its own page for extension shortcuts. */
export function shortcutsPageUrl(userAgent: string = navigator.userAgent): string {
  return userAgent.includes('Edg/') ? 'edge://extensions/shortcuts' : 'chrome://extensions/shortcuts';
}

export const pages: PagesPlatform = {
  globalShortcuts: true,
  redirectUri: identity.redirectUri,
  shortcutsPageName: () => shortcutsPageUrl(),
  async openShortcutsPage() {
    await chrome.tabs.create({ url: shortcutsPageUrl() });
  },
};
