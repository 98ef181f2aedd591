// Hostile input from pages and other contexts: the worker accepts only its own declared
// messages, the page cannot mute through the control or reach the token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageControl, startOnACall, workerView, type Rig } from './harness.ts';

let rig: Rig;
let desk: Page;

beforeAll(async () => {
  ({ rig, desk } = await startOnACall('Hostile Hal'));
  rig.emulator.clearRequests();
});

afterAll(async () => {
  await rig?.close();
});

const patches = () => rig.emulator.requests().filter((r) => r.method === 'PATCH');

describe('the agent desktop page', () => {
  it('has no way to message the extension (no externally_connectable)', async () => {
    const manifest = await rig.worker.evaluate(() => chrome.runtime.getManifest());
    expect(manifest).not.toHaveProperty('externally_connectable');
    expect(manifest).not.toHaveProperty('content_security_policy');
    expect(await desk.evaluate(() => typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage)).toBe('undefined');
  });

  it('cannot press the control with synthetic events, even by keyboard', async () => {
    await desk.evaluate(() => {
      const button = document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('button');
      button?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      button?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      button?.click();
    });
    await desk.waitForTimeout(500);
    expect(patches()).toEqual([]);
  });

  it('cannot take the working control away by pretending to be a newer instance', async () => {
    await desk.evaluate(() => document.dispatchEvent(new CustomEvent('genesys-mic-control:replace')));
    await desk.evaluate(() => document.body.append(document.createElement('i'))); // a re-render
    await desk.waitForTimeout(400);
    expect(await desk.evaluate(() => document.querySelectorAll('genesys-mic-control').length)).toBe(1);
    await expect.poll(() => pageControl(desk).isEnabled()).toBe(true);
  });

  it('never sees the token: not in the DOM, not in storage it can reach', async () => {
    await pageControl(desk).click(); // one authorised request, to learn the token the worker uses
    await expect.poll(() => patches().length).toBe(1);
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('muted');
    const token = patches()[0]!.authorization!.replace('Bearer ', '');
    expect(token.length).toBeGreaterThan(10);
    const html = await desk.evaluate(() => document.documentElement.outerHTML + (document.querySelector('genesys-mic-control')?.shadowRoot?.innerHTML ?? ''));
    expect(html).not.toContain(token);
    expect(await desk.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain(token);
    rig.emulator.clearRequests();
  });
});

describe('messages reaching the worker', () => {
  it('are accepted only in the declared shapes', async () => {
    const before = (await workerView(rig.worker)).status;
    const popup = await rig.extensionPage('popup');
    const answers = await popup.evaluate(async () => {
      const send = (message: unknown) => chrome.runtime.sendMessage(message).then((a: unknown) => a ?? null, (e: Error) => `error: ${e.message}`);
      return [
        await send({ type: 'set-muted', muted: 'yes', source: 'popup' }),
        await send({ type: 'set-muted', muted: true, source: 'evil' }),
        await send({ type: 'give-me-the-token' }),
        await send('set-muted'),
        await send(null),
      ];
    });
    for (const answer of answers) expect(answer === null || (typeof answer === 'string' && answer.startsWith('error'))).toBe(true);
    await popup.waitForTimeout(300);
    expect(patches()).toEqual([]);
    expect((await workerView(rig.worker)).status).toBe(before);
  });
});
