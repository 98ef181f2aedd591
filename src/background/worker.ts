// The worker: the only owner of the token, the notification socket and the call state. Views and
// the shortcut reach it only through `handleMuteIntent`, `signInInteractive` and `signOut`.
import { signIn, SignInError, type StoredToken } from './auth';
import { applyCallEvent, callsTopic, controlledCall, fromSnapshot, NO_CALLS, type CallsState, type TrackedCall } from './calls';
import { GenesysApi, GenesysError, RequestBudget } from './genesys';
import { MuteIntent, type MuteTarget } from './intent';
import { NotificationSocket } from './notifications';
import type { Models } from 'purecloud-platform-client-v2';
import { Feedback } from './feedback';
import { iconPaths } from './icons';
import { present, toolbarLook, type ToolbarLook } from './present';
import { channelRenewalAt, clearSession, loadSession, saveSession, type StoredChannel, type WorkerSession } from './session';
import type { ActionResult, IntentSource, SetupReport, ViewPush } from '../shared/messages';
import { checkSetup } from './setup-check';
import { t } from '../shared/i18n';
import { hostsFor, isComplete, readSettings, SETTINGS_KEY, type Settings } from '../shared/settings';
import { shownMuted, type Connection, type MicView, type ProblemView } from '../shared/view';

const MAX_RECONNECT_DELAY_MS = 30_000;
const NETWORK_CHECK_MS = 2_000;
const TOOLBAR_DELAY_MS = 20;
/** Set when the agent signed out on purpose, so the worker does not sign them in again silently. */
const SIGNED_OUT_KEY = 'signedOut';

export async function loadLocalSettings(): Promise<Partial<Settings>> {
  return readSettings((await chrome.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]);
}

/** Settings an admin set by policy. The first read after browser start can take seconds. */
export async function loadManagedSettings(): Promise<Partial<Settings>> {
  try {
    return readSettings(await chrome.storage.managed.get(null));
  } catch {
    // No policy installed: managed storage can throw, which simply means nothing is locked.
    return {};
  }
}

/**
 * How long start-up waits for policy before it goes on with the agent's own settings. Chromium 156
 * sometimes never answers the first managed read after an extension update; a policy that comes
 * later still wins (it is applied when it arrives).
 */
const MANAGED_WAIT_MS = 3_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(resolve, ms))]);
}

/** Subscribes the channel to the agent's calls topic; Genesys's answer for that topic. */
async function subscribeToCalls(api: GenesysApi, channelId: string, userId: string): Promise<Models.ChannelTopic | undefined> {
  const topic = callsTopic(userId);
  const answer = await api.setSubscriptions(channelId, [topic]);
  return answer.entities?.find((entity) => entity.id?.toLowerCase() === topic.toLowerCase());
}

function targetOf(call: TrackedCall): MuteTarget {
  return { conversationId: call.conversationId, participantId: call.agentLeg.participantId };
}

export class MicWorker {
  private localSettings: Partial<Settings> = {};
  private managedSettings: Partial<Settings> = {};
  private session: WorkerSession = {};
  private calls: CallsState = NO_CALLS;
  private connection: Connection = 'connecting';
  /** A sign-in or connection problem (mute problems live on the intent). */
  private problem: ProblemView | undefined;
  private signingIn = false;
  private socket: NotificationSocket | undefined;
  /** Bumped by every connect, sign-out and settings change; async work from an older one stops. */
  private generation = 0;
  private reconnectAttempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly ports = new Set<chrome.runtime.Port>();
  private lastPushed = '';
  private lastToolbar: ToolbarLook | undefined;
  /** One per token: keeps every request under Genesys's 300 a minute. */
  private budget = new RequestBudget();
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  /** The sign-in attempt in progress after a 401, shared by everyone who hit it. */
  private reauthorizing: Promise<boolean> | undefined;
  /** Settings a silent sign-in was already tried with in this worker's life. */
  private silentTriedFor: string | undefined;
  private online = navigator.onLine;
  /** Set while a calls snapshot is being fetched: the events heard meanwhile, to apply on top. */
  private eventsDuringSnapshot: unknown[] | undefined;
  /** Badge, title and icon wait a moment so a PATCH leaves first. */
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly intent = new MuteIntent({
    send: (target, muted) => this.api().setParticipantMuted(target.conversationId, target.participantId, muted),
    changed: () => this.publish(),
    unauthorized: () => this.sessionExpired(),
    unconfirmed: () => void this.reconcileNow(),
    failed: (problem) => void this.feedback.failed(problem, this.view().agentDesktopOrigin),
  });
  readonly feedback = new Feedback();
  readonly ready: Promise<void>;

  constructor() {
    this.ready = this.restore();
    // Workers get no reliable online/offline events, and an open socket may not notice a dead
    // network for a while: navigator.onLine is free to read.
    setInterval(() => {
      if (navigator.onLine !== this.online) this.networkChanged(navigator.onLine);
    }, NETWORK_CHECK_MS);
  }

  /** What the organisation set by policy wins over what the agent typed. */
  private get settings(): Partial<Settings> {
    return { ...this.localSettings, ...this.managedSettings };
  }

  // ---- what views see ----

  view(): MicView {
    const configured = isComplete(this.settings);
    const problem = this.intent.problem ?? this.problem;
    return present({
      configured,
      signedIn: this.session.token !== undefined,
      signingIn: this.signingIn,
      connection: this.connection,
      calls: this.calls,
      ...(this.session.agent ? { agentName: this.session.agent.name } : {}),
      ...(this.intent.wanted !== undefined ? { wanted: this.intent.wanted } : {}),
      ...(problem ? { problem } : {}),
      ...(configured ? { agentDesktopOrigin: hostsFor(this.settings.environment!).apps } : {}),
    });
  }

  addViewPort(port: chrome.runtime.Port): void {
    this.ports.add(port);
    port.onDisconnect.addListener(() => this.ports.delete(port));
    void this.ready.then(() => this.post(port, this.view()));
  }

  private publish(): void {
    const view = this.view();
    const json = JSON.stringify(view);
    if (json !== this.lastPushed) {
      this.lastPushed = json;
      for (const port of this.ports) this.post(port, view);
    }
    this.persistSoon();
  }

  /**
   * The toolbar is not urgent; a PATCH may be leaving in this very task, so it follows 20 ms
   * later, once for any number of changes.
   */
  private persistSoon(): void {
    if (this.persistTimer !== undefined) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      void this.updateToolbar(this.view());
    }, TOOLBAR_DELAY_MS);
  }

  private post(port: chrome.runtime.Port, view: MicView): void {
    const push: ViewPush = { type: 'view', view };
    try {
      port.postMessage(push);
    } catch {
      this.ports.delete(port);
    }
  }

  private async updateToolbar(view: MicView): Promise<void> {
    const look = toolbarLook(view);
    const last = this.lastToolbar;
    this.lastToolbar = look;
    if (last?.badgeText !== look.badgeText) await chrome.action.setBadgeText({ text: look.badgeText });
    if (last?.badgeColor !== look.badgeColor) await chrome.action.setBadgeBackgroundColor({ color: look.badgeColor });
    if (last?.title !== look.title) await chrome.action.setTitle({ title: look.title });
    if (last?.icon !== look.icon) await chrome.action.setIcon({ path: iconPaths(look.icon) });
  }

  // ---- the one intent path ----

  /** Every way to mute (page, popup, shortcut) ends here. `toggle` flips what the agent sees. */
  async handleMuteIntent(muted: boolean | 'toggle', source: IntentSource): Promise<MicView> {
    await this.ready;
    const call = controlledCall(this.calls);
    if (!call || !this.session.token) {
      this.publish();
      return this.view();
    }
    const wanted = muted === 'toggle' ? !shownMuted(this.view()) : muted;
    console.debug(`[mic] ${wanted ? 'mute' : 'unmute'} from ${source}`);
    this.intent.request(targetOf(call), wanted, call.agentLeg.muted);
    return this.view();
  }

  // ---- setup ----

  async checkSetup(): Promise<SetupReport> {
    await this.ready;
    const settings = this.settings;
    if (!isComplete(settings)) {
      return { checks: [{ id: 'region', ok: false, message: t('settingsNotSet'), fix: t('settingsNotSetFix') }] };
    }
    return checkSetup(settings, chrome.identity.getRedirectURL(), async () => {
      const { token, agent, channel } = this.session;
      if (!token || !agent || !channel) return undefined;
      const entry = await subscribeToCalls(this.api(), channel.id, agent.id);
      return { permitted: entry?.state?.toLowerCase() === 'permitted', missing: entry?.missingPermissions ?? [] };
    });
  }

  /** On a new install with nothing configured (no policy either), the options page shows the steps. */
  async welcome(): Promise<void> {
    await this.ready;
    this.managedSettings = (await within(loadManagedSettings(), MANAGED_WAIT_MS)) ?? this.managedSettings;
    if (!isComplete(this.settings)) await chrome.runtime.openOptionsPage();
  }

  // ---- sign in and out ----

  async signInInteractive(): Promise<ActionResult> {
    await this.ready;
    if (!isComplete(this.settings)) {
      return { ok: false, message: t('settingsFirst') };
    }
    if (this.signingIn) return { ok: false, message: t('signInWindowOpen') };
    this.signingIn = true;
    this.problem = undefined;
    this.publish();
    try {
      const token = await signIn(this.settings, true);
      await chrome.storage.local.remove(SIGNED_OUT_KEY);
      await this.useToken(token);
      return { ok: true };
    } catch (error) {
      this.problem = error instanceof SignInError ? error.problem : { code: 'sign-in-failed', message: t('signInUnexpected') };
      return { ok: false, message: this.problem.message };
    } finally {
      this.signingIn = false;
      this.publish();
    }
  }

  async signOut(): Promise<ActionResult> {
    await this.ready;
    const token = this.session.token;
    await chrome.storage.local.set({ [SIGNED_OUT_KEY]: true });
    await this.forget();
    this.problem = undefined;
    this.publish();
    if (token) {
      try {
        await new GenesysApi(hostsFor(token.environment).api, token.accessToken).revokeToken();
      } catch {
        // The token is forgotten here either way; a failed revoke only means it lives to its expiry.
      }
    }
    return { ok: true };
  }

  /** The agent changed a preference (the sound). */
  async preferencesChanged(): Promise<void> {
    await this.feedback.load();
  }

  /** Settings changed in storage (by the options page or by policy); they apply at once. */
  async settingsChanged(area: 'local' | 'managed'): Promise<void> {
    await this.ready;
    if (area === 'local') this.localSettings = await loadLocalSettings();
    else [this.managedSettings] = await Promise.all([loadManagedSettings(), this.feedback.loadManaged()]);
    this.problem = undefined;
    await this.settingsApplied();
  }

  private async settingsApplied(): Promise<void> {
    const token = this.session.token;
    const settings = this.settings;
    if (token && (token.environment !== settings.environment || token.clientId !== settings.clientId)) {
      // A token is only good for the region and client it was issued for.
      await this.forget();
    }
    this.publish();
    if (!this.session.token) await this.trySilentSignIn();
  }

  /**
   * Signs in without a window when the Genesys login session still lives: after a browser restart
   * or an extension update (both empty storage.session). Once per settings, never after the agent
   * signed out on purpose, and quietly: failing only means the agent clicks Sign in.
   */
  private async trySilentSignIn(): Promise<void> {
    const settings = this.settings;
    if (!isComplete(settings) || this.signingIn) return;
    const key = `${settings.environment} ${settings.clientId}`;
    if (this.silentTriedFor === key) return;
    this.silentTriedFor = key;
    if ((await chrome.storage.local.get(SIGNED_OUT_KEY))[SIGNED_OUT_KEY] === true) return;
    try {
      await this.useToken(await signIn(settings, false));
    } catch (error) {
      // Stays signed out; the popup offers Sign in. The reason helps support, and holds no secret.
      console.info(`[mic] no silent sign-in: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  networkChanged(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    if (!this.session.token) return;
    if (online) {
      this.reconnectAttempt = 0;
      void this.connect();
    } else {
      this.closeSocket();
      this.connection = 'offline';
      this.publish();
    }
  }

  private async restore(): Promise<void> {
    [this.localSettings, this.session] = await Promise.all([loadLocalSettings(), loadSession(), this.feedback.load()]);
    this.calls = this.session.calls ?? NO_CALLS;
    // Policy arrives when Chrome has read it; a waking worker must not wait for that to act.
    void this.feedback.loadManaged();
    void this.applyManaged();
    const token = this.session.token;
    if (token && token.expiresAt <= Date.now()) {
      this.session = {};
      this.calls = NO_CALLS;
      await clearSession();
    }
    // The token remembers the region and client it was issued for, so it can be used at once.
    if (this.session.token) {
      this.watchExpiry();
      void this.connect();
    }
  }

  private async applyManaged(): Promise<void> {
    const managed = loadManagedSettings();
    const inTime = await within(managed, MANAGED_WAIT_MS);
    if (inTime) this.managedSettings = inTime;
    await this.settingsApplied();
    if (inTime) return;
    const late = await managed;
    if (JSON.stringify(late) === JSON.stringify(this.managedSettings)) return;
    this.managedSettings = late;
    this.problem = undefined;
    await this.settingsApplied();
  }

  private async useToken(token: StoredToken): Promise<void> {
    // A new token for the same user keeps the agent, channel and calls; another user starts afresh.
    this.session = { ...this.session, token };
    this.budget = new RequestBudget();
    this.problem = undefined;
    await saveSession(this.session);
    this.watchExpiry();
    this.reconnectAttempt = 0;
    void this.connect();
  }

  private async forget(): Promise<void> {
    this.generation += 1;
    this.closeSocket();
    this.clearTimers();
    this.session = {};
    this.calls = NO_CALLS;
    this.intent.reset();
    await clearSession();
  }

  /** Ends the session when Genesys will refuse the token, so the agent is told before a click fails. */
  private watchExpiry(): void {
    if (this.expiryTimer !== undefined) clearTimeout(this.expiryTimer);
    const token = this.session.token;
    if (!token) return;
    this.expiryTimer = setTimeout(() => void this.sessionExpired(), Math.max(0, token.expiresAt - Date.now()));
  }

  /**
   * The token expired or was revoked (a 401). One silent sign-in; if the Genesys session still
   * lives the agent notices nothing and a pending intent goes on. Else: "sign in again". Never loops.
   */
  private sessionExpired(): Promise<boolean> {
    this.reauthorizing ??= (async () => {
      const settings = this.settings;
      if (isComplete(settings)) {
        try {
          await this.useToken(await signIn(settings, false));
          return true;
        } catch {
          // Falls through to asking the agent.
        }
      }
      await this.forget();
      this.problem = { code: 'session-expired', message: t('sessionEnded') };
      this.publish();
      return false;
    })().finally(() => {
      this.reauthorizing = undefined;
    });
    return this.reauthorizing;
  }

  // ---- the notification channel and socket ----

  private api(): GenesysApi {
    const token = this.session.token;
    if (!token) throw new GenesysError(401, 'authentication.required', 'Not signed in.');
    return new GenesysApi(hostsFor(token.environment).api, token.accessToken, undefined, this.budget);
  }

  /**
   * (Re)connects: channel, subscription, socket, then one GET to catch up. The socket in use stays
   * open until the new one is, so a planned move (socket closing, channel renewal) loses no event.
   */
  private async connect(options: { newChannel?: boolean } = {}): Promise<void> {
    const generation = ++this.generation;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (!this.session.token) return;
    if (!this.socket && this.connection !== 'reconnecting') this.connection = 'connecting';
    this.publish();
    try {
      const api = this.api();
      let agent = this.session.agent;
      if (!agent) {
        const me = await api.getMe();
        agent = { id: me.id ?? '', name: me.name ?? me.email ?? t('agentFallbackName') };
        if (agent.id === '') throw new GenesysError(500, 'bad.response', 'Genesys Cloud did not say who you are.');
        this.session = { ...this.session, agent };
      }
      const channel = await this.usableChannel(api, agent.id, options.newChannel === true);
      if (generation !== this.generation) return;
      this.session = { ...this.session, channel };
      await saveSession(this.session);
      this.openSocket(channel, agent.id, generation);
    } catch (error) {
      if (generation === this.generation) this.connectFailed(error);
    }
  }

  /** Reuses the stored channel while it lives (Genesys keeps only 20 per user), else makes one. */
  private async usableChannel(api: GenesysApi, userId: string, forceNew: boolean): Promise<StoredChannel> {
    const stored = this.session.channel;
    if (stored && !forceNew && channelRenewalAt(stored) > Date.now()) {
      try {
        await this.subscribe(api, stored.id, userId);
        return stored;
      } catch (error) {
        if (!(error instanceof GenesysError) || error.status !== 404) throw error;
      }
    }
    const created = await api.createChannel();
    if (!created.id || !created.connectUri) throw new GenesysError(500, 'bad.response', 'Genesys Cloud did not return a notification channel.');
    const now = Date.now();
    const expires = created.expires ? Date.parse(created.expires) : Number.NaN;
    const channel: StoredChannel = {
      id: created.id,
      connectUri: created.connectUri,
      createdAt: now,
      expiresAt: Number.isNaN(expires) ? now + 23 * 3_600_000 : expires,
    };
    await this.subscribe(api, channel.id, userId);
    return channel;
  }

  private async subscribe(api: GenesysApi, channelId: string, userId: string): Promise<void> {
    const entry = await subscribeToCalls(api, channelId, userId);
    if (entry && entry.state && entry.state.toLowerCase() !== 'permitted') {
      throw new SubscriptionRejected(
        entry.missingPermissions?.length ? t('updatesRefusedMissing', entry.missingPermissions.join(', ')) : t('updatesRefused'),
      );
    }
  }

  private openSocket(channel: StoredChannel, userId: string, generation: number): void {
    const topic = callsTopic(userId);
    const socket: NotificationSocket = new NotificationSocket(channel.connectUri, topic, {
      opened: () => {
        if (generation !== this.generation) {
          socket.close();
          return;
        }
        // Only now is the old socket let go: no moment without one.
        if (this.socket !== socket) this.socket?.close();
        this.socket = socket;
        this.scheduleRenewal(channel);
        void this.reconcile(userId, generation);
      },
      callEvent: (eventBody) => {
        this.eventsDuringSnapshot?.push(eventBody);
        this.calls = applyCallEvent(this.calls, eventBody, userId);
        this.callsChanged();
      },
      closing: () => {
        // Genesys gives about a minute's grace: move to a fresh socket on the same channel now.
        if (generation === this.generation) void this.connect();
      },
      lost: () => {
        if (this.socket === socket) this.socket = undefined;
        if (generation === this.generation) this.scheduleReconnect();
      },
    });
  }

  /** Moves to a new channel before Genesys expires this one (24 h). */
  private scheduleRenewal(channel: StoredChannel): void {
    if (this.renewTimer !== undefined) clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => {
      this.renewTimer = undefined;
      void this.connect({ newChannel: true });
    }, Math.max(1_000, channelRenewalAt(channel) - Date.now()));
  }

  /** After (re)opening the socket, one GET catches up on whatever happened while it was closed. */
  private async reconcile(userId: string, generation: number): Promise<void> {
    // Events that arrive while the GET is under way may be newer than the snapshot it returns.
    const heardMeanwhile: unknown[] = [];
    this.eventsDuringSnapshot = heardMeanwhile;
    try {
      const listing = await this.api().getCalls();
      if (generation !== this.generation) return;
      let calls = fromSnapshot(this.calls, listing, userId);
      for (const eventBody of heardMeanwhile) calls = applyCallEvent(calls, eventBody, userId);
      this.calls = calls;
      this.connection = 'live';
      this.reconnectAttempt = 0;
      this.problem = undefined;
      this.callsChanged();
    } catch (error) {
      if (generation === this.generation) this.connectFailed(error);
    } finally {
      if (this.eventsDuringSnapshot === heardMeanwhile) this.eventsDuringSnapshot = undefined;
    }
  }

  /** An intent went unconfirmed: ask Genesys for the truth rather than guess. */
  private async reconcileNow(): Promise<void> {
    const agent = this.session.agent;
    if (!agent || !this.session.token) return;
    await this.reconcile(agent.id, this.generation);
  }

  private callsChanged(): void {
    const call = controlledCall(this.calls);
    this.intent.observe(call && targetOf(call), call?.agentLeg.muted ?? false);
    void this.feedback.observed(call && { conversationId: call.conversationId, muted: call.agentLeg.muted });
    this.publish();
    // At once, not later: Chrome may stop the worker at any moment.
    void this.saveCalls();
  }

  /** Calls survive a stopped worker, so a click that wakes it can act before the socket is back. */
  private async saveCalls(): Promise<void> {
    if (!this.session.token) return;
    this.session = { ...this.session, calls: this.calls };
    await saveSession(this.session);
  }

  private connectFailed(error: unknown): void {
    if (error instanceof GenesysError && error.status === 401) {
      void this.sessionExpired();
      return;
    }
    if (error instanceof SubscriptionRejected) {
      this.closeSocket();
      this.connection = 'offline';
      this.problem = { code: 'subscription-rejected', message: error.message };
      this.publish();
      return;
    }
    const retryAfterMs = error instanceof GenesysError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : undefined;
    this.scheduleReconnect(retryAfterMs);
  }

  private scheduleReconnect(atLeastMs = 0): void {
    this.closeSocket();
    this.connection = navigator.onLine === false ? 'offline' : 'reconnecting';
    this.publish();
    const base = Math.min(MAX_RECONNECT_DELAY_MS, 1000 * 2 ** this.reconnectAttempt);
    this.reconnectAttempt += 1;
    // Jitter keeps a contact centre's worth of agents from reconnecting in the same second.
    const delay = Math.max(atLeastMs, base / 2 + Math.random() * (base / 2));
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }

  private closeSocket(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  private clearTimers(): void {
    for (const timer of [this.reconnectTimer, this.expiryTimer, this.renewTimer]) if (timer !== undefined) clearTimeout(timer);
    this.reconnectTimer = this.expiryTimer = this.renewTimer = undefined;
  }
}

class SubscriptionRejected extends Error {}
