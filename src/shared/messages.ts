// Every message between the views and the worker. One discriminated union per direction, so a
// renamed field fails the build instead of an agent's click.
import type { MicView } from './view';

/** Where an intent came from; logged and benchmarked, never changes what happens. */
export type IntentSource = 'page' | 'popup' | 'shortcut';

export type Request =
  | { type: 'get-view' }
  | { type: 'set-muted'; muted: boolean; source: IntentSource }
  | { type: 'sign-in' }
  | { type: 'sign-out' }
  | { type: 'check-setup' };

export type RequestType = Request['type'];

/** One line of the options page's setup check. `ok` undefined: not checked (and `message` says why). */
export interface SetupCheck {
  id: 'region' | 'client' | 'redirect' | 'subscription';
  ok: boolean | undefined;
  message: string;
  /** What to do about it, when `ok` is false. */
  fix?: string;
}

export interface SetupReport {
  checks: SetupCheck[];
}

export interface ActionResult {
  ok: boolean;
  /** For the agent, when `ok` is false. */
  message?: string;
}

/** What the worker answers to each request type. */
export interface ResponseMap {
  'get-view': MicView;
  'set-muted': MicView;
  'sign-in': ActionResult;
  'sign-out': ActionResult;
  'check-setup': SetupReport;
}

/** Name of the long-lived port a view opens to receive every change of the view. */
export const VIEW_PORT = 'mic-view';

/** Pushed by the worker on the view port. */
export interface ViewPush {
  type: 'view';
  view: MicView;
}

const REQUEST_TYPES: ReadonlySet<string> = new Set<RequestType>(['get-view', 'set-muted', 'sign-in', 'sign-out', 'check-setup']);
const SOURCES: ReadonlySet<string> = new Set<IntentSource>(['page', 'popup', 'shortcut']);

/** Checks a message that reached the worker; anything else is rejected. */
export function parseRequest(value: unknown): Request | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const type = record['type'];
  if (typeof type !== 'string' || !REQUEST_TYPES.has(type)) return undefined;
  if (type === 'set-muted') {
    const muted = record['muted'];
    const source = record['source'];
    if (typeof muted !== 'boolean' || typeof source !== 'string' || !SOURCES.has(source)) return undefined;
    return { type, muted, source: source as IntentSource };
  }
  return { type } as Request;
}
