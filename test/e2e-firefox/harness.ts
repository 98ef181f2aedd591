// Drives Firefox (ESR 140+) with the Firefox e2e build of the extension (dist-firefox-e2e/) against
// the bundled emulator, through puppeteer-core over WebDriver BiDi (no geckodriver).
//
// How it reaches the extension (see docs/FIREFOX.md for why each is so):
// - The add-on is installed as a temporary add-on (`browser.installExtension`); its moz-extension
//   UUID is pinned with the pref `extensions.webextensions.uuids`, so page URLs are known.
// - BiDi navigates to moz-extension:// only when Firefox runs with `--remote-allow-system-access`,
//   and then only without waiting for a lifecycle event; `page.url()` stays about:blank, so readiness is read
//   from `location.href` and `document.readyState` inside the page.
// - The background is an event page, not a worker, and BiDi does not list it. Any extension page
//   can reach its window with `runtime.getBackgroundPage()`; the harness keeps one "control" tab on
//   an extension resource with no script of ours (icons/icon-16.png: it still gets the extension
//   APIs, opens no port and sends no message) and evaluates there.
import puppeteer, { type Browser, type ElementHandle, type Frame, type Page } from 'puppeteer-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureFirefox } from '../../scripts/firefox.ts';
import { ensureXTools } from '../../scripts/system.ts';
import { onDisplay, pressKeys, startXvfb, type Xvfb } from '../../scripts/xvfb.ts';
import type { Agent } from '../shared/agent.ts';
import { GECKO_ID } from '../../manifest.gecko.ts';
import { FIREFOX_REDIRECT_URI, startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/server.ts';
import type { MicView } from '../../src/shared/view.ts';

/** The moz-extension UUID the harness pins (any fixed v4 UUID). */
export const ADDON_UUID = '6c1f4b7e-2d1a-4c4e-9a55-3f0e1d2c3b4a';
export const EXTENSION_ORIGIN = `moz-extension://${ADDON_UUID}`;
export const EXTENSION_PATH = resolve(import.meta.dirname, '../../dist-firefox-e2e');
export const CLIENT_ID = 'gmc-demo-client';
const ARTIFACTS = resolve(import.meta.dirname, '../../artifacts');
/** Firefox's identity.getRedirectURL(): the SHA-1 of the add-on id under extensions.allizom.org. */
export const REDIRECT_URI = FIREFOX_REDIRECT_URI;
/** An extension resource that runs none of our code: the control tab evaluates there. */
const CONTROL_PATH = 'icons/icon-16.png';

export interface FirefoxRigOptions {
  emulator?: EmulatorOptions;
  /** Skip configuring region and client id. */
  unconfigured?: boolean;
  /** Default true. A headed run needs a display (e.g. Xvfb), e.g. for real key presses. */
  headless?: boolean;
  /** More Firefox preferences (e.g. `extensions.background.idle.timeout`). */
  prefs?: Record<string, unknown>;
  /** Another build than dist-firefox-e2e/. */
  extensionPath?: string;
  /** Runs after the emulator started and before Firefox starts (e.g. to write policies.json). */
  beforeLaunch?: (emulator: Emulator) => void | Promise<void>;
  /** Environment for the Firefox process (e.g. DISPLAY). */
  env?: Record<string, string | undefined>;
}

export interface FirefoxRig {
  emulator: Emulator;
  browser: Browser;
  /** The add-on id Firefox reports (GECKO_ID). */
  addonId: string;
  /** The Firefox parent process (its windows are the ones real key presses go to). */
  pid: number | undefined;
  /** Opens an extension page (popup, options) in a tab, loaded. */
  extensionPage(path: 'popup' | 'options'): Promise<Page>;
  /** Opens the emulator's stand-in agent desktop. */
  agentDesktop(): Promise<Page>;
  /**
   * Runs `fn(backgroundWindow, arg)` in the control tab with the background page's window (which
   * `runtime.getBackgroundPage()` starts if Firefox had stopped it). `fn` is sent as source text:
   * it may use only its arguments and the page's globals. The result must be JSON-serialisable.
   */
  background<T, A = undefined>(fn: (background: BackgroundWindow, arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Runs `fn(arg)` in the control tab (extension APIs as `browser`/`chrome`); never wakes the background by itself. */
  extension<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** The view the background would push now (the test build's `gmcView`). Starts a stopped background. */
  view(): Promise<MicView>;
  /** The toolbar badge text (read without waking the background). */
  badgeText(): Promise<string>;
  /** Whether Firefox is running the background page now (runtime.getContexts; does not wake it). */
  backgroundRunning(): Promise<boolean>;
  configure(environment: string, clientId: string): Promise<void>;
  /** Opens a new control tab (after the add-on reloaded, which closes the old one). */
  newControlTab(): Promise<void>;
  close(): Promise<void>;
}

/** What the test build puts on the background page's global (src/background/index.ts). */
export interface BackgroundWindow {
  gmcView(): Promise<MicView>;
  gmcDispatchCommand(command: string): void;
  gmcSoundsPlayed(): number;
  /** The optional features running now (keep-alive, mute-cue, failure-notice). */
  gmcFeatures(): string[];
  gmcConnection(): { phase: string };
  gmcStartup: { evaluatedMs: number; readyMs?: number };
  performance: Performance;
  [key: string]: unknown;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Polls `check` until it returns something other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(intervalMs);
  }
}

/** Navigates a tab to a moz-extension:// URL and waits until it has loaded (BiDi cannot wait for it). */
export async function gotoExtensionUrl(page: Page, url: string): Promise<Page> {
  // No lifecycle event to wait for (an empty list; the untyped 'none' does the same): Firefox never
  // reports load for moz-extension:// to BiDi, so the wait would time out.
  await page.goto(url, { waitUntil: [] });
  await waitFor(`${url} to load`, () => page.evaluate((wanted) => location.href === wanted && document.readyState === 'complete', url));
  return page;
}

/** `fn` and `arg` as an expression BiDi evaluates (extension pages' CSP forbids eval, BiDi is not bound by it). */
function call(fn: (...args: never[]) => unknown, prefix: string, arg: unknown): string {
  return `(async () => { ${prefix} return JSON.stringify(await (${fn.toString()})(${prefix ? 'background, ' : ''}${JSON.stringify(arg ?? null)}) ?? null); })()`;
}

export async function startFirefoxRig(options: FirefoxRigOptions = {}): Promise<FirefoxRig> {
  // The emulator's default client registers both browsers' redirect URIs.
  const emulator = await startEmulator({ confirmDelayMs: 100, ...options.emulator });
  let browser: Browser | undefined;
  try {
    await options.beforeLaunch?.(emulator);
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: ensureFirefox(),
      headless: options.headless ?? true,
      // Lets BiDi open moz-extension:// pages (tabs) at all.
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: ADDON_UUID }),
        ...options.prefs,
      },
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    });
    const addonId = await browser.installExtension(options.extensionPath ?? EXTENSION_PATH);
    // Unconfigured, the extension opens its Settings page on install, and Firefox puts it in the
    // active tab when that is blank: let it land before the control tab is made (it would take that).
    if (options.unconfigured) await welcomePage(browser).catch(() => undefined);
    const opened = browser;
    const controlUrl = `${EXTENSION_ORIGIN}/${CONTROL_PATH}`;
    let control = await gotoExtensionUrl(await browser.newPage(), controlUrl);
    const extension = async <T, A>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> =>
      JSON.parse(await control.evaluate(call(fn as never, '', arg)) as string) as T;
    const background = async <T, A>(fn: (background: BackgroundWindow, arg: A) => T | Promise<T>, arg?: A): Promise<T> =>
      JSON.parse(await control.evaluate(call(fn as never, 'const background = await browser.runtime.getBackgroundPage();', arg)) as string) as T;
    const rig: FirefoxRig = {
      emulator,
      browser,
      addonId,
      pid: browser.process()?.pid,
      extension,
      background,
      async extensionPage(path) {
        return gotoExtensionUrl(await opened.newPage(), `${EXTENSION_ORIGIN}/src/${path}/index.html`);
      },
      async agentDesktop() {
        const page = await opened.newPage();
        await page.goto(`${emulator.origin}/directory/`);
        return page;
      },
      async newControlTab() {
        // Firefox closes an add-on's tabs when it reloads: evaluate in a fresh one.
        await control.close().catch(() => undefined);
        control = await gotoExtensionUrl(await opened.newPage(), controlUrl);
      },
      view: () => background((bg) => bg.gmcView()),
      badgeText: () => extension(() => chrome.action.getBadgeText({})),
      backgroundRunning: () => extension(async () => (await chrome.runtime.getContexts({ contextTypes: ['BACKGROUND' as chrome.runtime.ContextType] })).length > 0),
      configure: (environment, clientId) => extension((settings) => chrome.storage.local.set({ settings }), { environment, clientId }),
      async close() {
        await opened.close().catch(() => undefined);
        await emulator.close();
      },
    };
    if (!options.unconfigured) {
      await rig.configure(emulator.origin, CLIENT_ID);
      await closeWelcomeTab(rig);
    }
    return rig;
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await emulator.close();
    throw error;
  }
}

/** The Settings page the extension opens on install when nothing is configured (waits up to 3 s). */
export async function welcomePage(browser: Browser, timeoutMs = 3_000): Promise<Page> {
  const optionsUrl = `${EXTENSION_ORIGIN}/src/options/index.html`;
  return waitFor('the welcome tab', async () => {
    for (const page of await browser.pages()) {
      if ((await page.evaluate(() => location.href).catch(() => '')) === optionsUrl) return page;
    }
    return undefined;
  }, timeoutMs, 100);
}

/**
 * A new install with nothing configured opens the options page (MicWorker.welcome), racing the
 * harness's configure(). That tab holds a view port, so a configured rig closes it if it appears.
 */
async function closeWelcomeTab(rig: FirefoxRig): Promise<void> {
  const optionsUrl = `${EXTENSION_ORIGIN}/src/options/index.html`;
  await waitFor('the welcome tab', () => rig.extension(async (url) => {
    const tabs = await chrome.tabs.query({ url });
    await Promise.all(tabs.map((tab) => chrome.tabs.remove(tab.id!)));
    return tabs.length > 0;
  }, optionsUrl), 2_000).catch(() => undefined);
}

/** The page control's button inside the open shadow root (puppeteer's `>>>` pierces it; `::-p-aria` does not in Firefox). */
export const PAGE_CONTROL = 'genesys-mic-control >>> button[aria-label="Mute microphone"]';

/** The page control in `page`, or in a frame (the embedded client's, in a CRM's page). */
export async function pageControl(page: Page | Frame, state: 'any' | 'enabled' = 'any', timeout = 15_000): Promise<ElementHandle<Element>> {
  const selector = state === 'enabled' ? `${PAGE_CONTROL}:not([disabled])` : PAGE_CONTROL;
  const handle = await page.waitForSelector(selector, { timeout });
  if (!handle) throw new Error(`No ${selector}`);
  return handle;
}

/**
 * The enabled control once it sits in the stand-in desktop's call toolbar and the page's own
 * re-render has settled, so a click lands on it (it moves there from the corner when a call comes).
 */
export async function settledControl(page: Page): Promise<ElementHandle<Element>> {
  await pageControl(page, 'enabled');
  await page.waitForFunction(() => document.querySelector('genesys-mic-control')?.getAttribute('data-placement') === 'toolbar', { timeout: 15_000 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return pageControl(page, 'enabled');
}

export async function attribute(handle: ElementHandle<Element>, name: string): Promise<string | null> {
  return handle.evaluate((element, attr) => element.getAttribute(attr), name);
}

/** The popup's connection word ("Live", "Signed out", ...). */
export async function connectionWord(popup: Page): Promise<string | null> {
  return popup.$eval('[data-testid=connection]', (element) => element.textContent).catch(() => null);
}

/**
 * Signs in through the popup's button and the emulator's login page, as an agent would; resolves
 * with the popup (in a tab) once live. With a live login session (or autoApprove) no window opens.
 * `words` are the popup's button and connection word in the browser's language (English by default).
 */
export async function signInThroughPopup(rig: FirefoxRig, words: { signIn: string; live: string } = { signIn: 'Sign in', live: 'Live' }): Promise<Page> {
  const popup = await rig.extensionPage('popup');
  const button = await popup.waitForSelector(`::-p-aria([name="${words.signIn}"][role="button"])`, { timeout: 15_000 });
  await button!.click();
  let clickedLogin = false;
  await waitFor(`the popup to say ${words.live}`, async () => {
    if ((await connectionWord(popup)) === words.live) return true;
    if (!clickedLogin) {
      // launchWebAuthFlow opens the authorize page in a popup window, which BiDi lists as a page.
      for (const page of await rig.browser.pages()) {
        if (!page.url().startsWith(`${rig.emulator.origin}/oauth/authorize`)) continue;
        // The emulator's own login page, in English.
        const signIn = await page.waitForSelector('::-p-aria(Sign in)', { timeout: 5_000 });
        await signIn!.click();
        clickedLogin = true;
      }
    }
    return false;
  }, 20_000);
  return popup;
}

/** The page control's state as the page shows it, read fresh each time (a handle can go stale). */
function controlState(page: Page): Promise<{ enabled: boolean; pressed: string | null; status: string | null } | null> {
  return page.evaluate(() => {
    const root = document.querySelector('genesys-mic-control')?.shadowRoot;
    const button = root?.querySelector('button.gmc-button') as HTMLButtonElement | null | undefined;
    if (!button) return null;
    return { enabled: !button.disabled, pressed: button.getAttribute('aria-pressed'), status: root?.querySelector('.gmc')?.getAttribute('data-status') ?? null };
  });
}

/** The page control's `data-status` (live, muted, pending, error, no-call, signed-out...). */
export async function pageStatus(page: Page): Promise<string | null | undefined> {
  return (await controlState(page))?.status;
}

/** How many controls the agent desktop has (exactly one, or none while not configured for it). */
export function controlCount(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelectorAll('genesys-mic-control').length);
}

/** The popup's mute toggle, read fresh each time. */
function popupState(popup: Page): Promise<{ enabled: boolean; pressed: string | null } | null> {
  return popup.evaluate(() => {
    const button = document.querySelector('button[aria-label="Mute microphone"]') as HTMLButtonElement | null;
    return button ? { enabled: !button.disabled, pressed: button.getAttribute('aria-pressed') } : null;
  });
}

export async function popupToggle(popup: Page): Promise<ElementHandle<Element>> {
  const handle = await popup.waitForSelector('button[aria-label="Mute microphone"]:not([disabled])', { timeout: 15_000 });
  if (!handle) throw new Error('No popup toggle');
  return handle;
}

/** Delivers `toggle-mute` to the background as Firefox does for the shortcut (the test build's hook). */
export async function dispatchCommand(rig: FirefoxRig, command = 'toggle-mute'): Promise<void> {
  await rig.background((bg, name) => bg.gmcDispatchCommand(name), command);
}

/**
 * The agent as the shared journeys (test/shared/) see it. The shortcut is the test build's command
 * hook unless `shortcut` presses the real keys (a headed rig on Xvfb, see `startHeadedFirefoxRig`).
 */
export function agentOf(rig: FirefoxRig, popup: Page, desk: Page, shortcut?: () => Promise<void>): Agent {
  return {
    emulator: rig.emulator,
    page: {
      enabled: async () => (await controlState(desk))?.enabled ?? false,
      pressed: async () => (await controlState(desk))?.pressed ?? null,
      click: async () => (await settledControl(desk)).click(),
    },
    popup: {
      enabled: async () => (await popupState(popup))?.enabled ?? false,
      pressed: async () => (await popupState(popup))?.pressed ?? null,
      click: async () => (await popupToggle(popup)).click(),
      connection: () => connectionWord(popup),
      text: (testId) => popup.$eval(`[data-testid="${testId}"]`, (element) => element.textContent ?? '').catch(() => ''),
    },
    shortcut: shortcut ?? (() => dispatchCommand(rig)),
    view: () => rig.view(),
    badge: () => rig.badgeText(),
    snapshot: async (name) => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await desk.screenshot({ path: join(ARTIFACTS, `firefox-${name}.png`) });
    },
  };
}

export interface FirefoxOnACall {
  rig: FirefoxRig;
  popup: Page;
  desk: Page;
  call: string;
}

/** A signed-in agent with the agent desktop open and one connected call the control can act on. */
export async function startOnACall(customerName: string, options: FirefoxRigOptions = {}): Promise<FirefoxOnACall> {
  const rig = await startFirefoxRig(options);
  const popup = await signInThroughPopup(rig);
  const desk = await rig.agentDesktop();
  const call = rig.emulator.startCall({ customerName });
  await settledControl(desk);
  return { rig, popup, desk, call };
}

/** Whether this machine can press real keys into a headed Firefox (Xvfb and xdotool, installed where apt-get can). */
export function canPressRealKeys(): boolean {
  return ensureXTools();
}

export interface HeadedFirefox {
  rig: FirefoxRig;
  xvfb: Xvfb;
  /**
   * Presses `keys` (xdotool syntax) for real: focuses a Firefox window on the private display first,
   * because Firefox delivers extension commands only while one of its windows has focus.
   */
  press(keys: string): void;
  close(): Promise<void>;
}

/** A headed Firefox on a private Xvfb display, for real key presses (the `toggle-mute` shortcut). */
export async function startHeadedFirefoxRig(options: FirefoxRigOptions = {}): Promise<HeadedFirefox> {
  const xvfb = await startXvfb();
  try {
    const rig = await onDisplay(xvfb.display, () => startFirefoxRig({ ...options, headless: false, env: { ...options.env, DISPLAY: xvfb.display } }));
    return {
      rig,
      xvfb,
      press(keys) {
        focusFirefoxWindow(xvfb.display, rig.pid);
        pressKeys(xvfb.display, keys);
      },
      async close() {
        await rig.close();
        xvfb.stop();
      },
    };
  } catch (error) {
    xvfb.stop();
    throw error;
  }
}

/**
 * Gives a Firefox top-level window the X input focus. xdotool lists several windows of the process;
 * the first ones are not focusable (BadMatch, measured), so it tries each until one takes focus.
 */
function focusFirefoxWindow(display: string, pid: number | undefined): void {
  if (pid === undefined) throw new Error('Firefox has no process id to find its windows by');
  const env = { ...process.env, DISPLAY: display };
  const windows = execFileSync('xdotool', ['search', '--pid', String(pid)], { env, encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  for (const window of windows.reverse()) {
    try {
      execFileSync('xdotool', ['windowfocus', '--sync', window], { env, stdio: 'ignore', timeout: 5_000 });
      return;
    } catch {
      // Not a focusable top-level window: try the next.
    }
  }
  throw new Error(`None of Firefox's windows (${windows.join(', ')}) would take the focus on ${display}`);
}
