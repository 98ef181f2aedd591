// The injected mute control on the Genesys agent desktop, and in Genesys's embedded client (a CRM's
// frame under /crm/) and its WebRTC pop-out, where it is compact. A view only: it renders what the
// worker pushes and sends the agent's intent back. It lives in an open shadow root so page styles cannot
// reach it, and removes itself when the extension that injected it is updated or removed.
import { render } from 'preact';
import { ask, extensionAlive, LocalMuteIntent, watchView } from '../shared/client';
import { MUTE_BUTTON_CSS, MuteButton, mutedSince } from '../shared/ui/MuteButton';
import { untilNextSecond } from '../shared/ui/elapsed';
import type { ControlView } from '../shared/view';
import { readControlView } from '../shared/view-check';
import { t } from '../shared/i18n';
import { inEmbeddedClient, place, placeCompact } from './placement';
import { SightGate, sightOf, type Sight, type SightReport } from './sight';
import { ACCEPTS_LOOPBACK } from '../shared/settings';
import { DEFAULT_POSITION, afterKey, clampPosition, samePosition, type Position } from '../shared/position';

const HOST_TAG = 'genesys-mic-control';
/**
 * Tells an earlier instance of this script on the page to check whether its extension is gone
 * (updated, reloaded or removed). The page can send it too, so it is a hint, never an order.
 */
const REPLACE_EVENT = 'genesys-mic-control:replace';
/** This script's instance in this isolated world, so being injected again does not mount twice. */
const INSTANCE_KEY = Symbol.for('genesys-mic-control');

interface Instance {
  leave(): void;
}

// Written compactly: this string ships as is and counts against the content script's size budget.
// What decides whether the agent can see the control is !important: between the page and a shadow
// root, the shadow root's !important wins, even over the page's own !important and inline styles,
// so the page cannot make the control invisible and leave it clickable.
/**
 * A dead man's switch: the control hides itself this long after the script last said it lives.
 * Firefox throws a removed add-on's content script away without a word (no port closes, no timer
 * runs again), so only CSS can take its control off the page. The live script restarts the clock
 * every LIVE_EVERY_MS, when the tab shows again, and on every view.
 */
const ORPHAN_AFTER_MS = 45_000;
const LIVE_EVERY_MS = 15_000;
/** How long this tab's own earlier moves are recognised when the background echoes them back. */
const ECHO_MS = 2_000;

const HOST_CSS = `
:host{all:initial;display:inline-flex!important;vertical-align:middle;margin:0 8px;z-index:2147483647!important;opacity:1!important;visibility:visible!important;filter:none!important;transform:none!important;clip-path:none!important;mask:none!important;content-visibility:visible!important}
:host([data-placement=floating]){position:fixed;right:16px;bottom:16px;margin:0}
:host([hidden]){display:none!important}
:host([data-placement=compact]){position:fixed;margin:0}
:host([data-placement=compact]) .panel{padding:2px;border:1px solid #b8bbc0;box-shadow:0 1px 4px #0000002e}
:host([data-placement=compact]) .gmc-button{width:28px;height:28px;min-height:0;padding:0;justify-content:center}
:host([data-placement=compact]) .gmc-label,:host([data-placement=compact]) .gmc-since{display:none}
:host([data-placement=compact]) .gmc>span{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
:host([data-placement=compact][data-nudge]) .gmc-button{outline:3px solid #f59e0b;outline-offset:1px}
.panel{display:inline-flex;align-items:center;gap:4px;padding:4px 8px;border-radius:6px;background:#fff;color:#5f6368;animation:gmc-orphan 1ms step-end ${ORPHAN_AFTER_MS}ms forwards}
@keyframes gmc-orphan{to{visibility:hidden}}
:host([data-placement=floating]) .panel{border:1px solid #b8bbc0;box-shadow:0 2px 8px #0000002e}
.grip{display:none;order:-1;place-items:center;width:24px;height:32px;padding:0;border:0;border-radius:4px;background:none;color:inherit;cursor:grab;touch-action:none}
:host([data-placement=floating]) .grip{display:grid}
.grip:focus-visible{outline:3px solid #1f5fd1;outline-offset:2px}
@media (prefers-color-scheme:dark){.panel{background:#202124;color:#c4c7c5;border-color:#5f6368!important}.grip:focus-visible{outline-color:#8ab4f8}}
`;

function mount(): Instance {
  // An earlier instance whose extension was updated or reloaded lives in another isolated world
  // and cannot always tell by itself in time: nudge it, then take away whatever it left.
  document.dispatchEvent(new CustomEvent(REPLACE_EVENT));
  for (const old of document.querySelectorAll(HOST_TAG)) old.remove();
  // Everything this instance starts stops with `lifetime`, so leaving is one abort().
  const lifetime = new AbortController();
  const { signal } = lifetime;
  const host = document.createElement(HOST_TAG);
  host.hidden = true;
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = HOST_CSS + MUTE_BUTTON_CSS;
  const panel = document.createElement('div');
  panel.className = 'panel';
  shadow.append(style, panel);
  /** Restarts the dead man's switch (ORPHAN_AFTER_MS). */
  const stillHere = (): void => {
    for (const animation of panel.getAnimations()) animation.currentTime = 0;
  };

  // The floating position: `wanted` is what the agent chose (kept while a smaller window squeezes
  // the control), `at` where it is now. Both count from the viewport's bottom-right corner.
  let wanted = DEFAULT_POSITION;
  let at = wanted;
  let drag: { pointer: number; x: number; y: number; from: Position } | undefined;
  const moveTo = (next: Position): void => {
    const viewport = document.documentElement;
    at = clampPosition(next, host.getBoundingClientRect(), { width: viewport.clientWidth, height: viewport.clientHeight });
    host.style.right = `${at.x}px`;
    host.style.bottom = `${at.y}px`;
  };
  // Kept by the background (the page cannot write the extension's storage), which then pushes it
  // to every agent desktop tab. While this tab's moves are unanswered, a view pushed meanwhile, or
  // the echo of an earlier move, carries an older position than the agent's latest.
  let asked: { position: Position; at: number }[] = [];
  let unanswered = 0;
  const remember = (): void => {
    wanted = at;
    const now = Date.now();
    asked = [...asked.filter((move) => now - move.at < ECHO_MS), { position: at, at: now }];
    unanswered += 1;
    const answered = (): void => void (unanswered -= 1);
    try {
      ask({ type: 'set-position', position: at }).then(answered, answered);
    } catch {
      answered(); // The extension went away; the watcher below removes the control.
    }
  };
  /** Whether a pushed position is one the agent has moved on from in this tab. */
  const outdated = (position: Position): boolean =>
    unanswered > 0 || asked.slice(0, -1).some((move) => samePosition(move.position, position));
  // In an embedded client (a frame 300–400 px wide) the control is compact and finds its own spot,
  // clear of the client's controls; nothing there moves it by hand.
  const compact = inEmbeddedClient();
  // Back to where the agent wanted it, as far as the window allows; not in the middle of a drag.
  const reclamp = (): void => {
    if (compact) placeCompact(host);
    else if (!drag) moveTo(wanted);
  };
  const layout = (): void => {
    if (signal.aborted) return;
    if (!compact) place(host);
    reclamp();
  };
  addEventListener('resize', reclamp, { signal });
  layout();

  let view: ControlView | undefined;
  // "Muted 0:42" counts here, from the mute's start the worker sent once: no message each second.
  let tick: ReturnType<typeof setTimeout> | undefined;
  signal.addEventListener('abort', () => clearTimeout(tick));
  const show = (next: ControlView | undefined = view): void => {
    if (!next) return;
    clearTimeout(tick);
    const now = Date.now();
    const shown = intent.apply(next);
    const since = mutedSince(shown);
    if (since !== undefined) tick = setTimeout(() => show(), untilNextSecond(since, now));
    // A stable hook for outside tools (README): present exactly while the warning shows.
    if (next.nudge) host.dataset['nudge'] = next.nudge;
    else delete host.dataset['nudge'];
    // A move in another agent desktop tab applies here too (not in the middle of a drag here).
    if (next.position && !samePosition(next.position, wanted) && !drag && !outdated(next.position)) wanted = next.position;
    view = next;
    stillHere();
    // Only on the configured agent desktop; the match patterns cover every region.
    host.hidden = next.agentDesktopOrigin !== location.origin;
    render(
      <>
        <MuteButton view={shown} onSetMuted={onSetMuted} now={now} />
        {/* Shown only while floating. After the mute button in the DOM, so the main control comes
            first for keyboard and screen reader, and drawn left of it (CSS order). */}
        <button
          type="button"
          class="grip"
          aria-label={t('gripName')}
          title={t('gripTitle')}
          onPointerDown={(event) => {
            if (!event.isTrusted || event.button !== 0) return;
            event.preventDefault(); // no text selection on the page while dragging
            event.currentTarget.setPointerCapture(event.pointerId);
            drag = { pointer: event.pointerId, x: event.clientX, y: event.clientY, from: at };
          }}
          onPointerMove={(event) => {
            if (!event.isTrusted || drag?.pointer !== event.pointerId) return;
            moveTo({ x: drag.from.x - (event.clientX - drag.x), y: drag.from.y - (event.clientY - drag.y) });
          }}
          // Fires after pointerup and pointercancel, and when a re-placement moves the host mid-drag.
          onLostPointerCapture={endDrag}
          onKeyDown={(event) => {
            // Alt/Ctrl/Meta + arrow belong to the browser (Alt+Left is Back).
            const plain = event.isTrusted && !event.altKey && !event.ctrlKey && !event.metaKey;
            const next = plain ? afterKey(at, event.key, event.shiftKey) : undefined;
            if (!next) return;
            event.preventDefault(); // the arrow keys would scroll the page
            moveTo(next);
            remember();
          }}
        >
          <svg viewBox="0 0 10 16" width="10" height="16" aria-hidden="true" focusable="false" fill="currentColor">
            <circle cx="2.5" cy="3" r="1.5" />
            <circle cx="7.5" cy="3" r="1.5" />
            <circle cx="2.5" cy="8" r="1.5" />
            <circle cx="7.5" cy="8" r="1.5" />
            <circle cx="2.5" cy="13" r="1.5" />
            <circle cx="7.5" cy="13" r="1.5" />
          </svg>
        </button>
      </>,
      panel,
    );
    // Showing the control changes its size; keep all of it on screen.
    reclamp();
  };
  const endDrag = (event: PointerEvent): void => {
    if (!event.isTrusted || drag?.pointer !== event.pointerId) return;
    drag = undefined;
    remember();
  };
  const intent = new LocalMuteIntent('page', readControlView, (answer) => show(answer));
  // Only a control the agent can actually see acts (sight.ts).
  const watching = { threshold: [0, 1], trackVisibility: true, delay: 100 } as IntersectionObserverInit;
  const lookAgain = (): Promise<Sight> =>
    new Promise((resolve) => {
      // A new observer reports its target at the next frame; no frame within a second means no sight.
      const once = new IntersectionObserver((entries) => {
        done(entries.length ? sightOf(entries[entries.length - 1] as SightReport) : 'off-screen');
      }, watching);
      const timer = setTimeout(() => done('off-screen'), 1000);
      const done = (sight: Sight): void => {
        clearTimeout(timer);
        once.disconnect();
        resolve(sight);
      };
      once.observe(panel);
    });
  const sight = new SightGate(lookAgain);
  const visibility = new IntersectionObserver((entries) => {
    for (const entry of entries) sight.saw(entry as SightReport);
  }, watching);
  visibility.observe(panel);
  signal.addEventListener('abort', () => visibility.disconnect());

  const liveTimer = setInterval(stillHere, LIVE_EVERY_MS);
  const onShown = (): void => {
    if (document.visibilityState === 'visible') stillHere();
  };
  document.addEventListener('visibilitychange', onShown, { signal });
  signal.addEventListener('abort', () => clearInterval(liveTimer));
  const onSetMuted = (muted: boolean): void => {
    sight.check(
      () => signal.aborted || intent.set(muted),
      () => console.warn('[mic] the page covers the mute control: the click was not acted on'),
    );
  };

  // Genesys re-renders its toolbar often; one throttled observer keeps the control beside it, and
  // puts it back at once when a re-render took it off the page.
  let layoutTimer: ReturnType<typeof setTimeout> | undefined;
  const layoutSoon = (): void => {
    layoutTimer ??= setTimeout(() => {
      layoutTimer = undefined;
      layout();
    }, 250);
  };
  const observer = new MutationObserver((records) => {
    if (!host.isConnected) layout();
    else if (records.some((record) => record.target !== host)) layoutSoon(); // not its own moves
  });
  // An embedded client's text and buttons move under a fixed control as it scrolls or redraws.
  observer.observe(document.body, { childList: true, subtree: true, characterData: compact, attributes: compact });
  if (compact) addEventListener('scroll', layoutSoon, { capture: true, passive: true, signal });
  signal.addEventListener('abort', () => {
    observer.disconnect();
    // A re-placement already scheduled would put an empty control back on the page.
    clearTimeout(layoutTimer);
    render(null, panel);
    host.remove();
  });

  const leave = (): void => lifetime.abort();
  // Only an orphan leaves: a page that sends this event cannot take a working control away.
  document.addEventListener(REPLACE_EVENT, () => extensionAlive() || leave(), { signal });
  // An orphaned control (its extension updated or removed) would show a state nobody updates.
  const stopWatching = watchView(readControlView, show, leave);
  signal.addEventListener('abort', stopWatching);
  if (ACCEPTS_LOOPBACK) performance.mark('genesys-mic-control:mounted'); // benchmark hook (bench/), test build only
  return { leave };
}

// Injected again into a page where this instance still works (e.g. by the worker after install
// while the manifest's own injection also ran): keep the one there is.
const world = globalThis as { [INSTANCE_KEY]?: Instance };
world[INSTANCE_KEY] ??= mount();
