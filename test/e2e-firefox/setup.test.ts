// An admin's and an agent's first steps in Firefox: the welcome tab, the Settings page showing the
// Firefox redirect URI to register, the setup check against Genesys, the clear message when only
// Chrome's redirect URI is registered, and signing out by revoking the token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { CLIENT_ID, connectionWord, REDIRECT_URI, signInThroughPopup, startFirefoxRig, waitFor, welcomePage, type FirefoxRig } from './harness.ts';
import { CHROME_REDIRECT_URI } from '../../emulator/server.ts';

const CHROME_ONLY_CLIENT = 'client-with-chrome-redirect-only';
let rig: FirefoxRig;

beforeAll(async () => {
  rig = await startFirefoxRig({
    unconfigured: true,
    emulator: {
      clients: [
        { clientId: CLIENT_ID, redirectUris: [CHROME_REDIRECT_URI, REDIRECT_URI] },
        // An org that registered only the Chrome redirect URI on its client.
        { clientId: CHROME_ONLY_CLIENT, redirectUris: [CHROME_REDIRECT_URI] },
      ],
    },
  });
});

afterAll(async () => {
  await rig?.close();
});

const checks = (page: Page) =>
  page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-check]')].map((item) => [item.getAttribute('data-check'), item.getAttribute('data-ok')])));
const text = (page: Page, selector: string) => page.$eval(selector, (element) => element.textContent ?? '').catch(() => '');

async function checkSetup(): Promise<Page> {
  const options = await rig.extensionPage('options');
  const button = await options.waitForSelector('::-p-aria([name="Check setup"][role="button"])', { timeout: 15_000 });
  await button!.click();
  return options;
}

describe('Firefox: on install with nothing configured', () => {
  it('opens the Settings page with the steps', async () => {
    const welcome = await welcomePage(rig.browser, 15_000);
    await welcome.waitForSelector('::-p-text(Setup for admins)', { timeout: 15_000 });
    await welcome.close();
  });

  it('shows the Firefox redirect URI to register, with a copy button', async () => {
    const options = await rig.extensionPage('options');
    await expect.poll(() => options.$eval('[data-testid=redirect-uri]', (input) => (input as HTMLInputElement).value).catch(() => '')).toBe(REDIRECT_URI);
    expect(REDIRECT_URI).toMatch(/^https:\/\/[0-9a-f]{40}\.extensions\.allizom\.org\/$/);
    expect(await options.$('::-p-text(Copy)')).not.toBeNull();
    await options.close();
  });
});

describe('Firefox: the setup check', () => {
  it('names a client id Genesys does not accept', async () => {
    await rig.configure(rig.emulator.origin, 'not-a-real-client');
    const options = await checkSetup();
    await expect.poll(() => checks(options)).toEqual({ region: 'true', client: 'false', redirect: 'undefined', subscription: 'undefined' });
    expect(await text(options, '[data-check="client"]')).toMatch(/does not accept the client id "not-a-real-client"/);
    await options.close();
  });

  it('names the Firefox redirect URI when the client has only Chrome\'s', async () => {
    await rig.configure(rig.emulator.origin, CHROME_ONLY_CLIENT);
    const options = await checkSetup();
    await expect.poll(() => checks(options)).toMatchObject({ region: 'true', client: 'true', redirect: 'false' });
    expect(await text(options, '[data-check="redirect"]')).toContain(REDIRECT_URI);
    await options.close();
  });

  it('passes every check once signed in with the right settings', async () => {
    await rig.configure(rig.emulator.origin, CLIENT_ID);
    const popup = await signInThroughPopup(rig);
    await popup.close();
    const options = await checkSetup();
    await expect.poll(() => checks(options)).toEqual({ region: 'true', client: 'true', redirect: 'true', subscription: 'true' });
    await options.close();
  });
});

describe('Firefox: signing in and out', () => {
  it('says the redirect URI is not registered when the client has only Chrome\'s', async () => {
    const popup = await rig.extensionPage('popup');
    await (await popup.waitForSelector('::-p-text(Sign out)', { timeout: 15_000 }))!.click();
    await popup.waitForSelector('::-p-aria(Sign in)', { timeout: 15_000 });
    await rig.configure(rig.emulator.origin, CHROME_ONLY_CLIENT);
    rig.emulator.clearLoginSessions();
    await (await popup.waitForSelector('::-p-aria(Sign in)'))!.click();
    // Firefox shows Genesys's error page in the sign-in window; the agent closes it.
    const login = await waitFor('the sign-in window', async () => (await rig.browser.pages()).find((page) => page.url().includes('/oauth/authorize')));
    await login.close();
    await expect.poll(() => text(popup, '[role=alert]'), { timeout: 15_000 }).toMatch(/redirect URI shown in Settings is not registered/);
    await popup.close();
  });

  it('signs in, keeps the token in the background only, and signs out by revoking it', async () => {
    await rig.configure(rig.emulator.origin, CLIENT_ID);
    await expect.poll(async () => (await rig.view()).problem).toBeUndefined();
    const popup = await signInThroughPopup(rig);
    const token = [...rig.emulator.requests()].reverse().find((r) => r.authorization?.startsWith('Bearer '))?.authorization?.slice('Bearer '.length);
    expect(token).toBeTruthy();
    expect(JSON.stringify(await rig.extension(() => chrome.storage.local.get(null)))).not.toContain(token);
    expect(JSON.stringify(await rig.extension(() => chrome.storage.session.get(null)))).toContain(token);
    expect(JSON.stringify(await rig.view())).not.toContain(token);

    rig.emulator.clearRequests();
    await (await popup.waitForSelector('::-p-text(Sign out)'))!.click();
    await expect.poll(() => connectionWord(popup)).toBe('Signed out');
    await expect
      .poll(() => rig.emulator.requests().map((r) => `${r.method} ${r.path} ${r.authorization}`))
      .toContain(`DELETE /api/v2/tokens/me Bearer ${token}`);
    // Signed out, the session is gone; only the diagnostics stay (no secret in them), for a ticket.
    const left = await rig.extension(() => chrome.storage.session.get(null));
    expect(Object.keys(left)).toEqual(['diagnostics']);
    expect(JSON.stringify(left)).not.toContain(token);
    // Genesys no longer accepts it.
    const me = await fetch(`${rig.emulator.origin}/api/v2/users/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
  });
});
