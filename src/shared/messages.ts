// Every message between the views and the background, from one table: each entry says which
// fields a request has (checked when it arrives), what it is answered with, and who may send it.
// The request and answer types derive from the table, so a new message is one entry and a renamed
// field fails the build instead of an agent's click.
import type { ControlView, MicView } from './view';
import type { DiagnosticsReport } from './diagnostics';
import { readPosition, type Position } from './position';

/** Where an intent came from; logged and benchmarked, never changes what happens. */
export type IntentSource = 'page' | 'popup' | 'shortcut';

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

/**
 * Who may send a request. `page`: the content script on the configured agent desktop (and
 * extension pages). `extension`: only the extension's own pages (popup, options), never a tab's
 * content script, so a compromised renderer cannot sign the agent out or in.
 */
export type Senders = 'page' | 'extension';

/** Reads one field from an untrusted message; undefined means "not this shape". */
type FieldReader<T> = (value: unknown) => T | undefined;

interface MessageSpec<Fields, Answer> {
  fields: { [K in keyof Fields]: FieldReader<Fields[K]> };
  from: Senders;
  /** Never read: carries the answer's type. */
  answer?: Answer;
}

const boolean: FieldReader<boolean> = (value) => (typeof value === 'boolean' ? value : undefined);
const oneOf =
  <T extends string>(...values: T[]): FieldReader<T> =>
  (value) =>
    values.includes(value as T) ? (value as T) : undefined;
const position: FieldReader<Position> = readPosition;

function spec<Fields, Answer>(fields: MessageSpec<Fields, Answer>['fields'], from: Senders): MessageSpec<Fields, Answer> {
  return { fields, from };
}

export const MESSAGES = {
  'get-view': spec<Record<never, never>, MicView | ControlView>({}, 'page'),
  'set-muted': spec<{ muted: boolean; source: IntentSource }, MicView | ControlView>({ muted: boolean, source: oneOf('page', 'popup', 'shortcut') }, 'page'),
  'set-position': spec<{ position: Position }, ActionResult>({ position }, 'page'),
  'sign-in': spec<Record<never, never>, ActionResult>({}, 'extension'),
  'sign-out': spec<Record<never, never>, ActionResult>({}, 'extension'),
  'check-setup': spec<Record<never, never>, SetupReport>({}, 'extension'),
  'get-diagnostics': spec<Record<never, never>, DiagnosticsReport>({}, 'extension'),
};

type Messages = typeof MESSAGES;
export type RequestType = keyof Messages;
type FieldsOf<K extends RequestType> = Messages[K] extends MessageSpec<infer F, unknown> ? F : never;

/** A request of type `K`, as sent and as the background receives it. */
export type RequestOf<K extends RequestType> = { type: K } & FieldsOf<K>;
export type Request = { [K in RequestType]: RequestOf<K> }[RequestType];
/** What the background answers to each request type. */
export type ResponseMap = { [K in RequestType]: Messages[K] extends MessageSpec<unknown, infer A> ? A : never };

/** Checks a message that reached the background; anything that is not exactly one of ours is undefined. */
export function parseRequest(value: unknown): Request | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const type = record['type'];
  if (typeof type !== 'string' || !Object.hasOwn(MESSAGES, type)) return undefined;
  const fields: Record<string, FieldReader<unknown>> = MESSAGES[type as RequestType].fields;
  const request: Record<string, unknown> = { type };
  for (const [name, read] of Object.entries(fields)) {
    const field = read(record[name]);
    if (field === undefined) return undefined;
    request[name] = field;
  }
  return request as Request;
}

/** Name of the long-lived port a view opens to receive every change of the view. */
export const VIEW_PORT = 'mic-view';

/** Pushed by the background on the view port: a `MicView` to extension pages, a `ControlView` to the page. */
export interface ViewPush {
  type: 'view';
  view: MicView | ControlView;
}

/** Pushed once, instead of views, to a page control on an agent desktop that is not the configured one. */
export const NOT_HERE = { type: 'not-here' } as const;

export function isNotHere(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === NOT_HERE.type;
}

/** The view inside a push, unchecked (each view checks it with readMicView / readControlView). */
export function pushedView(message: unknown): unknown {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'view' ? (message as { view?: unknown }).view : undefined;
}
