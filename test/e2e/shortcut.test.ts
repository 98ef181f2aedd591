// The keyboard shortcut, pressed for real: Chrome delivers extension commands only for real key
// events, so this runs headed Chromium on a private Xvfb display and types Alt+Shift+M with xdotool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ensureXTools } from '../../scripts/chromium.ts';
import { onDisplay, pressKeys, startXvfb, type Xvfb } from '../../scripts/xvfb.ts';
import { pageControl, signInThroughPopup, startRig, workerView, type Rig } from './harness.ts';

const xTools = ensureXTools();
if (!xTools) console.warn('Skipping the real key-press test: install Xvfb and xdotool (Debian: apt-get install xvfb xdotool) to run it.');

let xvfb: Xvfb | undefined;
let rig: Rig;
let desk: Page;

const press = (keys: string): void => pressKeys(xvfb!.display, keys);

describe.runIf(xTools)('the keyboard shortcut', () => {
  beforeAll(async () => {
    xvfb = await startXvfb();
    rig = await onDisplay(xvfb.display, () => startRig({ headless: false }));
    await signInThroughPopup(rig);
    desk = await rig.agentDesktop();
  });

  afterAll(async () => {
    await rig?.close();
    xvfb?.stop();
  });

  it('is Alt+Shift+M, and toggles mute with one PATCH each way when pressed for real', async () => {
    const commands = await rig.worker.evaluate(() => chrome.commands.getAll());
    expect(commands.find((command) => command.name === 'toggle-mute')?.shortcut).toBe('Alt+Shift+M');

    rig.emulator.startCall({ customerName: 'Keyboard Kim' });
    await expect.poll(() => pageControl(desk).isEnabled()).toBe(true);
    await desk.bringToFront();
    rig.emulator.clearRequests();

    press('alt+shift+m');
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('muted');
    await expect.poll(() => pageControl(desk).getAttribute('aria-pressed')).toBe('true');

    press('alt+shift+m');
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('live');
    expect(rig.emulator.requests().filter((r) => r.method === 'PATCH').map((r) => r.body)).toEqual(['{"muted":true}', '{"muted":false}']);
  });
});
