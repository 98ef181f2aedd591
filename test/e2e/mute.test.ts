// Mute behaviour an agent relies on: pending at once, rapid clicks coalesced, rate limits waited
// out, and specific messages when Genesys refuses, with the control falling back to the truth.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageControl, signInThroughPopup, startRig, workerView, type Rig } from './harness.ts';

let rig: Rig;
let desk: Page;
let call: string;

beforeAll(async () => {
  rig = await startRig();
  await signInThroughPopup(rig);
  desk = await rig.agentDesktop();
});

afterAll(async () => {
  await rig?.close();
});

beforeEach(async () => {
  if (call) rig.emulator.endCall(call);
  rig.emulator.setConfirmDelay(100);
  call = rig.emulator.startCall({ customerName: 'Morgan Mute' });
  await expect.poll(() => pageControl(desk).isEnabled()).toBe(true);
  await expect.poll(async () => (await workerView(rig.worker)).call?.conversationId).toBe(call);
  rig.emulator.clearRequests();
});

const patches = () => rig.emulator.requests().filter((r) => r.method === 'PATCH').map((r) => r.body);
const status = () => desk.evaluate(() => document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('.gmc')?.getAttribute('data-status'));
const serverMuted = () => rig.emulator.call(call)?.participants?.find((p) => p.purpose === 'agent')?.muted;

describe('muting', () => {
  it('shows the intent at once as pending, then the confirmed state', async () => {
    rig.emulator.setConfirmDelay(1500);
    // Once the control sits in the call toolbar and has been seen there: a click on a control that
    // just moved into view is looked at afresh first (sight.ts), a frame later.
    await desk.waitForFunction(() => document.querySelector('genesys-mic-control')?.getAttribute('data-placement') === 'toolbar');
    await desk.waitForTimeout(300);
    await pageControl(desk).click();
    expect(await pageControl(desk).getAttribute('aria-pressed')).toBe('true');
    expect(await status()).toBe('pending');
    await expect.poll(status).toBe('muted');
  });

  it('coalesces 9 rapid clicks into at most 2 PATCHes, the last click winning', async () => {
    rig.emulator.setConfirmDelay(300);
    // Real mouse clicks at the button's position, as fast as an agent's nervous finger.
    await desk.getByText(call).waitFor(); // the stand-in page has rendered this call's toolbar
    await desk.waitForFunction(() => document.querySelector('genesys-mic-control')?.getAttribute('data-placement') === 'toolbar');
    await desk.waitForTimeout(300); // let the page's own re-render settle so the button stays put
    const box = (await pageControl(desk).boundingBox())!;
    for (let i = 0; i < 9; i++) await desk.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(status).toBe('muted');
    expect(patches().length).toBeLessThanOrEqual(2);
    expect(patches().at(-1)).toBe('{"muted":true}');
    expect(serverMuted()).toBe(true);
  });

  it.each([
    [9, 60, true],
    [20, 60, false],
    [9, 105, true],
    [6, 105, false],
  ])('folds %i real clicks %i ms apart, with Genesys confirming at once, into at most 2 PATCHes', async (clicks, intervalMs, endsMuted) => {
    rig.emulator.setConfirmDelay(0);
    await desk.getByText(call).waitFor();
    await desk.waitForFunction(() => document.querySelector('genesys-mic-control')?.getAttribute('data-placement') === 'toolbar');
    await desk.waitForTimeout(300); // let the page's own re-render settle so the button stays put
    const box = (await pageControl(desk).boundingBox())!;
    for (let i = 0; i < clicks; i++) {
      if (i > 0) await desk.waitForTimeout(intervalMs);
      await desk.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    }
    await expect.poll(status).toBe(endsMuted ? 'muted' : 'live');
    await desk.waitForTimeout(600); // nothing more may leave after the burst settled
    expect(patches()).toEqual(endsMuted ? ['{"muted":true}'] : ['{"muted":true}', '{"muted":false}']);
    expect(serverMuted()).toBe(endsMuted);
  });

  it('sends nothing when Genesys already has the state', async () => {
    rig.emulator.setMuted(call, true);
    await expect.poll(status).toBe('muted');
    await desk.evaluate(() => undefined);
    const view = await rig.worker.evaluate(() => chrome.runtime.getURL('/'));
    expect(view).toContain('chrome-extension://');
    const popup = await rig.extensionPage('popup');
    // The popup asks for the state it shows; both agree, so a stale "mute" changes nothing.
    await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'set-muted', muted: true, source: 'popup' }));
    await popup.close();
    expect(patches()).toEqual([]);
  });

  it('waits out a 429 for Retry-After, then applies the intent', async () => {
    rig.emulator.failNext({ method: 'PATCH', path: /participants/, status: 429, retryAfterSeconds: 1 });
    await pageControl(desk).click();
    await expect.poll(status, { timeout: 5000 }).toBe('muted');
    expect(patches()).toEqual(['{"muted":true}', '{"muted":true}']);
    const [first, second] = rig.emulator.requests().filter((r) => r.method === 'PATCH');
    expect(second!.time - first!.time).toBeGreaterThanOrEqual(950);
  });

  it('says "only your own leg" on a 403 and shows the true state', async () => {
    rig.emulator.failNext({ method: 'PATCH', path: /participants/, status: 403, body: { message: 'Not your participant', code: 'missing.permissions', status: 403 } });
    await pageControl(desk).click();
    await expect.poll(status).toBe('error');
    expect(await pageControl(desk).getAttribute('aria-pressed')).toBe('false');
    expect(await desk.getByRole('alert').filter({ hasText: 'own leg' }).count()).toBe(1);
    expect(serverMuted()).toBe(false);
  });

  it('says the call has ended on a 404', async () => {
    rig.emulator.failNext({ method: 'PATCH', path: /participants/, status: 404, body: { message: 'Not found', code: 'not.found', status: 404 } });
    await pageControl(desk).click();
    await expect.poll(status).toBe('error');
    expect(await desk.getByRole('alert').filter({ hasText: 'call has ended' }).count()).toBe(1);
    expect(await pageControl(desk).getAttribute('aria-pressed')).toBe('false');
  });

  it('says the state in words on the toolbar icon', async () => {
    await pageControl(desk).click();
    await expect.poll(status).toBe('muted');
    await expect.poll(() => rig.worker.evaluate(() => chrome.action.getTitle({}))).toBe('Genesys Mic Control — Muted with Morgan Mute');
    await expect.poll(() => rig.worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('MUTE');
  });
});
