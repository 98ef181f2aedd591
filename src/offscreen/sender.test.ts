// The offscreen document obeys the background alone (sender.ts): the content script, which a
// compromised renderer on any agent desktop host can speak as, gets no microphone and no cue.
import { describe, expect, it } from 'vitest';
import { backgroundUrl, fromBackground } from './sender';

const ID = 'palaebnopndlohdhpbjmeopgkididbbo';
const ORIGIN = `chrome-extension://${ID}/`;
const url = (path: string): string => ORIGIN + path;
const WORKER = url('service-worker-loader.js');

describe('the background, as the offscreen document knows it', () => {
  it("is the manifest's service worker", () => {
    expect(backgroundUrl({ manifest_version: 3, name: 'x', version: '1', background: { service_worker: 'service-worker-loader.js', type: 'module' } }, url)).toBe(WORKER);
  });

  it('is nobody where the manifest names no service worker', () => {
    expect(backgroundUrl({ manifest_version: 3, name: 'x', version: '1' }, url)).toBeUndefined();
    expect(backgroundUrl({ manifest_version: 2, name: 'x', version: '1', background: { scripts: ['a.js'] } }, url)).toBeUndefined();
  });
});

describe('who may command the offscreen document', () => {
  it('the service worker: this id, no tab, its own URL', () => {
    expect(fromBackground({ id: ID, url: WORKER, origin: ORIGIN.slice(0, -1) }, ID, WORKER)).toBe(true);
  });

  it('not the content script on an agent desktop (it has a tab, and the page\'s URL)', () => {
    const tab = { id: 7, index: 0, windowId: 1, highlighted: true, active: true, pinned: false, incognito: false } as chrome.tabs.Tab;
    expect(fromBackground({ id: ID, tab, frameId: 0, url: 'https://apps.mypurecloud.com/directory/', origin: 'https://apps.mypurecloud.com' }, ID, WORKER)).toBe(false);
    // Even one whose page claimed the worker's URL: a sender with a tab is never the background.
    expect(fromBackground({ id: ID, tab, url: WORKER }, ID, WORKER)).toBe(false);
  });

  it("not the extension's own pages (popup, options), nor another extension, nor a sender with no URL", () => {
    expect(fromBackground({ id: ID, url: url('src/popup/index.html') }, ID, WORKER)).toBe(false);
    expect(fromBackground({ id: ID, url: url('src/options/index.html') }, ID, WORKER)).toBe(false);
    expect(fromBackground({ id: 'another-extension', url: `chrome-extension://another-extension/service-worker-loader.js` }, ID, WORKER)).toBe(false);
    expect(fromBackground({ id: ID }, ID, WORKER)).toBe(false);
    expect(fromBackground({ id: ID, url: WORKER }, ID, undefined)).toBe(false);
  });
});
