// Sign-in and sign-out journeys, including a clear message for each way sign-in fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { configure, CLIENT_ID, REDIRECT_URI, startRig, workerView, type Rig } from './harness.ts';

let rig: Rig;
let popup: Page;

beforeAll(async () => {
  rig = await startRig({
    emulator: {
      clients: [
        { clientId: CLIENT_ID, redirectUris: [REDIRECT_URI] },
        { clientId: 'client-without-our-redirect', redirectUris: ['https://elsewhere.example/callback'] },
      ],
    },
  });
  popup = await rig.extensionPage('popup');
});

afterAll(async () => {
  await rig?.close();
});

/** Clicks Sign in and returns the message shown (Chrome opens no window for Genesys's error pages). */
async function signInAndReadProblem(): Promise<string> {
  await popup.getByRole('button', { name: 'Sign in', exact: true }).click();
  const alert = popup.getByRole('alert').first();
  await alert.waitFor({ timeout: 15_000 });
  return (await alert.textContent()) ?? '';
}

/** Clicks Sign in, lets the agent close the window Genesys opened, and returns the message shown. */
async function signInAndCloseWindow(): Promise<string> {
  const opened = rig.context.waitForEvent('page', { timeout: 15_000 });
  await popup.getByRole('button', { name: 'Sign in', exact: true }).click();
  const window = await opened;
  await window.waitForLoadState('domcontentloaded');
  await window.close();
  const alert = popup.getByRole('alert').first();
  await alert.waitFor({ timeout: 15_000 });
  return (await alert.textContent()) ?? '';
}

describe('signing in', () => {
  it('says when Genesys does not know the client id', async () => {
    await configure(rig.worker, rig.emulator.origin, 'no-such-client');
    await expect.poll(() => popup.getByRole('button', { name: 'Sign in', exact: true }).isVisible()).toBe(true);
    expect(await signInAndReadProblem()).toMatch(/does not accept this OAuth client id/);
  });

  it('says when the redirect URI is not registered on the client', async () => {
    await configure(rig.worker, rig.emulator.origin, 'client-without-our-redirect');
    await expect.poll(async () => (await workerView(rig.worker)).problem).toBeUndefined();
    expect(await signInAndReadProblem()).toMatch(/redirect URI shown in Settings is not registered/);
  });

  it('says when the agent closed the sign-in window', async () => {
    await configure(rig.worker, rig.emulator.origin, CLIENT_ID);
    await expect.poll(async () => (await workerView(rig.worker)).problem).toBeUndefined();
    expect(await signInAndCloseWindow()).toMatch(/closed before sign-in finished/);
  });

  it('says when Genesys cannot be reached', async () => {
    // Nothing listens on port 9 (discard) here: the sign-in page cannot load.
    await configure(rig.worker, 'http://127.0.0.1:9', CLIENT_ID);
    await expect.poll(async () => (await workerView(rig.worker)).problem).toBeUndefined();
    await popup.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(async () => (await workerView(rig.worker)).problem?.code, { timeout: 20_000 }).toBe('network');
    expect(await popup.getByRole('alert').first().textContent()).toMatch(/could not be (loaded|reached)/);
  });

  it('signs in, keeps the token in the worker only, and signs out by revoking it', async () => {
    await configure(rig.worker, rig.emulator.origin, CLIENT_ID);
    await expect.poll(async () => (await workerView(rig.worker)).problem).toBeUndefined();
    const opened = rig.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Sign in', exact: true }).click();
    const login = await opened;
    await login.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => popup.getByTestId('connection').textContent(), { timeout: 15_000 }).toBe('Live');

    const token = rig.emulator.requests().find((r) => r.authorization?.startsWith('Bearer '))?.authorization?.slice('Bearer '.length);
    expect(token).toBeTruthy();
    const local = await rig.worker.evaluate(() => chrome.storage.local.get(null));
    expect(JSON.stringify(local)).not.toContain(token);
    const session = await rig.worker.evaluate(() => chrome.storage.session.get(null));
    expect(JSON.stringify(session)).toContain(token);
    // The popup and the page never see it: views only get the MicView.
    expect(JSON.stringify(await workerView(rig.worker))).not.toContain(token);

    rig.emulator.clearRequests();
    await popup.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => popup.getByRole('button', { name: 'Sign in', exact: true }).isVisible()).toBe(true);
    await expect.poll(() => rig.emulator.requests().map((r) => `${r.method} ${r.path} ${r.authorization}`)).toContain(`DELETE /api/v2/tokens/me Bearer ${token}`);
    // Signed out, the session is gone; only the diagnostics stay (no secret in them), for a ticket.
    const left = await rig.worker.evaluate(() => chrome.storage.session.get(null));
    expect(Object.keys(left)).toEqual(['diagnostics']);
    expect(JSON.stringify(left)).not.toContain(token);
  });
});
