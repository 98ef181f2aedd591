// The keyboard shortcut, pressed for real: Chrome delivers extension commands only for real key
// events, so this runs headed Chromium on a private Xvfb display and types Alt+Shift+M with xdotool.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ensureXTools } from '../../scripts/chromium.ts';
import { pageControl, signInThroughPopup, startRig, workerView, type Rig } from './harness.ts';

const xTools = ensureXTools();
if (!xTools) console.warn('Skipping the real key-press test: install Xvfb and xdotool (Debian: apt-get install xvfb xdotool) to run it.');

let xvfb: ChildProcess;
let display: string;
let rig: Rig;
let desk: Page;

async function startXvfb(): Promise<void> {
  // A display number nobody uses, so tests never type into someone's real desktop.
  let number = 90 + Math.floor(Math.random() * 100);
  while (existsSync(`/tmp/.X11-unix/X${number}`)) number += 1;
  display = `:${number}`;
  xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !existsSync(`/tmp/.X11-unix/X${number}`); i++) await new Promise((resolve) => setTimeout(resolve, 100));
}

function press(keys: string): void {
  execFileSync('xdotool', ['key', '--clearmodifiers', keys], { env: { ...process.env, DISPLAY: display } });
}

describe.runIf(xTools)('the keyboard shortcut', () => {
  beforeAll(async () => {
    await startXvfb();
    const previous = process.env['DISPLAY'];
    process.env['DISPLAY'] = display;
    try {
      rig = await startRig({ headless: false });
    } finally {
      if (previous === undefined) delete process.env['DISPLAY'];
      else process.env['DISPLAY'] = previous;
    }
    await signInThroughPopup(rig);
    desk = await rig.agentDesktop();
  });

  afterAll(async () => {
    await rig?.close();
    xvfb?.kill();
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
