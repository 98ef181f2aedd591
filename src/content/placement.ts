// Where the control goes on the Genesys agent desktop. Selectors are hints from public scripts
// (see docs/GENESYS.md, "The agent desktop page"); they never decide the mute state, only the placement.
// Genesys localises labels, so nothing here matches text, aria-label or ember ids.

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
