// Pure choice of the toolbar icon variant for a view. The icons are drawn by scripts/icons.ts and
// live in public/icons/ (copied to the build root).
import type { MicView, ProblemCode } from '../shared/view';

export type ToolbarIcon = 'unmuted' | 'muted' | 'attention';

/**
 * Problems the agent (or an admin) must act on before the control can work again; a failed mute
 * is not one of them, it is shown by the button and the title and clears on the next event.
 */
const ATTENTION_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'session-expired', // "sign in again" (also how a signed-out view carries it)
  'subscription-rejected',
  'wrong-client-id',
  'redirect-not-registered',
]);

/** Muted on a call, or being muted: the same rule as the MUTE badge in `toolbarLook`. */
export function mutedOnCall(view: MicView): boolean {
  return view.status === 'muted' || (view.status === 'pending' && view.wantMuted === true) || (view.status === 'error' && view.call?.muted === true);
}

/** Muted wins over a problem: an agent who is muted must always see it. */
export function toolbarIconFor(view: MicView): ToolbarIcon {
  if (mutedOnCall(view)) return 'muted';
  if (view.status === 'not-configured') return 'attention';
  if (view.problem && ATTENTION_PROBLEMS.has(view.problem.code)) return 'attention';
  return 'unmuted';
}

/** The `path` for `chrome.action.setIcon`: Chrome picks 16 or 32 by the screen's pixel density. */
export function iconPaths(variant: ToolbarIcon): { 16: string; 32: string } {
  return { 16: `icons/toolbar-${variant}-16.png`, 32: `icons/toolbar-${variant}-32.png` };
}
