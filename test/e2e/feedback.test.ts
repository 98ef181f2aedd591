// Feedback: the optional sound on mute and unmute, off by default, and a desktop
// notification when a mute fails while no Chrome window has focus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageControl, pageStatus, startOnACall, type Rig } from './harness.ts';

let rig: Rig;
let desk: Page;
let call: string;

beforeAll(async () => {
  ({ rig, desk, call } = await startOnACall('Sound Sol'));
});

afterAll(async () => {
  await rig?.close();
});

const offscreenDocuments = () =>
  rig.worker.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })).length);

describe('the mute sound', () => {
  it('is off by default: no sound document is ever opened', async () => {
    await pageControl(desk).click();
    await expect.poll(() => pageStatus(desk)).toBe('muted');
    expect(await offscreenDocuments()).toBe(0);
  });

  it('plays on every confirmed change once the agent turns it on, from any source', async () => {
    const options = await rig.extensionPage('options');
    await options.getByLabel('Play a short sound when my microphone is muted or unmuted').check();
    await expect.poll(() => rig.worker.evaluate(() => chrome.storage.local.get('preferences'))).toEqual({ preferences: { sound: true } });
    await pageControl(desk).click();
    await expect.poll(() => pageStatus(desk)).toBe('live');
    await expect.poll(offscreenDocuments).toBe(1);
    rig.emulator.setMuted(call, true); // a supervisor mutes: the agent hears it too
    await expect.poll(() => pageStatus(desk)).toBe('muted');
    // The offscreen document confirms each sound it played: the unmute, then the supervisor's mute.
    const played = () => rig.worker.evaluate(() => (globalThis as unknown as { gmcSoundsPlayed: () => number }).gmcSoundsPlayed());
    await expect.poll(played).toBe(2);
    await options.close();
  });
});

describe('a failed mute', () => {
  const notified = async () => Object.keys(await rig.worker.evaluate(() => chrome.notifications.getAll())).filter((id) => id.startsWith('mute-failed-')).length;

  it('is not notified while the agent looks at the agent desktop', async () => {
    await desk.bringToFront();
    rig.emulator.failNext({ method: 'PATCH', path: /participants/, status: 403 });
    await pageControl(desk).click();
    await expect.poll(() => pageStatus(desk)).toBe('error');
    await desk.waitForTimeout(300);
    expect(await notified()).toBe(0);
  });

  it('raises a desktop notification when the agent is elsewhere (the shortcut from another tab)', async () => {
    const elsewhere = await rig.context.newPage();
    await elsewhere.goto('about:blank');
    await elsewhere.bringToFront();
    rig.emulator.failNext({ method: 'PATCH', path: /participants/, status: 403 });
    await rig.worker.evaluate(() => (globalThis as unknown as { gmcDispatchCommand: (c: string) => void }).gmcDispatchCommand('toggle-mute'));
    await expect.poll(notified).toBe(1);
    await elsewhere.close();
  });
});
