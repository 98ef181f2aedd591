// The extension speaks the browser's language: Chromium started with --lang (and LANGUAGE, which
// Linux Chromium reads) shows the popup and the page control in that language, while the page
// button's accessible name stays "Mute microphone" (a stable interface).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageControl, startRig, type Rig } from './harness.ts';
import { messages } from '../shared/messages.ts';

describe.each([
  { lang: 'de', locale: 'de' },
  { lang: 'ja', locale: 'ja' },
])('in $lang', ({ lang, locale }) => {
  const m = messages(locale);
  let rig: Rig;
  let popup: Page;
  let desk: Page;
  const previousLanguage = process.env.LANGUAGE;

  beforeAll(async () => {
    process.env.LANGUAGE = lang; // Chromium on Linux takes its UI language from here as well
    rig = await startRig({ args: [`--lang=${lang}`] });
  });

  afterAll(async () => {
    await rig?.close();
    if (previousLanguage === undefined) delete process.env.LANGUAGE;
    else process.env.LANGUAGE = previousLanguage;
  });

  it('Chromium runs in that language and the extension picks its messages', async () => {
    // Which locale's messages.json chrome.i18n answers from. (Not getUILanguage() or @@ui_locale:
    // under Playwright they can say en-US even though the messages follow --lang.)
    expect(await rig.worker.evaluate(() => chrome.i18n.getMessage('htmlLang'))).toBe(locale);
  });

  it('the popup is in that language, and signing in works through it', async () => {
    popup = await rig.extensionPage('popup');
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe(locale);
    await expect.poll(() => popup.locator('.product').textContent()).toBe('Genesys Mic Control');
    await popup.getByText(m('signInPrompt')).waitFor();
    const loginWindow = rig.context.waitForEvent('page', { timeout: 15_000 }).catch(() => undefined);
    await popup.getByRole('button', { name: m('signIn'), exact: true }).click();
    const live = popup.getByTestId('connection').getByText(m('connectionLive'), { exact: true });
    const first = await Promise.race([loginWindow, live.waitFor({ timeout: 15_000 }).then(() => undefined)]);
    if (first) {
      await first.waitForLoadState('domcontentloaded');
      await first.getByRole('button', { name: 'Sign in' }).click(); // the emulator's own page
    }
    await live.waitFor({ timeout: 15_000 });
    await popup.getByText(m('noActiveCall')).waitFor();
    await popup.getByRole('button', { name: m('settings') }).waitFor();
    await popup.getByRole('button', { name: m('signOut') }).waitFor();
  });

  it('the page control is in that language but keeps its accessible name', async () => {
    desk = await rig.agentDesktop();
    const call = rig.emulator.startCall({ customerName: 'Morgan Mute' });
    await expect.poll(() => pageControl(desk).isEnabled()).toBe(true);
    const control = pageControl(desk);
    expect(await control.locator('.gmc-label').textContent()).toBe(m('muteLabel'));
    const status = desk.locator('genesys-mic-control').locator('#gmc-status');
    await expect.poll(() => status.textContent()).toBe(m('statusMicOn'));
    await control.click();
    await expect.poll(() => status.textContent()).toBe(m('statusMuted'));
    expect(await control.getAttribute('aria-pressed')).toBe('true');
    // The drag handle's name is translated (it exists even while the control sits in the toolbar).
    expect(await desk.locator('genesys-mic-control').locator('.grip').getAttribute('aria-label')).toBe(m('gripName'));
    // The toolbar title too.
    const title = () => rig.worker.evaluate(() => chrome.action.getTitle({}));
    await expect.poll(title).toBe(m('toolbarTitle', m('toolbarMutedWith', 'Morgan Mute')));
    // And the popup's call summary.
    await popup.getByText(m('onCallWith')).waitFor();
    rig.emulator.endCall(call);
  });

  it('the settings page is in that language', async () => {
    const options = await rig.extensionPage('options');
    await expect.poll(() => options.title()).toBe(m('optionsTitle'));
    await options.getByRole('heading', { name: m('adminTitle') }).waitFor();
    await options.getByRole('button', { name: m('checkSetup') }).waitFor();
    await options.getByRole('button', { name: m('save') }).waitFor();
    // Regions are named by where they are, in that language too.
    await expect.poll(() => options.locator('#region option').allTextContents()).toContain(`${m('region_eu_central_1')} — mypurecloud.de`);
  });
});
