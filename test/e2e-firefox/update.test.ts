// The add-on reloaded mid-call in Firefox (as an update does): agent desktops stay open for hours.
// Firefox throws away the old content script's world, but the control it put on the page stays in
// the DOM; the new version's script (Firefox injects the manifest's content scripts into open tabs,
// and the background injects them again on install or update) must leave exactly one control, the
// new one, working at once, without the agent reloading Genesys.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'puppeteer-core';
import { agentOf, controlCount, pageStatus, startOnACall, waitFor, type FirefoxRig } from './harness.ts';
import { agentMuted, requestLines, type Agent } from '../shared/agent.ts';

let rig: FirefoxRig;
let desk: Page;
let call: string;
let agent: Agent;

beforeAll(async () => {
  let popup: Page;
  ({ rig, popup, desk, call } = await startOnACall('Update Uma'));
  await popup.close(); // the popup is an extension page: the reload closes it anyway
  agent = agentOf(rig, popup, desk);
});

afterAll(async () => {
  await rig?.close();
});

const oldMarks = () => desk.evaluate(() => [...document.querySelectorAll('genesys-mic-control')].map((element) => element.getAttribute('data-old')));

describe('Firefox: the add-on reloaded mid-call', () => {
  it('replaces the old control in the open agent desktop, signs in silently and works at once', async () => {
    await desk.evaluate(() => document.querySelector('genesys-mic-control')?.setAttribute('data-old', 'yes'));
    // Genesys's Ember app re-renders all the time: the old control is mid-way through re-placing
    // itself when the reload lands.
    await desk.evaluate(() => setInterval(() => document.body.append(document.createElement('i')), 20));
    const before = await rig.background((bg) => bg.performance.timeOrigin);
    onTestFailed(() => console.log('requests after the reload:', requestLines(rig.emulator)));
    rig.emulator.clearRequests();
    await rig.background((bg) => void (bg as unknown as { chrome: typeof chrome }).chrome.runtime.reload()).catch(() => undefined);

    await rig.newControlTab();
    await waitFor('the new background', async () => (await rig.background((bg) => bg.performance.timeOrigin)) !== before);
    await expect.poll(async () => (await rig.view()).status, { timeout: 15_000 }).toBe('live');
    // storage.session was emptied (as in Chrome): a silent sign-in, no window, while the Genesys
    // login session lives.
    expect(requestLines(rig.emulator)).toEqual(expect.arrayContaining(['GET /oauth/authorize', 'POST /oauth/token']));
    expect(requestLines(rig.emulator)).not.toContain('POST /oauth/authorize/approve');
    expect((await rig.browser.pages()).some((page) => page.url().includes('/oauth/authorize'))).toBe(false);

    // Exactly one control, the new one, without the agent reloading the page.
    await expect.poll(oldMarks).toEqual([null]);
    await expect.poll(() => agent.page.enabled()).toBe(true);
    await agent.page.click();
    await expect.poll(() => pageStatus(desk)).toBe('muted');
    expect(agentMuted(rig.emulator, call)).toBe(true);
    await expect.poll(() => rig.badgeText()).toBe('MUTE');
    // And it stays one while the page goes on re-rendering.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await controlCount(desk)).toBe(1);
  });
});

// Firefox throws a removed add-on's content script away without a word: no port disconnect
// reaches it (measured: none within 5 s), its timers and observer die with it, so nothing of ours
// runs on that page again. The control it left would show its last state forever and its clicks
// would go nowhere; a dead man's switch in its own CSS hides it once the script stops saying it
// lives (src/content/index.tsx, ORPHAN_AFTER_MS = 45 s). Chrome notices at once (update.test.ts).
describe('Firefox: the add-on removed mid-shift', () => {
  it('takes its control out of sight within a minute', async () => {
    expect(await controlCount(desk)).toBe(1);
    await rig.extension(() => void (chrome as unknown as { management: { uninstallSelf(o: object): Promise<void> } }).management.uninstallSelf({ showConfirmDialog: false })).catch(() => undefined);
    const shown = () =>
      desk.evaluate(() => {
        const panel = document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('.panel');
        return panel ? getComputedStyle(panel).visibility === 'visible' : false;
      });
    await expect.poll(shown, { timeout: 60_000, interval: 1_000 }).toBe(false);
  }, 90_000);
});
