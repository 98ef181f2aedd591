// What the agent desktop page itself can do with the control, in Firefox (docs/SECURITY.md, "What the
// page can do"; Chromium: test/e2e/page-powers.test.ts). Firefox has no IntersectionObserver v2, so
// there the control's `!important` styles are the only guard against a page's own CSS; a page that
// edits the open shadow root can disguise the control in both browsers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { pageControl, startOnACall, type FirefoxRig } from './harness.ts';
import { agentMuted } from '../shared/agent.ts';

let rig: FirefoxRig;
let desk: Page;
let call: string;

beforeAll(async () => {
  ({ rig, desk, call } = await startOnACall('Page Powers Pia'));
});

afterAll(async () => {
  await rig?.close();
});

beforeEach(() => rig.emulator.clearRequests());

const patches = () => rig.emulator.requests().filter((r) => r.method === 'PATCH').map((r) => r.body);

/** Runs in the page's own world: the control's button, reached through the open shadow root. */
const BUTTON = `document.querySelector('genesys-mic-control').shadowRoot.querySelector('button[aria-label="Mute microphone"]')`;

async function centre(): Promise<{ x: number; y: number }> {
  const box = await (await pageControl(desk, 'enabled')).boundingBox();
  if (!box) throw new Error('the page control is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

describe('Firefox: the agent desktop page', () => {
  it('reads the control through its open shadow root: the state Genesys shows it anyway', async () => {
    const seen = await desk.evaluate(`(() => {
      const root = document.querySelector('genesys-mic-control').shadowRoot;
      return { open: root !== null, status: root.querySelector('.gmc').getAttribute('data-status'), pressed: ${BUTTON}.getAttribute('aria-pressed') };
    })()`);
    expect(seen).toEqual({ open: true, status: 'live', pressed: 'false' });
  });

  it('cannot make the control invisible with its own styles', async () => {
    await desk.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'genesys-mic-control { opacity: 0 !important; visibility: hidden !important; transform: scale(0) !important; }';
      document.head.append(style);
    });
    const computed = await desk.evaluate(() => {
      const style = getComputedStyle(document.querySelector('genesys-mic-control')!);
      return [style.opacity, style.visibility, style.transform];
    });
    expect(computed).toEqual(['1', 'visible', 'none']);
  });

  it("can relabel the control inside the shadow root, and the agent's click on the disguised control still counts", async () => {
    await desk.evaluate(`(() => {
      const button = ${BUTTON};
      for (const node of button.querySelectorAll('*')) node.style.setProperty('visibility', 'hidden', 'important');
      button.append('Continue');
    })()`);
    expect(await desk.evaluate(`${BUTTON}.textContent.includes('Continue')`)).toBe(true);
    const at = await centre();
    await desk.mouse.click(at.x, at.y);
    await expect.poll(patches).toEqual(['{"muted":true}']);
    await expect.poll(() => agentMuted(rig.emulator, call)).toBe(true);
  });

  it("can focus the control so that the agent's next Space presses it", async () => {
    const wasMuted = agentMuted(rig.emulator, call);
    await desk.evaluate(`${BUTTON}.focus()`);
    await desk.keyboard.press(' ');
    await expect.poll(patches).toEqual([JSON.stringify({ muted: !wasMuted })]);
    await expect.poll(() => agentMuted(rig.emulator, call)).toBe(!wasMuted);
  });
});
