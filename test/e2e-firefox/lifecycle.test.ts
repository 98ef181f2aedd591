// Firefox stops an idle background page (an MV3 event page) and restarts it for an event. These
// tests pin what the extension relies on when that happens anyway (a signed-out background, a
// browser that ignores the keep-alive), with the idle timeout shortened from Firefox's 30 s to 2 s
// and the keep-alive outpaced by it: the stop happens with the socket open, the session survives it
// in storage.session, and a message (as the page control or popup sends) wakes it and the mute goes
// out without a new sign-in. With Firefox's default timeout the background does not stop while
// signed in: idle-shift.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageControl, signInThroughPopup, startFirefoxRig, waitFor, type FirefoxRig } from './harness.ts';

const IDLE_MS = 2_000;
let rig: FirefoxRig;
let call: string;

beforeAll(async () => {
  rig = await startFirefoxRig({ prefs: { 'extensions.background.idle.timeout': IDLE_MS } });
  const popup = await signInThroughPopup(rig);
  const desk = await rig.agentDesktop();
  call = rig.emulator.startCall({ customerName: 'Idle Ida' });
  await pageControl(desk, 'enabled');
  await desk.close();
  await popup.close();
});

afterAll(async () => {
  await rig?.close();
});

describe('Firefox: the background page stops when idle and wakes for a message', () => {
  it('stops with the notification socket open once no view is left', async () => {
    await waitFor('the background to stop', async () => !(await rig.backgroundRunning()), 10 * IDLE_MS);
  });

  it('wakes for a message and mutes with one PATCH, from the session kept in storage.session', async () => {
    rig.emulator.clearRequests();
    await rig.extension(() => chrome.runtime.sendMessage({ type: 'set-muted', muted: true, source: 'popup' }));
    expect(await rig.backgroundRunning()).toBe(true);
    await expect.poll(() => rig.emulator.call(call)?.participants?.find((p) => p.purpose === 'agent')?.muted).toBe(true);
    const lines = rig.emulator.requests().map((r) => `${r.method} ${r.path}`);
    expect(lines.filter((line) => line.startsWith('PATCH '))).toHaveLength(1);
    expect(lines).not.toContain('POST /oauth/token');
  });
});
