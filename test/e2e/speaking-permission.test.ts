// The speaking-while-muted warning without the microphone permission (issue 10): Settings says
// so and how to fix it, the popup gives a short hint, and the warning stays quiet with no error.
// Without --use-fake-ui-for-media-stream, headless Chromium refuses getUserMedia from an extension
// page and stores the refusal, as a person's "Block" would be stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestAudio } from '../../scripts/test-audio.ts';
import { EXTENSION_ID, fakeMicrophone, offscreenDocuments, pageStatus, screenshot, speakingState, startOnACall, workerView, type Rig } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'gmc-mic-'));
let rig: Rig;
let desk: Page;
let popup: Page;
let call: string;
const errors: string[] = [];

beforeAll(async () => {
  const audio = await writeTestAudio(dir);
  // A microphone exists (and talks); only the permission is missing.
  ({ rig, desk, popup, call } = await startOnACall('Blocked Blake', { args: fakeMicrophone(audio.speech) }));
  rig.context.on('weberror', (error) => errors.push(error.error().message));
  rig.context.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
});

afterAll(async () => {
  await rig?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('turning the warning on when the browser refuses the microphone', () => {
  let options: Page;

  it('keeps the choice, and Settings says the microphone is blocked and how to fix it', async () => {
    options = await rig.extensionPage('options');
    await options.getByLabel('Warn me when I speak while muted').check();
    await expect.poll(() => rig.worker.evaluate(() => chrome.storage.local.get('preferences'))).toEqual({ preferences: { speakingWhileMuted: true } });
    const message = options.getByTestId('speaking-permission');
    await expect.poll(() => message.getAttribute('data-permission')).toBe('denied');
    expect(await message.textContent()).toMatch(/blocks the microphone.*set Microphone to Allow/);
    expect(await options.getByRole('button', { name: 'Open microphone settings' }).isVisible()).toBe(true);
    await options.getByTestId('speaking-permission').scrollIntoViewIfNeeded();
    await screenshot(options, 'speaking-options-denied');
  });

  it('opens the browser\'s page where the agent allows the microphone for the extension', async () => {
    const opened = rig.context.waitForEvent('page');
    await options.getByRole('button', { name: 'Open microphone settings' }).click();
    const settings = await opened;
    await expect.poll(() => settings.url()).toBe(`chrome://settings/content/siteDetails?site=${encodeURIComponent(`chrome-extension://${EXTENSION_ID}`)}`);
    await settings.close();
  });

  it('gives the popup a short hint', async () => {
    await expect.poll(async () => (await workerView(rig.worker)).speakingCheck).toBe('no-permission');
    await popup.reload();
    await popup.getByTestId('speaking-hint').waitFor();
    expect(await popup.getByTestId('speaking-hint').textContent()).toMatch(/permission to use the microphone/);
  });

  it('stays quiet while the agent is muted: no offscreen document, no microphone, no error', async () => {
    rig.emulator.setMuted(call, true);
    await expect.poll(() => pageStatus(desk)).toBe('muted');
    await desk.waitForTimeout(3_000);
    expect(await offscreenDocuments(rig.worker)).toBe(0);
    expect((await speakingState(rig.worker)).listening).toBe(false);
    expect(await desk.evaluate(() => document.querySelector('genesys-mic-control')?.hasAttribute('data-nudge'))).toBe(false);
    expect(errors).toEqual([]);
  });
});
