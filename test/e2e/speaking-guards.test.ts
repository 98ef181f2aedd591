// Who may open the microphone, and when (the speaking-while-muted warning). Only the background
// commands the offscreen document: the content script's own isolated world — what a compromised
// renderer on an agent desktop host runs as — sends it every command while the document is there,
// and no microphone track opens. And the background listens only while the connection is live:
// a dropped socket closes the microphone until the calls are caught up again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestAudio } from '../../scripts/test-audio.ts';
import {
  fakeMicrophone,
  grantMicrophone,
  inContentScript,
  liveMicrophoneTracks,
  offscreenDocuments,
  pageStatus,
  speakingState,
  startOnACall,
  workerView,
  type Rig,
} from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'gmc-mic-'));
let rig: Rig;
let desk: Page;
let call: string;

beforeAll(async () => {
  const audio = await writeTestAudio(dir);
  ({ rig, desk, call } = await startOnACall('Guarded Gale', { args: fakeMicrophone(audio.speech), prepareProfile: grantMicrophone }));
});

afterAll(async () => {
  await rig?.close();
  rmSync(dir, { recursive: true, force: true });
});

const preferences = (values: { sound: boolean; speakingWhileMuted: boolean }) => rig.worker.evaluate((preferences) => chrome.storage.local.set({ preferences }), values);

async function setMuted(muted: boolean): Promise<void> {
  rig.emulator.setMuted(call, muted);
  await expect.poll(() => pageStatus(desk)).toBe(muted ? 'muted' : 'live');
}

/**
 * Sends `commands` to the offscreen document from the content script's isolated world on the agent
 * desktop; what came back to each (null: nobody answered; `error: …`: the send failed).
 */
async function fromContentScript(...commands: object[]): Promise<[string, unknown][]> {
  const answers: [string, unknown][] = [];
  for (const command of commands) {
    const answer = await inContentScript(desk, `chrome.runtime.sendMessage(${JSON.stringify(command)}).then((a) => a ?? null, (e) => 'error: ' + e.message)`);
    answers.push([JSON.stringify(command), answer]);
  }
  return answers;
}

/** Every command the document knows: listen first, and the microphone must stay closed after it. */
async function everyCommandFromContentScript(): Promise<[string, unknown][]> {
  const answers = await fromContentScript({ type: 'mic-listen' });
  await expectMicrophoneClosed();
  return [...answers, ...(await fromContentScript({ type: 'mic-status' }, { type: 'play-cue', cue: 'muted' }, { type: 'mic-stop' }))];
}

/** Nothing the document would answer (a MicAnswer, or `true` for a cue played) came back. */
function expectNoAnswers(answers: [string, unknown][]): void {
  for (const [type, answer] of answers) {
    expect(answer === null || (typeof answer === 'string' && answer.startsWith('error: ')), `${type} got ${JSON.stringify(answer)}`).toBe(true);
  }
}

/** The microphone stays closed for a while after the commands (a capture takes ~100 ms to open). */
async function expectMicrophoneClosed(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    expect(await liveMicrophoneTracks(rig.worker)).toBe(0);
    await desk.waitForTimeout(150);
  }
}

describe('the content script cannot command the offscreen document', () => {
  it('while only the mute sound keeps it open (the warning off)', async () => {
    await preferences({ sound: true, speakingWhileMuted: false });
    await setMuted(true); // the mute's cue opens the document, and the call keeps it
    await expect.poll(() => offscreenDocuments(rig.worker)).toBe(1);
    expectNoAnswers(await everyCommandFromContentScript());
    await expectMicrophoneClosed();
    expect(await offscreenDocuments(rig.worker)).toBe(1);
    expect((await speakingState(rig.worker)).listening).toBe(false);
    await setMuted(false);
  });

  it('while the document that may hold the microphone stays for the sound, the agent not muted', async () => {
    await preferences({ sound: true, speakingWhileMuted: true });
    await setMuted(true);
    await expect.poll(async () => (await speakingState(rig.worker)).since).toBeGreaterThan(0);
    expect(await liveMicrophoneTracks(rig.worker)).toBe(1);
    await setMuted(false);
    await expect.poll(() => liveMicrophoneTracks(rig.worker), { timeout: 1_000 }).toBe(0);
    expect(await offscreenDocuments(rig.worker)).toBe(1);
    expectNoAnswers(await everyCommandFromContentScript());
    await expectMicrophoneClosed();
    expect(await offscreenDocuments(rig.worker)).toBe(1);
  });

  it('while the background listens: it cannot stop the microphone or read what it hears either', async () => {
    await setMuted(true);
    await expect.poll(() => liveMicrophoneTracks(rig.worker)).toBe(1);
    expectNoAnswers(await fromContentScript({ type: 'mic-listen' }, { type: 'mic-status' }, { type: 'play-cue', cue: 'muted' }, { type: 'mic-stop' }));
    expect(await liveMicrophoneTracks(rig.worker)).toBe(1);
    await setMuted(false);
    await expect.poll(() => liveMicrophoneTracks(rig.worker), { timeout: 1_000 }).toBe(0);
  });
});

describe('a connection that is not live', () => {
  it('closes the microphone while the socket is down, and opens it again once live and caught up', async () => {
    await preferences({ sound: false, speakingWhileMuted: true });
    await setMuted(true);
    await expect.poll(async () => (await speakingState(rig.worker)).since).toBeGreaterThan(0);
    expect(await liveMicrophoneTracks(rig.worker)).toBe(1);
    // The socket drops, and Genesys refuses new ones for a while: the calls may change unseen.
    rig.emulator.failNext({ method: 'WS', path: /^\/channels\//, status: 503, forMs: 4_000 });
    rig.emulator.closeSockets();
    await expect.poll(async () => (await workerView(rig.worker)).connection, { timeout: 2_000 }).toBe('reconnecting');
    await expect.poll(() => liveMicrophoneTracks(rig.worker), { timeout: 1_000 }).toBe(0);
    expect(await offscreenDocuments(rig.worker)).toBe(0);
    expect((await speakingState(rig.worker)).listening).toBe(false);
    // Still muted as far as the view knows: only the connection closed it.
    expect((await workerView(rig.worker)).status).toBe('muted');
    await expect.poll(async () => (await workerView(rig.worker)).connection, { timeout: 30_000 }).toBe('live');
    await expect.poll(() => liveMicrophoneTracks(rig.worker)).toBe(1);
    expect((await speakingState(rig.worker)).listening).toBe(true);
    await setMuted(false);
    await expect.poll(() => offscreenDocuments(rig.worker), { timeout: 1_000 }).toBe(0);
  }, 60_000);
});
