// The toolbar popup: who is signed in, the current call, the mute toggle, the shortcut.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LocalMuteIntent } from '../shared/client';
import { MUTE_BUTTON_CSS, MuteButton, mutedSince } from '../shared/ui/MuteButton';
import type { CallView, MicView } from '../shared/view';
import { readMicView } from '../shared/view-check';
import { AccountActions, ConnectionBadge, openSettings, useMicView } from './common';
import { ShortcutInfo } from './Shortcut';
import { t } from '../shared/i18n';
import './base.css';
import './popup.css';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "since 14:02 · 5 min" in local time, or undefined when Genesys did not say when. */
export function sinceText(connectedAt: string | undefined, now: number): string | undefined {
  if (!connectedAt) return undefined;
  const start = new Date(connectedAt);
  if (Number.isNaN(start.getTime())) return undefined;
  const minutes = Math.max(0, Math.floor((now - start.getTime()) / 60_000));
  return t('callSince', `${pad(start.getHours())}:${pad(start.getMinutes())}`, minutes < 1 ? t('durationUnderMinute') : t('durationMinutes', minutes));
}

function useNow(active: boolean, everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
  return now;
}

function CallSummary({ call, otherCalls }: { call: CallView | undefined; otherCalls: number }) {
  const now = useNow(Boolean(call?.connectedAt));
  const since = sinceText(call?.connectedAt, now);
  const who = call && call.otherParties.length > 0 ? call.otherParties.join(', ') : t('unknownCaller');
  return (
    <section class="call" data-testid="call" aria-label={t('currentCall')}>
      {call ? (
        <>
          <p class="call-who">
            <span class="muted">{t(call.held ? 'onHoldWith' : 'onCallWith')}</span> <strong>{who}</strong>
          </p>
          {since ? <p class="muted">{since}</p> : null}
        </>
      ) : (
        <p class="muted">{t('noActiveCall')}</p>
      )}
      {otherCalls > 0 ? (
        <p class="call-more">
          {t(otherCalls === 1 ? 'otherCallOne' : 'otherCallsMany', otherCalls)}
        </p>
      ) : null}
    </section>
  );
}

/** The mute button, counting how long the agent has been muted once a second while muted. */
function MutedButton({ view, onSetMuted }: { view: MicView; onSetMuted: (muted: boolean) => void }) {
  const now = useNow(mutedSince(view) !== undefined, 1_000);
  return <MuteButton view={view} onSetMuted={onSetMuted} now={now} />;
}

/** The MuteButton shows the problem itself only when a call is there to act on. */
function popupShowsProblem(view: MicView): boolean {
  return view.status === 'signed-out' || view.status === 'not-configured' || view.status === 'no-call' || !view.call;
}

function Body({ view, intent }: { view: MicView; intent: LocalMuteIntent<MicView> }) {
  const ownProblem = view.problem && popupShowsProblem(view) ? view.problem.message : undefined;
  const problem =
    ownProblem !== undefined ? (
      <p class="alert" role="alert" data-testid="problem">
        {ownProblem}
      </p>
    ) : null;

  if (view.status === 'not-configured') {
    return (
      <main class="body">
        <div class="setup">
          <h1 class="title">{t('statusSetupNeeded')}</h1>
          <p class="muted">{t('setupNeededText')}</p>
          <button type="button" class="btn btn-primary" onClick={openSettings}>
            {t('openSettings')}
          </button>
        </div>
        {problem}
      </main>
    );
  }

  if (view.status === 'signed-out') {
    return (
      <main class="body">
        <div class="setup">
          <p class="muted">{t('signInPrompt')}</p>
          <AccountActions view={view} shownProblem={ownProblem} />
        </div>
        {problem}
        <ShortcutInfo />
      </main>
    );
  }

  // Signed in. When the popup shows the problem itself, the button must not repeat it.
  const buttonView = intent.apply(ownProblem !== undefined ? { ...view, problem: undefined } : view);
  return (
    <main class="body">
      <CallSummary call={view.call} otherCalls={view.otherCalls} />
      <div class="mute">
        <MutedButton view={buttonView} onSetMuted={(muted) => intent.set(muted)} />
      </div>
      {problem}
      {view.speakingCheck === 'no-permission' ? (
        <p class="speaking-hint" data-testid="speaking-hint">
          {t('popupSpeakingNoPermission')}{' '}
          <button type="button" class="link" onClick={openSettings}>
            {t('settings')}
          </button>
        </p>
      ) : null}
      <ShortcutInfo />
    </main>
  );
}

function Popup() {
  const { view, orphaned } = useMicView();
  // Re-render on each click and on the worker's answer to it; pushes re-render via useMicView.
  const [, setTick] = useState(0);
  const [intent] = useState(() => new LocalMuteIntent('popup', readMicView, () => setTick((tick) => tick + 1)));
  const signedIn = view !== undefined && view.status !== 'signed-out' && view.status !== 'not-configured';
  return (
    <div class="popup">
      <header class="head">
        <div class="head-row">
          <span class="product">{t('extName')}</span>
          <ConnectionBadge view={view} />
        </div>
        {view?.agentName ? (
          <p class="agent" data-testid="agent-name">
            {view.agentName}
          </p>
        ) : null}
      </header>
      {orphaned ? (
        <main class="body">
          <p class="alert" role="alert">
            {t('updatedCloseWindow')}
          </p>
        </main>
      ) : view === undefined ? (
        <main class="body" aria-busy="true">
          <p class="muted">{t('connecting')}</p>
        </main>
      ) : (
        <Body view={view} intent={intent} />
      )}
      <footer class="foot">
        <button type="button" class="link" onClick={openSettings}>
          {t('settings')}
        </button>
        {signedIn && view ? <AccountActions view={view} /> : null}
      </footer>
    </div>
  );
}

document.documentElement.lang = t('htmlLang');
// Looked up now: once the extension is updated under an open popup, the browser's i18n is gone.
t('updatedCloseWindow');
const style = document.createElement('style');
style.textContent = MUTE_BUTTON_CSS;
document.head.append(style);

const root = document.getElementById('app');
if (root) render(<Popup />, root);
