// Entry point of the background (Chrome: the service worker; Firefox: the background script).
// Listeners are registered synchronously at the top level so the browser can wake a stopped
// background for them.
import { background as platform } from '@platform';
import { MicWorker } from './worker';
import { answer, handlers, viewerOf, type Sender } from './handlers';
import { NOT_HERE, parseRequest, VIEW_PORT } from '../shared/messages';
import { ConfigSource } from '../shared/config-source';
import { ACCEPTS_LOOPBACK } from '../shared/settings';
import type { Attention } from './features';
import type { ViewerKind } from './views';

// Before anything else at start-up, so no content script ever reads storage.local (Chrome; Firefox
// has no access levels: docs/SECURITY.md says what that leaves open).
void platform.restrictLocalStorage().catch(() => undefined);

const isRequest = (message: unknown): boolean => parseRequest(message) !== undefined;

const attention: Attention = {
  popupOpen: () => platform.popupOpen(),
  async focusedTabUrl() {
    // Tab URLs are visible only for hosts we hold permissions for: exactly the agent desktops.
    const window = await chrome.windows.getLastFocused({ populate: true });
    return window.focused ? window.tabs?.find((tab) => tab.active)?.url : undefined;
  },
  async notify(id, title, message) {
    await chrome.notifications.create(id, { type: 'basic', iconUrl: 'icons/icon-128.png', title, message, priority: 2 });
  },
  async clear(id) {
    await chrome.notifications.clear(id);
  },
};

const config = new ConfigSource();
const worker = new MicWorker({ platform, config, attention });
const table = handlers(worker);
const extensionOrigin = chrome.runtime.getURL('');

/**
 * Who is asking. A page control is known by the configured agent desktop's origin; when the
 * background has just woken and policy has not answered yet, the origin may still come from it.
 */
async function viewer(sender: Sender): Promise<ViewerKind | undefined> {
  const judge = () => viewerOf(sender, chrome.runtime.id, extensionOrigin, worker.view().agentDesktopOrigin);
  await config.localReady;
  return judge() ?? (await config.ready.then(judge));
}

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse: (response: unknown) => void) => {
  if (!isRequest(message)) return false; // not for us (the offscreen document's own); never log content
  void viewer(sender)
    .then((kind) => answer(table, message, kind))
    .then(sendResponse, () => sendResponse(undefined));
  return true; // the answer comes asynchronously
});

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== VIEW_PORT || !port.sender) {
    port.disconnect();
    return;
  }
  void viewer(port.sender).then((kind) => {
    if (kind) {
      worker.addViewPort(port, kind);
      return;
    }
    // Another org's agent desktop (the content script runs on every region's): told once, so it
    // leaves instead of reconnecting.
    try {
      port.postMessage(NOT_HERE);
    } finally {
      port.disconnect();
    }
  });
});

function onCommand(command: string): void {
  if (command === 'toggle-mute') void worker.handleMuteIntent('toggle', 'shortcut');
}
chrome.commands.onCommand.addListener(onCommand);

chrome.storage.onChanged.addListener((changes, area) => config.storageChanged(changes, area));

/**
 * After an install or update the agent desktops that stay open for hours have no control (the old
 * one removed itself): put the new one in, without the agent reloading Genesys.
 */
async function injectIntoOpenAgentDesktops(): Promise<void> {
  const script = chrome.runtime.getManifest().content_scripts?.[0];
  if (!script?.js || !script.matches) return;
  const tabs = await chrome.tabs.query({ url: script.matches });
  for (const tab of tabs) {
    if (tab.id === undefined) continue;
    await chrome.scripting.executeScript({ target: { tabId: tab.id }, files: script.js }).catch(() => {
      // A tab that is loading or crashed gets the control from the manifest when it loads.
    });
  }
}
/** What the install's welcome did (the test build's harness waits for it before opening tabs). */
let welcome: 'pending' | 'opened' | 'not-needed' = 'pending';
chrome.runtime.onInstalled.addListener((details) => {
  void injectIntoOpenAgentDesktops();
  if (details.reason !== 'install') return;
  void worker.welcome(() => chrome.runtime.openOptionsPage()).then(
    (opened) => (welcome = opened ? 'opened' : 'not-needed'),
    () => (welcome = 'not-needed'),
  );
});

self.addEventListener('online', () => worker.networkChanged(true));
self.addEventListener('offline', () => worker.networkChanged(false));

if (ACCEPTS_LOOPBACK) {
  // Test build only: lets end-to-end tests deliver a command the way the browser does and read
  // the view, and the bench time the start-up.
  Object.assign(globalThis, {
    gmcDispatchCommand: onCommand,
    gmcView: () => worker.ready.then(() => worker.view()),
    gmcSoundsPlayed: () => worker.cue.played,
    gmcConnection: () => worker.connectionState(),
    gmcSpeaking: () => ({
      listening: worker.features_().includes(worker.speaking.name),
      since: worker.speaking.listeningSince,
      nudge: worker.speaking.shown,
      nudges: worker.speaking.nudges,
      cues: worker.speaking.cues,
    }),
    gmcFeatures: () => worker.features_(),
    gmcWelcome: () => welcome,
  });
  const startup: { evaluatedMs: number; readyMs?: number } = { evaluatedMs: performance.now() };
  void worker.ready.then(() => (startup.readyMs = performance.now()));
  Object.assign(globalThis, { gmcStartup: startup });
}
