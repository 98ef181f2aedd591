// Entry point of the service worker. Listeners are registered synchronously at the top level so
// Chrome can wake a stopped worker for them.
import { MicWorker } from './worker';
import { parseRequest, VIEW_PORT, type Request, type ResponseMap } from '../shared/messages';
import { PREFERENCES_KEY } from '../shared/feedback';
import { ACCEPTS_LOOPBACK, SETTINGS_KEY } from '../shared/settings';

const worker = new MicWorker();

/** Only this extension's own pages and content scripts may talk to the worker. */
function fromThisExtension(sender: chrome.runtime.MessageSender): boolean {
  return sender.id === chrome.runtime.id;
}

function answer(request: Request): Promise<ResponseMap[Request['type']]> {
  switch (request.type) {
    case 'get-view':
      return worker.ready.then(() => worker.view());
    case 'set-muted':
      return worker.handleMuteIntent(request.muted, request.source);
    case 'sign-in':
      return worker.signInInteractive();
    case 'sign-out':
      return worker.signOut();
    case 'check-setup':
      return worker.checkSetup();
  }
}

// The worker uses chrome.* directly: every API it needs returns promises in MV3 Chromium, and the
// polyfill would cost a fifth of its 15 kB budget. The views use the polyfill (src/shared/client.ts).
chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse: (response: unknown) => void) => {
  const request = parseRequest(message);
  if (!request || !fromThisExtension(sender)) {
    // Never log the content: it is untrusted and may carry anything.
    console.warn('[mic] rejected a message that is not one of ours');
    return false;
  }
  answer(request).then(sendResponse, () => sendResponse(undefined));
  return true; // the answer comes asynchronously
});

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== VIEW_PORT || !port.sender || !fromThisExtension(port.sender)) {
    port.disconnect();
    return;
  }
  worker.addViewPort(port);
});

function onCommand(command: string): void {
  if (command === 'toggle-mute') void worker.handleMuteIntent('toggle', 'shortcut');
}
chrome.commands.onCommand.addListener(onCommand);

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed' || (area === 'local' && SETTINGS_KEY in changes)) void worker.settingsChanged(area);
  if (area === 'local' && PREFERENCES_KEY in changes) void worker.preferencesChanged();
});

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
chrome.runtime.onInstalled.addListener((details) => {
  void injectIntoOpenAgentDesktops();
  if (details.reason === 'install') void worker.welcome();
});

self.addEventListener('online', () => worker.networkChanged(true));
self.addEventListener('offline', () => worker.networkChanged(false));

if (ACCEPTS_LOOPBACK) {
  // Test build only: lets end-to-end tests deliver a command the way Chrome does and read the view.
  Object.assign(globalThis, {
    gmcDispatchCommand: onCommand,
    gmcView: () => worker.ready.then(() => worker.view()),
    gmcSoundsPlayed: () => worker.feedback.played,
  });
  // Benchmark hook (bench/): worker start-up, in ms since this worker's time origin (its start):
  // when module evaluation ended (this line runs last) and when the stored session was restored.
  const startup: { evaluatedMs: number; readyMs?: number } = { evaluatedMs: performance.now() };
  void worker.ready.then(() => (startup.readyMs = performance.now()));
  Object.assign(globalThis, { gmcStartup: startup });
}
