// Genesys Cloud inside a CRM (issue 18): the embedded client is a frame from the agent desktop's
// host under /crm/, in a page from another origin (the emulator's stand-in CRM at crm.localhost).
// The control appears in that frame and only there, mutes with one PATCH, follows changes made
// elsewhere, agrees with the agent desktop's control, fits a 300–400 px softphone without covering
// its buttons, and is the agent's mute where the admin hid the client's own. Firefox:
// test/e2e-firefox/crm.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { inContentScript, pageControl, signInThroughPopup, startRig, workerView, type Rig } from './harness.ts';
import { startCrmSite, type CrmSite } from '../../emulator/crm.ts';
import { agentMuted, patchBodies } from '../shared/agent.ts';

let rig: Rig;
let crm: CrmSite;
let call: string;

beforeAll(async () => {
  rig = await startRig({ viewport: { width: 1100, height: 760 } });
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
  softphone: FrameLocator;
  /** The embedded client's frame (another site than the CRM's page: a frame target of its own). */
  frame(): Frame;
}

/** The stand-in CRM page in a new tab, framing `client` (default: the Embeddable Framework's) at `width` px. */
async function openCrm(options: { width?: number; client?: string } = {}): Promise<CrmTab> {
  const page = await rig.context.newPage();
  await page.goto(crm.url(options));
  const frame = () => {
    const found = page.frames().find((candidate) => new URL(candidate.url()).pathname.startsWith('/crm/'));
    if (!found) throw new Error('the CRM page has no embedded client frame');
    return found;
  };
  return { page, softphone: page.frameLocator('#softphone'), frame };
}

const control = (tab: CrmTab) => tab.softphone.getByRole('button', { name: 'Mute microphone' });
const enabled = (tab: CrmTab) => control(tab).and(tab.softphone.locator(':enabled'));
const controlsIn = (page: Page | Frame) => page.evaluate(() => document.querySelectorAll('genesys-mic-control').length);
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** A real mouse click at the centre of the control (page coordinates: Playwright maps the frame). */
async function click(tab: CrmTab): Promise<void> {
  const box = await control(tab).boundingBox();
  if (!box) throw new Error('the control is not visible');
  await tab.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

describe('a CRM page framing the embedded client', () => {
  let tab: CrmTab;

  beforeAll(async () => {
    tab = await openCrm();
    // Before any call: there, disabled.
    await control(tab).waitFor();
    expect(await control(tab).isDisabled()).toBe(true);
  });

  afterAll(async () => {
    await tab?.page.close();
  });

  it('shows the control in the frame within a few seconds of a call', async () => {
    const started = Date.now();
    call = rig.emulator.startCall({ customerName: 'Casey Customer' });
    await enabled(tab).waitFor({ timeout: 3_000 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await control(tab).getAttribute('aria-pressed')).toBe('false');
    expect(await controlsIn(tab.frame())).toBe(1);
  });

  it('mutes with one PATCH from a real click, and shows a change made elsewhere within a second', async () => {
    await tab.page.waitForTimeout(300); // the client's own re-render after the call came
    await click(tab);
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}']);
    await expect.poll(() => agentMuted(rig.emulator, call)).toBe(true);
    await expect.poll(() => control(tab).getAttribute('aria-pressed')).toBe('true');
    rig.emulator.clearRequests();
    rig.emulator.setMuted(call, false); // from Genesys's own UI, a headset or a supervisor
    await expect.poll(() => control(tab).getAttribute('aria-pressed'), { timeout: 1_000 }).toBe('false');
    expect(patchBodies(rig.emulator)).toEqual([]);
  });

  it('is a real button, reached with the keyboard after the client’s own controls, and pressed with Space', async () => {
    await tab.softphone.locator('.settings-button').focus(); // the client's last control
    await tab.page.keyboard.press('Tab');
    const focused = await tab.frame().evaluate(() => {
      const host = document.activeElement;
      const button = host?.shadowRoot?.activeElement;
      return { host: host?.localName, name: button?.getAttribute('aria-label'), tag: button?.localName };
    });
    expect(focused).toEqual({ host: 'genesys-mic-control', name: 'Mute microphone', tag: 'button' });
    await tab.page.keyboard.press(' ');
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}']);
    await expect.poll(() => control(tab).getAttribute('aria-pressed')).toBe('true');
    await tab.page.keyboard.press(' ');
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}', '{"muted":false}']);
    await expect.poll(() => control(tab).getAttribute('aria-pressed')).toBe('false');
  });

  it("puts nothing into the CRM's own page or its other frames: the content script does not even run there", async () => {
    expect(await controlsIn(tab.page)).toBe(0);
    const widget = tab.page.frames().find((frame) => frame.url().endsWith('/widget'));
    expect(widget).toBeDefined();
    expect(await controlsIn(widget!)).toBe(0);
    await expect(inContentScript(tab.page, '1')).rejects.toThrow(/not running/);
    // In the embedded client's frame it does run.
    expect(await inContentScript(tab.frame(), '1')).toBe(1);
  });

  it('gives the frame the reduced view: what the control shows, nothing about who is on the call', async () => {
    const ask = async () => JSON.stringify(await inContentScript(tab.frame(), `chrome.runtime.sendMessage({ type: 'get-view' })`));
    await expect.poll(ask).toContain('"status":"live"'); // the last unmute confirmed
    const view = await ask();
    expect(view).not.toContain('Casey Customer');
    expect(view).not.toContain('Avery Agent');
    expect(view).not.toContain(call);
    // Nor may it sign the agent out.
    expect(await inContentScript(tab.frame(), `chrome.runtime.sendMessage({ type: 'sign-out' }).then((a) => a ?? null)`)).toBeNull();
    expect((await workerView(rig.worker)).connection).toBe('live');
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

  it('refuses a real click through a decoy the CRM page lays over the frame, or on a frame it made see-through', async () => {
    const box = (await control(tab).boundingBox())!;
    await tab.page.evaluate((b) => {
      const decoy = document.createElement('div');
      decoy.id = 'decoy';
      decoy.textContent = 'Click to continue';
      Object.assign(decoy.style, { position: 'fixed', left: `${b.x - 10}px`, top: `${b.y - 10}px`, width: `${b.width + 20}px`, height: `${b.height + 20}px`, background: '#fff', zIndex: '2147483647', pointerEvents: 'none' });
      document.body.append(decoy);
    }, box);
    await tab.page.waitForTimeout(400); // visibility is judged at most every 100 ms
    await tab.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await tab.page.waitForTimeout(500);
    expect(patchBodies(rig.emulator)).toEqual([]);
    // Nor when the CRM page makes the frame nearly see-through.
    await tab.page.evaluate(() => {
      document.getElementById('decoy')?.remove();
      document.querySelector<HTMLElement>('#softphone')!.style.opacity = '0.05';
    });
    await tab.page.waitForTimeout(400);
    await tab.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await tab.page.waitForTimeout(500);
    expect(patchBodies(rig.emulator)).toEqual([]);
    // Without either the same click counts.
    await tab.page.evaluate(() => document.querySelector<HTMLElement>('#softphone')!.style.removeProperty('opacity'));
    await tab.page.waitForTimeout(400);
    await tab.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}']);
    await expect.poll(() => agentMuted(rig.emulator, call)).toBe(true);
    rig.emulator.setMuted(call, false);
    await expect.poll(() => control(tab).getAttribute('aria-pressed')).toBe('false');
  });
});

describe('a frame of another origin', () => {
  it("gets nothing: another org's embedded client (an apps. host that is not the configured one)", async () => {
    // The e2e build's content script runs on both loopback names; the configured one is 127.0.0.1.
    const other = `${rig.emulator.origin.replace('127.0.0.1', 'localhost')}/crm/embeddableFramework.html`;
    const tab = await openCrm({ client: other });
    await tab.softphone.locator('.softphone-header').waitFor();
    // The script runs there (the match covers it) and is refused by the background.
    await expect.poll(() => inContentScript(tab.frame(), '1').catch(() => undefined)).toBe(1);
    expect(await inContentScript(tab.frame(), `chrome.runtime.sendMessage({ type: 'get-view' }).then((a) => a ?? null)`)).toBeNull();
    await tab.page.waitForTimeout(500);
    expect(await controlsIn(tab.frame())).toBe(0);
    expect(await controlsIn(tab.page)).toBe(0);
    await tab.page.close();
  });
});

describe('where the admin hid the client’s own mute button', () => {
  it('ours is the agent’s mute, and it works', async () => {
    const tab = await openCrm({ client: `${rig.emulator.origin}/crm/embeddableFramework.html?callControls=hold,transfer,keypad,end` });
    await enabled(tab).waitFor();
    await tab.softphone.locator('.call-controls').waitFor();
    expect(await tab.softphone.locator('.call-mute').count()).toBe(0);
    const before = agentMuted(rig.emulator, call)!;
    await click(tab);
    await expect.poll(() => patchBodies(rig.emulator)).toEqual([JSON.stringify({ muted: !before })]);
    await expect.poll(() => agentMuted(rig.emulator, call)).toBe(!before);
    await click(tab);
    await expect.poll(() => patchBodies(rig.emulator)).toEqual([JSON.stringify({ muted: !before }), JSON.stringify({ muted: before })]);
    await expect.poll(() => control(tab).getAttribute('aria-pressed')).toBe(String(before));
    await tab.page.close();
  });
});

describe.each([300, 400])('a softphone frame %i px wide', (width) => {
  it('keeps the control at least 24×24, inside the frame, and over none of the client’s own controls', async () => {
    const tab = await openCrm({ width });
    await enabled(tab).waitFor();
    for (const muted of [false, true]) {
      if (agentMuted(rig.emulator, call) !== muted) rig.emulator.setMuted(call, muted);
      await expect.poll(() => control(tab).getAttribute('aria-pressed')).toBe(String(muted));
      await tab.page.waitForTimeout(700); // the client shows it within 500 ms; the control re-places within 250 ms
      // In the frame's own coordinates; the client's controls are looked up in its document (not
      // through the control's shadow root, which Playwright's locators would pierce).
      const seen = await tab.frame().evaluate(() => {
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
      // The client's presence, menu, tabs, call controls, notes and settings are all there.
      expect(seen.clientControls.map((control) => control.what)).toEqual(
        expect.arrayContaining(['presence-picker', 'icon-button menu-button', 'call-mute', 'call-hold', 'end-call', 'call-controls', 'icon-button settings-button']),
      );
      for (const box of seen.clientControls) expect(overlaps(seen.host, box), `${state}: the control covers ${JSON.stringify(box)}`).toBe(false);
    }
    rig.emulator.setMuted(call, false);
    await tab.page.close();
  });
});

describe('with the agent desktop open in another tab', () => {
  it('both controls show the same state, and a click in either mutes once', async () => {
    const desk = await rig.agentDesktop();
    const tab = await openCrm();
    await enabled(tab).waitFor();
    await pageControl(desk).and(desk.locator(':enabled')).waitFor();
    await desk.waitForFunction(() => document.querySelector('genesys-mic-control')?.getAttribute('data-placement') === 'toolbar');
    const pressed = async () => [await control(tab).getAttribute('aria-pressed'), await pageControl(desk).getAttribute('aria-pressed')];
    await expect.poll(pressed).toEqual(['false', 'false']);
    rig.emulator.clearRequests();

    await tab.page.bringToFront();
    await click(tab);
    await expect.poll(pressed).toEqual(['true', 'true']);
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}']);

    await desk.bringToFront();
    await pageControl(desk).click();
    await expect.poll(pressed).toEqual(['false', 'false']);
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}', '{"muted":false}']);
    await desk.waitForTimeout(500);
    expect(patchBodies(rig.emulator)).toHaveLength(2);
    await desk.close();
    await tab.page.close();
  });
});

describe('every embedded client path, and the WebRTC pop-out window', () => {
  it.each(['/crm/index.html?crm=salesforce', '/crm/zendesk/index.html', '/crm/softphoneGenericCRM/index.html'])('shows the control in %s framed by the CRM', async (path) => {
    const tab = await openCrm({ client: `${rig.emulator.origin}${path}` });
    await enabled(tab).waitFor();
    expect(await controlsIn(tab.page)).toBe(0);
    await tab.page.close();
  });

  it('shows the compact control in the top-level WebRTC window, and it mutes with one PATCH', async () => {
    const popout = await rig.context.newPage();
    await popout.setViewportSize({ width: 420, height: 260 });
    await popout.goto(`${rig.emulator.origin}/crm/webrtc.html`);
    await pageControl(popout).and(popout.locator(':enabled')).waitFor();
    expect(await popout.evaluate(() => document.querySelector('genesys-mic-control')?.getAttribute('data-placement'))).toBe('compact');
    rig.emulator.clearRequests();
    await pageControl(popout).click();
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}']);
    await expect.poll(() => pageControl(popout).getAttribute('aria-pressed')).toBe('true');
    await pageControl(popout).click();
    await expect.poll(() => patchBodies(rig.emulator)).toEqual(['{"muted":true}', '{"muted":false}']);
    await popout.close();
  });
});
