// An agent's idle shift in Firefox, with Firefox's DEFAULT idle timeout (no pref changed): signed
// in, agent desktop open, no call for ten minutes — then a call comes. Firefox stops an idle event
// page 30 s after its last event even with its WebSocket open, so this is what the keep-alive
// feature (src/platform/firefox.ts: an extension API call every 20 s while signed in) is for. The
// test records what the background did over the idle time: whether it kept running (how many
// background documents Firefox had, sampled every 5 s without waking it), how many channels and
// sockets it used, how many pings it sent. Then the next call must show on the page control within
// 1 s and mute from the page, the popup and the real shortcut (headed Firefox on Xvfb).
//
// Ten minutes is what the issue asks for. GMC_FIREFOX_IDLE_MINUTES shortens it for local runs only
// (it says so loudly); CI runs the full ten.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { agentOf, canPressRealKeys, pageControl, signInThroughPopup, startHeadedFirefoxRig, type FirefoxRig, type HeadedFirefox } from './harness.ts';
import { patchBodies, requestLines, type Agent } from '../shared/agent.ts';

const IDLE_MINUTES = Number(process.env['GMC_FIREFOX_IDLE_MINUTES'] ?? '10');
const IDLE_MS = IDLE_MINUTES * 60_000;
const SAMPLE_MS = 5_000;
if (IDLE_MINUTES !== 10) console.warn(`\n*** GMC_FIREFOX_IDLE_MINUTES=${IDLE_MINUTES}: the idle shift lasts ${IDLE_MINUTES} min, not the 10 the issue asks for ***\n`);

const xTools = canPressRealKeys();
if (!xTools) console.warn('Skipping the Firefox idle-shift test: it presses the real shortcut, which needs Xvfb and xdotool (Debian: apt-get install xvfb xdotool).');

let headed: HeadedFirefox;
let rig: FirefoxRig;
let desk: Page;
let agent: Agent;

/** The ids of the background documents Firefox runs now (runtime.getContexts: does not wake it). */
const backgroundDocuments = (): Promise<string[]> =>
  rig.extension(async () => (await chrome.runtime.getContexts({ contextTypes: ['BACKGROUND' as chrome.runtime.ContextType] })).map((context) => context.documentId ?? '?'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pingsSince = (wallTime: number) =>
  rig.emulator.socketFrames().filter((frame) => frame.direction === 'received' && frame.wallTime >= wallTime && frame.data.includes('"ping"')).length;

describe.runIf(xTools)("Firefox: an idle shift with Firefox's default idle timeout", () => {
  beforeAll(async () => {
    // No `extensions.background.idle.timeout`: Firefox's own 30 s.
    headed = await startHeadedFirefoxRig();
    rig = headed.rig;
  });

  afterAll(async () => {
    await headed?.close();
  });

  it('runs with the default timeout: signed out (nothing to keep alive), the background stops within about 30 s', async () => {
    expect(await rig.background((bg) => bg.gmcFeatures())).not.toContain('keep-alive');
    const since = Date.now(); // the background just ran our call
    let stoppedAfter: number | undefined;
    while (Date.now() - since < 60_000) {
      if ((await backgroundDocuments()).length === 0) {
        stoppedAfter = Date.now() - since;
        break;
      }
      await sleep(500);
    }
    console.log(`Signed out: the background stopped ${stoppedAfter === undefined ? 'not within 60 s' : `after ${(stoppedAfter / 1000).toFixed(1)} s`}`);
    expect(stoppedAfter).toBeDefined();
    expect(stoppedAfter!).toBeGreaterThan(20_000);
  }, 90_000);

  it(`signed in with the agent desktop open and no call, keeps running and hearing Genesys for ${IDLE_MINUTES} idle minutes`, async () => {
    const popup = await signInThroughPopup(rig);
    desk = await rig.agentDesktop();
    await pageControl(desk); // disabled: no call
    agent = agentOf(rig, popup, desk, async () => headed.press('alt+shift+m'));
    expect(await rig.background((bg) => bg.gmcFeatures())).toContain('keep-alive');
    await popup.close(); // an agent does not keep the popup open
    await sleep(1_000);

    rig.emulator.clearRequests();
    const documents = new Set(await backgroundDocuments());
    expect(documents.size).toBe(1);
    const from = performance.timeOrigin + performance.now();
    const start = Date.now();
    let samples = 0;
    let stoppedSamples = 0;
    while (Date.now() - start < IDLE_MS) {
      await sleep(SAMPLE_MS);
      const now = await backgroundDocuments();
      samples += 1;
      if (now.length === 0) stoppedSamples += 1;
      now.forEach((id) => documents.add(id));
      const minute = Math.floor((Date.now() - start) / 60_000);
      if ((Date.now() - start) % 60_000 < SAMPLE_MS) console.log(`  idle ${minute} min: background ${now.length > 0 ? 'running' : 'STOPPED'}, ${documents.size} document(s) so far`);
    }

    const lines = requestLines(rig.emulator);
    const summary = {
      idleSeconds: Math.round((Date.now() - start) / 1000),
      backgroundDocuments: documents.size,
      samplesStopped: `${stoppedSamples}/${samples}`,
      socketConnects: lines.filter((line) => line.startsWith('WS ')).length,
      channelsCreated: lines.filter((line) => line === 'POST /api/v2/notifications/channels').length,
      subscriptions: lines.filter((line) => line.startsWith('PUT /api/v2/notifications/channels/')).length,
      callListings: lines.filter((line) => line === 'GET /api/v2/conversations/calls').length,
      openNow: rig.emulator.connections(),
      pingsSent: pingsSince(from),
      requests: lines.length,
    };
    console.log(`Idle shift in ${await rig.browser.version()} with the default idle timeout: ${JSON.stringify(summary)}`);
    // It kept running: one background document throughout, never seen stopped.
    expect(summary.backgroundDocuments).toBe(1);
    expect(stoppedSamples).toBe(0);
    // On one channel and one socket, opened before the idle time and never again.
    expect(lines).toEqual([]);
    expect(summary.openNow).toEqual({ channels: 1, sockets: 1 });
    // It pinged every 20 s throughout (a stopped background pings nobody).
    expect(summary.pingsSent).toBeGreaterThanOrEqual(Math.floor(IDLE_MS / 20_000) - 2);
  }, IDLE_MS + 120_000);

  it('shows the next call on the page control within 1 s', async () => {
    await desk.bringToFront();
    const start = performance.now();
    rig.emulator.startCall({ customerName: 'After Idle Ada' });
    let shownAfter: number | undefined;
    while (performance.now() - start < 5_000) {
      if (await agent.page.enabled()) {
        shownAfter = performance.now() - start;
        break;
      }
      await sleep(20);
    }
    console.log(`After the idle time the call showed on the page control in ${shownAfter?.toFixed(0)} ms`);
    expect(shownAfter).toBeDefined();
    expect(shownAfter!).toBeLessThan(1_000);
  });

  it('mutes from the page, unmutes from the popup and mutes from the real shortcut, one PATCH each', async () => {
    rig.emulator.clearRequests();
    await agent.page.click();
    await expect.poll(() => agent.page.pressed()).toBe('true');
    await expect.poll(async () => (await agent.view()).status).toBe('muted');
    expect(patchBodies(rig.emulator)).toEqual(['{"muted":true}']);
    await expect.poll(() => agent.badge()).toBe('MUTE');

    const popup = await rig.extensionPage('popup');
    const fromPopup = agentOf(rig, popup, desk);
    await expect.poll(() => fromPopup.popup.pressed()).toBe('true');
    await fromPopup.popup.click();
    await expect.poll(() => agent.page.pressed()).toBe('false');
    await expect.poll(async () => (await agent.view()).status).toBe('live');
    expect(patchBodies(rig.emulator)).toEqual(['{"muted":true}', '{"muted":false}']);
    await expect.poll(() => agent.badge()).toBe('');
    await popup.close();

    await desk.bringToFront();
    await agent.shortcut();
    await expect.poll(() => agent.page.pressed()).toBe('true');
    await expect.poll(async () => (await agent.view()).status).toBe('muted');
    expect(patchBodies(rig.emulator)).toEqual(['{"muted":true}', '{"muted":false}', '{"muted":true}']);
    await expect.poll(() => agent.badge()).toBe('MUTE');
  });
});
