// Genesys Cloud inside a CRM, in Firefox (issue 18; Chromium: test/e2e/crm.test.ts): the embedded
// client is a frame from the agent desktop's host under /crm/, in the emulator's stand-in CRM page
// on another origin (crm.localhost). The control appears in that frame and only there, mutes with
// one PATCH, follows changes made elsewhere, agrees with the agent desktop's control, fits a
// 300–400 px softphone without covering its buttons, and is the agent's mute where the admin hid
// the client's own.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { PAGE_CONTROL, pageControl, settledControl, signInThroughPopup, startFirefoxRig, waitFor, type FirefoxRig } from './harness.ts';
import { startCrmSite, type CrmSite } from '../../emulator/crm.ts';
import { agentMuted, patchBodies } from '../shared/agent.ts';

let rig: FirefoxRig;
let crm: CrmSite;
let call: string;

beforeAll(async () => {
  rig = await startFirefoxRig();
  crm = await startCrmSite({ client: `${rig.emulator.origin}/crm/embeddableFramework.html` });
  await signInThroughPopup(rig);
});

afterAll(async () => {
  await crm?.close();
  await rig?.close();
});

beforeEach(() => rig.emulator.clearRequests());

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface CrmTab {
  page: Page;
  /** The embedded client's frame. */
  frame: Frame;
}

/** The stand-in CRM page in a new tab, framing `client` (default: the Embeddable Framework's) at `width` px. */
async function openCrm(options: { width?: number; client?: string } = {}): Promise<CrmTab> {
  const page = await rig.browser.newPage();
  await page.setViewport({ width: 1100, height: 760 });
  await page.goto(crm.url(options));
  const frame = await waitFor('the embedded client frame', async () => page.frames().find((candidate) => candidate.url().includes('/crm/')));
  await frame.waitForSelector('.softphone-header');
  return { page, frame };
}

const controlsIn = (context: Page | Frame) => context.evaluate(() => document.querySelectorAll('genesys-mic-control').length);

/** The control's state in the frame, read fresh each time. */
const state = (tab: CrmTab) =>
  tab.frame.evaluate(() => {
    const button = document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label="Mute microphone"]');
    return button ? { enabled: !button.disabled, pressed: button.getAttribute('aria-pressed') } : null;
  });
const pressed = async (tab: CrmTab) => (await state(tab))?.pressed ?? null;

async function enabledControl(tab: CrmTab, timeout = 15_000) {
  return pageControl(tab.frame, 'enabled', timeout);
}

/** A real click on the control (puppeteer moves the mouse to it through the frame). */
async function click(tab: CrmTab): Promise<void> {
  await (await enabledControl(tab)).click();
}

describe('Firefox: a CRM page framing the embedded client', () => {
  let tab: CrmTab;

  beforeAll(async () => {
    tab = await openCrm();
    await pageControl(tab.frame);
    expect((await state(tab))?.enabled).toBe(false);
  });

  afterAll(async () => {
    await tab?.page.close();
  });

  it('shows the control in the frame within a few seconds of a call', async () => {
    const started = Date.now();
    call = rig.emulator.startCall({ customerName: 'Casey Customer' });
    await enabledControl(tab, 3_000);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await pressed(tab)).toBe('false');
    expect(await controlsIn(tab.frame)).toBe(1);
  });

  it('mutes with one PATCH from a real click, and shows a change made elsewhere within a second', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300)); // the client's own re-render after the call came
    await click(tab);
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}']);
    await expect.poll(() => agentMuted(rig.emulator, call)).toBe(true);
    await expect.poll(() => pressed(tab)).toBe('true');
    rig.emulator.clearRequests();
    rig.emulator.setMuted(call, false);
    await expect.poll(() => pressed(tab), { timeout: 1_000 }).toBe('false');
    expect(patchBodies(rig.emulator)).toEqual([]);
  });

  it('is reached with the keyboard after the client’s own controls, and pressed with Space', async () => {
    await tab.frame.focus('.settings-button'); // the client's last control
    await tab.page.keyboard.press('Tab');
    const focused = await tab.frame.evaluate(() => {
      const host = document.activeElement;
      const button = host?.shadowRoot?.activeElement;
      return { host: host?.localName, name: button?.getAttribute('aria-label'), tag: button?.localName };
    });
    expect(focused).toEqual({ host: 'genesys-mic-control', name: 'Mute microphone', tag: 'button' });
    await tab.page.keyboard.press(' ');
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}']);
    await expect.poll(() => pressed(tab)).toBe('true');
    await tab.page.keyboard.press(' ');
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}', '{"muted":false}']);
    await expect.poll(() => pressed(tab)).toBe('false');
  });

  it("puts nothing into the CRM's own page or its other frames", async () => {
    expect(await controlsIn(tab.page)).toBe(0);
    const widget = tab.page.frames().find((frame) => frame.url().endsWith('/widget'));
    expect(widget).toBeDefined();
    expect(await controlsIn(widget!)).toBe(0);
  });

  it("leaves the CRM page's script unable to reach into the frame (it is cross-origin)", async () => {
    const reach = await tab.page.evaluate(() => {
      const frame = document.querySelector<HTMLIFrameElement>('#softphone')!;
      let error = '';
      try {
        frame.contentWindow!.document.querySelector('genesys-mic-control');
      } catch (caught) {
        error = (caught as Error).name;
      }
      return { contentDocument: frame.contentDocument, error };
    });
    expect(reach).toEqual({ contentDocument: null, error: 'SecurityError' });
  });
});

describe('Firefox: a frame of another origin', () => {
  it("gets nothing: another org's embedded client (an apps. host that is not the configured one)", async () => {
    // The e2e build's content script runs on both loopback names; the configured one is 127.0.0.1.
    const tab = await openCrm({ client: `${rig.emulator.origin.replace('127.0.0.1', 'localhost')}/crm/embeddableFramework.html` });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await controlsIn(tab.frame)).toBe(0);
    expect(await controlsIn(tab.page)).toBe(0);
    await tab.page.close();
  });
});

describe('Firefox: where the admin hid the client’s own mute button', () => {
  it('ours is the agent’s mute, and it works', async () => {
    const tab = await openCrm({ client: `${rig.emulator.origin}/crm/embeddableFramework.html?callControls=hold,transfer,keypad,end` });
    await enabledControl(tab);
    await tab.frame.waitForSelector('.call-controls');
    expect(await tab.frame.evaluate(() => document.querySelectorAll('.call-mute').length)).toBe(0);
    const before = agentMuted(rig.emulator, call)!;
    await click(tab);
    await expect.poll(() => patchBodies(rig.emulator)).toEqual([JSON.stringify({ muted: !before })]);
    await expect.poll(() => agentMuted(rig.emulator, call)).toBe(!before);
    await expect.poll(() => pressed(tab)).toBe(String(!before));
    await click(tab);
    await expect.poll(() => patchBodies(rig.emulator)).toEqual([JSON.stringify({ muted: !before }), JSON.stringify({ muted: before })]);
    await expect.poll(() => pressed(tab)).toBe(String(before));
    await tab.page.close();
  });
});

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe.each([300, 400])('Firefox: a softphone frame %i px wide', (width) => {
  it('keeps the control at least 24×24, inside the frame, and over none of the client’s own controls', async () => {
    const tab = await openCrm({ width });
    await enabledControl(tab);
    for (const muted of [false, true]) {
      if (agentMuted(rig.emulator, call) !== muted) rig.emulator.setMuted(call, muted);
      await expect.poll(() => pressed(tab)).toBe(String(muted));
      await new Promise((resolve) => setTimeout(resolve, 700)); // the client shows it within 500 ms; the control re-places within 250 ms
      const seen = await tab.frame.evaluate(() => {
        const box = (element: Element) => {
          const { x, y, width, height } = element.getBoundingClientRect();
          return { x, y, width, height };
        };
        const host = document.querySelector('genesys-mic-control')!;
        const button = host.shadowRoot!.querySelector('button[aria-label="Mute microphone"]')!;
        const clientControls = [...document.querySelectorAll('button, input, textarea, a, [role=tab], [role=toolbar]')]
          .filter((element) => element.checkVisibility())
          .map((element) => ({ what: element.className || element.localName, ...box(element) }));
        return { host: box(host), button: box(button), clientControls, viewport: { width: innerWidth, height: innerHeight } };
      });
      const state = muted ? 'muted' : 'on a call';
      expect(seen.viewport.width, state).toBe(width);
      expect(seen.button.width, state).toBeGreaterThanOrEqual(24);
      expect(seen.button.height, state).toBeGreaterThanOrEqual(24);
      expect(seen.host.x).toBeGreaterThanOrEqual(0);
      expect(seen.host.y).toBeGreaterThanOrEqual(0);
      expect(seen.host.x + seen.host.width).toBeLessThanOrEqual(width);
      expect(seen.host.y + seen.host.height).toBeLessThanOrEqual(seen.viewport.height);
      expect(seen.clientControls.map((control) => control.what)).toEqual(
        expect.arrayContaining(['presence-picker', 'icon-button menu-button', 'call-mute', 'call-hold', 'end-call', 'call-controls', 'icon-button settings-button']),
      );
      for (const box of seen.clientControls) expect(overlaps(seen.host, box), `${state}: the control covers ${JSON.stringify(box)}`).toBe(false);
    }
    rig.emulator.setMuted(call, false);
    await tab.page.close();
  });
});

describe('Firefox: with the agent desktop open in another tab', () => {
  it('both controls show the same state, and a click in either mutes once', async () => {
    const desk = await rig.agentDesktop();
    const tab = await openCrm();
    await enabledControl(tab);
    await settledControl(desk);
    const deskPressed = () => desk.evaluate(() => document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('button[aria-label="Mute microphone"]')?.getAttribute('aria-pressed'));
    const both = async () => [await pressed(tab), await deskPressed()];
    await expect.poll(both).toEqual(['false', 'false']);
    rig.emulator.clearRequests();

    await tab.page.bringToFront();
    await click(tab);
    await expect.poll(both).toEqual(['true', 'true']);
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}']);

    await desk.bringToFront();
    await (await settledControl(desk)).click();
    await expect.poll(both).toEqual(['false', 'false']);
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}', '{"muted":false}']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(patchBodies(rig.emulator)).toHaveLength(2);
    await desk.close();
    await tab.page.close();
  });
});

describe('Firefox: the WebRTC pop-out window', () => {
  it('shows the compact control there too, and it mutes with one PATCH', async () => {
    const popout = await rig.browser.newPage();
    await popout.setViewport({ width: 420, height: 260 });
    await popout.goto(`${rig.emulator.origin}/crm/webrtc.html`);
    const button = await pageControl(popout, 'enabled');
    expect(await popout.evaluate(() => document.querySelector('genesys-mic-control')?.getAttribute('data-placement'))).toBe('compact');
    await button.click();
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}']);
    await popout.waitForSelector(`${PAGE_CONTROL}[aria-pressed="true"]`);
    await (await pageControl(popout, 'enabled')).click();
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}', '{"muted":false}']);
    await popout.close();
  });
});
