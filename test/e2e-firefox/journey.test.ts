// An agent's first call in real Firefox (ESR) against the emulator, the same journey as in Chromium
// (test/shared/first-call.ts): signed in through the popup (the emulator's login form in the window
// launchWebAuthFlow opens), a call arrives, the page control goes live in Genesys's call toolbar,
// mute from page, popup and shortcut (the command as Firefox delivers it; shortcut.test.ts presses
// the real keys), a server-side mute shows without any request, and the call ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { agentOf, connectionWord, REDIRECT_URI, signInThroughPopup, startFirefoxRig, type FirefoxRig } from './harness.ts';
import { GECKO_ID } from '../../manifest.gecko.ts';
import { firstCallJourney } from '../shared/first-call.ts';
import type { Agent } from '../shared/agent.ts';

let rig: FirefoxRig;
let popup: Page;
let desk: Page;
let agent: Agent;

beforeAll(async () => {
  rig = await startFirefoxRig();
  popup = await signInThroughPopup(rig);
  desk = await rig.agentDesktop();
  agent = agentOf(rig, popup, desk);
});

afterAll(async () => {
  await rig?.close();
});

describe('Firefox: the add-on', () => {
  it('installs under its gecko id and signed in with PKCE at the Firefox redirect URI', async () => {
    expect(rig.addonId).toBe(GECKO_ID);
    expect(await rig.extension(() => chrome.identity.getRedirectURL())).toBe(REDIRECT_URI);
    expect(await connectionWord(popup)).toBe('Live');
    const authorize = rig.emulator.requests().find((r) => r.path === '/oauth/authorize');
    expect(authorize?.query['redirect_uri']).toBe(REDIRECT_URI);
    expect(authorize?.query['code_challenge_method']).toBe('S256');
    const token = rig.emulator.requests().find((r) => r.method === 'POST' && r.path === '/oauth/token');
    expect(new URLSearchParams(token?.body).get('redirect_uri')).toBe(REDIRECT_URI);
    // The agent signed in on the emulator's form, in the window launchWebAuthFlow opened.
    expect(rig.emulator.requests().map((r) => `${r.method} ${r.path}`)).toContain('POST /oauth/authorize/approve');
    // The socket is ws:// to the loopback emulator: it needs the e2e build's relaxed CSP.
    expect((await rig.view()).connection).toBe('live');
  });
});

describe("Firefox: an agent's first call", () => {
  firstCallJourney(() => agent);
});

describe('Firefox: the page control', () => {
  it('sits in Genesys\'s call toolbar while a call is on screen', async () => {
    const call = rig.emulator.startCall({ customerName: 'Toolbar Toni' });
    await desk.waitForFunction(() => document.querySelector('genesys-mic-control')?.getAttribute('data-placement') === 'toolbar', { timeout: 15_000 });
    expect(await desk.evaluate(() => document.querySelector('genesys-mic-control')?.parentElement?.matches('.interaction-controls-primary'))).toBe(true);
    rig.emulator.endCall(call);
    await desk.waitForFunction(() => document.querySelector('genesys-mic-control')?.getAttribute('data-placement') === 'floating', { timeout: 15_000 });
  });
});
