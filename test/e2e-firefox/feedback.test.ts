// Feedback in Firefox: the optional sound on mute and unmute (off by default; Firefox's event page
// plays it itself, there is no offscreen document), counted by the test build's `gmcSoundsPlayed`
// (cues the platform reported played), and the desktop notification when a mute fails while the
// agent is elsewhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { agentOf, dispatchCommand, pageStatus, startOnACall, type FirefoxRig } from './harness.ts';
import type { Agent } from '../shared/agent.ts';

let rig: FirefoxRig;
let desk: Page;
let call: string;
let agent: Agent;

beforeAll(async () => {
  let popup: Page;
  // Firefox's own alert window instead of the desktop's notification service, which a CI machine
  // does not run (there Firefox drops the notification at once and notifications.getAll() is empty).
  ({ rig, popup, desk, call } = await startOnACall('Sound Sol', { prefs: { 'alerts.useSystemBackend': false } }));
  agent = agentOf(rig, popup, desk);
  await popup.close();
});

afterAll(async () => {
  await rig?.close();
});

const played = () => rig.background((bg) => bg.gmcSoundsPlayed());
const features = () => rig.background((bg) => bg.gmcFeatures());

describe('Firefox: the mute sound', () => {
  it('is off by default: no cue is played', async () => {
    await agent.page.click();
    await expect.poll(() => pageStatus(desk)).toBe('muted');
    expect(await features()).not.toContain('mute-cue');
    expect(await played()).toBe(0);
  });

  it('plays on every confirmed change once the agent turns it on, from any source', async () => {
    const options = await rig.extensionPage('options');
    const checkbox = await options.waitForSelector('#sound', { timeout: 15_000 });
    await checkbox!.click();
    await expect.poll(() => rig.extension(() => chrome.storage.local.get('preferences'))).toEqual({ preferences: { sound: true } });
    await expect.poll(features).toContain('mute-cue');
    await options.close();
    await agent.page.click();
    await expect.poll(() => pageStatus(desk)).toBe('live');
    rig.emulator.setMuted(call, true); // a supervisor mutes: the agent hears it too
    await expect.poll(() => pageStatus(desk)).toBe('muted');
    // The unmute, then the supervisor's mute.
    await expect.poll(played).toBe(2);
  });

  it('stops with the call', async () => {
    rig.emulator.endCall(call);
    await expect.poll(features).not.toContain('mute-cue');
  });
});

describe('Firefox: a failed mute', () => {
  const notified = async () => Object.keys(await rig.extension(() => chrome.notifications.getAll())).filter((id) => id.startsWith('mute-failed-')).length;

  it('raises a desktop notification when the agent is elsewhere (the shortcut from another tab)', async () => {
    call = rig.emulator.startCall({ customerName: 'Failing Fay' });
    await expect.poll(() => agent.page.enabled()).toBe(true);
    const elsewhere = await rig.browser.newPage();
    await elsewhere.goto('about:blank');
    await elsewhere.bringToFront();
    rig.emulator.failNext({ method: 'PATCH', path: /participants/, status: 403 });
    await dispatchCommand(rig);
    await expect.poll(notified).toBe(1);
    await elsewhere.close();
  });
});
