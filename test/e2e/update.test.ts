// The extension updated, reloaded or disabled mid-shift: agent desktops stay open for hours while
// Chrome updates extensions. Chromium disables a command-line-loaded unpacked extension
// on reload unless developer mode is on, so the test switches it on first.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { currentWorker, EXTENSION_ID, pageControl, pageStatus, requestLines, startOnACall, workerView, type Rig } from './harness.ts';

let rig: Rig;
let desk: Page;
let call: string;

beforeAll(async () => {
  ({ rig, desk, call } = await startOnACall('Update Uma'));
  const extensions = await rig.context.newPage();
  await extensions.goto('chrome://extensions');
  await extensions.evaluate(() =>
    (chrome as unknown as { developerPrivate: { updateProfileConfiguration: (c: { inDeveloperMode: boolean }) => Promise<void> } }).developerPrivate.updateProfileConfiguration({
      inDeveloperMode: true,
    }),
  );
  await extensions.close();
});

afterAll(async () => {
  await rig?.close();
});

describe('an extension update mid-shift', () => {
  it('replaces the old control in the open agent desktop, signs in silently and works at once', async () => {
    await desk.evaluate(() => document.querySelector('genesys-mic-control')?.setAttribute('data-old', 'yes'));
    // Genesys's Ember app re-renders all the time: the old control is mid-way through re-placing
    // itself when the update lands.
    await desk.evaluate(() => setInterval(() => document.body.append(document.createElement('i')), 20));
    const oldWorker = rig.worker;
    const log: string[] = [];
    rig.context.on('serviceworker', (worker) => {
      log.push(`worker started: ${worker.url()}`);
      worker.on('console', (message) => log.push(message.text()));
    });
    onTestFailed(() => console.log('worker console after reload:', log, requestLines(rig)));
    rig.emulator.clearRequests();
    await oldWorker.evaluate(() => chrome.runtime.reload()).catch(() => undefined); // the worker dies mid-call

    await expect.poll(async () => (await currentWorker(rig.context)) !== oldWorker).toBe(true);
    // Ask whichever worker is current each time: Chrome may start the new version's more than once.
    await expect.poll(async () => (await workerView(await currentWorker(rig.context))).status, { timeout: 15_000 }).toBe('live');
    // storage.session was emptied: a silent sign-in, no window, while the Genesys session lives.
    expect(requestLines(rig)).toEqual(expect.arrayContaining(['GET /oauth/authorize', 'POST /oauth/token']));
    expect(rig.context.pages().some((page) => page.url().includes('/oauth/authorize'))).toBe(false);

    // Exactly one control, the new one, without the agent reloading the page.
    await expect.poll(() => desk.evaluate(() => [...document.querySelectorAll('genesys-mic-control')].map((e) => e.getAttribute('data-old')))).toEqual([null]);
    await expect.poll(() => pageControl(desk).isEnabled()).toBe(true);
    await pageControl(desk).click();
    await expect.poll(() => pageStatus(desk)).toBe('muted');
    expect(rig.emulator.call(call)?.participants?.find((p) => p.purpose === 'agent')?.muted).toBe(true);
  });
});

describe("the control's dead man's switch", () => {
  it('is restarted by a working control, which stays in sight', async () => {
    const page = await rig.agentDesktop();
    await pageControl(page).waitFor();
    const clock = () =>
      page.evaluate(() => {
        const panel = document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('.panel');
        const animation = panel?.getAnimations()[0];
        return { at: Number(animation?.currentTime ?? -1), visibility: panel ? getComputedStyle(panel).visibility : 'none' };
      });
    const start = await clock();
    expect(start.at).toBeGreaterThanOrEqual(0); // the switch is there
    await page.waitForTimeout(17_000); // more than one restart period (15 s)
    const later = await clock();
    expect(later.at).toBeLessThan(16_000);
    expect(later.visibility).toBe('visible');
  }, 40_000);
});

describe('an extension removed or disabled mid-shift', () => {
  it('takes its control off the open agent desktop and keeps it off while the page re-renders', async () => {
    await expect.poll(() => desk.evaluate(() => document.querySelectorAll('genesys-mic-control').length)).toBe(1);
    const extensions = await rig.context.newPage();
    await extensions.goto('chrome://extensions');
    await extensions.evaluate((id) => chrome.management.setEnabled(id, false), EXTENSION_ID);
    await extensions.close();
    // An orphaned control would show a state nobody updates, and its clicks would go nowhere.
    await expect.poll(() => desk.evaluate(() => document.querySelectorAll('genesys-mic-control').length), { timeout: 3_000 }).toBe(0);
    // The page goes on re-rendering (the ticker above): nothing may put an empty control back.
    await desk.waitForTimeout(1_000);
    expect(await desk.evaluate(() => document.querySelectorAll('genesys-mic-control').length)).toBe(0);
  });
});
