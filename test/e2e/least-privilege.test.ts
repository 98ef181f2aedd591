// What the agent desktop page — or a compromised renderer running as the content script — can get
// from the extension: only what the page control shows and does, and nothing on another org's page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { inContentScript, pageControl, startOnACall, workerView, type Rig } from './harness.ts';

let rig: Rig;
let desk: Page;

beforeAll(async () => {
  ({ rig, desk } = await startOnACall('Private Priya'));
});

afterAll(async () => {
  await rig?.close();
});

const ask = (message: unknown) =>
  inContentScript(desk, `chrome.runtime.sendMessage(${JSON.stringify(message)}).then((a) => a ?? null, (e) => 'error: ' + e.message)`);

describe('the content script', () => {
  it('may not sign the agent out or in, nor run the setup check', async () => {
    rig.emulator.clearRequests();
    expect(await ask({ type: 'sign-out' })).toBeNull();
    expect(await ask({ type: 'sign-in' })).toBeNull();
    expect(await ask({ type: 'check-setup' })).toBeNull();
    await desk.waitForTimeout(300);
    expect(rig.emulator.requests()).toEqual([]);
    expect((await workerView(rig.worker)).status).toBe('live');
  });

  it('gets what the control shows, and nothing about who is on the call', async () => {
    const view = JSON.stringify(await ask({ type: 'get-view' }));
    expect(view).toContain('"status":"live"');
    expect(view).not.toContain('Private Priya');
    expect(view).not.toContain('Avery Agent');
    expect(view).not.toContain((await workerView(rig.worker)).call!.conversationId);
  });

  it("cannot read or write the extension's storage", async () => {
    expect(await inContentScript(desk, `chrome.storage.local.get(null).then(() => 'read', (e) => e.message)`)).toMatch(/not allowed/i);
    expect(await inContentScript(desk, `chrome.storage.local.set({ settings: { environment: 'mypurecloud.com' } }).then(() => 'written', (e) => e.message)`)).toMatch(/not allowed/i);
  });
});

describe('an agent desktop of another org (an apps. host that is not the configured region)', () => {
  it('gets no view, no control, and does not keep knocking', async () => {
    // The e2e build's content script runs on both loopback names; the configured one is 127.0.0.1.
    const other = await rig.context.newPage();
    await other.goto(rig.emulator.origin.replace('127.0.0.1', 'localhost') + '/directory/');
    rig.emulator.startCall({ customerName: 'Someone Else' });
    await expect.poll(() => other.evaluate(() => document.querySelectorAll('genesys-mic-control').length)).toBe(0);
    expect(await inContentScript(other, `chrome.runtime.sendMessage({ type: 'get-view' }).then((a) => a ?? null)`)).toBeNull();
    await other.close();
  });
});

describe('the page', () => {
  it('cannot make the control invisible with its styles', async () => {
    await desk.addStyleTag({ content: 'genesys-mic-control { opacity: 0 !important; visibility: hidden !important; transform: scale(0) !important; }' });
    await desk.evaluate(() => document.querySelector<HTMLElement>('genesys-mic-control')?.style.setProperty('opacity', '0', 'important'));
    const style = await desk.evaluate(() => {
      const computed = getComputedStyle(document.querySelector('genesys-mic-control')!);
      return [computed.opacity, computed.visibility, computed.transform];
    });
    expect(style).toEqual(['1', 'visible', 'none']);
  });

  it('cannot get a mute from a real click through a decoy laid over the control', async () => {
    rig.emulator.clearRequests();
    // The control moves from the corner into the call toolbar up to ~750 ms after the call shows
    // (the stand-in page polls every 500 ms, the control re-places within 250 ms): measured before
    // that, the second click below missed it (about one run in five).
    await desk.waitForFunction(() => document.querySelector('genesys-mic-control')?.getAttribute('data-placement') === 'toolbar');
    await desk.waitForTimeout(300);
    const box = (await pageControl(desk).boundingBox())!;
    await desk.evaluate((b) => {
      const decoy = document.createElement('div');
      decoy.id = 'decoy';
      decoy.textContent = 'Click to continue';
      Object.assign(decoy.style, { position: 'fixed', left: `${b.x - 10}px`, top: `${b.y - 10}px`, width: `${b.width + 20}px`, height: `${b.height + 20}px`, background: '#fff', zIndex: '2147483647', pointerEvents: 'none' });
      document.body.append(decoy);
    }, box);
    await desk.waitForTimeout(400); // visibility is judged at most every 100 ms
    await desk.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await desk.waitForTimeout(500);
    expect(rig.emulator.requests().filter((r) => r.method === 'PATCH')).toEqual([]);
    // Once the decoy is gone, the same click works as soon as the browser has said so (it reports
    // every 100 ms, later on a loaded machine): a refused click changes nothing, so try again.
    await desk.evaluate(() => document.getElementById('decoy')?.remove());
    const patches = () => rig.emulator.requests().filter((r) => r.method === 'PATCH').length;
    await expect
      .poll(
        async () => {
          if (patches() === 0) await desk.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
          await desk.waitForTimeout(300);
          return patches();
        },
        { timeout: 10_000, interval: 0 },
      )
      .toBe(1);
  });
});
