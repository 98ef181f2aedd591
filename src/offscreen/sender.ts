// Who may command the offscreen document: the extension's own background, and nothing else. Every
// context of the extension receives `runtime.sendMessage` — the content script on every agent
// desktop host included, and a compromised renderer there can send anything the content script
// can — so the extension id alone says nothing. The browser fills in `sender` itself: a content
// script's messages carry its tab and its page's URL; the service worker's carry no tab and the
// worker's own script URL, which no page or content script can claim.

/** The background's URL: the service worker the manifest names (undefined where there is none). */
export function backgroundUrl(manifest: chrome.runtime.Manifest, extensionUrl: (path: string) => string): string | undefined {
  const worker = (manifest.background as { service_worker?: unknown } | undefined)?.service_worker;
  return typeof worker === 'string' && worker !== '' ? extensionUrl(worker) : undefined;
}

/** Whether `sender` is this extension's background: its id, no tab, and the worker's own URL. */
export function fromBackground(sender: chrome.runtime.MessageSender, extensionId: string, background: string | undefined): boolean {
  return background !== undefined && sender.id === extensionId && sender.tab === undefined && sender.url === background;
}
