// Sessions that end under the agent and subscriptions Genesys refuses.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { badgeText, pageControl, pageStatus, requestLines, signInThroughPopup, startRig, workerView, type Rig } from './harness.ts';
import { patchBodies, SILENT_REAUTH_REQUESTS } from '../shared/agent.ts';

let rig: Rig;
let popup: Page;
let desk: Page;
let call: string | undefined;

beforeAll(async () => {
  rig = await startRig();
  desk = await rig.agentDesktop();
});

afterAll(async () => {
  await rig?.close();
});

beforeEach(async () => {
  if (call) rig.emulator.endCall(call);
  if ((await workerView(rig.worker)).status === 'signed-out') popup = await signInThroughPopup(rig);
  call = rig.emulator.startCall({ customerName: 'Session Sasha' });
  await expect.poll(() => pageControl(desk).isEnabled()).toBe(true);
  rig.emulator.clearRequests();
});

describe('a token Genesys no longer accepts (401)', () => {
  it('while the Genesys login session lives: signs in silently and the click still mutes', async () => {
    rig.emulator.revokeAllTokens();
    await pageControl(desk).click();
    await expect.poll(() => pageStatus(desk)).toBe('muted');
    expect(await popup.getByRole('button', { name: 'Mute microphone' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => badgeText(rig.worker)).toBe('MUTE');
    const lines = requestLines(rig);
    expect(lines.slice(0, 3)).toEqual(SILENT_REAUTH_REQUESTS.first);
    // With the new token: the same intent again, and the socket moves to it (same channel).
    expect(lines.slice(3).sort()).toEqual(SILENT_REAUTH_REQUESTS.then);
    expect(patchBodies(rig.emulator)).toEqual(['{"muted":true}', '{"muted":true}']);
  });

  it('when the Genesys session has ended too: "sign in again" on the page, the popup and the icon, no retry loop', async () => {
    rig.emulator.revokeAllTokens();
    rig.emulator.clearLoginSessions();
    await pageControl(desk).click();
    await expect.poll(() => pageStatus(desk)).toBe('signed-out');
    expect(await desk.evaluate(() => document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('.gmc-status')?.textContent)).toBe('Sign in again');
    await expect.poll(() => popup.getByTestId('problem').textContent()).toMatch(/session has ended\. Sign in again/);
    await expect.poll(() => rig.worker.evaluate(() => chrome.action.getTitle({}))).toBe('Genesys Mic Control — Sign in again');
    await expect.poll(() => badgeText(rig.worker)).toBe(''); // the badge says MUTE or nothing; the icon title says why
    await desk.waitForTimeout(1_000);
    expect(requestLines(rig)).toEqual(['PATCH /api/v2/conversations/calls/{id}/participants/{id}', 'GET /oauth/authorize']);
  });
});

describe('a subscription Genesys rejects', () => {
  it('tells the agent which permission is missing', async () => {
    await popup.getByRole('button', { name: 'Sign out' }).click();
    rig.emulator.setSubscriptionsRejected(true);
    try {
      await popup.getByRole('button', { name: 'Sign in', exact: true }).click(); // the login session lives: no window
      await expect.poll(() => popup.getByRole('alert').first().textContent()).toMatch(/refused live call updates \(missing permission: conversation:call:view\)/);
      expect(await popup.getByTestId('connection').textContent()).toBe('Offline');
    } finally {
      rig.emulator.setSubscriptionsRejected(false);
    }
  });
});
