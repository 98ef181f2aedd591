// Admin experience: onboarding on install and the options page's setup check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, configure, EXTENSION_ID, signInThroughPopup, startRig, type Rig } from './harness.ts';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ unconfigured: true });
});

afterAll(async () => {
  await rig?.close();
});

const checks = async (page: import('playwright-core').Page) =>
  Object.fromEntries(await page.locator('[data-check]').evaluateAll((items) => items.map((item) => [item.getAttribute('data-check'), item.getAttribute('data-ok')])));

describe('on install with nothing configured', () => {
  it('opens the options page with the steps', async () => {
    const optionsUrl = `chrome-extension://${EXTENSION_ID}/src/options/index.html`;
    await expect.poll(() => rig.context.pages().some((page) => page.url() === optionsUrl), { timeout: 15_000 }).toBe(true);
    const options = rig.context.pages().find((page) => page.url() === optionsUrl)!;
    await expect.poll(() => options.getByRole('heading', { name: 'Setup for admins' }).isVisible()).toBe(true);
  });
});

describe('the setup check', () => {
  it('names a client id Genesys does not accept', async () => {
    await configure(rig.worker, rig.emulator.origin, 'not-a-real-client');
    const options = await rig.extensionPage('options');
    await options.getByRole('button', { name: 'Check setup' }).click();
    await expect.poll(() => checks(options)).toEqual({ region: 'true', client: 'false', redirect: 'undefined', subscription: 'undefined' });
    expect(await options.locator('[data-check="client"]').textContent()).toMatch(/does not accept the client id "not-a-real-client"/);
    await options.close();
  });

  it('passes every check once signed in with the right settings', async () => {
    await configure(rig.worker, rig.emulator.origin, CLIENT_ID);
    await signInThroughPopup(rig);
    const options = await rig.extensionPage('options');
    await options.getByRole('button', { name: 'Check setup' }).click();
    await expect.poll(() => checks(options)).toEqual({ region: 'true', client: 'true', redirect: 'true', subscription: 'true' });
  });

  it('says which permission is missing when Genesys refuses live call updates', async () => {
    rig.emulator.setSubscriptionsRejected(true);
    try {
      const options = await rig.extensionPage('options');
      await options.getByRole('button', { name: 'Check setup' }).click();
      await expect.poll(() => options.locator('[data-check="subscription"]').textContent()).toMatch(/missing: conversation:call:view/);
    } finally {
      rig.emulator.setSubscriptionsRejected(false);
    }
  });
});
