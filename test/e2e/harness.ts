// Drives real Chromium with the e2e build of the extension against the bundled emulator.
import { chromium, type BrowserContext, type Frame, type Page, type Worker } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureChromium, findChromium } from '../../scripts/chromium.ts';
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
  /** The browser profile's folder (removed by close()). */
  userDataDir: string;
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
  /**
   * Values an admin sets for this extension by enterprise policy (`3rdparty.extensions.<id>`). This
   * browser alone sees them: see `withPolicy`. Needs `canGivePolicy()`.
   */
  policy?: (emulator: Emulator) => Record<string, unknown>;
  /** Prepares the new profile before Chromium starts (e.g. a permission the agent granted earlier). */
  prepareProfile?: (userDataDir: string) => void;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const emulator = await startEmulator({ confirmDelayMs: 100, ...options.emulator });
  await options.beforeLaunch?.(emulator);
  const userDataDir = mkdtempSync(join(tmpdir(), 'gmc-e2e-'));
  const executablePath = options.policy ? withPolicy(userDataDir, options.policy(emulator)) : ensureChromium();
  options.prepareProfile?.(userDataDir);
  const extensions = [...(options.otherExtensions ?? []), options.extensionPath ?? EXTENSION_PATH].join(',');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
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
  await settleWelcome(context, worker, !options.unconfigured);
  return {
    emulator,
    context,
    worker,
    userDataDir,
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
      rmSync(`${userDataDir}-policy`, { recursive: true, force: true });
    },
  };
}

/** What the install's welcome did: Settings `opened` (nothing was configured), or `not-needed`. */
export function welcomeOf(worker: Worker): Promise<string> {
  return worker.evaluate(() => (globalThis as unknown as { gmcWelcome: () => string }).gmcWelcome());
}

/**
 * Chrome opens the install's Settings tab over the blank tab a test may just be navigating (its
 * "singleton tab overwriting the new tab page"), so no test opens a page before the welcome is
 * decided. A configured rig closes a Settings tab that opened before its settings were written.
 */
async function settleWelcome(context: BrowserContext, worker: Worker, configured: boolean): Promise<void> {
  // The welcome waits for the policy read (up to 30 s, seconds on a loaded machine): a tab opened
  // before it decides can be taken over by the Settings tab.
  const deadline = Date.now() + 35_000;
  let welcome = await welcomeOf(worker).catch(() => 'pending');
  while (welcome === 'pending' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    welcome = await welcomeOf(worker).catch(() => 'pending');
  }
  if (welcome !== 'opened' || !configured) return;
  const isSettings = (page: Page) => page.url().endsWith('/src/options/index.html');
  const settings = context.pages().find(isSettings) ?? (await context.waitForEvent('page', { predicate: isSettings, timeout: 5_000 }).catch(() => undefined));
  await settings?.close();
}

const POLICY_DIR = '/etc/chromium/policies/managed';

/**
 * Whether a test can give one browser its own enterprise policy: Debian's Chromium, which reads
 * policy from /etc/chromium/policies/managed, and root with `unshare` for a private mount of that
 * folder. Elsewhere policy tests are skipped (they say so).
 */
export function canGivePolicy(): boolean {
  return findChromium() === '/usr/bin/chromium' && process.getuid?.() === 0 && spawnSync('unshare', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * A Chromium that sees `values` as this extension's policy and nothing else: it starts in its own
 * mount namespace with a private folder bound over the policy folder, so neither the machine's
 * policy nor other browsers (a parallel run, the bench) are touched. Returns the launcher to run.
 */
function withPolicy(userDataDir: string, values: Record<string, unknown>): string {
  const chromium = ensureChromium();
  const dir = `${userDataDir}-policy`;
  mkdirSync(join(dir, 'managed'), { recursive: true });
  writeFileSync(join(dir, 'managed', 'genesys-mic-control.json'), JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: values } } }));
  const launcher = join(dir, 'chromium');
  writeFileSync(
    launcher,
    `#!/bin/sh
# Chromium with a policy of its own (test/e2e/harness.ts, withPolicy).
exec unshare --mount --propagation private sh -c 'mkdir -p ${POLICY_DIR} && mount --bind "$0" ${POLICY_DIR} && exec "$@"' '${join(dir, 'managed')}' '${chromium}' "$@"
`,
  );
  chmodSync(launcher, 0o755);
  return launcher;
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

/**
 * Delivers a command to the worker as Chrome does when the agent presses the shortcut; resolves
 * with the moment just before (epoch milliseconds, the worker's clock).
 */
export async function dispatchCommand(worker: Worker, command: string): Promise<number> {
  return worker.evaluate((name) => {
    const at = performance.timeOrigin + performance.now();
    (globalThis as unknown as TestHooks).gmcDispatchCommand(name);
    return at;
  }, command);
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

/** The centre of the page control's button, where a real mouse click lands. */
export async function controlCentre(page: Page): Promise<{ x: number; y: number }> {
  const box = await pageControl(page).boundingBox();
  if (!box) throw new Error('the page control is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
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
    shortcut: async () => void (await dispatchCommand(rig.worker, 'toggle-mute')),
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

/**
 * Runs `expression` in the content script's isolated world on `page`, or in a frame from another
 * site (what a compromised renderer could do with the extension's own messaging) and returns its
 * JSON-able result.
 */
export async function inContentScript(target: Page | Frame, expression: string): Promise<unknown> {
  // A frame from another site (the embedded client in a CRM's page) is a target of its own.
  const page = 'context' in target ? target : target.page();
  const cdp = await page.context().newCDPSession(target);
  try {
    const contexts: { id: number; name: string; auxData?: { type?: string } }[] = [];
    cdp.on('Runtime.executionContextCreated', (event) => contexts.push(event.context as (typeof contexts)[number]));
    await cdp.send('Runtime.enable');
    const world = contexts.find((context) => context.auxData?.type === 'isolated' && context.name === 'Genesys Mic Control');
    if (!world) throw new Error('the content script is not running on this page');
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { contextId: world.id, expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value as unknown;
  } finally {
    await cdp.detach();
  }
}

/**
 * A profile in which the agent already allowed the extension to use the microphone (what Chrome
 * stores when they choose Allow in Settings): the content setting for the extension's origin.
 */
export function grantMicrophone(userDataDir: string): void {
  mkdirSync(join(userDataDir, 'Default'), { recursive: true });
  const preferences = {
    profile: { content_settings: { exceptions: { media_stream_mic: { [`chrome-extension://${EXTENSION_ID}/,*`]: { setting: 1 } } } } },
  };
  writeFileSync(join(userDataDir, 'Default', 'Preferences'), JSON.stringify(preferences));
}

/** The fake microphone's flags: Chromium plays `wav` (48 kHz mono 16-bit) from its start at each capture. */
export function fakeMicrophone(wav: string): string[] {
  return ['--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}%noloop`];
}

/** What the speaking-while-muted warning is doing in the worker (test build hook). */
export interface SpeakingState {
  listening: boolean;
  since?: number;
  nudge?: string;
  /** Warnings shown and warning cues played since the worker started. */
  nudges: number;
  cues: number;
}

export async function speakingState(worker: Worker): Promise<SpeakingState> {
  return worker.evaluate(() => (globalThis as unknown as { gmcSpeaking: () => SpeakingState }).gmcSpeaking());
}

/** Offscreen documents open now, as the worker sees them. */
export async function offscreenDocuments(worker: Worker): Promise<number> {
  return worker.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })).length);
}

/** Live microphone tracks in the offscreen document (0 when it is not there). */
export async function liveMicrophoneTracks(worker: Worker): Promise<number> {
  return worker.evaluate(async () => {
    const open = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] });
    if (open.length === 0) return 0;
    const answer = (await chrome.runtime.sendMessage({ type: 'mic-status' }).catch(() => undefined)) as { liveTracks?: number } | undefined;
    return answer?.liveTracks ?? 0;
  });
}
