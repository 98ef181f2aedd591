// Faults in Firefox, as in Chromium's test/e2e/faults*.test.ts and mute.test.ts: the notification
// socket dropped (its channel alive, or gone) or retired by Genesys (socket_closing), a token Genesys no longer accepts (401:
// silent re-auth through Firefox's launchWebAuthFlow), and rate limits (429 with Retry-After). Each
// ends with the agent's intent applied and shown on the page, in the popup and on the badge, with
// the exact requests the emulator received.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { agentOf, connectionWord, pageStatus, signInThroughPopup, startFirefoxRig, type FirefoxRig } from './harness.ts';
import { agentMuted, patchBodies, requestLines, SILENT_REAUTH_REQUESTS, type Agent } from '../shared/agent.ts';

let rig: FirefoxRig;
let popup: Page;
let desk: Page;
let agent: Agent;
let call: string | undefined;

/** The page, the popup and the badge all show `muted`. */
async function everywhere(muted: boolean): Promise<void> {
  await expect.poll(() => agent.page.pressed()).toBe(String(muted));
  await expect.poll(() => agent.popup.pressed()).toBe(String(muted));
  await expect.poll(() => agent.badge()).toBe(muted ? 'MUTE' : '');
}

beforeAll(async () => {
  rig = await startFirefoxRig({ emulator: { socketClosingGraceMs: 1_500 } });
  popup = await signInThroughPopup(rig);
  desk = await rig.agentDesktop();
  agent = agentOf(rig, popup, desk);
});

afterAll(async () => {
  await rig?.close();
});

beforeEach(async () => {
  if (call) rig.emulator.endCall(call);
  call = rig.emulator.startCall({ customerName: 'Fault Finley' });
  await expect.poll(async () => (await rig.view()).call?.conversationId).toBe(call);
  await expect.poll(() => agent.page.enabled()).toBe(true);
  await expect.poll(() => connectionWord(popup)).toBe('Live');
  rig.emulator.clearRequests();
});

describe('Firefox: the socket', () => {
  it('dropped: reopens a socket on the same channel (its subscription lives on: no request first) and catches up on what changed meanwhile', async () => {
    rig.emulator.closeSockets();
    rig.emulator.setMuted(call!, true); // happens while no socket is there to hear it
    await everywhere(true);
    await expect.poll(() => connectionWord(popup)).toBe('Live');
    expect(requestLines(rig.emulator)).toEqual(['WS /channels/{channel}', 'GET /api/v2/conversations/calls']);
  });

  it('dropped with its channel gone: the reopen is refused, so it subscribes again; a 404 makes a new channel', async () => {
    const before = rig.emulator.channels().length;
    rig.emulator.expireChannels();
    rig.emulator.setMuted(call!, true);
    // After the refused reopen the next attempt waits 1–10 s (spread: a whole contact centre meets this at once).
    // The popup may still say Live from before the drop: the catch-up's GET marks the way back.
    await expect.poll(() => requestLines(rig.emulator), { timeout: 20_000 }).toContain('GET /api/v2/conversations/calls');
    await expect.poll(() => connectionWord(popup), { timeout: 20_000 }).toBe('Live');
    await everywhere(true);
    expect(requestLines(rig.emulator)).toEqual([
      'WS /channels/{channel}',
      'PUT /api/v2/notifications/channels/{channel}/subscriptions',
      'POST /api/v2/notifications/channels',
      'PUT /api/v2/notifications/channels/{channel}/subscriptions',
      'WS /channels/{channel}',
      'GET /api/v2/conversations/calls',
    ]);
    expect(rig.emulator.requests().filter((r) => r.method === 'WS').map((r) => r.status)).toEqual([404, 101]);
    expect(rig.emulator.channels().length).toBe(before + 1);
  }, 30_000);

  it('socket_closing: moves to a new socket before the old one dies, missing nothing', async () => {
    rig.emulator.sendSocketClosing();
    await expect.poll(() => requestLines(rig.emulator)).toContain('GET /api/v2/conversations/calls');
    rig.emulator.setMuted(call!, true);
    await everywhere(true);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // the old socket is closed by now
    rig.emulator.setMuted(call!, false);
    await everywhere(false);
    expect(requestLines(rig.emulator)).toEqual(['WS /channels/{channel}', 'GET /api/v2/conversations/calls']);
    expect(rig.emulator.connections()).toEqual({ channels: 1, sockets: 1 });
  });
});

describe('Firefox: a token Genesys no longer accepts (401)', () => {
  it('signs in again silently while the Genesys login session lives, and the click still mutes', async () => {
    rig.emulator.revokeAllTokens();
    await agent.page.click();
    await expect.poll(() => pageStatus(desk)).toBe('muted');
    await everywhere(true);
    const lines = requestLines(rig.emulator);
    expect(lines.slice(0, 3)).toEqual(SILENT_REAUTH_REQUESTS.first);
    // With the new token: the same intent again, and the socket moves to it (same channel).
    expect(lines.slice(3).sort()).toEqual(SILENT_REAUTH_REQUESTS.then);
    expect(patchBodies(rig.emulator)).toEqual(['{"muted":true}', '{"muted":true}']);
    // Silently: no sign-in window was shown.
    expect((await rig.browser.pages()).some((page) => page.url().includes('/oauth/authorize'))).toBe(false);
    expect(agentMuted(rig.emulator, call!)).toBe(true);
  });
});

describe('Firefox: Genesys rate limits (429)', () => {
  it('a mute waits out Retry-After, then applies the intent', async () => {
    rig.emulator.failNext({ method: 'PATCH', path: /participants/, status: 429, retryAfterSeconds: 1 });
    await agent.page.click();
    await expect.poll(() => pageStatus(desk), { timeout: 5_000 }).toBe('muted');
    expect(patchBodies(rig.emulator)).toEqual(['{"muted":true}', '{"muted":true}']);
    const [first, second] = rig.emulator.requests().filter((r) => r.method === 'PATCH');
    expect(second!.time - first!.time).toBeGreaterThanOrEqual(950);
    await everywhere(true);
  });

  it('while reconnecting: waits Retry-After, then carries on', async () => {
    rig.emulator.failNext({ method: 'GET', path: '/api/v2/conversations/calls', status: 429, retryAfterSeconds: 2 });
    rig.emulator.closeSockets();
    const gets = () => rig.emulator.requests().filter((r) => r.path === '/api/v2/conversations/calls');
    await expect.poll(() => gets().length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => connectionWord(popup)).toBe('Live');
    const [first, second] = gets();
    expect(second!.time - first!.time).toBeGreaterThanOrEqual(1_900);
    rig.emulator.setMuted(call!, true);
    await everywhere(true);
  });
});
