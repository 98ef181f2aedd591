// Enterprise policy, for real: Chromium reads managed storage for extensions from a policy file
// (`3rdparty.extensions.<id>`) under /etc/chromium/policies/managed. The harness gives this test's
// browser such a file of its own (a private mount: nothing else on the machine sees it). It needs
// root; elsewhere it is skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canGivePolicy, CLIENT_ID, configure, pageControl, screenshot, signInThroughPopup, startRig, welcomeOf, workerView, type Rig } from './harness.ts';

const enabled = canGivePolicy();
if (!enabled) console.warn("Skipping the policy test: it needs root, unshare and Debian's Chromium (/usr/bin/chromium) to give the browser a policy.");

let rig: Rig;

describe.runIf(enabled)('settings set by enterprise policy', () => {
  beforeAll(async () => {
    rig = await startRig({ unconfigured: true, policy: (emulator) => ({ environment: emulator.origin, clientId: CLIENT_ID, sound: true }) });
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('configure the extension without any local settings, and no Settings tab opens on install', async () => {
    await expect.poll(async () => (await workerView(rig.worker)).agentDesktopOrigin).toBe(rig.emulator.origin);
    expect(await rig.worker.evaluate(() => chrome.storage.local.get(null))).toEqual({});
    expect(await welcomeOf(rig.worker)).toBe('not-needed');
    expect(rig.context.pages().map((page) => page.url()).filter((url) => url.includes('/src/options/'))).toEqual([]);
  });

  it('win over what an agent typed', async () => {
    await configure(rig.worker, 'mypurecloud.ie', 'typed-by-agent');
    await rig.worker.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    expect((await workerView(rig.worker)).agentDesktopOrigin).toBe(rig.emulator.origin);
  });

  it('show as locked on the options page', async () => {
    const options = await rig.extensionPage('options');
    await expect.poll(() => options.getByTestId('locked-environment').isVisible()).toBe(true);
    await expect.poll(() => options.getByTestId('locked-client-id').isVisible()).toBe(true);
    expect(await options.getByTestId('locked-client-id').textContent()).toMatch(/Set by your organisation/);
    expect(await options.locator('#client-id').isDisabled()).toBe(true);
    expect(await options.locator('#client-id').inputValue()).toBe(CLIENT_ID);
    // The mute sound, locked on for every agent.
    await expect.poll(() => options.getByTestId('locked-sound').isVisible()).toBe(true);
    expect(await options.locator('#sound').isChecked()).toBe(true);
    expect(await options.locator('#sound').isDisabled()).toBe(true);
    await screenshot(options, 'options-locked');
  });

  it('are the ones sign-in uses', async () => {
    await signInThroughPopup(rig);
    expect(rig.emulator.requests().some((r) => r.path === '/oauth/token')).toBe(true);
  });

  it('turn the mute sound on for the agent', async () => {
    const desk = await rig.agentDesktop();
    rig.emulator.startCall({ customerName: 'Policy Pat' });
    await pageControl(desk).and(desk.locator(':enabled')).waitFor();
    await pageControl(desk).click();
    const played = () => rig.worker.evaluate(() => (globalThis as unknown as { gmcSoundsPlayed: () => number }).gmcSoundsPlayed());
    await expect.poll(played).toBe(1);
  });
});
