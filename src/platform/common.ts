// What Chrome and Firefox do the same way, named once for both implementations of the seam.
import type { BackgroundPlatform } from './types';

export const identity: BackgroundPlatform['identity'] = {
  redirectUri: () => chrome.identity.getRedirectURL(),
  launchWebAuthFlow: (url, interactive) => chrome.identity.launchWebAuthFlow({ url, interactive }),
};

export const toolbar: BackgroundPlatform['toolbar'] = {
  setBadgeText: (details) => chrome.action.setBadgeText(details),
  setBadgeBackgroundColor: (details) => chrome.action.setBadgeBackgroundColor(details),
  setTitle: (details) => chrome.action.setTitle(details),
  setIcon: (details) => chrome.action.setIcon(details),
};
