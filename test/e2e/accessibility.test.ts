// Accessibility: axe-core (WCAG 2.0/2.1 A and AA) finds nothing serious or critical on
// the popup, the options page and the injected control, in each state an agent sees; everything is
// operable from the keyboard with a visible focus; state changes reach screen readers through a
// live region; and reduced motion turns transitions off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import axe from 'axe-core';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';
import { CLIENT_ID, configure, pageControl, signInThroughPopup, startRig, workerView, type Rig } from './harness.ts';

let rig: Rig;

beforeAll(async () => {
  // Unconfigured first, for the options page as an agent first meets it.
  rig = await startRig({ unconfigured: true });
});

afterAll(async () => {
  await rig?.close();
});

const AXE_OPTIONS: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  resultTypes: ['violations'],
};

/** What to check: CSS selectors of elements to include (their open shadow trees come along). */
interface Scope {
  include: string[][];
}

interface Finding {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string; summary: string }[];
}

/**
 * Runs axe in the page (open shadow roots included, axe's default) and returns the serious and
 * critical violations, with every violation printed so a failure says what to fix.
 */
async function seriousViolations(page: Page, label: string, context?: Scope): Promise<Finding[]> {
  await settled(page);
  // page.evaluate goes through the DevTools protocol, so the extension pages' CSP does not block it.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axe.source);
  const { findings, checked } = await page.evaluate(
    async ({ context, options }) => {
      const runner = (globalThis as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<AxeResults> } }).axe;
      const results = await runner.run(context ?? document, options);
      return {
        findings: results.violations.map((v) => ({
          id: v.id,
          impact: v.impact ?? 'unknown',
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: JSON.stringify(n.target), summary: n.failureSummary ?? '' })),
        })),
        checked: results.testEngine.name,
      };
    },
    { context, options: AXE_OPTIONS },
  );
  expect(checked).toBe('axe-core');
  for (const finding of findings) {
    console.log(`[axe ${label}] ${finding.impact} ${finding.id}: ${finding.help}`);
    for (const node of finding.nodes) console.log(`    ${node.target}\n      ${node.summary.replace(/\n/g, '\n      ')}`);
  }
  return findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}

/** Only the injected control (host and its shadow tree): the emulator's page is not ours to judge. */
const CONTROL: Scope = { include: [['genesys-mic-control']] };

/**
 * Waits for running CSS transitions (a hover or a colour-scheme switch fades colours over 120 ms),
 * so axe judges the colours the agent reads rather than a frame in between.
 */
async function settled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const running = (root: Document | ShadowRoot) => root.getAnimations().filter((a) => a instanceof CSSTransition);
    const shadow = document.querySelector('genesys-mic-control')?.shadowRoot;
    await Promise.all([...running(document), ...(shadow ? running(shadow) : [])].map((a) => a.finished.catch(() => undefined)));
  });
}

/** The element focused now, looking into shadow roots: its accessible name and outline. */
async function focused(page: Page) {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element) return undefined;
    const style = getComputedStyle(element);
    return {
      name: element.getAttribute('aria-label') ?? element.textContent?.trim() ?? '',
      focusVisible: element.matches(':focus-visible'),
      outlineStyle: style.outlineStyle,
      outlineWidth: style.outlineWidth,
    };
  });
}

/** Presses Tab until the element named `name` has focus (or gives up after `limit` presses). */
async function tabTo(page: Page, name: string, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if ((await focused(page))?.name === name) return;
  }
  throw new Error(`Tab did not reach "${name}"`);
}

async function transitionDuration(page: Page, selector: string): Promise<string | undefined> {
  return page.evaluate((selector) => {
    const host = document.querySelector('genesys-mic-control')?.shadowRoot;
    const element = (host?.querySelector(selector) ?? document.querySelector(selector)) as Element | null;
    return element ? getComputedStyle(element).transitionDuration : undefined;
  }, selector);
}

const status = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('genesys-mic-control')?.shadowRoot ?? document;
    const region = root.querySelector('.gmc-status');
    return region && { role: region.getAttribute('role'), live: region.getAttribute('aria-live'), text: region.textContent };
  });

describe('the options page', () => {
  let options: Page;

  it('has no serious violations before anything is set up', async () => {
    options = await rig.extensionPage('options');
    await options.locator('#region').waitFor();
    expect(await seriousViolations(options, 'options, unconfigured')).toEqual([]);
  });

  it('has none with validation errors shown, in light and dark', async () => {
    await options.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => options.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
    expect(await seriousViolations(options, 'options, validation error')).toEqual([]);
    await options.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(options, 'options, validation error, dark')).toEqual([]);
    await options.close();
  });
});

describe('the popup', () => {
  let popup: Page;

  it('has no serious violations when signed out, in light and dark', async () => {
    await configure(rig.worker, rig.emulator.origin, CLIENT_ID);
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('signed-out');
    popup = await rig.extensionPage('popup');
    await popup.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(await seriousViolations(popup, 'popup, signed out')).toEqual([]);
    await popup.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(popup, 'popup, signed out, dark')).toEqual([]);
    await popup.close();
  });

  it('has none on a call, live and muted, in light and dark', async () => {
    popup = await signInThroughPopup(rig);
    rig.emulator.startCall({ customerName: 'Axe Alex' });
    const toggle = popup.getByRole('button', { name: 'Mute microphone' });
    await expect.poll(() => toggle.isEnabled()).toBe(true);
    expect(await seriousViolations(popup, 'popup, live')).toEqual([]);
    await toggle.click();
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('muted');
    await expect.poll(() => popup.locator('.gmc').getAttribute('data-status')).toBe('muted');
    expect(await seriousViolations(popup, 'popup, muted')).toEqual([]);
    await popup.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(popup, 'popup, muted, dark')).toEqual([]);
    await toggle.click();
    await expect.poll(() => popup.locator('.gmc').getAttribute('data-status')).toBe('live');
    expect(await seriousViolations(popup, 'popup, live, dark')).toEqual([]);
    await popup.emulateMedia({ colorScheme: 'light' });
  });

  it('is operable from the keyboard: Tab reaches the mute button, Space and Enter toggle it, focus shows', async () => {
    await popup.reload();
    await popup.getByRole('button', { name: 'Mute microphone' }).and(popup.locator(':enabled')).waitFor();
    await tabTo(popup, 'Mute microphone');
    const focus = await focused(popup);
    expect(focus).toMatchObject({ focusVisible: true });
    expect(focus?.outlineStyle).not.toBe('none');
    expect(parseFloat(focus?.outlineWidth ?? '0')).toBeGreaterThanOrEqual(2);
    const toggle = popup.getByRole('button', { name: 'Mute microphone' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await popup.keyboard.press('Space');
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('muted');
    await popup.keyboard.press('Enter');
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(async () => (await workerView(rig.worker)).status).toBe('live');
  });

  it('announces the state through a polite live region', async () => {
    expect(await status(popup)).toEqual({ role: 'status', live: 'polite', text: 'Mic on' });
    await popup.getByRole('button', { name: 'Mute microphone' }).click();
    await expect.poll(() => status(popup)).toEqual({ role: 'status', live: 'polite', text: 'Muted' });
    await popup.getByRole('button', { name: 'Mute microphone' }).click();
    await expect.poll(() => status(popup)).toEqual({ role: 'status', live: 'polite', text: 'Mic on' });
  });

  it('has no transition on the button with reduced motion', async () => {
    await popup.emulateMedia({ reducedMotion: 'no-preference' });
    expect(await transitionDuration(popup, '.gmc-button')).not.toBe('0s'); // the check below means something
    await popup.emulateMedia({ reducedMotion: 'reduce' });
    expect(await transitionDuration(popup, '.gmc-button')).toBe('0s');
    for (const duration of await popup.evaluate(() => [...document.querySelectorAll('*')].map((e) => getComputedStyle(e).transitionDuration)))
      expect(duration.split(',').every((d) => d.trim() === '0s')).toBe(true);
    await popup.emulateMedia({ reducedMotion: 'no-preference' });
  });
});

describe('the control on the agent desktop', () => {
  let desk: Page;
  let call: string;
  const placement = () => desk.evaluate(() => document.querySelector('genesys-mic-control')?.getAttribute('data-placement'));
  const pageStatus = () => desk.evaluate(() => document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('.gmc')?.getAttribute('data-status'));

  it('reaches into the shadow root (axe checks the button itself)', async () => {
    call = (await workerView(rig.worker)).call!.conversationId;
    desk = await rig.agentDesktop();
    await expect.poll(placement).toBe('toolbar');
    await expect.poll(() => pageControl(desk).isEnabled()).toBe(true);
    // Report passes too, once, to prove the shadow tree is in what axe examined.
    if (!(await desk.evaluate(() => 'axe' in globalThis))) await desk.evaluate(axe.source);
    const targets = await desk.evaluate(async (context) => {
      const runner = (globalThis as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<AxeResults> } }).axe;
      const results = await runner.run(context, { runOnly: { type: 'rule', values: ['button-name', 'color-contrast'] } });
      return results.passes.flatMap((rule) => rule.nodes.map((node) => JSON.stringify(node.target)));
    }, CONTROL);
    expect(targets.some((t) => t.includes('genesys-mic-control') && t.includes('gmc-button'))).toBe(true);
  });

  it('has no serious violations live and muted beside the toolbar, in light and dark', async () => {
    expect(await seriousViolations(desk, 'page control, toolbar, live', CONTROL)).toEqual([]);
    await pageControl(desk).click();
    await expect.poll(pageStatus).toBe('muted');
    expect(await seriousViolations(desk, 'page control, toolbar, muted', CONTROL)).toEqual([]);
    await desk.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(desk, 'page control, toolbar, muted, dark', CONTROL)).toEqual([]);
    await pageControl(desk).click();
    await expect.poll(pageStatus).toBe('live');
    expect(await seriousViolations(desk, 'page control, toolbar, live, dark', CONTROL)).toEqual([]);
    await desk.emulateMedia({ colorScheme: 'light' });
  });

  it('is operable from the keyboard: Tab reaches it, Space and Enter toggle it, focus shows', async () => {
    await desk.locator('body').click({ position: { x: 600, y: 400 } }); // start from the page, not the control
    await tabTo(desk, 'Mute microphone');
    const focus = await focused(desk);
    expect(focus).toMatchObject({ focusVisible: true });
    expect(focus?.outlineStyle).not.toBe('none');
    expect(parseFloat(focus?.outlineWidth ?? '0')).toBeGreaterThanOrEqual(2);
    expect(await pageStatus()).toBe('live');
    rig.emulator.clearRequests();
    await desk.keyboard.press('Space');
    await expect.poll(pageStatus).toBe('muted');
    await desk.keyboard.press('Enter');
    await expect.poll(pageStatus).toBe('live');
    expect(rig.emulator.requests().filter((r) => r.method === 'PATCH').map((r) => r.body)).toEqual(['{"muted":true}', '{"muted":false}']);
  });

  it('announces the state through a polite live region', async () => {
    expect(await status(desk)).toEqual({ role: 'status', live: 'polite', text: 'Mic on' });
    await pageControl(desk).click();
    await expect.poll(() => status(desk)).toEqual({ role: 'status', live: 'polite', text: 'Muted' });
  });

  it('has no transition with reduced motion', async () => {
    await desk.emulateMedia({ reducedMotion: 'no-preference' });
    expect(await transitionDuration(desk, '.gmc-button')).not.toBe('0s');
    await desk.emulateMedia({ reducedMotion: 'reduce' });
    expect(await transitionDuration(desk, '.gmc-button')).toBe('0s');
    await desk.emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('has no serious violations floating with no call, in light and dark, and its handle is keyboard-operable', async () => {
    rig.emulator.endCall(call);
    await expect.poll(placement).toBe('floating');
    await expect.poll(pageStatus).toBe('no-call');
    expect(await seriousViolations(desk, 'page control, floating, no call', CONTROL)).toEqual([]);
    await desk.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(desk, 'page control, floating, no call, dark', CONTROL)).toEqual([]);
    await desk.emulateMedia({ colorScheme: 'light' });
    // The mute button is disabled with no call, so Tab goes straight to the handle.
    await desk.locator('body').click({ position: { x: 600, y: 400 } });
    await tabTo(desk, 'Move the mute control');
    const focus = await focused(desk);
    expect(focus).toMatchObject({ focusVisible: true });
    expect(focus?.outlineStyle).not.toBe('none');
  });

  it('has no serious violations floating on a call', async () => {
    // The agent desktop can show a call without its toolbar (another view in front); hiding the
    // toolbar stands in for that and makes the control float.
    call = rig.emulator.startCall({ customerName: 'Floating Fran' });
    await expect.poll(placement).toBe('toolbar');
    await desk.addStyleTag({ content: '.interaction-controls-primary { display: none !important; }' });
    await expect.poll(placement).toBe('floating');
    await expect.poll(() => pageControl(desk).isEnabled()).toBe(true);
    expect(await seriousViolations(desk, 'page control, floating, live', CONTROL)).toEqual([]);
    await pageControl(desk).click();
    await expect.poll(pageStatus).toBe('muted');
    expect(await seriousViolations(desk, 'page control, floating, muted', CONTROL)).toEqual([]);
  });
});
