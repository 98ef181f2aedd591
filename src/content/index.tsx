// The injected mute control on the Genesys agent desktop. A view only: it renders what the worker
// pushes and sends the agent's intent back. It lives in an open shadow root so page styles cannot
// reach it, and removes itself when the extension that injected it is updated or removed.
import { render } from 'preact';
import { LocalMuteIntent, watchView } from '../shared/client';
import { MUTE_BUTTON_CSS, MuteButton } from '../shared/ui/MuteButton';
import type { MicView } from '../shared/view';
import { place } from './placement';

const HOST_TAG = 'genesys-mic-control';
/** Tells an earlier instance of this script on the page to remove its control. */
const REPLACE_EVENT = 'genesys-mic-control:replace';

const HOST_CSS = `
:host { all: initial; display: inline-flex; vertical-align: middle; margin: 0 8px; z-index: 2147483000; }
:host([data-placement="floating"]) { position: fixed; right: 16px; bottom: 16px; margin: 0; }
:host([hidden]) { display: none; }
.panel { display: inline-flex; padding: 4px 8px; border-radius: 6px; }
:host([data-placement="floating"]) .panel { background: #ffffff; border: 1px solid #b8bbc0;
  box-shadow: 0 2px 8px rgba(0, 0, 0, 0.18); }
@media (prefers-color-scheme: dark) {
  :host([data-placement="floating"]) .panel { background: #202124; border-color: #5f6368; }
}
`;

function mount(): void {
  // An earlier instance (the extension was updated, or the worker injected us again) leaves first.
  document.dispatchEvent(new CustomEvent(REPLACE_EVENT));
  for (const old of document.querySelectorAll(HOST_TAG)) old.remove();
  const host = document.createElement(HOST_TAG);
  host.hidden = true;
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = HOST_CSS + MUTE_BUTTON_CSS;
  const panel = document.createElement('div');
  panel.className = 'panel';
  shadow.append(style, panel);
  place(host);

  let view: MicView | undefined;
  const show = (next: MicView | undefined = view): void => {
    if (!next) return;
    view = next;
    // Only on the configured agent desktop; the match patterns cover every region.
    host.hidden = next.agentDesktopOrigin !== location.origin;
    render(<MuteButton view={intent.apply(next)} onSetMuted={onSetMuted} />, panel);
  };
  const intent = new LocalMuteIntent('page', (answer) => show(answer));
  const onSetMuted = (muted: boolean): void => intent.set(muted);

  // Genesys re-renders its toolbar often; one throttled observer keeps the control beside it, and
  // puts it back at once when a re-render took it off the page.
  let scheduled = false;
  const observer = new MutationObserver(() => {
    if (!host.isConnected) {
      place(host);
      return;
    }
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      place(host);
    }, 250);
  });
  observer.observe(document.body, { childList: true, subtree: true });

  watchView(show, () => {
    observer.disconnect();
    render(null, panel);
    host.remove();
  });
  performance.mark('genesys-mic-control:mounted'); // benchmark hook (bench/): content-script time
}

mount();
