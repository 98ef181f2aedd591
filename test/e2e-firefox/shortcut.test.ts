// The keyboard shortcut in Firefox, pressed for real: Firefox delivers extension commands only for
// real key events while one of its windows has focus, so this runs a headed Firefox on a private
// Xvfb display and types Alt+Shift+M with xdotool. Firefox has no "Global" shortcuts: the popup and
// Settings say where Firefox keeps the shortcut and the "Change shortcut" button opens that page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { agentOf, canPressRealKeys, signInThroughPopup, startHeadedFirefoxRig, waitFor, type HeadedFirefox } from './harness.ts';
import { patchBodies } from '../shared/agent.ts';
import type { Agent } from '../shared/agent.ts';

const xTools = canPressRealKeys();
if (!xTools) console.warn('Skipping the Firefox real key-press test: install Xvfb and xdotool (Debian: apt-get install xvfb xdotool) to run it.');

let headed: HeadedFirefox;
let popup: Page;
let desk: Page;
let agent: Agent;

describe.runIf(xTools)('Firefox: the keyboard shortcut', () => {
  beforeAll(async () => {
    headed = await startHeadedFirefoxRig();
    popup = await signInThroughPopup(headed.rig);
    desk = await headed.rig.agentDesktop();
    agent = agentOf(headed.rig, popup, desk, async () => headed.press('alt+shift+m'));
  });

  afterAll(async () => {
    await headed?.close();
  });

  it('is Alt+Shift+M, and toggles mute with one PATCH each way when pressed for real', async () => {
    const commands = await headed.rig.extension(() => chrome.commands.getAll());
    expect(commands.find((command) => command.name === 'toggle-mute')?.shortcut).toBe('Alt+Shift+M');

    const call = headed.rig.emulator.startCall({ customerName: 'Keyboard Kim' });
    await expect.poll(() => agent.page.enabled()).toBe(true);
    await desk.bringToFront();
    headed.rig.emulator.clearRequests();

    await agent.shortcut();
    await expect.poll(async () => (await agent.view()).status).toBe('muted');
    await expect.poll(() => agent.page.pressed()).toBe('true');
    await expect.poll(() => agent.badge()).toBe('MUTE');

    await agent.shortcut();
    await expect.poll(async () => (await agent.view()).status).toBe('live');
    await expect.poll(() => agent.page.pressed()).toBe('false');
    expect(patchBodies(headed.rig.emulator)).toEqual(['{"muted":true}', '{"muted":false}']);
    headed.rig.emulator.endCall(call);
  });

  it('is shown in the popup, with a button that opens Firefox\'s shortcut settings', async () => {
    await popup.bringToFront();
    await expect.poll(() => popup.$eval('[data-testid=shortcut]', (e) => e.textContent)).toContain('Alt+Shift+M');
    const before = (await headed.rig.browser.pages()).length;
    const change = await popup.waitForSelector('[data-testid=shortcut] ::-p-text(Change shortcut)');
    await change!.click();
    // commands.openShortcutSettings(): about:addons, at its "Manage Extension Shortcuts" view.
    const addons = await waitFor('about:addons to open', async () => (await headed.rig.browser.pages()).find((page) => page.url().startsWith('about:addons')));
    expect((await headed.rig.browser.pages()).length).toBe(before + 1);
    await addons.close();
  });

  it('is explained in Settings without the "Global" scope Firefox does not have', async () => {
    const options = await headed.rig.extensionPage('options');
    const hint = await waitFor('the shortcut hint', () => options.$eval('[data-testid=shortcut-hint]', (e) => e.textContent ?? '').catch(() => undefined));
    expect(hint).toBe(
      'Works while a browser window has focus: this browser has no shortcuts that work in other applications. ' +
        'To change it, use “Change shortcut” or go to about:addons → ⚙ → Manage Extension Shortcuts.',
    );
    expect(hint).not.toMatch(/Global|Chrome/);
    await options.close();
  });
});
