// The views' side of the messaging: typed requests to the background and a live view pushed by
// it. Every view (page control, popup, options page) uses chrome.* directly: Chrome 116+ and
// Firefox 140+ both answer with promises, so webextension-polyfill would only add ~3 kB gzip to
// each view (it was dropped when the platform seam made the remaining differences explicit).
import { isNotHere, pushedView, VIEW_PORT, type IntentSource, type Request, type ResponseMap } from './messages';
import type { ControlView } from './view';

/** The part of a runtime Port the views use. */
export interface ViewPort {
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
  disconnect(): void;
}

/** How the views reach the background. */
export interface Transport {
  id(): string | undefined;
  sendMessage(message: unknown): Promise<unknown>;
  connect(name: string): ViewPort;
}

const transport: Transport = {
  id: () => chrome.runtime.id,
  sendMessage: (message) => chrome.runtime.sendMessage(message),
  connect: (name) => chrome.runtime.connect({ name }),
};

/**
 * Sends one request to the worker and resolves with its typed answer. A browser that throws at
 * once (the extension was updated or reloaded under this view) rejects like any other failure.
 */
export function ask<R extends Request>(request: R): Promise<ResponseMap[R['type']]> {
  try {
    return transport.sendMessage(request) as Promise<ResponseMap[R['type']]>;
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** True while this view's extension is still the installed one (false after an update or reload). */
export function extensionAlive(): boolean {
  try {
    return Boolean(transport.id());
  } catch {
    return false;
  }
}

/**
 * Calls `onView` with every view the background pushes that `read` accepts (readMicView on
 * extension pages, readControlView on the agent desktop). Reconnects when the background restarts,
 * since the browser stops an idle one and that closes the port. Returns a function that stops
 * watching. `onOrphaned` runs once if the extension was updated or removed underneath this view,
 * or the background will not serve it (another org's agent desktop).
 */
export function watchView<V>(read: (value: unknown) => V | undefined, onView: (view: V) => void, onOrphaned?: () => void): () => void {
  let port: ViewPort | undefined;
  let stopped = false;
  const connect = (): void => {
    if (stopped) return;
    if (!extensionAlive()) {
      stopped = true;
      onOrphaned?.();
      return;
    }
    try {
      port = transport.connect(VIEW_PORT);
    } catch {
      // "Extension context invalidated": the extension went away between the check and here.
      stopped = true;
      onOrphaned?.();
      return;
    }
    port.onMessage.addListener((message: unknown) => {
      if (isNotHere(message)) {
        // Not an agent desktop this extension serves: no view will come, so stop asking.
        stopped = true;
        onOrphaned?.();
        return;
      }
      const view = read(pushedView(message));
      if (view !== undefined) onView(view);
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
    try {
      port?.disconnect();
    } catch {
      // The extension is already gone, and the port with it.
    }
  };
}

/**
 * A view's own clicks, shown at once and counted exactly: the worker's push for one click may
 * arrive after the next click, so without this two fast clicks would both say "mute". The view
 * shows its latest click until the worker has answered it; the answer is the worker's view right
 * after handling it.
 */
export class LocalMuteIntent<V extends ControlView> {
  private wanted: boolean | undefined;
  private sequence = 0;

  /** `changed` runs after each click (no view) and with the background's answer to the latest click. */
  constructor(
    private readonly source: IntentSource,
    private readonly read: (value: unknown) => V | undefined,
    private readonly changed: (answer: V | undefined) => void,
  ) {}

  /** The view as this context shows it: its own unanswered click wins. */
  apply(view: V): V {
    return this.wanted === undefined ? view : { ...view, status: 'pending', wantMuted: this.wanted };
  }

  set(muted: boolean): void {
    this.wanted = muted;
    const sequence = ++this.sequence;
    const settle = (answer: V | undefined): void => {
      if (sequence !== this.sequence) return; // a newer click is still on its way
      this.wanted = undefined;
      this.changed(answer);
    };
    ask({ type: 'set-muted', muted, source: this.source }).then(
      (answer) => settle(this.read(answer)),
      () => settle(undefined),
    );
    this.changed(undefined);
  }
}
