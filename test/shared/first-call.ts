// An agent's first call, the same journey in Chromium (test/e2e/journey.test.ts) and Firefox
// (test/e2e-firefox/journey.test.ts): signed in through the popup, a call arrives, the page control
// goes live, mute from page, popup and shortcut, a server-side mute shows without any request, and
// the call ends. The badge follows its rule throughout: MUTE only while muted on a call.
import { expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { patchBodies } from './agent.ts';

/** Declares the journey's tests; `agent()` is the signed-in agent with the agent desktop open. */
export function firstCallJourney(agent: () => Agent): void {
  it('signs in with PKCE and opens the notification socket', async () => {
    const { popup, emulator } = agent();
    await expect.poll(() => popup.connection()).toBe('Live');
    await expect.poll(() => popup.text('agent-name')).toContain('Avery Agent');
    const paths = emulator.requests().map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain('POST /oauth/token');
    expect(paths).toContain('GET /api/v2/users/me');
    expect(paths).toContain('POST /api/v2/notifications/channels');
    expect(paths.some((p) => /^PUT \/api\/v2\/notifications\/channels\/[^/]+\/subscriptions$/.test(p))).toBe(true);
    expect(paths).toContain('GET /api/v2/conversations/calls');
    expect(paths.some((p) => p.startsWith('WS '))).toBe(true);
    expect(await agent().badge()).toBe('');
  });

  it('shows a disabled control while there is no call', async () => {
    const { page } = agent();
    await expect.poll(() => page.pressed()).toBe('false');
    expect(await page.enabled()).toBe(false);
  });

  it('goes live when a call arrives', async () => {
    const { page, popup, emulator } = agent();
    emulator.startCall({ customerName: 'Casey Customer' });
    await expect.poll(() => page.enabled()).toBe(true);
    expect(await page.pressed()).toBe('false');
    await expect.poll(() => popup.text('call')).toContain('Casey Customer');
    expect(await agent().badge()).toBe('');
    await agent().snapshot?.('agent-desktop-live');
  });

  it('mutes from the page with exactly one PATCH {"muted":true}, pending then confirmed', async () => {
    const { page, emulator } = agent();
    emulator.clearRequests();
    await page.click();
    await expect.poll(() => page.pressed()).toBe('true');
    await expect.poll(async () => (await agent().view()).status).toBe('muted');
    expect(patchBodies(emulator)).toEqual(['{"muted":true}']);
    await expect.poll(() => agent().badge()).toBe('MUTE');
    const conversationId = (await agent().view()).call!.conversationId;
    expect(emulator.call(conversationId)?.participants?.find((p) => p.purpose === 'agent')?.muted).toBe(true);
    await agent().snapshot?.('agent-desktop-muted');
  });

  it('unmutes from the popup', async () => {
    const { page, popup, emulator } = agent();
    emulator.clearRequests();
    await expect.poll(() => popup.pressed()).toBe('true');
    await popup.click();
    await expect.poll(async () => (await agent().view()).status).toBe('live');
    await expect.poll(() => page.pressed()).toBe('false');
    expect(patchBodies(emulator)).toEqual(['{"muted":false}']);
    await expect.poll(() => agent().badge()).toBe('');
  });

  it('mutes from the shortcut', async () => {
    const { page, emulator } = agent();
    emulator.clearRequests();
    await agent().shortcut();
    await expect.poll(async () => (await agent().view()).status).toBe('muted');
    await expect.poll(() => page.pressed()).toBe('true');
    expect(patchBodies(emulator)).toEqual(['{"muted":true}']);
    await expect.poll(() => agent().badge()).toBe('MUTE');
  });

  it('shows a server-side unmute and mute within a second, without any request', async () => {
    const { page, popup, emulator } = agent();
    emulator.clearRequests();
    const conversationId = (await agent().view()).call!.conversationId;
    emulator.setMuted(conversationId, false);
    await expect.poll(() => page.pressed(), { timeout: 1000 }).toBe('false');
    emulator.setMuted(conversationId, true);
    await expect.poll(() => page.pressed(), { timeout: 1000 }).toBe('true');
    await expect.poll(() => popup.pressed(), { timeout: 1000 }).toBe('true');
    expect(emulator.requests().filter((r) => r.method !== 'WS')).toEqual([]);
  });

  it('goes quiet when the call ends, and the badge with it although the agent was muted', async () => {
    const { page, emulator } = agent();
    expect((await agent().view()).status).toBe('muted');
    const conversationId = (await agent().view()).call!.conversationId;
    emulator.endCall(conversationId);
    await expect.poll(() => page.enabled()).toBe(false);
    expect(await page.pressed()).toBe('false');
    await expect.poll(() => agent().badge()).toBe('');
    expect((await agent().view()).status).toBe('no-call');
  });
}
