// The views' messaging client for the popup and the options page: the functions of
// ./client-core, sent through webextension-polyfill. The content script imports ./client-core
// directly and uses chrome.* (see there why).
import browser from 'webextension-polyfill';
import { setTransport } from './client-core';

export * from './client-core';

setTransport({
  id: () => browser.runtime.id,
  sendMessage: (message) => browser.runtime.sendMessage(message),
  connect: (name) => browser.runtime.connect({ name }),
});
