// Where the control goes on the Genesys agent desktop. Selectors are hints from public scripts
// (see docs/GENESYS.md, "The agent desktop page"); they never decide the mute state, only the placement.
// Genesys localises labels, so nothing here matches text, aria-label or ember ids.
import { GAP, freeSpot, type Rect } from './free-spot';

const NATIVE_TOOLBAR_SELECTORS = [
  // The open interaction's primary call controls (mute, hold, end) in the 2025–2026 agent desktop.
  '.selected-interaction-container div[role="toolbar"].interaction-controls-primary',
  // Same toolbar when Genesys drops the role attribute in a re-render.
  '.selected-interaction-container .interaction-controls-primary',
  // The mute button's toolbar, found from the button itself.
  '.selected-interaction-container .toggle-item-container:has(button.interaction-mute-btn)',
];

/** The visible native call toolbar to sit beside, if the page shows one now. */
export function findNativeToolbar(root: ParentNode = document): Element | undefined {
  for (const selector of NATIVE_TOOLBAR_SELECTORS) {
    for (const element of root.querySelectorAll(selector)) {
      if (element instanceof HTMLElement && element.offsetParent !== null) return element;
    }
  }
  return undefined;
}

/**
 * Puts `host` at the end of the native toolbar (the same row as Genesys's own buttons, after them,
 * so it covers none of them), or floating in the corner. Idempotent.
 */
export function place(host: HTMLElement): void {
  const toolbar = findNativeToolbar();
  if (toolbar) {
    if (host.parentElement !== toolbar || host.nextElementSibling !== null) toolbar.append(host);
    host.dataset['placement'] = 'toolbar';
  } else {
    if (host.parentElement !== document.body || host.dataset['placement'] !== 'floating') document.body.append(host);
    host.dataset['placement'] = 'floating';
  }
}

/**
 * Genesys's embedded clients and their WebRTC pop-out live under /crm/ on the agent desktop's host
 * (docs/GENESYS.md): a softphone a few hundred px wide, with a DOM of its own that nobody documents.
 */
export function inEmbeddedClient(path: string = location.pathname): boolean {
  return path.startsWith('/crm/');
}

/** What the client draws that the agent may need: anything that acts, then its pictures. */
const CLIENT_CONTROLS =
  'a[href],button,input,select,textarea,summary,label,iframe,[role=button],[role=link],[role=tab],[role=menuitem],[role=option],[role=checkbox],[role=radio],[role=switch],[role=combobox],[role=slider],[role=textbox],[tabindex]:not([tabindex="-1"]),[contenteditable]';
const CLIENT_PICTURES = 'img,svg,video,canvas';

function drawn(rects: Iterable<DOMRect>): Rect[] {
  return [...rects].filter((rect) => rect.width > 0 && rect.height > 0).map(({ left, top, width, height }) => ({ left, top, width, height }));
}

/** The client's controls (and, with `all`, its pictures and every line of its text) as the agent sees them now. */
function obstacles(host: HTMLElement, all: boolean): Rect[] {
  const elements = [...document.querySelectorAll(all ? `${CLIENT_CONTROLS},${CLIENT_PICTURES}` : CLIENT_CONTROLS)].filter(
    (element) => element !== host && element.checkVisibility({ checkVisibilityCSS: true }),
  );
  const rects = elements.flatMap((element) => drawn([element.getBoundingClientRect()]));
  if (!all) return rects;
  const text = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = text.nextNode(); node; node = text.nextNode()) {
    if (!node.nodeValue?.trim()) continue;
    range.selectNodeContents(node);
    rects.push(...drawn(range.getClientRects()));
  }
  return rects;
}

/** The size the compact control's spot was found for. */
let placedFor = '';

/**
 * The compact control in an embedded client: fixed in the frame, where it covers none of the
 * client's controls, nor (while there is room) its text or pictures; the bottom-right corner only
 * when the client leaves no room at all. Idempotent: it stays put while its spot stays free.
 */
export function placeCompact(host: HTMLElement): void {
  if (host.parentElement !== document.body) document.body.append(host);
  if (host.dataset['placement'] !== 'compact') host.dataset['placement'] = 'compact';
  const box = host.getBoundingClientRect();
  if (!box.width) return; // hidden until the first view: nothing to measure yet
  const size = { width: box.width, height: box.height };
  const viewport = { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight };
  // Where it is, unless it has not been placed at this size yet.
  const current = host.style.left && `${size.width}x${size.height}` === placedFor ? { left: box.left, top: box.top } : undefined;
  const spot = freeSpot(size, viewport, obstacles(host, true), current) ??
    freeSpot(size, viewport, obstacles(host, false), current) ?? {
      left: viewport.width - size.width - GAP,
      top: viewport.height - size.height - GAP,
    };
  placedFor = `${size.width}x${size.height}`;
  if (host.style.left !== `${spot.left}px`) host.style.left = `${spot.left}px`;
  if (host.style.top !== `${spot.top}px`) host.style.top = `${spot.top}px`;
}
