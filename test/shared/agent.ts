// What a journey needs from a browser with the extension, the same for Chromium (Playwright, test/e2e)
// and Firefox (puppeteer over WebDriver BiDi, test/e2e-firefox): each harness adapts its own
// pages to this, so one journey reads the same and runs in both.
import type { Emulator } from '../../emulator/server.ts';
import type { MicView } from '../../src/shared/view.ts';

/** A mute control an agent can see and press (the page control, or the popup's toggle). */
export interface Control {
  /** Present and enabled (there is a call to act on). */
  enabled(): Promise<boolean>;
  /** Its aria-pressed ('true' when it shows muted); null when there is none. */
  pressed(): Promise<string | null>;
  /** A real click, as the agent's mouse makes it. */
  click(): Promise<void>;
}

export interface Agent {
  emulator: Emulator;
  /** The control on the agent desktop, in Genesys's call toolbar. */
  page: Control;
  /** The toolbar popup's toggle. */
  popup: Control & {
    /** The connection word ("Live", "Signed out", ...). */
    connection(): Promise<string | null>;
    /** The text of the element with this data-testid, '' when there is none. */
    text(testId: string): Promise<string>;
  };
  /** The `toggle-mute` command, delivered as the browser delivers the shortcut. */
  shortcut(): Promise<void>;
  /** The view the background would push now (the test build's `gmcView`). */
  view(): Promise<MicView>;
  /** The toolbar badge text. */
  badge(): Promise<string>;
  /** Saves a picture of the agent desktop under artifacts/, where the harness can. */
  snapshot?(name: string): Promise<void>;
}

/** Method and path of each request the emulator received since the last clear, ids replaced. */
export function requestLines(emulator: Emulator): string[] {
  return emulator.requests().map((r) => `${r.method} ${r.path.replace(/\/[0-9a-f-]{36}/g, '/{id}').replace(/streaming-[^/]+/g, '{channel}')}`);
}

/**
 * What a mute costs when Genesys refused the token and the login session lets sign-in succeed
 * silently: the refused PATCH and the silent sign-in, in this order; then, in any order (sorted
 * here), the same intent with the new token and the socket moved to it on the same channel.
 */
export const SILENT_REAUTH_REQUESTS = {
  first: ['PATCH /api/v2/conversations/calls/{id}/participants/{id}', 'GET /oauth/authorize', 'POST /oauth/token'],
  then: [
    'GET /api/v2/conversations/calls',
    'PATCH /api/v2/conversations/calls/{id}/participants/{id}',
    'PUT /api/v2/notifications/channels/{channel}/subscriptions',
    'WS /channels/{channel}',
  ],
} as const;

/** The bodies of the PATCHes the emulator received since the last clear. */
export function patchBodies(emulator: Emulator): string[] {
  return emulator.requests().filter((r) => r.method === 'PATCH').map((r) => r.body);
}

/** Whether Genesys (the emulator) has the agent's leg of `call` muted. */
export function agentMuted(emulator: Emulator, call: string): boolean | undefined {
  return emulator.call(call)?.participants?.find((p) => p.purpose === 'agent')?.muted;
}
