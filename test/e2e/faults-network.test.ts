// Slow faults: a channel reaching its end of life, a socket that goes
// silent while it looks open, and the browser going offline and back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { badgeText, pageControl, requestLines, startOnACall, startRig, workerView, type Rig } from './harness.ts';

let rig: Rig;
let popup: Page;
let desk: Page;
let call: string;

const connection = () => popup.getByTestId('connection').textContent();

/** A signed-in agent on a call, with the emulator set up as `options` say. */
function onACall(options: Parameters<typeof startRig>[0] = {}): void {
  beforeAll(async () => {
    ({ rig, popup, desk, call } = await startOnACall('Network Noor', options));
  });
  afterAll(async () => {
    await rig?.close();
  });
}

describe('the notification channel', () => {
  // Channels that live 12 s instead of 24 h: the worker renews them at three quarters of their life.
  onACall({ emulator: { channelLifetimeMs: 12_000 } });

  it('is replaced before it expires, with no gap in state', async () => {
    rig.emulator.clearRequests();
    await expect.poll(() => requestLines(rig), { timeout: 15_000 }).toContain('POST /api/v2/notifications/channels');
    await expect.poll(() => requestLines(rig).filter((line) => line === 'GET /api/v2/conversations/calls').length).toBeGreaterThan(0);
    const sockets = rig.emulator.requests().filter((r) => r.method === 'WS').map((r) => r.path);
    expect(new Set(sockets).size).toBe(1); // one new channel's socket
    // The old channel dies now; events reach the agent through the new one.
    await desk.waitForTimeout(4_000);
    rig.emulator.setMuted(call, true);
    await expect.poll(() => pageControl(desk).getAttribute('aria-pressed'), { timeout: 2_000 }).toBe('true');
    expect(await connection()).toBe('Live');
    rig.emulator.setMuted(call, false);
    await expect.poll(() => pageControl(desk).getAttribute('aria-pressed'), { timeout: 2_000 }).toBe('false');
  });
});

describe('a silent socket', () => {
  onACall();
  it('is noticed within two pings and replaced', async () => {
    rig.emulator.clearRequests();
    rig.emulator.setSilent(true);
    const silentFrom = performance.now();
    await expect.poll(() => rig.emulator.requests().some((r) => r.method === 'WS'), { timeout: 50_000, interval: 500 }).toBe(true);
    // Not sooner than one unanswered ping (20 s apart), not later than two.
    const noticedAfter = rig.emulator.requests().find((r) => r.method === 'WS')!.time - silentFrom;
    expect(noticedAfter).toBeLessThanOrEqual(42_000);
    rig.emulator.setSilent(false);
    await expect.poll(connection).toBe('Live');
    rig.emulator.setMuted(call, true);
    await expect.poll(() => pageControl(desk).getAttribute('aria-pressed'), { timeout: 2_000 }).toBe('true');
    rig.emulator.setMuted(call, false);
    await expect.poll(() => pageControl(desk).getAttribute('aria-pressed')).toBe('false');
  }, 90_000);
});

describe('the browser offline', () => {
  onACall();
  it('shows offline, and recovers by itself when back online', async () => {
    await rig.context.setOffline(true);
    await expect.poll(connection).toBe('Offline');
    rig.emulator.setMuted(call, true); // changed while the agent was offline
    await rig.context.setOffline(false);
    await expect.poll(connection, { timeout: 15_000 }).toBe('Live');
    await expect.poll(() => pageControl(desk).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => badgeText(rig.worker)).toBe('MUTE');
    expect((await workerView(rig.worker)).status).toBe('muted');
  });
});
