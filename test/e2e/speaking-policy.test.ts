// The speaking-while-muted warning set by enterprise policy (managed key `speakingWhileMuted`),
// with a real policy file as in policy.test.ts (the browser's own, through the harness): it
// needs root, and is skipped elsewhere. Forced on without the permission yet: Settings and the popup say so, and
// nothing listens. Forced off: an agent's own "on" and a granted permission change nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestAudio, type TestAudio } from '../../scripts/test-audio.ts';
import {
  canGivePolicy,
  CLIENT_ID,
  fakeMicrophone,
  grantMicrophone,
  offscreenDocuments,
  pageStatus,
  screenshot,
  speakingState,
  startOnACall,
  workerView,
  type Rig,
  type RigOptions,
} from './harness.ts';

const enabled = canGivePolicy();
if (!enabled) console.warn("Skipping the speaking-warning policy test: it needs root, unshare and Debian's Chromium (/usr/bin/chromium) to give the browser a policy.");

const dir = mkdtempSync(join(tmpdir(), 'gmc-mic-'));
let audio: TestAudio;

/** An agent on a call, with `speakingWhileMuted` set by policy to `forced`. */
async function onACallWithPolicy(forced: boolean, options: RigOptions = {}) {
  audio ??= await writeTestAudio(dir);
  return startOnACall('Policy Pat', {
    unconfigured: true,
    args: fakeMicrophone(audio.speech),
    policy: (emulator) => ({ environment: emulator.origin, clientId: CLIENT_ID, speakingWhileMuted: forced }),
    ...options,
  });
}

const muteAndWait = async (rig: Rig, desk: Page, call: string): Promise<void> => {
  rig.emulator.setMuted(call, true);
  await expect.poll(() => pageStatus(desk)).toBe('muted');
  await desk.waitForTimeout(3_000);
};

describe.runIf(enabled)('the speaking warning forced on by policy, before the agent allowed the microphone', () => {
  let rig: Rig;
  let desk: Page;
  let popup: Page;
  let call: string;

  beforeAll(async () => {
    ({ rig, desk, popup, call } = await onACallWithPolicy(true));
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('shows as locked on in Settings, which says the microphone is not allowed yet and offers to ask', async () => {
    const options = await rig.extensionPage('options');
    const checkbox = options.getByLabel('Warn me when I speak while muted');
    await expect.poll(() => options.getByTestId('locked-speaking-while-muted').isVisible()).toBe(true);
    expect(await checkbox.isChecked()).toBe(true);
    expect(await checkbox.isDisabled()).toBe(true);
    const message = options.getByTestId('speaking-permission');
    await expect.poll(() => message.getAttribute('data-permission')).toBe('prompt');
    expect(await message.textContent()).toMatch(/Your organisation turned this warning on, but the browser has not been allowed/);
    expect(await options.getByRole('button', { name: 'Allow microphone' }).isVisible()).toBe(true);
    await message.scrollIntoViewIfNeeded();
    await screenshot(options, 'speaking-options-policy');
    await options.close();
  });

  it('gives the popup a short hint, and nothing listens while the agent is muted', async () => {
    await expect.poll(async () => (await workerView(rig.worker)).speakingCheck).toBe('no-permission');
    await popup.reload();
    await popup.getByTestId('speaking-hint').waitFor();
    await muteAndWait(rig, desk, call);
    expect(await offscreenDocuments(rig.worker)).toBe(0);
    expect((await speakingState(rig.worker)).listening).toBe(false);
  });
});

describe.runIf(enabled)('the speaking warning forced off by policy', () => {
  let rig: Rig;
  let desk: Page;
  let call: string;

  beforeAll(async () => {
    ({ rig, desk, call } = await onACallWithPolicy(false, { prepareProfile: grantMicrophone }));
    // The agent had turned it on themselves, and allowed the microphone (above).
    await rig.worker.evaluate(() => chrome.storage.local.set({ preferences: { speakingWhileMuted: true } }));
  });

  afterAll(async () => {
    await rig?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows as locked off in Settings', async () => {
    const options = await rig.extensionPage('options');
    const checkbox = options.getByLabel('Warn me when I speak while muted');
    await expect.poll(() => options.getByTestId('locked-speaking-while-muted').isVisible()).toBe(true);
    expect(await checkbox.isChecked()).toBe(false);
    expect(await checkbox.isDisabled()).toBe(true);
    expect(await options.getByTestId('speaking-permission').count()).toBe(0);
    await options.close();
  });

  it('never opens the microphone, though the agent is muted and speaking', async () => {
    await muteAndWait(rig, desk, call);
    expect(await offscreenDocuments(rig.worker)).toBe(0);
    expect(await speakingState(rig.worker)).toMatchObject({ listening: false, nudges: 0 });
  });
});
