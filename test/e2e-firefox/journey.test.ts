// The first journey in real Firefox (ESR) against the emulator: sign in through the popup (the
// emulator's login form in the window launchWebAuthFlow opens), a call arrives, the page control
// goes live, and a click mutes with exactly one PATCH.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { attribute, connectionWord, pageControl, REDIRECT_URI, settledControl, signInThroughPopup, startFirefoxRig, type FirefoxRig } from './harness.ts';
import { GECKO_ID } from '../../manifest.gecko.ts';

let rig: FirefoxRig;
let popup: Page;
let desk: Page;

beforeAll(async () => {
  rig = await startFirefoxRig();
  popup = await signInThroughPopup(rig);
  desk = await rig.agentDesktop();
});

afterAll(async () => {
  await rig?.close();
});

const patches = () => rig.emulator.requests().filter((r) => r.method === 'PATCH');

describe("Firefox: an agent's first call", () => {
  it('installs under its gecko id and signs in with PKCE at the Firefox redirect URI', async () => {
    expect(rig.addonId).toBe(GECKO_ID);
    expect(await rig.extension(() => chrome.identity.getRedirectURL())).toBe(REDIRECT_URI);
    expect(await connectionWord(popup)).toBe('Live');
    const authorize = rig.emulator.requests().find((r) => r.path === '/oauth/authorize');
    expect(authorize?.query['redirect_uri']).toBe(REDIRECT_URI);
    expect(authorize?.query['code_challenge_method']).toBe('S256');
    const paths = rig.emulator.requests().map((r) => `${r.method} ${r.path}`);
    // The agent signed in on the emulator's form, in the window launchWebAuthFlow opened.
    expect(paths).toContain('POST /oauth/authorize/approve');
    expect(paths).toContain('POST /oauth/token');
    expect(paths).toContain('GET /api/v2/users/me');
    expect(paths).toContain('GET /api/v2/conversations/calls');
    // The socket is ws:// to the loopback emulator: it needs the e2e build's relaxed CSP.
    expect(paths.some((p) => p.startsWith('WS '))).toBe(true);
    expect((await rig.view()).connection).toBe('live');
  });

  it('shows a disabled control while there is no call', async () => {
    const control = await pageControl(desk);
    await expect.poll(() => control.evaluate((button) => (button as HTMLButtonElement).disabled)).toBe(true);
    expect(await attribute(control, 'aria-pressed')).toBe('false');
  });

  it('goes live when a call arrives', async () => {
    rig.emulator.startCall({ customerName: 'Casey Customer' });
    const control = await pageControl(desk, 'enabled');
    expect(await attribute(control, 'aria-pressed')).toBe('false');
    await expect.poll(() => popup.$eval('[data-testid=call]', (e) => e.textContent).catch(() => '')).toContain('Casey Customer');
  });

  it('mutes from the page with exactly one PATCH {"muted":true}', async () => {
    const control = await settledControl(desk);
    rig.emulator.clearRequests();
    await control.click();
    await expect.poll(() => attribute(control, 'aria-pressed')).toBe('true');
    await expect.poll(async () => (await rig.view()).status).toBe('muted');
    expect(patches().map((r) => r.body)).toEqual(['{"muted":true}']);
    await expect.poll(() => rig.badgeText()).toBe('MUTE');
  });
});
