// What the agent desktop page itself can do with the control (docs/SECURITY.md, "What the page can
// do"). The page is Genesys's own: if it is ever compromised it already holds the agent's Genesys
// session and can mute or unmute through the API by itself. These tests pin down what the open shadow
// root and the shared DOM give it, so the document says exactly that and no more.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { controlCentre, startOnACall, type Rig } from './harness.ts';
import { agentMuted } from '../shared/agent.ts';

let rig: Rig;
let desk: Page;
let call: string;

beforeAll(async () => {
  ({ rig, desk, call } = await startOnACall('Page Powers Pat'));
});

afterAll(async () => {
  await rig?.close();
});

beforeEach(() => rig.emulator.clearRequests());

const patches = () => rig.emulator.requests().filter((r) => r.method === 'PATCH').map((r) => r.body);

/** Runs in the page's own world: the control's button, reached through the open shadow root. */
const BUTTON = `document.querySelector('genesys-mic-control').shadowRoot.querySelector('button[aria-label="Mute microphone"]')`;

describe('the agent desktop page', () => {
  it('reads the control through its open shadow root: the state Genesys shows it anyway', async () => {
    const seen = await desk.evaluate(`(() => {
      const root = document.querySelector('genesys-mic-control').shadowRoot;
      return { open: root !== null, status: root.querySelector('.gmc').getAttribute('data-status'), pressed: ${BUTTON}.getAttribute('aria-pressed') };
    })()`);
    expect(seen).toEqual({ open: true, status: 'live', pressed: 'false' });
  });

  it("can restyle and relabel inside the shadow root, and the agent's click on the disguised control still counts", async () => {
    // The visibility guard (sight.ts) catches what is laid over the control from outside; a page
    // that edits the open shadow root can make the control look like anything. That is no power it
    // lacks: it draws Genesys's own mute button, and can mute through the agent's session itself.
    await desk.evaluate(`(() => {
      const button = ${BUTTON};
      button.style.setProperty('background', 'rgb(0, 128, 0)', 'important');
      for (const node of button.querySelectorAll('*')) node.style.setProperty('visibility', 'hidden', 'important');
      button.append('Continue');
    })()`);
    await expect.poll(() => desk.evaluate(`[getComputedStyle(${BUTTON}).backgroundColor, ${BUTTON}.textContent.includes('Continue')]`)).toEqual(['rgb(0, 128, 0)', true]);
    const at = await controlCentre(desk);
    await desk.waitForTimeout(400); // visibility is judged at most every 100 ms
    await desk.mouse.click(at.x, at.y);
    await expect.poll(patches).toEqual(['{"muted":true}']);
    await expect.poll(() => agentMuted(rig.emulator, call)).toBe(true);
  });

  it("can focus the control so that the agent's next Space presses it", async () => {
    const wasMuted = agentMuted(rig.emulator, call);
    await desk.evaluate(`${BUTTON}.focus()`);
    await desk.keyboard.press('Space');
    await expect.poll(patches).toEqual([JSON.stringify({ muted: !wasMuted })]);
    await expect.poll(() => agentMuted(rig.emulator, call)).toBe(!wasMuted);
  });
});
