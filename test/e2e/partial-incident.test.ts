// A partial Genesys incident: one service refuses the token (401) while the others accept it.
// One accepted request used to count as proof the token was good, so the next refusal signed in
// again at once (measured before the fix: 57 authorize + 57 token requests in 20 s with only the
// calls GET refused). Each pattern here runs for 20 s and counts what one browser asked of Genesys.
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Fault } from '../../emulator/server.ts';
import { agentMuted } from '../shared/agent.ts';
import { pageControl, pageStatus, startOnACall, workerView, type Rig } from './harness.ts';

/** The bound of the issue, per browser and per 20 s: a few sign-ins, backing off, never a storm. */
const MAX_SIGN_INS = 6;
const MAX_NEW_CHANNELS = 6;
const WINDOW_MS = 20_000;

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

interface Figures {
  authorize: number;
  token: number;
  api: number;
  channels: number;
}

function figuresSince(current: Rig, channelsBefore: number): Figures {
  const paths = current.emulator.requests().map((r) => r.path);
  return {
    authorize: paths.filter((p) => p.startsWith('/oauth/authorize')).length,
    token: paths.filter((p) => p === '/oauth/token').length,
    api: paths.filter((p) => p.startsWith('/api/')).length,
    channels: current.emulator.channels().length - channelsBefore,
  };
}

/**
 * Once the incident is over the agent is back to work by itself, or with one Sign in click: live
 * again, and a click on the page control mutes or unmutes the call.
 */
async function backToWork(current: Rig, popup: Page, desk: Page, call: string): Promise<void> {
  const live = popup.getByTestId('connection').getByText('Live', { exact: true });
  const signIn = popup.getByRole('button', { name: 'Sign in', exact: true });
  await live.or(signIn).first().waitFor({ timeout: 45_000 });
  if (await signIn.isVisible()) {
    // Every view says so: the popup's problem, and the page control is no longer usable.
    expect(await popup.getByTestId('problem').textContent()).toMatch(/Sign in again/);
    await expect.poll(() => pageStatus(desk)).toBe('signed-out');
    await signIn.click();
  }
  await live.waitFor({ timeout: 15_000 });
  await expect.poll(async () => (await workerView(current.worker)).status, { timeout: 10_000 }).toMatch(/live|muted|error/);
  const wasMuted = agentMuted(current.emulator, call);
  await pageControl(desk).click();
  await expect.poll(() => agentMuted(current.emulator, call), { timeout: 10_000 }).toBe(!wasMuted);
  await expect.poll(async () => (await workerView(current.worker)).status, { timeout: 10_000 }).toBe(wasMuted ? 'live' : 'muted');
}

interface Pattern {
  name: string;
  fault: Omit<Fault, 'forMs'>;
  /**
   * What meets the refusal: the socket dropped (a reconnect), the agent clicking, both, or the
   * agent signing in while it lasts (no channel kept yet: each attempt used to make a new one).
   */
  provoke: 'reconnect' | 'clicks' | 'both' | 'sign-in';
}

const PATTERNS: Pattern[] = [
  { name: 'only the calls GET', fault: { method: 'GET', path: '/api/v2/conversations/calls', status: 401 }, provoke: 'reconnect' },
  { name: 'only the subscriptions PUT', fault: { method: 'PUT', path: /\/subscriptions$/, status: 401 }, provoke: 'reconnect' },
  { name: 'only the subscriptions PUT, signing in', fault: { method: 'PUT', path: /\/subscriptions$/, status: 401 }, provoke: 'sign-in' },
  { name: 'only the mute PATCH', fault: { method: 'PATCH', path: /\/participants\//, status: 401 }, provoke: 'clicks' },
  { name: 'every other API request', fault: { path: /^\/api\/v2\//, status: 401, every: 2 }, provoke: 'both' },
];

describe('a partial incident: one Genesys service refuses the token for 20 s', () => {
  for (const pattern of PATTERNS) {
    it(`${pattern.name}: at most ${MAX_SIGN_INS} sign-ins and ${MAX_NEW_CHANNELS} new channels, then back to work`, async () => {
      const started = await startOnACall(`Partial ${pattern.name}`);
      rig = started.rig;
      const { popup, desk, call } = started;
      if (pattern.provoke === 'sign-in') {
        await popup.getByRole('button', { name: 'Sign out', exact: true }).click();
        await popup.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      }
      const channelsBefore = rig.emulator.channels().length;
      rig.emulator.clearRequests();
      const since = Date.now();
      rig.emulator.failNext({ ...pattern.fault, forMs: WINDOW_MS });
      if (pattern.provoke === 'sign-in') await popup.getByRole('button', { name: 'Sign in', exact: true }).click();
      else if (pattern.provoke !== 'clicks') {
        // The socket drops and its channel refuses one new socket: the reopen fails, and the
        // reconnect needs the API (a reopen that works asks nothing but the calls).
        rig.emulator.failNext({ method: 'WS', path: /^\/channels\//, status: 503 });
        rig.emulator.closeSockets();
      }
      // The agent keeps trying: a click every 2 s while the incident lasts.
      while (Date.now() - since < WINDOW_MS - 1_000) {
        if ((pattern.provoke === 'clicks' || pattern.provoke === 'both') && (await pageControl(desk).isEnabled())) await pageControl(desk).click();
        await desk.waitForTimeout(2_000);
      }
      await desk.waitForTimeout(Math.max(0, WINDOW_MS - (Date.now() - since)));
      const figures = figuresSince(rig, channelsBefore);
      console.log(`${pattern.name}, 20 s: ${JSON.stringify(figures)}`);
      expect(figures.authorize).toBeLessThanOrEqual(MAX_SIGN_INS);
      expect(figures.token).toBeLessThanOrEqual(MAX_SIGN_INS);
      expect(figures.channels).toBeLessThanOrEqual(MAX_NEW_CHANNELS);
      await backToWork(rig, popup, desk, call);
    }, 120_000);
  }
});
