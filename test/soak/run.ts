// A compressed shift: one Chromium with the e2e build against the emulator, an agent's day and a
// stream of faults from a seeded schedule, and the five invariants judged throughout and at the end.
import type { Page } from 'playwright-core';
import {
  badgeText,
  currentWorker,
  dispatchCommand,
  EXTENSION_ID,
  pageControl,
  signInThroughPopup,
  startRig,
  workerView,
  type Rig,
  type RigOptions,
} from '../e2e/harness.ts';
import { ensureXTools } from '../../scripts/chromium.ts';
import { onDisplay, pressKeys, startXvfb, type Xvfb } from '../../scripts/xvfb.ts';
import type { CallChange } from '../../emulator/server.ts';
import { backoffCeiling, FAILURES_AFTER_FAILED_REOPEN, type ConnectionState } from '../../src/background/connection/machine.ts';
import { Devtools, freePort, type Utterance } from './devtools.ts';
import { foreignPolicies, inject, interference, type FaultWindow, type Stage } from './faults.ts';
import {
  checkChannels,
  checkPatches,
  checkSockets,
  describeTruth,
  disagreement,
  Judge,
  judgeIntents,
  secretsIn,
  type Click,
  type IntentVerdict,
  type ReceivedView,
  type Truth,
  type ViewsSample,
  type Violation,
} from './invariants.ts';
import { buildSchedule, countFaults, type Action, type FaultSpec, type Schedule, type Surface } from './schedule.ts';

export interface SoakOptions {
  seed: number;
  /** Wall-clock length of the schedule. Default 270 s. */
  wallMs?: number;
  /** Shift time per wall time. Default 8 (270 s of wall time: a 36-minute shift). */
  compression?: number;
  /** Real key presses with xdotool on a private Xvfb display: 'auto' (default) when both exist. */
  keys?: boolean | 'auto';
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Notification channels live this long (Genesys: 24 h). Default 45 s: several renewals a run. */
  channelLifetimeMs?: number;
  /** Tokens Genesys issues live this long (the client believes at least 5 minutes). Default 100 s. */
  tokenLifetimeSeconds?: number;
}

export interface HeapFigures {
  workerStart?: number;
  workerEnd?: number;
  pageStart?: number;
  pageEnd?: number;
}

export interface SoakResult {
  seed: number;
  wallMs: number;
  compression: number;
  /** How long the run took, start to end, including the browser's start and the final checks. */
  elapsedMs: number;
  keys: boolean;
  events: Record<string, number>;
  faults: Record<string, number>;
  plannedFaults: number;
  convergenceMs: number[];
  extendedByBackoff: number;
  violations: Violation[];
  intents: Omit<IntentVerdict, 'lost'> & { lost: number };
  patches: number;
  requests: number;
  channels: { created: number; used: number; maxAlive: number; lifetimeMs: number };
  sockets: { opened: number; maxOpen: number; openAtEnd: number };
  heap: HeapFigures;
  workerStarts: number;
  tokensIssued: number;
  /** The browser's own log lines in the worker's console that name a channel (see RELIABILITY.md). */
  browserLinesNamingChannel: number;
  /** Windows when another process changed the browser's world (judged as faults, not counted as injected). */
  interference: string[];
  diagnostics?: string;
}

/**
 * The recorder every extension page gets: what the worker sends it (pushed views and answers), for
 * the secrets and intents invariants. Plain JavaScript: a function's source from tsx would carry
 * its helpers (`__name`) into the page.
 */
const RECORD_RECEIVED = `(() => {
  if (location.protocol !== 'chrome-extension:') return;
  const received = [];
  globalThis.__soakReceived = received;
  const keep = (message) => {
    try { received.push({ at: Date.now(), json: JSON.stringify(message) ?? 'undefined' }); } catch {}
  };
  const runtime = chrome.runtime;
  const connect = runtime.connect.bind(runtime);
  const send = runtime.sendMessage.bind(runtime);
  runtime.connect = (...args) => {
    const port = connect(...args);
    port.onMessage.addListener(keep);
    return port;
  };
  runtime.sendMessage = (...args) => {
    const answer = send(...args);
    if (answer && typeof answer.then === 'function') answer.then(keep, () => undefined);
    return answer;
  };
})();`;

/**
 * Where a click on the mute control lands, recorded by the page itself (capture phase, before the
 * control's own handler): when, and what the control showed — so the agent's wish is exact even
 * when a loaded machine makes the click arrive late.
 */
const RECORD_CLICKS = `(() => {
  if (globalThis.__soakClicks) return;
  const clicks = [];
  globalThis.__soakClicks = clicks;
  document.addEventListener('click', (event) => {
    if (!event.isTrusted) return;
    const button = event.composedPath().find((node) => node instanceof HTMLButtonElement && node.getAttribute('aria-label') === 'Mute microphone');
    if (!button) return;
    clicks.push({ at: Date.now(), pressed: button.getAttribute('aria-pressed'), status: button.parentElement?.getAttribute('data-status') ?? null });
  }, true);
})()`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** `promise`, or `fallback` after `ms`; a late rejection is swallowed (never an unhandled one). */
function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  promise.catch(() => undefined);
  return Promise.race([promise.catch(() => fallback), sleep(ms).then(() => fallback)]);
}

/**
 * How long the connection may take to its next attempt as the machine schedules it (Retry-After
 * aside); for a reopen of a lost socket, to the attempt after it too: an expired channel refuses it,
 * and the wait after a failed reopen is spread over 1–10 s.
 */
function nextAttemptWithin(state: Pick<ConnectionState, 'phase' | 'failures' | 'reopen'>): number {
  const afterFailedReopen = (failures: number): number => backoffCeiling(Math.max(failures + 1, FAILURES_AFTER_FAILED_REOPEN), true);
  if (state.phase === 'backoff') return backoffCeiling(state.failures, state.reopen === 'failed') + (state.reopen === 'planned' ? afterFailedReopen(state.failures) : 0);
  if (state.phase === 'opening' && state.reopen === 'trying') return afterFailedReopen(state.failures);
  if (state.phase === 'preparing' || state.phase === 'opening' || state.phase === 'catching-up') return backoffCeiling(state.failures + 1);
  return 0;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  // Whatever happens, the browser, the emulator and the display go (last opened, first closed).
  const closing: (() => unknown)[] = [];
  try {
    return await soak(options, closing);
  } finally {
    for (const close of closing.reverse()) await Promise.resolve(close()).catch(() => undefined);
  }
}

async function soak(options: SoakOptions, closing: (() => unknown)[]): Promise<SoakResult> {
  const wallMs = options.wallMs ?? 270_000;
  const compression = options.compression ?? 8;
  const channelLifetimeMs = options.channelLifetimeMs ?? 45_000;
  const log = options.log ?? (() => undefined);
  const keys = options.keys === false ? false : ensureXTools() && (options.keys === true || options.keys === undefined || options.keys === 'auto');
  const schedule: Schedule = buildSchedule({ seed: options.seed, wallMs, compression, keys });
  const began = Date.now();
  const now = (): number => performance.timeOrigin + performance.now();

  let xvfb: Xvfb | undefined;
  if (keys) {
    const display = await startXvfb();
    closing.push(() => display.stop());
    xvfb = display;
  }
  const port = await freePort();
  const rigOptions: RigOptions = {
    headless: !xvfb,
    args: [`--remote-debugging-port=${port}`],
    emulator: {
      confirmDelayMs: 100,
      channelLifetimeMs,
      socketClosingGraceMs: 2_000,
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 100,
    },
  };
  const rig: Rig = xvfb ? await onDisplay(xvfb.display, () => startRig(rigOptions)) : await startRig(rigOptions);
  closing.push(() => rig.close());
  const { emulator, context } = rig;
  const devtools = await Devtools.connect(port, EXTENSION_ID);
  closing.push(() => devtools.close());
  const judge = new Judge({ seed: options.seed, start: began, compression });
  judge.extraNotes = () =>
    emulator
      .requests()
      .filter((r) => !r.path.startsWith('/oauth/authorize/'))
      .map((r) => ({
        at: r.wallTime,
        text: `  → ${r.method} ${r.path.replace(/streaming-[^/]+/, '{channel}').replace(/\/participants\/.*/, '/participants/{agent}').replace(/calls\/[0-9a-f-]{36}/, `calls/{${customers.get(/calls\/([0-9a-f-]{36})/.exec(r.path)?.[1] ?? '') ?? 'call'}}`)}${r.method === 'PATCH' ? ` ${r.body}` : ''} → ${r.status ?? '…'}`,
      }));

  // ---- what the browser says -------------------------------------------------------------------
  const utterances: Utterance[] = [];
  devtools.onUtterance((u) => {
    utterances.push(u);
    if (u.kind === 'console' && devtools.isWorker(u.target) && u.text.startsWith('[mic]')) judge.note(u.at, `  worker: ${u.text.slice(6)}`);
    if (process.env['SOAK_DEBUG']) log(`    ${judge.when(u.at)} [${where(u.target.url)}${devtools.isWorker(u.target) ? ` #${devtools.workerNumber(u.target)}` : ''} ${u.kind} ${u.level}${u.ours ? '' : ' (page\'s own)'}] ${u.text.slice(0, 300)}`);
    if (u.ours && (u.kind === 'exception' || (u.kind === 'console' && u.level === 'error'))) {
      judge.violate(5, u.at, `${u.kind === 'exception' ? 'an uncaught exception' : 'an error logged'} in ${where(u.target.url)}`, u.text.slice(0, 400));
    }
  });
  devtools.onWorkerStarted((n) => {
    judge.note(now(), `service worker #${n} started`);
    if (process.env['SOAK_DEBUG']) {
      log(`    ${judge.when(now())} service worker #${n} started`);
      void within(
        currentWorker(context).then((worker) =>
          worker.evaluate(() =>
            chrome.storage.onChanged.addListener((changes, area) => {
              if (area !== 'session') console.debug(`[mic] (soak) storage ${area} changed: ${JSON.stringify(changes)}`);
            }),
          ),
        ),
        3_000,
        undefined,
      );
    }
  });

  const extensions = await context.newPage();
  await extensions.goto('chrome://extensions');
  await extensions.evaluate(() =>
    (chrome as unknown as { developerPrivate: { updateProfileConfiguration(c: { inDeveloperMode: boolean }): Promise<void> } }).developerPrivate.updateProfileConfiguration({
      inDeveloperMode: true,
    }),
  );
  await extensions.close();
  await context.addInitScript({ content: RECORD_RECEIVED });

  // ---- the agent's screens ---------------------------------------------------------------------
  judge.note(now(), 'the agent signs in through the popup');
  let popup: Page = await signInThroughPopup(rig);
  judge.note(now(), 'signed in; the agent opens the agent desktop');
  const desk: Page = await rig.agentDesktop();
  const received: ReceivedView[] = [];
  const receivedJson: string[] = [];
  /** Times the popup was there to record what it received (for judging intents). */
  const popupGaps: { from: number; to?: number }[] = [];

  async function openPopup(): Promise<Page> {
    if (!xvfb) return rig.extensionPage('popup');
    // A window of its own: a background tab of a headed browser does not render, and cannot be clicked.
    const opened = context.waitForEvent('page', { predicate: (p) => p.url().includes('/src/popup/'), timeout: 15_000 });
    const worker = await currentWorker(context);
    await worker.evaluate(() => chrome.windows.create({ url: chrome.runtime.getURL('src/popup/index.html'), type: 'popup', width: 380, height: 560, left: 880, top: 20 }));
    const page = await opened;
    await page.waitForLoadState('domcontentloaded');
    return page;
  }
  if (xvfb) {
    const tab = popup;
    popup = await openPopup();
    await tab.close();
    await desk.bringToFront();
  }
  await pageControl(desk).waitFor({ timeout: 15_000 });
  await desk.evaluate(RECORD_CLICKS);
  await popup.evaluate(RECORD_CLICKS);

  // ---- the calls as Genesys has them -----------------------------------------------------------
  const conversations = new Map<number, string>();
  const customers = new Map<string, string>();
  const truthNow = (): Truth => {
    let best: { id: string; muted: boolean; connected: number; order: number } | undefined;
    let order = 0;
    for (const id of conversations.values()) {
      order += 1;
      const call = emulator.call(id);
      const agent = call?.participants?.find((p) => p.purpose === 'agent');
      if (!agent || agent.state !== 'connected' || agent.held) continue;
      const connected = Date.parse(agent.connectedTime ?? '') || 0;
      if (!best || connected > best.connected || (connected === best.connected && order > best.order)) best = { id, muted: agent.muted === true, connected, order };
    }
    return best ? { conversationId: best.id, muted: best.muted, customer: customers.get(best.id) ?? '' } : {};
  };
  const controlledTimeline: { at: number; conversationId?: string }[] = [];
  const controlledAt = (at: number): string | undefined => controlledTimeline.filter((entry) => entry.at <= at).at(-1)?.conversationId;
  /** The agent's calls in the 15 s up to `at`. */
  const recentCalls = (at: number): string[] => {
    const ids = controlledTimeline.filter((entry, i) => entry.at <= at && (controlledTimeline[i + 1]?.at ?? Infinity) >= at - 15_000).map((entry) => entry.conversationId);
    return [...new Set(ids.filter((id): id is string => id !== undefined))];
  };

  // ---- the views -------------------------------------------------------------------------------
  const readPage = () =>
    within(
      desk.evaluate(() => {
        const hosts = document.querySelectorAll('genesys-mic-control');
        const root = hosts[hosts.length - 1]?.shadowRoot;
        const button = root?.querySelector('button');
        return {
          count: hosts.length,
          status: root?.querySelector('.gmc')?.getAttribute('data-status') ?? null,
          pressed: button?.getAttribute('aria-pressed') ?? null,
          disabled: button ? button.disabled : null,
        };
      }),
      1_000,
      undefined,
    );
  const readPopup = () =>
    within(
      popup.evaluate(() => {
        const button = document.querySelector<HTMLButtonElement>('button[aria-label="Mute microphone"]');
        return {
          status: document.querySelector('.gmc')?.getAttribute('data-status') ?? (document.querySelector('.setup') ? 'signed-out' : null),
          pressed: button?.getAttribute('aria-pressed') ?? null,
          disabled: button ? button.disabled : null,
          who: document.querySelector('.call-who strong')?.textContent ?? null,
        };
      }),
      1_000,
      undefined,
    );
  const readBadge = () => within(currentWorker(context).then((worker) => within(badgeText(worker), 800, undefined)), 1_000, undefined);
  const connectionAllowance = async (): Promise<number> => {
    const state = await within(
      currentWorker(context).then((worker) => worker.evaluate(() => (globalThis as unknown as { gmcConnection: () => ConnectionState }).gmcConnection())),
      800,
      undefined,
    );
    return state ? nextAttemptWithin(state) : 0;
  };

  let lastShown = '';
  let running = true;
  let samples = 0;
  type Landed = { at: number; pressed: string | null; status: string | null };
  async function drainClicks(surface: 'page' | 'popup'): Promise<void> {
    const page = surface === 'page' ? desk : popup;
    const batch = await within(page.evaluate(() => (globalThis as unknown as { __soakClicks?: Landed[] }).__soakClicks?.splice(0) ?? []), 1_000, undefined);
    for (const landed of batch ?? []) {
      const conversationId = controlledAt(landed.at);
      const want = landed.pressed !== 'true';
      clicks.push({ at: landed.at, surface, want, calls: recentCalls(landed.at), ...(conversationId ? { conversationId } : {}) });
      clicks.sort((a, b) => a.at - b.at);
      count(`click: ${surface}`);
      judge.note(landed.at, `click on the ${surface} lands: ${want ? 'mute' : 'unmute'}${conversationId ? '' : ' (no call)'}`);
    }
  }
  async function drainPopup(): Promise<void> {
    await Promise.all([drainClicks('page'), drainClicks('popup')]);
    const batch = await within(popup.evaluate(() => (globalThis as unknown as { __soakReceived?: { at: number; json: string }[] }).__soakReceived?.splice(0) ?? []), 1_000, undefined);
    if (!batch) return;
    for (const { at, json } of batch) {
      receivedJson.push(json);
      try {
        const message = JSON.parse(json) as { type?: string; view?: { status?: string; problem?: { code?: string } }; status?: string; problem?: { code?: string } };
        const view = message?.type === 'view' ? message.view : message;
        if (view && typeof view === 'object' && 'status' in view) received.push({ at, ...(view.status ? { status: view.status } : {}), ...(view.problem?.code ? { problem: view.problem.code } : {}) });
      } catch {
        // 'undefined' answers
      }
    }
  }
  let interfering: FaultWindow | undefined;
  async function sampleLoop(): Promise<void> {
    while (running) {
      const policies = foreignPolicies();
      if (policies.length > 0 && (!interfering || interfering.clearedAt !== undefined)) {
        interfering = interference(stage, policies);
        windows.push(interfering);
        judge.fault(interfering);
      }
      const [page, popupState, badge] = await Promise.all([readPage(), readPopup(), readBadge()]);
      const sample: ViewsSample = { at: now(), ...(page ? { page } : {}), ...(popupState ? { popup: popupState } : {}), ...(badge !== undefined ? { badge } : {}) };
      const truth = truthNow();
      if (controlledTimeline.at(-1)?.conversationId !== truth.conversationId || controlledTimeline.length === 0) controlledTimeline.push({ at: sample.at, ...(truth.conversationId ? { conversationId: truth.conversationId } : {}) });
      const shown = `page ${page?.status}/${page?.pressed}${page && page.count !== 1 ? ` ×${page.count}` : ''}, popup ${popupState?.status}/${popupState?.pressed}, badge "${badge ?? '?'}"`;
      if (shown !== lastShown) {
        lastShown = shown;
        const wrong = disagreement(sample, truth);
        judge.note(sample.at, `views: ${shown}${wrong.length ? ` — truth: ${describeTruth(truth)}` : ''}`);
      }
      judge.tick(sample, truth, connectionAllowance);
      if (++samples % 3 === 0) await drainPopup();
      await sleep(120);
    }
  }

  // ---- secrets: where they must never be ---------------------------------------------------------
  const secretsChecked = new Set<string>();
  function lookForSecrets(where: string, text: string, at = now()): void {
    const found = secretsIn(text, emulator.issuedTokens(), emulator.channels().map((c) => c.id));
    for (const secret of found) {
      const key = `${where} ${secret}`;
      if (secretsChecked.has(key)) continue;
      secretsChecked.add(key);
      judge.violate(4, at, `${secret} in ${where}`, text.slice(0, 300));
    }
  }
  async function scanForSecrets(): Promise<void> {
    const worker = await within(currentWorker(context), 1_000, undefined);
    const local = worker ? await within(worker.evaluate(() => chrome.storage.local.get(null)), 1_000, undefined) : undefined;
    if (local) lookForSecrets('storage.local', JSON.stringify(local));
    const deskDom = await within(
      desk.evaluate(() => document.documentElement.outerHTML + [...document.querySelectorAll('genesys-mic-control')].map((host) => host.shadowRoot?.innerHTML ?? '').join('')),
      1_000,
      undefined,
    );
    if (deskDom) lookForSecrets('the agent desktop\'s DOM', deskDom);
    const popupDom = await within(popup.evaluate(() => document.documentElement.outerHTML), 1_000, undefined);
    if (popupDom) lookForSecrets('the popup\'s DOM', popupDom);
    for (const json of receivedJson.splice(0)) lookForSecrets('a message to a view', json);
    for (const u of utterances) {
      if (u.kind === 'log' && u.source === 'network' && devtools.isWorker(u.target)) continue; // the browser's own, counted apart
      lookForSecrets(`the console of ${where(u.target.url)}`, u.text, u.at);
    }
  }

  // ---- the agent and the faults ------------------------------------------------------------------
  const clicks: Click[] = [];
  const events: Record<string, number> = {};
  const count = (name: string): void => void (events[name] = (events[name] ?? 0) + 1);
  const windows: FaultWindow[] = [];
  const stage: Stage = {
    rig,
    now,
    controlledConversation: () => truthNow().conversationId,
    async reopenPopup() {
      popupGaps.push({ from: now() });
      await drainPopup();
      await popup.close().catch(() => undefined);
      await sleep(500);
      popup = await openPopup().catch(async () => {
        await sleep(2_000);
        return openPopup();
      });
      await popup.evaluate(RECORD_CLICKS).catch(() => undefined);
      popupGaps.at(-1)!.to = now();
      judge.note(now(), 'the agent opened the popup again');
    },
  };

  async function press(surface: Surface): Promise<void> {
    const from = now();
    if (surface === 'page' || surface === 'popup') {
      const target = surface === 'page' ? desk : popup;
      const state = surface === 'page' ? await readPage() : await readPopup();
      if (!state || state.disabled !== false) {
        judge.note(from, `${surface}: the control is not usable (${state?.status ?? 'absent'}), no click`);
        count('click skipped (control not usable)');
        return;
      }
      // Where it lands (and what the agent asked for) is recorded by the page: see RECORD_CLICKS.
      const clicked = await pageControl(target)
        .click({ timeout: 2_000 })
        .then(() => true)
        .catch(() => false);
      if (!clicked) {
        judge.note(from, `${surface}: the click did not land`);
        count('click missed');
      }
      return;
    }
    const worker = await within(currentWorker(context), 2_000, undefined);
    const view = worker ? await within(workerView(worker), 1_500, undefined) : undefined;
    const before = now();
    if (surface === 'keys' && xvfb) pressKeys(xvfb.display, 'alt+shift+m');
    else if (worker) await within(dispatchCommand(worker, 'toggle-mute'), 2_000, undefined);
    // A real key press reaches the extension a little after xdotool returns.
    const at = now() + (surface === 'keys' ? 300 : 0);
    const conversationId = truthNow().conversationId;
    const onCall = view?.call !== undefined && !view.call.held;
    const want = onCall ? !(view.wantMuted ?? view.call!.muted) : undefined;
    clicks.push({ at, from: before, surface, calls: recentCalls(at), ...(want !== undefined ? { want } : {}), ...(conversationId ? { conversationId } : {}), ...(view?.status === 'pending' ? { ambiguous: true } : {}) });
    clicks.sort((a, b) => a.at - b.at);
    count(`click: ${surface}`);
    judge.note(before, `${surface === 'keys' ? 'Alt+Shift+M pressed' : 'shortcut'}${want === undefined ? '' : `: ${want ? 'mute' : 'unmute'}`}${conversationId ? '' : ' (no call)'}`);
  }

  /** Nothing is judged while a fault is being injected (a worker stop takes a moment). */
  async function injectFault(spec: FaultSpec): Promise<void> {
    const window = await judge.acting(() => inject(stage, spec), now);
    windows.push(window);
    judge.fault(window);
  }

  async function perform(action: Action): Promise<void> {
    const at = now();
    const id = (call: number): string => conversations.get(call) ?? '';
    try {
      switch (action.kind) {
        case 'call-arrives': {
          const conversationId = emulator.startCall({ customerName: action.customer, state: action.ringing ? 'alerting' : 'connected' });
          conversations.set(action.call, conversationId);
          customers.set(conversationId, action.customer);
          count(action.customer.startsWith('Colleague') ? 'consult call' : 'call arrives');
          judge.disturbed(at, `${action.customer} ${action.ringing ? 'rings' : 'is connected'}`);
          return;
        }
        case 'answer':
          emulator.answerCall(id(action.call));
          count('answered');
          judge.disturbed(at, `answered ${customers.get(id(action.call))}`);
          return;
        case 'hold':
        case 'unhold':
          emulator.setHeld(id(action.call), action.kind === 'hold');
          count(action.kind);
          judge.disturbed(at, `${action.kind} ${customers.get(id(action.call))}`);
          return;
        case 'end':
          emulator.endCall(id(action.call));
          count(`ended (${action.why})`);
          judge.disturbed(at, `${customers.get(id(action.call))}: call ends (${action.why})`);
          return;
        case 'server-mute':
          emulator.setMuted(id(action.call), action.muted);
          count(action.muted ? 'muted from outside' : 'unmuted from outside');
          judge.disturbed(at, `${action.muted ? 'muted' : 'unmuted'} from outside (Genesys UI or supervisor) on ${customers.get(id(action.call))}`);
          return;
        case 'click': {
          if (action.arm) await injectFault(action.arm);
          await judge.acting(async () => {
            await press(action.surface);
            for (const gap of action.gapsMs) {
              await sleep(gap);
              await press(action.surface);
            }
            if (action.surface === 'page' || action.surface === 'popup') await drainClicks(action.surface);
          }, now);
          return;
        }
        case 'fault':
          await injectFault(action.fault);
          return;
      }
    } catch (error) {
      judge.note(at, `(${action.kind} could not be done: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
    }
  }

  // ---- the shift -------------------------------------------------------------------------------
  await sleep(1_500);
  const heap: HeapFigures = {};
  const pageTarget = (url: string) => url.startsWith(`${emulator.origin}/directory/`);
  heap.workerStart = await devtools.heap((t) => devtools.isWorker(t));
  heap.pageStart = await devtools.heap((t) => t.type === 'page' && pageTarget(t.url));
  const start = now();
  judge.arm(start);
  log(`seed ${options.seed}: ${schedule.items.length} scheduled actions, ${countFaults(schedule)} faults, ${(wallMs / 1000).toFixed(0)} s of wall time = ${((wallMs * compression) / 60_000).toFixed(0)} minutes of shift${keys ? ', real key presses on Xvfb' : ''}`);
  const sampler = sampleLoop();
  const scanner = (async () => {
    while (running) {
      await sleep(5_000);
      await scanForSecrets();
    }
  })();
  const inFlight: Promise<void>[] = [];
  let lastProgress = start;
  for (const item of schedule.items) {
    await sleep(start + item.at - now());
    inFlight.push(perform(item.action));
    if (now() - lastProgress > 30_000) {
      lastProgress = now();
      log(`  ${judge.when(now())}: ${[...judge.faultCounts.values()].reduce((a, b) => a + b, 0)} faults so far, ${judge.violations.length} violations`);
    }
  }
  await Promise.all(inFlight);
  // Every fault clears (or is judged overdue), then the views get their last chance.
  for (let waited = 0; judge.active(now()).length > 0 && waited < 60_000; waited += 500) await sleep(500);
  await sleep(4_000);
  running = false;
  await sampler;
  await scanner;
  await drainPopup();

  // ---- the end of the shift ----------------------------------------------------------------------
  await sleep(1_000);
  heap.workerEnd = await devtools.heap((t) => devtools.isWorker(t));
  heap.pageEnd = await devtools.heap((t) => t.type === 'page' && pageTarget(t.url));
  const end = now();
  const requests = emulator.requests();
  if (process.env['SOAK_DEBUG']) {
    for (const r of requests) log(`    ${judge.when(r.wallTime)} ${r.method} ${r.path.replace(/streaming-[^/]+/, '{channel}').replace(/[0-9a-f-]{36}/g, '{id}')} -> ${r.status}`);
  }
  const toWall = (time: number): number => performance.timeOrigin + time;

  // Invariant 2: every PATCH, and every intent.
  const agentLeg = (conversationId: string): string | undefined => {
    try {
      return emulator.agentParticipantId(conversationId);
    } catch {
      return undefined;
    }
  };
  for (const finding of checkPatches(requests, clicks, agentLeg)) judge.violate(2, finding.at, finding.title, finding.detail);
  const history: CallChange[] = emulator.callHistory().map((h) => ({ ...h, time: toWall(h.time) }));
  const observed = (at: number): boolean => !popupGaps.some((gap) => at >= gap.from - 500 && at <= (gap.to ?? end) + 500);
  const intents = judgeIntents(clicks, history, received, observed, controlledAt);
  for (const { click, why } of intents.lost) {
    judge.violate(2, click.at, `a ${click.want ? 'mute' : 'unmute'} from the ${click.surface} was silently lost`, why);
  }

  // Invariant 3: sockets, channels, heap.
  const sockets = emulator.sockets().map((s) => ({ ...s, openedAt: toWall(s.openedAt), ...(s.closedAt !== undefined ? { closedAt: toWall(s.closedAt) } : {}) }));
  const socketCheck = checkSockets(sockets, end);
  for (const finding of socketCheck.findings) judge.violate(3, finding.at, finding.title, finding.detail);
  const openAtEnd = sockets.filter((s) => s.closedAt === undefined).length;
  if (openAtEnd !== 1) judge.violate(3, end, `${openAtEnd} sockets open at the end of the shift`, 'exactly one while signed in');
  const faultTimes = windows.map((w) => w.startedAt);
  const reloadTimes = windows.filter((w) => w.kind === 'extension-reload').map((w) => w.startedAt);
  const channels = emulator.channels().map((c) => ({ ...c, createdAt: toWall(c.createdAt) }));
  const channelCheck = checkChannels(
    channels,
    requests,
    channelLifetimeMs,
    (from, to) => faultTimes.filter((t) => t >= from && t <= to).length,
    (from, to) => reloadTimes.filter((t) => t >= from && t <= to).length + judge.interferences.filter((w) => (w.clearedAt ?? end) >= from && w.startedAt <= to).length,
  );
  for (const finding of channelCheck.findings) judge.violate(3, finding.at, finding.title, finding.detail);
  checkHeap(judge, 'the worker', heap.workerStart, heap.workerEnd, end);
  checkHeap(judge, 'the agent desktop page', heap.pageStart, heap.pageEnd, end);

  // Invariant 4: a last look everywhere, storage.session beside the session itself included.
  await scanForSecrets();
  const worker = await within(currentWorker(context), 2_000, undefined);
  const sessionRest = worker
    ? await within(
        worker.evaluate(async () => {
          const all = await chrome.storage.session.get(null);
          delete all['session'];
          return JSON.stringify(all);
        }),
        2_000,
        undefined,
      )
    : undefined;
  if (sessionRest) lookForSecrets('storage.session (apart from the session key)', sessionRest);
  // The report an admin would be sent: Settings → Copy diagnostics, as the agent does it.
  const copied = await within(copyDiagnostics(rig), 10_000, undefined);
  const diagnosticsText = copied?.report;
  if (copied) {
    lookForSecrets('the diagnostics report', copied.report);
    lookForSecrets('the options page\'s DOM', copied.dom);
  }
  const browserLines = utterances.filter((u) => u.kind === 'log' && u.source === 'network' && devtools.isWorker(u.target) && secretsIn(u.text, [], channels.map((c) => c.id)).length > 0).length;

  if (process.env['SOAK_DEBUG']) {
    for (const c of [...judge.convergenceDetail].sort((a, b) => b.ms - a.ms).slice(0, 8)) log(`    convergence ${Math.round(c.ms)} ms after ${c.after} (backoff allowance ${c.allowanceMs} ms)`);
  }
  running = false;

  const { lost, ...counted } = intents;
  return {
    seed: options.seed,
    wallMs,
    compression,
    elapsedMs: Date.now() - began,
    keys,
    events,
    faults: Object.fromEntries(judge.faultCounts),
    plannedFaults: countFaults(schedule),
    convergenceMs: judge.convergence,
    extendedByBackoff: judge.convergenceDetail.filter((c) => c.ms > 2_000 && c.allowanceMs > 0).length,
    violations: judge.violations,
    intents: { ...counted, lost: lost.length },
    patches: requests.filter((r) => r.method === 'PATCH').length,
    requests: requests.length,
    channels: { created: channelCheck.created, used: channelCheck.used, maxAlive: channelCheck.maxAlive, lifetimeMs: channelLifetimeMs },
    sockets: { opened: sockets.length, maxOpen: socketCheck.maxOpen, openAtEnd },
    heap,
    workerStarts: devtools.workers.length,
    tokensIssued: emulator.issuedTokens().length,
    browserLinesNamingChannel: browserLines,
    interference: judge.interferences.map((w) => `${judge.when(w.startedAt)}–${w.clearedAt !== undefined ? judge.when(w.clearedAt) : 'end'}: ${w.label}`),
    ...(diagnosticsText ? { diagnostics: diagnosticsText } : {}),
  };
}

/** Settings → Copy diagnostics; the report as the page shows it, and the page's DOM. */
export async function copyDiagnostics(rig: Rig): Promise<{ report: string; dom: string }> {
  const options = await rig.extensionPage('options');
  try {
    await options.getByRole('button', { name: 'Copy diagnostics' }).click();
    const report = options.getByTestId('diagnostics-report');
    await report.waitFor({ timeout: 5_000 });
    return { report: await report.inputValue(), dom: await options.evaluate(() => document.documentElement.outerHTML) };
  } finally {
    await options.close();
  }
}

/** The stated margin: the end within 1.5× the start plus 2 MB (a GC'd heap wanders by that much). */
export const HEAP_MARGIN = { factor: 1.5, bytes: 2_000_000 };

function checkHeap(judge: Judge, what: string, start: number | undefined, end: number | undefined, at: number): void {
  if (start === undefined || end === undefined) {
    judge.note(at, `(the heap of ${what} could not be measured)`);
    return;
  }
  if (end > start * HEAP_MARGIN.factor + HEAP_MARGIN.bytes) {
    judge.violate(3, at, `the JS heap of ${what} grew from ${(start / 1e6).toFixed(2)} MB to ${(end / 1e6).toFixed(2)} MB`, `margin: ${HEAP_MARGIN.factor}× + ${HEAP_MARGIN.bytes / 1e6} MB`);
  }
}

function where(url: string): string {
  if (url.includes('/src/popup/')) return 'the popup';
  if (url.includes('/src/options/')) return 'the options page';
  if (url.startsWith('chrome-extension://')) return 'the worker';
  return `the page ${url.replace(/\?.*$/, '')}`;
}
