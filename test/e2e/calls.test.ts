// Which call the control acts on, and several agent desktop tabs in sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageControl, signInThroughPopup, startRig, workerView, type Rig } from './harness.ts';

let rig: Rig;
let tabs: Page[];

beforeAll(async () => {
  rig = await startRig();
  await signInThroughPopup(rig);
  tabs = [await rig.agentDesktop(), await rig.agentDesktop()];
});

afterAll(async () => {
  await rig?.close();
});

describe('calls', () => {
  it('mutes the connected call, not the held one', async () => {
    const held = rig.emulator.startCall({ customerName: 'Held Harper' });
    rig.emulator.setHeld(held, true);
    const live = rig.emulator.startCall({ customerName: 'Live Logan' });
    await expect.poll(async () => (await workerView(rig.worker)).call?.conversationId).toBe(live);
    rig.emulator.clearRequests();

    await pageControl(tabs[0]!).click();
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('muted');
    const patches = rig.emulator.requests().filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.path)).toEqual([`/api/v2/conversations/calls/${live}/participants/${rig.emulator.agentParticipantId(live)}`]);
    expect(rig.emulator.call(held)?.participants?.find((p) => p.purpose === 'agent')?.muted).toBe(false);
    expect(rig.emulator.call(live)?.participants?.find((p) => p.purpose === 'agent')?.muted).toBe(true);
    rig.emulator.endCall(held);
    rig.emulator.endCall(live);
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('no-call');
  });

  it('keeps two agent desktop tabs and the popup in sync, one click sending one request', async () => {
    const call = rig.emulator.startCall({ customerName: 'Sync Sam' });
    for (const tab of tabs) await expect.poll(() => pageControl(tab).isEnabled()).toBe(true);
    const popup = await rig.extensionPage('popup');
    const popupToggle = popup.getByRole('button', { name: 'Mute microphone' });
    await expect.poll(() => popupToggle.isEnabled()).toBe(true);
    rig.emulator.clearRequests();

    await pageControl(tabs[1]!).click();
    for (const tab of tabs) await expect.poll(() => pageControl(tab).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => popupToggle.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('muted');
    expect(rig.emulator.requests().filter((r) => r.method === 'PATCH')).toHaveLength(1);

    rig.emulator.endCall(call);
    for (const tab of tabs) await expect.poll(() => pageControl(tab).isDisabled()).toBe(true);
    await expect.poll(() => popupToggle.isDisabled()).toBe(true);
    await popup.close();
  });

  it('ignores clicks a page script fakes on the control', async () => {
    const call = rig.emulator.startCall({ customerName: 'Scripted Sky' });
    await expect.poll(() => pageControl(tabs[0]!).isEnabled()).toBe(true);
    rig.emulator.clearRequests();
    await tabs[0]!.evaluate(() => {
      const button = document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('button');
      button?.click();
      button?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    });
    await tabs[0]!.waitForTimeout(500);
    expect(rig.emulator.requests().filter((r) => r.method === 'PATCH')).toEqual([]);
    expect(await pageControl(tabs[0]!).getAttribute('aria-pressed')).toBe('false');
    rig.emulator.endCall(call);
  });
});
