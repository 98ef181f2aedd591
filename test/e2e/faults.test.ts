// Faults real networks, Genesys Cloud and Chrome produce. Each ends in one of two ways:
// the agent's intent is applied and shown, or the agent is told it was not. Each test checks the
// page control, the popup, the badge and the exact requests the emulator received.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  badgeText,
  currentWorker,
  pageControl,
  pageStatus,
  requestLines,
  signInThroughPopup,
  startRig,
  stopServiceWorker,
  workerView,
  type Rig,
} from './harness.ts';
import { DEFAULT_AGENT } from '../../emulator/server.ts';

let rig: Rig;
let popup: Page;
let desk: Page;
let call: string;

const popupToggle = () => popup.getByRole('button', { name: 'Mute microphone' });
const serverMuted = () => rig.emulator.call(call)?.participants?.find((p) => p.purpose === 'agent')?.muted;
const view = async () => workerView(await currentWorker(rig.context));

/** The page, the popup and the badge all show `muted`. */
async function everywhere(muted: boolean): Promise<void> {
  await expect.poll(() => pageControl(desk).getAttribute('aria-pressed')).toBe(String(muted));
  await expect.poll(() => popupToggle().getAttribute('aria-pressed')).toBe(String(muted));
  await expect.poll(async () => badgeText(await currentWorker(rig.context))).toBe(muted ? 'MUTE' : '');
}

beforeAll(async () => {
  rig = await startRig({ emulator: { socketClosingGraceMs: 1_500 } });
  popup = await signInThroughPopup(rig);
  desk = await rig.agentDesktop();
});

afterAll(async () => {
  await rig?.close();
});

beforeEach(async () => {
  if (call) rig.emulator.endCall(call);
  call = rig.emulator.startCall({ customerName: 'Fault Finley' });
  await expect.poll(async () => (await view()).call?.conversationId).toBe(call);
  await expect.poll(() => popup.getByTestId('connection').textContent()).toBe('Live');
  rig.emulator.clearRequests();
});

describe('the socket', () => {
  it('dropped: reopens a socket on the same channel (its subscription lives on: no request first) and catches up on what changed meanwhile', async () => {
    rig.emulator.closeSockets();
    rig.emulator.setMuted(call, true); // happens while no socket is there to hear it
    await everywhere(true);
    await expect.poll(() => popup.getByTestId('connection').textContent()).toBe('Live');
    expect(requestLines(rig)).toEqual(['WS /channels/{channel}', 'GET /api/v2/conversations/calls']);
  });

  it('dropped with its channel gone: the reopen is refused, so it subscribes again; a 404 makes a new channel', async () => {
    const before = rig.emulator.channels().length;
    rig.emulator.expireChannels();
    rig.emulator.setMuted(call, true);
    // After the refused reopen the next attempt waits 1–10 s (spread: a whole contact centre meets this at once).
    // The popup may still say Live from before the drop: the catch-up's GET marks the way back.
    await expect.poll(() => requestLines(rig), { timeout: 20_000 }).toContain('GET /api/v2/conversations/calls');
    await expect.poll(() => popup.getByTestId('connection').textContent(), { timeout: 20_000 }).toBe('Live');
    await everywhere(true);
    expect(requestLines(rig)).toEqual([
      'WS /channels/{channel}',
      'PUT /api/v2/notifications/channels/{channel}/subscriptions',
      'POST /api/v2/notifications/channels',
      'PUT /api/v2/notifications/channels/{channel}/subscriptions',
      'WS /channels/{channel}',
      'GET /api/v2/conversations/calls',
    ]);
    expect(rig.emulator.requests().filter((r) => r.method === 'WS').map((r) => r.status)).toEqual([404, 101]);
    expect(rig.emulator.channels().length).toBe(before + 1);
  }, 30_000);

  it('socket_closing: moves to a new socket before the old one dies, missing nothing', async () => {
    rig.emulator.sendSocketClosing();
    await expect.poll(() => requestLines(rig)).toContain('GET /api/v2/conversations/calls');
    rig.emulator.setMuted(call, true);
    await everywhere(true);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // the old socket is closed by now
    rig.emulator.setMuted(call, false);
    await everywhere(false);
    // The subscription belongs to the channel, not the socket: a new socket on it is enough.
    expect(requestLines(rig)).toEqual(['WS /channels/{channel}', 'GET /api/v2/conversations/calls']);
  });
});

describe('Chrome stops the worker', () => {
  it('the next click wakes it; it restores token, channel and call and applies the intent', async () => {
    await stopServiceWorker(rig);
    await pageControl(desk).click();
    await expect.poll(serverMuted).toBe(true);
    await everywhere(true);
    const lines = requestLines(rig);
    expect(lines.filter((line) => line.startsWith('PATCH'))).toHaveLength(1);
    expect(lines).toContain('WS /channels/{channel}'); // a new worker opened a new socket
    // The stored channel is reused: Genesys keeps only 20 per user.
    expect(lines).not.toContain('POST /api/v2/notifications/channels');
    expect(lines).not.toContain('POST /oauth/token');
  });

  it('the shortcut wakes it too', async () => {
    await stopServiceWorker(rig);
    const worker = await currentWorker(rig.context);
    await worker.evaluate(() => (globalThis as unknown as { gmcDispatchCommand: (c: string) => void }).gmcDispatchCommand('toggle-mute'));
    await expect.poll(serverMuted).toBe(true);
    await everywhere(true);
  });
});

describe('Genesys limits and errors', () => {
  it('429 while reconnecting: waits Retry-After, then carries on', async () => {
    rig.emulator.failNext({ method: 'GET', path: '/api/v2/conversations/calls', status: 429, retryAfterSeconds: 2 });
    rig.emulator.closeSockets();
    const gets = () => rig.emulator.requests().filter((r) => r.path === '/api/v2/conversations/calls');
    await expect.poll(() => gets().length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => popup.getByTestId('connection').textContent()).toBe('Live');
    const [first, second] = gets();
    expect(second!.time - first!.time).toBeGreaterThanOrEqual(1_900);
  });

  it('5xx and network errors: bounded retries with backoff, then the truth and a message', async () => {
    rig.emulator.failNext({ method: 'PATCH', path: /participants/, status: 503, times: 3 });
    await pageControl(desk).click();
    await expect.poll(() => pageStatus(desk)).toBe('error');
    expect(await desk.getByRole('alert').textContent()).toMatch(/Genesys Cloud had a problem \(503\)/);
    await everywhere(false);
    expect(requestLines(rig).filter((line) => line.startsWith('PATCH'))).toHaveLength(3);
  });

  it('a lost confirmation: abandoned after 10 s, the truth fetched and the agent told', async () => {
    // 202, but Genesys never applies it: the kind of silence that must not mute anyone later.
    rig.emulator.failNext({ method: 'PATCH', path: /participants/, status: 202 });
    await pageControl(desk).click();
    await expect.poll(() => pageStatus(desk)).toBe('pending');
    await expect.poll(() => pageStatus(desk), { timeout: 13_000 }).toBe('error');
    expect(await desk.getByRole('alert').textContent()).toMatch(/did not confirm the change in time/);
    await everywhere(false);
    expect(requestLines(rig).filter((line) => !line.startsWith('WS'))).toEqual([
      'PATCH /api/v2/conversations/calls/{id}/participants/{id}',
      'GET /api/v2/conversations/calls',
    ]);
  });
});

describe('garbage on the socket', () => {
  it('is ignored: non-JSON, unknown topics, other users\' calls, missing and mistyped fields', async () => {
    const agentLeg = rig.emulator.agentParticipantId(call);
    rig.emulator.sendRaw('not json at all');
    rig.emulator.sendRaw('{"topicName": 42}');
    rig.emulator.sendRaw(JSON.stringify({ topicName: 'v2.users.someone-else.conversations.calls', eventBody: { id: call, participants: [] } }));
    rig.emulator.sendRaw(JSON.stringify({ topicName: 'v2.unknown.topic', eventBody: null }));
    rig.emulator.sendRaw(JSON.stringify({ topicName: `v2.users.${DEFAULT_AGENT.id}.conversations.calls`, eventBody: 'nope' }));
    rig.emulator.sendRaw(JSON.stringify({ topicName: `v2.users.${DEFAULT_AGENT.id}.conversations.calls`, eventBody: { participants: [{ id: agentLeg, muted: 'yes' }] } }));
    await desk.waitForTimeout(300);
    expect((await view()).call?.conversationId).toBe(call);
    await expect.poll(() => pageStatus(desk)).toBe('live');
    await pageControl(desk).click();
    await everywhere(true);
  });
});
