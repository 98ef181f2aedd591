// Settings → Copy diagnostics (issue 11): after a scripted run of faults the report an agent pastes
// into a ticket names each of them, in order, with its reason — and holds no secret: no token Genesys
// issued, no channel id (the socket's credential), no socket address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { currentWorker, pageControl, pageStatus, startOnACall, stopServiceWorker, workerView, type Rig } from './harness.ts';

let rig: Rig;
let popup: Page;
let desk: Page;
let report = '';

const connection = () => popup.getByTestId('connection').textContent();

beforeAll(async () => {
  ({ rig, popup, desk } = await startOnACall('Diagnostics Dana'));
});

afterAll(async () => {
  await rig?.close();
});

describe('the diagnostics report', () => {
  it('is made after a scripted run of faults', async () => {
    // 1. The socket drops: a new one on the same channel.
    rig.emulator.closeSockets();
    await expect.poll(() => rig.emulator.requests().filter((r) => r.method === 'WS').length).toBe(2);
    await expect.poll(connection).toBe('Live');

    // 2. It drops again, and Genesys answers the reconnect's requests with 429 (Retry-After 1 s):
    // the reopened socket's catch-up, then the subscription of the attempt after it.
    rig.emulator.failNext({ method: 'GET', path: '/api/v2/conversations/calls', status: 429, retryAfterSeconds: 1 });
    rig.emulator.failNext({ method: 'PUT', path: /\/subscriptions$/, status: 429, retryAfterSeconds: 1 });
    rig.emulator.closeSockets();
    await expect.poll(() => rig.emulator.requests().filter((r) => r.method === 'WS').length, { timeout: 15_000 }).toBe(4);
    await expect.poll(connection).toBe('Live');

    // 3. Genesys refuses the token (401); the mute goes on after a silent sign-in.
    rig.emulator.revokeAllTokens();
    await pageControl(desk).click();
    await expect.poll(() => pageStatus(desk)).toBe('muted');

    // 4. Chrome stops the worker; the page's view wakes it again.
    await stopServiceWorker(rig);
    await expect.poll(async () => (await workerView(await currentWorker(rig.context))).status).toBe('muted');

    const options = await rig.extensionPage('options');
    await options.getByRole('button', { name: 'Copy diagnostics' }).click();
    report = await options.getByTestId('diagnostics-report').inputValue();
  }, 90_000);

  it('says what support needs first', async () => {
    expect(report).toMatch(/^Genesys Mic Control diagnostics\n/);
    expect(report).toMatch(/\nExtension: \d+\.\d+\.\d+\n/);
    expect(report).toMatch(/\nBrowser: Chromium \d+\.\d+\.\d+\.\d+/);
    expect(report).toContain(`\nRegion: ${rig.emulator.origin}\n`);
    expect(report).toContain('\nClient id: gmc-demo-client\n');
    expect(report).toContain('\nSigned in: yes\n');
    expect(report).toMatch(/\nConnection: live \(live\)\n/);
    expect(report).toContain('\nShortcut: Alt+Shift+M; it works while the browser has focus unless its scope is set to Global at chrome://extensions/shortcuts\n');
  });

  it('names the faults in the order they happened, with their reasons', () => {
    const order = [
      /socket closed \(1006\) → backoff, attempt 2 in at most 1 s: a new socket on the same channel/,
      /retry → opening: a new socket on the same channel/,
      /HTTP 429 to GET \/api\/v2\/conversations\/calls/,
      /connect failed \(HTTP 429, Retry-After 1 s\) → backoff/,
      /HTTP 429 to PUT \/api\/v2\/notifications\/channels\/\{channel\}\/subscriptions/,
      /connect failed \(HTTP 429, Retry-After 1 s\) → backoff/,
      /calls fetched → live/,
      /HTTP 401 to PATCH \/api\/v2\/conversations\/calls\/\{id\}\/participants\/\{id\}/,
      /token refused: silent sign-in/,
      /new token \(silent sign-in\)/,
      /background started/,
      /session restored/,
    ];
    let from = 0;
    for (const pattern of order) {
      const rest = report.slice(from);
      const match = pattern.exec(rest);
      expect(match, `${pattern} after position ${from} in:\n${report}`).not.toBeNull();
      from += match!.index + match![0].length;
    }
  });

  it('lists the mute with its outcome and timing', () => {
    expect(report).toMatch(/mute from the page: confirmed by Genesys after \d+ ms, 2 PATCHes/);
  });

  it('holds no token, channel id or socket address, and neither does storage.session beside the session', async () => {
    const secrets = [...rig.emulator.issuedTokens(), ...rig.emulator.channels().map((channel) => channel.id)];
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    const worker = await currentWorker(rig.context);
    const rest = await worker.evaluate(async () => {
      const all = await chrome.storage.session.get(null);
      delete all['session'];
      return JSON.stringify(all);
    });
    expect(rest).toContain('socket closed'); // the diagnostics are there, kept across the stop
    for (const secret of secrets) {
      expect(report.includes(secret), 'a secret in the report').toBe(false);
      expect(rest.includes(secret), 'a secret in storage.session').toBe(false);
    }
    expect(report).not.toMatch(/wss?:\/\//);
    expect(rest).not.toMatch(/wss?:\/\//);
  });
});
