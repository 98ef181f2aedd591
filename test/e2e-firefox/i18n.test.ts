// The extension speaks Firefox's language: Firefox run in German (`intl.locale.requested` = de, with
// Firefox's German language pack, which Debian's firefox-esr needs as firefox-esr-l10n-de) shows the
// popup, the page control and Settings in German, while the page button keeps its accessible name
// "Mute microphone" (a stable interface), and the shortcut advice names Firefox's own German menu.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { ensureFirefox, ensureFirefoxLanguage } from '../../scripts/firefox.ts';
import { connectionWord, pageControl, settledControl, signInThroughPopup, startFirefoxRig, waitFor, type FirefoxRig } from './harness.ts';
import { messages } from '../shared/messages.ts';

const locale = 'de';
const m = messages(locale);
const languagePack = ensureFirefoxLanguage(ensureFirefox(), locale);
if (!languagePack) console.warn(`Skipping the Firefox ${locale} test: Firefox's ${locale} language pack is not installed (Debian: apt-get install firefox-esr-l10n-${locale}).`);

let rig: FirefoxRig;
let popup: Page;
let desk: Page;

const text = (page: Page, selector: string) => page.$eval(selector, (element) => element.textContent ?? '').catch(() => '');
const inShadow = (page: Page, selector: string) =>
  page.evaluate((s) => document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector(s)?.textContent ?? null, selector);

describe.runIf(languagePack)(`Firefox in ${locale}`, () => {
  beforeAll(async () => {
    rig = await startFirefoxRig({ prefs: { 'intl.locale.requested': locale } });
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('runs in that language and the extension picks its messages', async () => {
    expect(await rig.extension(() => chrome.i18n.getUILanguage())).toBe(locale);
    expect(await rig.extension(() => chrome.i18n.getMessage('htmlLang'))).toBe(locale);
  });

  it('the popup is in that language, and signing in works through it', async () => {
    popup = await signInThroughPopup(rig, { signIn: m('signIn'), live: m('connectionLive') });
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe(locale);
    expect(await text(popup, '.product')).toBe('Genesys Mic Control');
    await popup.waitForSelector(`::-p-text(${m('noActiveCall')})`, { timeout: 15_000 });
    await popup.waitForSelector(`::-p-aria([name="${m('settings')}"][role="button"])`);
    await popup.waitForSelector(`::-p-aria([name="${m('signOut')}"][role="button"])`);
    expect(await text(popup, '[data-testid=shortcut]')).toContain(`${m('shortcutLabel')}: Alt+Shift+M`);
    expect(await text(popup, '[data-testid=shortcut]')).toContain(m('changeShortcut'));
  });

  it('the page control is in that language but keeps its accessible name', async () => {
    desk = await rig.agentDesktop();
    const call = rig.emulator.startCall({ customerName: 'Morgan Mute' });
    const control = await settledControl(desk); // found by aria-label="Mute microphone"
    expect(await inShadow(desk, '.gmc-label')).toBe(m('muteLabel'));
    await expect.poll(() => inShadow(desk, '#gmc-status')).toBe(m('statusMicOn'));
    await control.click();
    await expect.poll(() => inShadow(desk, '#gmc-status')).toBe(m('statusMuted'));
    expect(await (await pageControl(desk)).evaluate((button) => [button.getAttribute('aria-label'), button.getAttribute('aria-pressed')])).toEqual(['Mute microphone', 'true']);
    // The drag handle's name is translated (it exists even while the control sits in the toolbar).
    expect(await desk.evaluate(() => document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('.grip')?.getAttribute('aria-label'))).toBe(m('gripName'));
    // The toolbar title and badge.
    await expect.poll(() => rig.extension(() => chrome.action.getTitle({}))).toBe(m('toolbarTitle', m('toolbarMutedWith', 'Morgan Mute')));
    expect(await rig.badgeText()).toBe('MUTE');
    // The popup's call summary and its toggle, also named "Mute microphone".
    await popup.waitForSelector(`::-p-text(${m('onCallWith')})`);
    expect(await popup.$eval('button[aria-label="Mute microphone"]', (button) => button.getAttribute('aria-pressed'))).toBe('true');
    expect(await connectionWord(popup)).toBe(m('connectionLive'));
    rig.emulator.endCall(call);
  });

  it('the settings page is in that language, with the shortcut advice for Firefox', async () => {
    const options = await rig.extensionPage('options');
    await expect.poll(() => options.title()).toBe(m('optionsTitle'));
    await options.waitForSelector(`::-p-text(${m('adminTitle')})`);
    await options.waitForSelector(`::-p-aria([name="${m('checkSetup')}"][role="button"])`);
    await options.waitForSelector(`::-p-aria([name="${m('save')}"][role="button"])`);
    const hint = await waitFor('the shortcut hint', async () => (await text(options, '[data-testid=shortcut-hint]')) || undefined);
    expect(hint).toBe(m('shortcutHintNoGlobal', m('changeShortcut'), `about:addons → ⚙ → ${m('firefoxShortcutsMenu')}`));
    expect(hint).toContain('Tastenkombinationen von Erweiterungen verwalten'); // as Firefox's German about:addons says it
    // Regions are named by where they are, in that language too.
    await expect.poll(() => options.$$eval('#region option', (items) => items.map((item) => item.textContent))).toContain(`${m('region_eu_central_1')} — mypurecloud.de`);
  });
});
