// The options page: region and client id, the redirect URI to register, validation that loses
// nothing, and settings that apply without reloading the extension.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_ID, REDIRECT_URI, screenshot, startRig, workerView, type Rig } from './harness.ts';

let rig: Rig;
let options: Page;

beforeAll(async () => {
  rig = await startRig({ unconfigured: true });
  options = await rig.extensionPage('options');
});

afterAll(async () => {
  await rig?.close();
});

const stored = () => rig.worker.evaluate(() => chrome.storage.local.get('settings'));

describe('the options page', () => {
  it('shows the exact redirect URI to register, with a copy button', async () => {
    await expect.poll(() => options.getByTestId('redirect-uri').inputValue()).toBe(REDIRECT_URI);
    await expect(options.getByRole('button', { name: 'Copy', exact: true }).isVisible()).resolves.toBe(true);
    await screenshot(options, 'options');
  });

  it('offers all 18 regions by location', async () => {
    const regions = async () => (await options.locator('#region option').allTextContents()).filter((label) => label.includes(' — '));
    await expect.poll(async () => (await regions()).length).toBe(18);
    const labels = await regions();
    expect(labels).toContain('Americas (US East) — mypurecloud.com');
    expect(labels).toContain('EMEA (Dublin) — mypurecloud.ie');
  });

  it('refuses an empty client id with a message, keeping what was typed', async () => {
    await options.locator('#region').selectOption('mypurecloud.ie');
    await options.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => options.locator('#client-id-error').textContent()).toMatch(/Enter the OAuth client id/);
    expect(await options.locator('#region').inputValue()).toBe('mypurecloud.ie');
    expect(await stored()).toEqual({});
  });

  it('saves a region and client id under `settings`, applied at once', async () => {
    await options.locator('#client-id').fill('1a2b3c4d-0000-4000-8000-1234567890ab');
    await options.getByRole('button', { name: 'Save' }).click();
    await expect.poll(stored).toEqual({ settings: { environment: 'mypurecloud.ie', clientId: '1a2b3c4d-0000-4000-8000-1234567890ab' } });
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('signed-out');
    expect((await workerView(rig.worker)).agentDesktopOrigin).toBe('https://apps.mypurecloud.ie');
  });

  it('accepts the emulator\'s loopback origin in the test build', async () => {
    await options.getByTestId('custom-environment').fill(rig.emulator.origin);
    await options.locator('#client-id').fill(CLIENT_ID);
    await options.getByRole('button', { name: 'Save' }).click();
    await expect.poll(stored).toEqual({ settings: { environment: rig.emulator.origin, clientId: CLIENT_ID } });
    await expect.poll(async () => (await workerView(rig.worker)).agentDesktopOrigin).toBe(rig.emulator.origin);
  });

  it('refuses an environment that is no Genesys region', async () => {
    await options.getByTestId('custom-environment').fill('https://evil.example');
    await options.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => options.locator('#custom-error').textContent()).toMatch(/not a Genesys Cloud region/);
    expect(await stored()).toEqual({ settings: { environment: rig.emulator.origin, clientId: CLIENT_ID } });
  });
});

describe('the popup', () => {
  it('shows the current shortcut with a way to change it', async () => {
    const popup = await rig.extensionPage('popup');
    await expect.poll(() => popup.getByTestId('shortcut').textContent()).toContain('Alt+Shift+M');
    await expect(popup.getByRole('button', { name: 'Change shortcut' }).or(popup.getByRole('link', { name: 'Change shortcut' })).count()).resolves.toBe(1);
  });
});
