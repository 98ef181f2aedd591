// The first journey, end to end in real Chromium against the emulator: sign in through the popup,
// a call arrives, the page control goes live, mute from page, popup and shortcut, a server-side
// mute shows without any request, and the call ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { badgeText, dispatchCommand, pageControl, screenshot, signInThroughPopup, startRig, workerView, type Rig } from './harness.ts';

let rig: Rig;
let popup: Page;
let desk: Page;

beforeAll(async () => {
  rig = await startRig();
  popup = await signInThroughPopup(rig);
  desk = await rig.agentDesktop();
});

afterAll(async () => {
  await rig?.close();
});

const patches = () => rig.emulator.requests().filter((r) => r.method === 'PATCH');

describe('an agent\'s first call', () => {
  it('signs in with PKCE and opens the notification socket', async () => {
    await expect.poll(() => popup.getByTestId('connection').textContent()).toBe('Live');
    await expect.poll(() => popup.getByTestId('agent-name').textContent()).toContain('Avery Agent');
    const paths = rig.emulator.requests().map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain('POST /oauth/token');
    expect(paths).toContain('GET /api/v2/users/me');
    expect(paths).toContain('POST /api/v2/notifications/channels');
    expect(paths.some((p) => /^PUT \/api\/v2\/notifications\/channels\/[^/]+\/subscriptions$/.test(p))).toBe(true);
    expect(paths).toContain('GET /api/v2/conversations/calls');
    expect(paths.some((p) => p.startsWith('WS '))).toBe(true);
  });

  it('shows a disabled control while there is no call', async () => {
    const control = pageControl(desk);
    await expect.poll(() => control.isDisabled()).toBe(true);
    expect(await control.getAttribute('aria-pressed')).toBe('false');
  });

  it('goes live when a call arrives', async () => {
    rig.emulator.startCall({ customerName: 'Casey Customer' });
    const control = pageControl(desk);
    await expect.poll(() => control.isEnabled()).toBe(true);
    expect(await control.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => popup.getByTestId('call').textContent()).toContain('Casey Customer');
    await screenshot(desk, 'agent-desktop-live');
  });

  it('mutes from the page with exactly one PATCH {"muted":true}, pending then confirmed', async () => {
    rig.emulator.clearRequests();
    const control = pageControl(desk);
    await control.click();
    await expect.poll(() => control.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('muted');
    expect(patches().map((r) => r.body)).toEqual(['{"muted":true}']);
    await expect.poll(() => badgeText(rig.worker)).not.toBe('');
    const conversationId = (await workerView(rig.worker)).call!.conversationId;
    expect(rig.emulator.call(conversationId)?.participants?.find((p) => p.purpose === 'agent')?.muted).toBe(true);
    await screenshot(desk, 'agent-desktop-muted');
  });

  it('unmutes from the popup', async () => {
    rig.emulator.clearRequests();
    const toggle = popup.getByRole('button', { name: 'Mute microphone' });
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    await toggle.click();
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('live');
    await expect.poll(() => pageControl(desk).getAttribute('aria-pressed')).toBe('false');
    expect(patches().map((r) => r.body)).toEqual(['{"muted":false}']);
    await expect.poll(() => badgeText(rig.worker)).toBe('');
  });

  it('mutes from the shortcut', async () => {
    rig.emulator.clearRequests();
    await dispatchCommand(rig.worker, 'toggle-mute');
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('muted');
    await expect.poll(() => pageControl(desk).getAttribute('aria-pressed')).toBe('true');
    expect(patches().map((r) => r.body)).toEqual(['{"muted":true}']);
  });

  it('shows a server-side unmute and mute within a second, without any request', async () => {
    rig.emulator.clearRequests();
    const conversationId = (await workerView(rig.worker)).call!.conversationId;
    rig.emulator.setMuted(conversationId, false);
    await expect.poll(() => pageControl(desk).getAttribute('aria-pressed'), { timeout: 1000 }).toBe('false');
    rig.emulator.setMuted(conversationId, true);
    await expect.poll(() => pageControl(desk).getAttribute('aria-pressed'), { timeout: 1000 }).toBe('true');
    await expect.poll(() => popup.getByRole('button', { name: 'Mute microphone' }).getAttribute('aria-pressed'), { timeout: 1000 }).toBe('true');
    expect(rig.emulator.requests().filter((r) => r.method !== 'WS')).toEqual([]);
  });

  it('goes quiet when the call ends', async () => {
    const conversationId = (await workerView(rig.worker)).call!.conversationId;
    rig.emulator.endCall(conversationId);
    const control = pageControl(desk);
    await expect.poll(() => control.isDisabled()).toBe(true);
    expect(await control.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => badgeText(rig.worker)).toBe('');
    expect((await workerView(rig.worker)).status).toBe('no-call');
  });
});
