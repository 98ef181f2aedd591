// Pieces the popup and the options page share: the live view, the connection badge and the
// sign-in / sign-out actions. Both pages only render what the worker pushes and send requests.
import { useEffect, useState } from 'preact/hooks';
import { ask, watchView } from '../shared/client';
import type { Connection, MicView } from '../shared/view';
import { readMicView } from '../shared/view-check';
import { t, type MessageKey } from '../shared/i18n';

export interface LiveView {
  /** Undefined until the worker has answered or pushed once. */
  view: MicView | undefined;
  /** True when the extension was updated or removed underneath this page. */
  orphaned: boolean;
}

/** Subscribes to the worker's view; asks once too for a fast first paint. */
export function useMicView(): LiveView {
  const [view, setView] = useState<MicView | undefined>(undefined);
  const [orphaned, setOrphaned] = useState(false);
  useEffect(() => {
    let stop: (() => void) | undefined;
    try {
      stop = watchView(readMicView, setView, () => setOrphaned(true));
    } catch {
      // No worker to talk to yet; the page keeps showing "Connecting…".
    }
    ask({ type: 'get-view' }).then(
      // A push may already have arrived; it is newer than this answer.
      (answer) => {
        const view = readMicView(answer);
        if (view) setView((current) => current ?? view);
      },
      () => undefined,
    );
    return () => stop?.();
  }, []);
  return { view, orphaned };
}

const CONNECTION_WORDS: Record<Connection, MessageKey> = {
  connecting: 'connecting',
  live: 'connectionLive',
  reconnecting: 'connectionReconnecting',
  offline: 'connectionOffline',
  'signed-out': 'statusSignedOut',
};

/** The worker's connection in words, with a coloured dot that is never the only signal. */
export function ConnectionBadge({ view }: { view: MicView | undefined }) {
  const connection: Connection = view?.connection ?? 'connecting';
  return (
    <span class="conn" data-connection={connection}>
      <span class="dot" aria-hidden="true" />
      <span data-testid="connection">{CONNECTION_WORDS[connection] ? t(CONNECTION_WORDS[connection]) : connection}</span>
    </span>
  );
}

/**
 * "Sign in" (primary) when signed out, a quieter "Sign out" when signed in, nothing before the
 * extension is set up. A failed attempt's message shows in an alert, unless the worker's problem,
 * shown elsewhere on the page, already says the same thing.
 */
export function AccountActions({ view, shownProblem }: { view: MicView; shownProblem?: string | undefined }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  if (view.status === 'not-configured') return null;
  const signedOut = view.status === 'signed-out';

  const run = (type: 'sign-in' | 'sign-out'): void => {
    setBusy(true);
    setFailure(undefined);
    ask({ type }).then(
      (result) => {
        setBusy(false);
        if (result && result.ok === false) setFailure(result.message ?? t('didNotWork'));
      },
      () => {
        setBusy(false);
        setFailure(t('noAnswer'));
      },
    );
  };

  const signingIn = view.signingIn || (busy && signedOut);
  return (
    <div class="account">
      {signedOut ? (
        <button type="button" class="btn btn-primary" disabled={signingIn} onClick={() => run('sign-in')}>
          {t(signingIn ? 'signingIn' : 'signIn')}
        </button>
      ) : (
        <button type="button" class="btn btn-quiet" disabled={busy} onClick={() => run('sign-out')}>
          {t('signOut')}
        </button>
      )}
      {failure !== undefined && failure !== shownProblem ? (
        <p class="alert" role="alert">
          {failure}
        </p>
      ) : null}
    </div>
  );
}

/** Opens the options page (in a tab, per the manifest). */
export function openSettings(): void {
  chrome.runtime.openOptionsPage().catch(() => {
    void chrome.tabs.create({ url: chrome.runtime.getURL('src/options/index.html') });
  });
}
