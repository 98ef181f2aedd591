// The one mute control, rendered by the injected page control and by the popup.
import type { ControlView } from '../view';
import { shownMuted } from '../view';
import { t } from '../i18n';
import { elapsedText } from './elapsed';

export interface MuteButtonProps {
  view: ControlView;
  /** Called with the state the agent asked for; only for trusted (real user) activations. */
  onSetMuted: (muted: boolean) => void;
  /** The time now (epoch ms), for how long the agent has been muted; the view re-renders each second. */
  now?: number;
}

/** The words under the button, in the agent's terms. */
export function statusText(view: ControlView): string {
  switch (view.status) {
    case 'not-configured':
      return t('statusSetupNeeded');
    case 'signed-out':
      return t(view.problem?.code === 'session-expired' ? 'statusSignInAgain' : 'statusSignedOut');
    case 'no-call':
      return t(view.call?.held ? 'statusOnHold' : 'statusNoCall');
    case 'live':
      return t('statusMicOn');
    case 'muted':
      return t('statusMuted');
    case 'pending':
      return t(view.wantMuted ? 'statusMuting' : 'statusUnmuting');
    case 'error':
      return t(view.call?.muted ? 'statusMutedNotChanged' : 'statusMicOnNotChanged');
  }
}

/** While muted as Genesys confirmed it: when the mute began, for the "Muted 0:42" count. */
export function mutedSince(view: ControlView): number | undefined {
  return view.status === 'muted' ? view.call?.mutedAt : undefined;
}

export function MuteButton({ view, onSetMuted, now }: MuteButtonProps) {
  const since = mutedSince(view);
  const elapsed = since !== undefined && now !== undefined ? elapsedText(now - since) : undefined;
  const muted = shownMuted(view);
  const onCall = view.call !== undefined && !view.call.held;
  const usable = onCall && (view.status === 'live' || view.status === 'muted' || view.status === 'pending' || view.status === 'error');
  return (
    <div class="gmc" data-status={view.status} data-muted={String(muted)}>
      <button
        type="button"
        class="gmc-button"
        aria-pressed={muted ? 'true' : 'false'}
        // Not translated on purpose: "Mute microphone" is the control's accessible name in every
        // language, a stable interface (README) that admins' and outside test tools find it by.
        aria-label="Mute microphone"
        aria-describedby="gmc-status"
        disabled={!usable}
        title={view.problem?.message ?? statusText(view)}
        onClick={(event) => {
          // A page script can dispatch click events; only a person's click or key press counts.
          if (!event.isTrusted) return;
          onSetMuted(!muted);
        }}
      >
        <MicIcon muted={muted} />
        {/* The label stays "Mute"; aria-pressed and the status say whether it is on. */}
        <span class="gmc-label">{t('muteLabel')}</span>
      </button>
      <span id="gmc-status" class="gmc-status" role="status" aria-live="polite">
        {statusText(view)}
      </span>
      {/* Not in the live region above: a count that changes every second must not be read out. */}
      {elapsed !== undefined ? (
        <span class="gmc-since" role="timer" aria-label={t('mutedFor', elapsed)} data-testid="muted-for">
          {elapsed}
        </span>
      ) : null}
      {view.nudge === 'speaking-while-muted' ? (
        <span class="gmc-nudge" role="alert" data-testid="nudge">
          {t('nudgeSpeaking')}
        </span>
      ) : null}
      {view.problem && view.status !== 'signed-out' ? (
        <span class="gmc-problem" role="alert">
          {view.problem.message}
        </span>
      ) : null}
    </div>
  );
}

function MicIcon({ muted }: { muted: boolean }) {
  return (
    <svg class="gmc-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2z"
      />
      {muted ? <path stroke="currentColor" stroke-width="2.2" stroke-linecap="round" d="M4 4l16 16" /> : null}
    </svg>
  );
}

/**
 * Styles for the control; injected into the shadow root on the page and into the popup. Written
 * compactly because the string ships as is and counts against the content script's size budget.
 * In the dark theme the pressed hover needs its own colour: the light theme's dark red would stay
 * under the dark text (contrast 1.8:1).
 */
export const MUTE_BUTTON_CSS = `
.gmc{display:inline-flex;align-items:center;gap:8px;flex-wrap:wrap;font:13px/1.3 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f}
.gmc-button{display:inline-flex;align-items:center;gap:6px;min-height:32px;padding:4px 12px;border-radius:4px;border:1px solid #6b6f76;background:#fff;color:#1d1d1f;font:inherit;font-weight:600;cursor:pointer}
.gmc-button:hover:not(:disabled){background:#eef2fb}
.gmc-button:focus-visible{outline:3px solid #1f5fd1;outline-offset:2px}
.gmc-button[aria-pressed=true]{background:#b3261e;border-color:#b3261e;color:#fff}
.gmc-button[aria-pressed=true]:hover:not(:disabled){background:#8f1d17}
.gmc[data-status=pending] .gmc-button{border-style:dashed}
.gmc-button:disabled{cursor:not-allowed;background:#f1f1f3;color:#5f6368;border-color:#b8bbc0}
.gmc-status{color:#3c4043}
.gmc[data-status=muted] .gmc-status{color:#8f1d17;font-weight:600}
.gmc-problem{flex-basis:100%;color:#8f1d17}
.gmc-since{margin-left:-4px;color:#8f1d17;font-weight:600;font-variant-numeric:tabular-nums}
.gmc-nudge{padding:2px 8px;border-radius:10px;background:#fde68a;color:#5a2a00;border:1px solid #b45309;font-weight:700}
@media (prefers-color-scheme:dark){
.gmc{color:#e8eaed}
.gmc-button{background:#2b2d31;color:#e8eaed;border-color:#9aa0a6}
.gmc-button:hover:not(:disabled){background:#35383d}
.gmc-button[aria-pressed=true]{background:#f28b82;border-color:#f28b82;color:#202124}
.gmc-button[aria-pressed=true]:hover:not(:disabled){background:#f6aea9}
.gmc-button:disabled{background:#2b2d31;color:#9aa0a6;border-color:#5f6368}
.gmc-status{color:#c4c7c5}
.gmc[data-status=muted] .gmc-status,.gmc-problem,.gmc-since{color:#f28b82}
.gmc-nudge{background:#fbbf24;color:#202124;border-color:#fbbf24}
.gmc-button:focus-visible{outline-color:#8ab4f8}
}
@media (prefers-reduced-motion:no-preference){.gmc-button{transition:background-color 120ms}}
`;
