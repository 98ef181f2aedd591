// Enterprise policy in Firefox, for real: Firefox hands an extension the values under
// `policies["3rdparty"].Extensions["<add-on id>"]` of its policies.json through storage.managed. On
// Linux the file is /etc/firefox/policies/policies.json. Firefox reads it once, at start-up, so the
// test writes it just before Firefox starts and puts back what was there (or removes it) as soon as
// Firefox has read it: the file is machine-wide, and other Firefox runs should not see it. Needs
// root and a Linux Firefox that reads /etc/firefox (Debian's firefox-esr); skipped elsewhere.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { findFirefox } from '../../scripts/firefox.ts';
import { GECKO_ID } from '../../manifest.gecko.ts';
import { CLIENT_ID, pageControl, settledControl, signInThroughPopup, startFirefoxRig, waitFor, type FirefoxRig } from './harness.ts';

const POLICY_DIR = '/etc/firefox/policies';
const POLICY_FILE = `${POLICY_DIR}/policies.json`;
/** Two runs of this test on one machine take turns with the one policies.json. */
const LOCK_FILE = '/etc/firefox/.genesys-mic-control-e2e-policy.lock';

function canWritePolicy(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && findFirefox() === '/usr/bin/firefox-esr';
}

const enabled = canWritePolicy();
if (!enabled) console.warn("Skipping the Firefox policy test: it needs root and Debian's firefox-esr (/usr/bin/firefox-esr) to write /etc/firefox/policies/policies.json.");

/** What was there before: restored as soon as Firefox has read the policy, and on any exit. */
let restore: (() => void) | undefined;

async function lock(): Promise<void> {
  mkdirSync('/etc/firefox', { recursive: true });
  await waitFor('the policy file to be free', async () => {
    try {
      closeSync(openSync(LOCK_FILE, 'wx'));
      return true;
    } catch {
      // Another run's lock; one left behind by a killed run goes after 5 minutes.
      if (Date.now() - statSync(LOCK_FILE, { throwIfNoEntry: false })!.mtimeMs > 5 * 60_000) rmSync(LOCK_FILE, { force: true });
      return false;
    }
  }, 120_000, 500);
}

/** Adds our add-on's managed values to policies.json (keeping whatever policies are there). */
function writePolicy(values: Record<string, unknown>): void {
  const createdDir = !existsSync(POLICY_DIR);
  const original = existsSync(POLICY_FILE) ? readFileSync(POLICY_FILE, 'utf8') : undefined;
  restore = () => {
    restore = undefined;
    if (original === undefined) rmSync(POLICY_FILE, { force: true });
    else writeFileSync(POLICY_FILE, original);
    if (createdDir && existsSync(POLICY_DIR) && readdirSync(POLICY_DIR).length === 0) rmdirSync(POLICY_DIR);
    rmSync(LOCK_FILE, { force: true });
  };
  process.once('exit', () => restore?.());
  const policies = (original ? JSON.parse(original) : {}) as { policies?: Record<string, unknown> };
  const root = (policies.policies ??= {});
  const thirdParty = ((root['3rdparty'] ??= {}) as { Extensions?: Record<string, unknown> });
  (thirdParty.Extensions ??= {})[GECKO_ID] = values;
  mkdirSync(POLICY_DIR, { recursive: true });
  writeFileSync(POLICY_FILE, JSON.stringify(policies, null, 2));
}

let rig: FirefoxRig;
let managedAtStart: unknown;

describe.runIf(enabled)('Firefox: settings set by enterprise policy (policies.json)', () => {
  beforeAll(async () => {
    await lock();
    try {
      rig = await startFirefoxRig({
        unconfigured: true,
        beforeLaunch: (emulator) => writePolicy({ environment: emulator.origin, clientId: CLIENT_ID, sound: true }),
      });
      // Read at start-up: once storage.managed answers, the file can go back to what it was.
      managedAtStart = await waitFor('storage.managed', () => rig.extension(() => chrome.storage.managed.get(null)), 15_000);
    } finally {
      restore?.();
    }
  });

  afterAll(async () => {
    restore?.();
    await rig?.close();
  });

  it('reach the add-on through storage.managed, and the machine\'s policies.json is as it was', () => {
    expect(managedAtStart).toEqual({ environment: rig.emulator.origin, clientId: CLIENT_ID, sound: true });
    expect(existsSync(POLICY_FILE) ? readFileSync(POLICY_FILE, 'utf8') : '').not.toContain(GECKO_ID);
  });

  it('configure the extension without any local settings (and no welcome tab)', async () => {
    await expect.poll(async () => (await rig.view()).agentDesktopOrigin).toBe(rig.emulator.origin);
    expect(await rig.extension(() => chrome.storage.local.get(null))).toEqual({});
    expect((await rig.view()).status).toBe('signed-out');
  });

  it('win over what an agent typed', async () => {
    await rig.configure('mypurecloud.ie', 'typed-by-agent');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await rig.view()).agentDesktopOrigin).toBe(rig.emulator.origin);
  });

  it('show as locked on the options page', async () => {
    const options: Page = await rig.extensionPage('options');
    const shown = (testId: string) => options.$eval(`[data-testid="${testId}"]`, (element) => (element as HTMLElement).offsetParent !== null).catch(() => false);
    await expect.poll(() => shown('locked-environment')).toBe(true);
    await expect.poll(() => shown('locked-client-id')).toBe(true);
    expect(await options.$eval('[data-testid="locked-client-id"]', (element) => element.textContent)).toMatch(/Set by your organisation/);
    expect(await options.$eval('#client-id', (input) => [(input as HTMLInputElement).disabled, (input as HTMLInputElement).value])).toEqual([true, CLIENT_ID]);
    // The mute sound, locked on for every agent.
    await expect.poll(() => shown('locked-sound')).toBe(true);
    expect(await options.$eval('#sound', (input) => [(input as HTMLInputElement).checked, (input as HTMLInputElement).disabled])).toEqual([true, true]);
    await options.close();
  });

  it('are the ones sign-in uses', async () => {
    const popup = await signInThroughPopup(rig);
    const token = rig.emulator.requests().find((r) => r.method === 'POST' && r.path === '/oauth/token');
    expect(new URLSearchParams(token?.body).get('client_id')).toBe(CLIENT_ID);
    await popup.close();
  });

  it('turn the mute sound on for the agent', async () => {
    const desk = await rig.agentDesktop();
    rig.emulator.startCall({ customerName: 'Policy Pat' });
    await (await settledControl(desk)).click();
    await expect.poll(async () => (await pageControl(desk)).evaluate((button) => button.getAttribute('aria-pressed'))).toBe('true');
    await expect.poll(() => rig.background((bg) => bg.gmcSoundsPlayed())).toBe(1);
  });
});
