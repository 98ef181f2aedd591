// Drives real Chromium with the e2e build of the extension against the bundled emulator.
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureChromium } from '../../scripts/chromium.ts';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/server.ts';
import type { MicView } from '../../src/shared/view.ts';
import { requestLines as linesOf, type Agent } from '../shared/agent.ts';

export const EXTENSION_ID = 'palaebnopndlohdhpbjmeopgkididbbo';
export const EXTENSION_PATH = resolve(import.meta.dirname, '../../dist-e2e');
export const CLIENT_ID = 'gmc-demo-client';
export const REDIRECT_URI = `https://${EXTENSION_ID}.chromiumapp.org/`;
const ARTIFACTS = resolve(import.meta.dirname, '../../artifacts');

export interface Rig {
  emulator: Emulator;
  context: BrowserContext;
  worker: Worker;
  /** Opens an extension page (popup, options) in a tab. */
  extensionPage(path: 'popup' | 'options'): Promise<Page>;
  /** Opens the emulator's stand-in agent desktop. */
  agentDesktop(): Promise<Page>;
  close(): Promise<void>;
}

export interface RigOptions {
  emulator?: EmulatorOptions;
  /** Skip configuring region and client id. */
  unconfigured?: boolean;
  headless?: boolean;
  /** The window size; null lets a headed window size itself (the demo). Default 1200×800. */
  viewport?: { width: number; height: number } | null;
  /** Keep Chromium's sandbox (the demo, for a normal user). Tests run without it, often as root. */
  sandbox?: boolean;
  /** The caller closes the browser itself on Ctrl+C (the demo); otherwise Playwright does. */
  ownSignals?: boolean;
  args?: string[];
  /** Another build of the extension than dist-e2e/ (the bench can measure any). */
  extensionPath?: string;
  /** Other unpacked extensions to load first (e.g. one that takes our shortcut). */
  otherExtensions?: string[];
  /** Runs after the emulator started and before Chromium starts (e.g. to write a policy). */
  beforeLaunch?: (emulator: Emulator) => void | Promise<void>;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const emulator = await startEmulator({ confirmDelayMs: 100, ...options.emulator });
  await options.beforeLaunch?.(emulator);
  const userDataDir = mkdtempSync(join(tmpdir(), 'gmc-e2e-'));
  const extensions = [...(options.otherExtensions ?? []), options.extensionPath ?? EXTENSION_PATH].join(',');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: ensureChromium(),
    headless: options.headless ?? true,
    handleSIGINT: !options.ownSignals,
    handleSIGTERM: !options.ownSignals,
    viewport: options.viewport === undefined ? { width: 1200, height: 800 } : options.viewport,
    args: [
      `--disable-extensions-except=${extensions}`,
      `--load-extension=${extensions}`,
      ...(options.sandbox ? [] : ['--no-sandbox']),
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
  });
  const worker = context.serviceWorkers().find(isOurs) ?? (await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15_000 }));
  if (!options.unconfigured) await configure(worker, emulator.origin, CLIENT_ID);
  return {
    emulator,
    context,
    worker,
    async extensionPage(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${EXTENSION_ID}/src/${path}/index.html`);
      return page;
    },
    async agentDesktop() {
      const page = await context.newPage();
      await page.goto(`${emulator.origin}/directory/`);
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      await emulator.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

function isOurs(worker: Worker): boolean {
  return worker.url().startsWith(`chrome-extension://${EXTENSION_ID}/`);
}

export async function configure(worker: Worker, environment: string, clientId: string): Promise<void> {
  await worker.evaluate((settings) => chrome.storage.local.set({ settings }), { environment, clientId });
}

/** The live service worker (it changes after Chrome stops and restarts it). */
export async function currentWorker(context: BrowserContext): Promise<Worker> {
  // The newest: after a restart Chrome may briefly list the old one too.
  return context.serviceWorkers().filter(isOurs).at(-1) ?? context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15_000 });
}

/**
 * Signs in through the popup's button and the emulator's login page, as an agent would; resolves
 * with the popup when live. When the extension already signed in by itself (the Genesys login
 * session lived), there is nothing to click.
 */
export async function signInThroughPopup(rig: Rig): Promise<Page> {
  const popup = await rig.extensionPage('popup');
  const signedIn = popup.getByTestId('connection').getByText('Live', { exact: true });
  const signInButton = popup.getByRole('button', { name: 'Sign in', exact: true });
  await signedIn.or(signInButton).first().waitFor({ timeout: 15_000 });
  if (await signedIn.isVisible()) return popup;
  // While the emulator's login session lives, Genesys redirects at once and no window opens.
  const loginWindow = rig.context.waitForEvent('page', { timeout: 15_000 }).catch(() => undefined);
  await signInButton.click();
  const first = await Promise.race([loginWindow, signedIn.waitFor({ timeout: 15_000 }).then(() => undefined)]);
  if (first) {
    await first.waitForLoadState('domcontentloaded');
    await first.getByRole('button', { name: 'Sign in' }).click();
  }
  await signedIn.waitFor({ timeout: 15_000 });
  return popup;
}

/** The page control inside its shadow root (Playwright's locators pierce open shadow roots). */
export function pageControl(page: Page) {
  return page.getByRole('button', { name: 'Mute microphone' });
}

/** Test-build hooks the worker exposes on its global scope (see src/background/index.ts). */
interface TestHooks {
  gmcView: () => Promise<MicView>;
  gmcDispatchCommand: (command: string) => void;
}

/** The view the worker would push now. */
export async function workerView(worker: Worker): Promise<MicView> {
  return worker.evaluate(() => (globalThis as unknown as TestHooks).gmcView());
}

/** Delivers a command to the worker as Chrome does when the agent presses the shortcut. */
export async function dispatchCommand(worker: Worker, command: string): Promise<void> {
  await worker.evaluate((name) => (globalThis as unknown as TestHooks).gmcDispatchCommand(name), command);
}

export async function badgeText(worker: Worker): Promise<string> {
  return worker.evaluate(() => chrome.action.getBadgeText({}));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Stops the extension's service worker the way Chrome does when it is idle (CDP). */
export async function stopServiceWorker(rig: Rig): Promise<void> {
  const page = rig.context.pages()[0] ?? (await rig.context.newPage());
  const cdp = await rig.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}

/** The page control's status word as the worker pushed it (`data-status` of the control). */
export async function pageStatus(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() => document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('.gmc')?.getAttribute('data-status'));
}

/** Method and path of every request the emulator received since the last clear, in order. */
export function requestLines(rig: Rig): string[] {
  return linesOf(rig.emulator);
}

/** The agent as the shared journeys (test/shared/) see it: this rig's popup and agent desktop. */
export function agentOf(rig: Rig, popup: Page, desk: Page): Agent {
  const popupToggle = () => popup.getByRole('button', { name: 'Mute microphone' });
  return {
    emulator: rig.emulator,
    page: {
      enabled: () => pageControl(desk).isEnabled(),
      pressed: () => pageControl(desk).getAttribute('aria-pressed'),
      click: () => pageControl(desk).click(),
    },
    popup: {
      enabled: () => popupToggle().isEnabled(),
      pressed: () => popupToggle().getAttribute('aria-pressed'),
      click: () => popupToggle().click(),
      connection: () => popup.getByTestId('connection').textContent(),
      text: async (testId) => (await popup.getByTestId(testId).textContent()) ?? '',
    },
    shortcut: () => dispatchCommand(rig.worker, 'toggle-mute'),
    view: () => workerView(rig.worker),
    badge: () => badgeText(rig.worker),
    snapshot: (name) => screenshot(desk, name),
  };
}

export interface OnACall {
  rig: Rig;
  popup: Page;
  desk: Page;
  call: string;
}

/** A signed-in agent with the agent desktop open and one connected call the control can act on. */
export async function startOnACall(customerName: string, options: RigOptions = {}): Promise<OnACall> {
  const rig = await startRig(options);
  const popup = await signInThroughPopup(rig);
  const desk = await rig.agentDesktop();
  const call = rig.emulator.startCall({ customerName });
  await pageControl(desk).and(desk.locator(':enabled')).waitFor();
  return { rig, popup, desk, call };
}
