// The views' side of the messaging: typed requests to the worker and a live view pushed by it.
import browser from 'webextension-polyfill';
import { VIEW_PORT, type Request, type ResponseMap, type ViewPush } from './messages';
import type { MicView } from './view';

/** Sends one request to the worker and resolves with its typed answer. */
export function ask<R extends Request>(request: R): Promise<ResponseMap[R['type']]> {
  return browser.runtime.sendMessage(request) as Promise<ResponseMap[R['type']]>;
}

/** True while this view's extension is still the installed one (false after an update or reload). */
export function extensionAlive(): boolean {
  try {
    return Boolean(browser.runtime.id);
  } catch {
    return false;
  }
}

/**
 * Calls `onView` with every view the worker pushes. Reconnects when the worker restarts, since
 * Chrome stops idle workers and that closes the port. Returns a function that stops watching.
 * `onOrphaned` runs once if the extension was updated or removed underneath this view.
 */
export function watchView(onView: (view: MicView) => void, onOrphaned?: () => void): () => void {
  let port: browser.Runtime.Port | undefined;
  let stopped = false;
  const connect = (): void => {
    if (stopped) return;
    if (!extensionAlive()) {
      stopped = true;
      onOrphaned?.();
      return;
    }
    port = browser.runtime.connect({ name: VIEW_PORT });
    port.onMessage.addListener((message: unknown) => {
      const push = message as ViewPush;
      if (push.type === 'view') onView(push.view);
    });
    port.onDisconnect.addListener(() => {
      port = undefined;
      // A short pause stops a tight loop if the worker keeps failing to start.
      setTimeout(connect, 100);
    });
  };
  connect();
  return () => {
    stopped = true;
    port?.disconnect();
  };
}
