// The background's composition root: the config, the session, the connection and the one intent
// path feed `present()`; its view goes to the views, the toolbar and the optional features. It is
// the only owner of the token, the notification socket and the call state.
import { applyCallEvent, controlledCall, fromSnapshot, NO_CALLS, type CallsState, type TrackedCall } from './calls';
import { ConnectionDriver, type SocketFactory } from './connection/driver';
import { connectionWord, type ConnectionEvent, type ConnectionState } from './connection/machine';
import { connectionDetail, describeChange, Diagnostics, pathShape } from './diagnostics';
import type { StoredChannel } from './connection/channel';
import { subscribeToCalls, subscriptionRefusal } from './connection/channel';
import { Features, FailureNotice, KeepAlive, MuteCue, SpeakingWatch, type Attention } from './features';
import { GenesysError, RequestBudget } from './genesys';
import { MuteIntent, type MuteTarget } from './intent/driver';
import { present } from './present';
import { SessionKeeper } from './session/keeper';
import { checkSetup } from './setup-check';
import { Toolbar, ViewHub, type ViewerKind, type ViewerPort } from './views';
import type { BackgroundPlatform, MicrophonePermission } from '../platform/types';
import { ConfigSource } from '../shared/config-source';
import { type Config } from '../shared/config';
import type { Position } from '../shared/position';
import type { ActionResult, IntentSource, SetupReport } from '../shared/messages';
import type { DiagnosticsReport } from '../shared/diagnostics';
import { hostsFor, isComplete, isTrustedSocketUri, type Settings } from '../shared/settings';
import { shownMuted, type MicView, type ProblemView, type SpeakingCheck } from '../shared/view';
import { t } from '../shared/i18n';

const NETWORK_CHECK_MS = 2_000;

function targetOf(call: TrackedCall): MuteTarget {
  return { conversationId: call.conversationId, participantId: call.agentLeg.participantId };
}

export interface WorkerOptions {
  platform: BackgroundPlatform;
  config: ConfigSource;
  attention: Attention;
  /** The e2e tests' and the bench's own socket, when they need one. */
  socket?: SocketFactory;
}

/** How long the install's welcome waits for the policy read before deciding without it. */
const WELCOME_POLICY_WAIT_MS = 30_000;

export class MicWorker {
  private calls: CallsState = NO_CALLS;
  private readonly budget = new RequestBudget();
  private readonly session: SessionKeeper;
  private readonly connection: ConnectionDriver;
  private readonly intent: MuteIntent;
  private readonly views = new ViewHub();
  /** What happened lately, for an admin's ticket (survives a stopped background). */
  private readonly diagnostics = new Diagnostics();
  /** Where the pending intent came from (for the diagnostics). */
  private intentSource: IntentSource | undefined;
  private readonly toolbar: Toolbar;
  readonly cue: MuteCue;
  readonly speaking: SpeakingWatch;
  /** The microphone permission as last asked (never prompting), for the speaking-while-muted warning. */
  private microphone: MicrophonePermission = 'prompt';
  private readonly features: Features;
  private readonly config: ConfigSource;
  private online = navigator.onLine;
  readonly ready: Promise<void>;
  private readonly restored: Promise<void>;

  constructor(private readonly options: WorkerOptions) {
    const { platform } = options;
    this.config = options.config;
    this.toolbar = new Toolbar(platform.toolbar);
    this.cue = new MuteCue(platform);
    this.speaking = new SpeakingWatch(platform, () => this.microphone, () => this.config.policyAnswered, () => this.publish());
    this.features = new Features([new KeepAlive(platform), this.cue, this.speaking, new FailureNotice(options.attention)]);
    this.session = new SessionKeeper({
      settings: () => this.settings(),
      identity: platform.identity,
      budget: this.budget,
      tokenArrived: (kind) => this.connection.dispatch(kind === 'started' ? { type: 'start', online: this.online } : { type: 'token' }),
      ended: () => this.sessionEnded(),
      changed: () => this.publish(),
      note: (text) => this.diagnostics.note(text),
      answered: (method, url, status) => this.diagnostics.note(`${status === 0 ? 'no answer' : `HTTP ${status}`} to ${method} ${pathShape(url)}`),
    });
    this.connection = new ConnectionDriver(
      {
        api: () => this.session.api(),
        agentId: (api, signal) => this.agentId(api, signal),
        storedChannel: () => this.session.session.channel,
        keepChannel: (channel: StoredChannel) => {
          if (channel.id !== this.session.session.channel?.id) {
            this.diagnostics.note(`new notification channel (lives ${Math.round((channel.expiresAt - channel.createdAt) / 60_000)} min)`);
          }
          void this.session.save({ channel });
        },
        trustedSocketUri: (uri) => {
          const environment = this.session.token?.environment;
          return environment !== undefined && isTrustedSocketUri(uri, environment);
        },
        callEvent: (eventBody) => this.setCalls(applyCallEvent(this.calls, eventBody, this.userId())),
        snapshot: (listing, heard, afterGap) => {
          let calls = fromSnapshot(this.calls, listing, this.userId());
          // A snapshot can be older than an event that arrived while it was fetched.
          for (const eventBody of heard) calls = applyCallEvent(calls, eventBody, this.userId());
          this.setCalls(calls, afterGap);
        },
        needToken: () => void this.session.needToken('refused'),
        changed: (state, event) => this.connectionChanged(state, event),
      },
      options.socket ? { socket: options.socket } : {},
    );
    this.intent = new MuteIntent({
      send: (target, muted) => this.session.api().setParticipantMuted(target.conversationId, target.participantId, muted),
      changed: () => this.publish(),
      unauthorized: () => this.session.needToken('refused'),
      unconfirmed: () => this.connection.dispatch({ type: 'refresh' }),
      finished: (outcome) => this.diagnostics.intent({ ...outcome, ...(this.intentSource ? { source: this.intentSource } : {}) }),
    });
    this.restored = this.session.restore();
    this.diagnostics.note('background started');
    this.ready = this.start();
    // Workers get no reliable online/offline events, and an open socket may not notice a dead
    // network for a while: navigator.onLine is free to read.
    setInterval(() => this.networkChanged(navigator.onLine), NETWORK_CHECK_MS);
  }

  private settings(): Partial<Settings> {
    const { environment, clientId } = this.config.current.values;
    return { ...(environment !== undefined ? { environment } : {}), ...(clientId !== undefined ? { clientId } : {}) };
  }

  private userId(): string {
    return this.session.session.agent?.id ?? '';
  }

  private async agentId(api: ReturnType<SessionKeeper['api']>, signal: AbortSignal): Promise<string> {
    const known = this.session.session.agent;
    if (known) return known.id;
    const me = await api.getMe(signal);
    const id = typeof me.id === 'string' ? me.id : '';
    if (id === '') throw new GenesysError(500, 'bad.response', 'Genesys Cloud did not say who you are.');
    const name = typeof me.name === 'string' && me.name.trim() !== '' ? me.name : typeof me.email === 'string' ? me.email : t('agentFallbackName');
    await this.session.save({ agent: { id, name } });
    return id;
  }

  /**
   * A waking click must not wait for policy (its first read after a browser start can take
   * seconds) nor for a silent sign-in: the agent's own settings and the stored session are enough.
   */
  private async start(): Promise<void> {
    // Heard from the start: policy may arrive at any moment, and applies then.
    this.config.onChange((next, previous) => void this.configChanged(next.values, previous.values));
    await Promise.all([this.config.localReady, this.restored, this.checkMicrophone(false), this.diagnostics.restore()]);
    this.calls = this.session.session.calls ?? NO_CALLS;
    if (this.session.token) this.connection.dispatch({ type: 'start', online: this.online });
    this.publish();
    // The warning listens only once policy has answered (features.ts), whenever that is.
    void this.config.policyRead.then(() => this.publish());
    this.options.platform.microphone.onPermissionChange(() => void this.checkMicrophone());
    // A microphone a stopped background left open, now that nothing listens to it.
    if (!this.features.names().includes(this.speaking.name)) void this.options.platform.microphone.release().catch(() => undefined);
    void this.session.settingsChanged();
  }

  // ---- what views see ----

  view(): MicView {
    const config = this.config.current.values;
    const settings = this.settings();
    const configured = isComplete(settings);
    const problem: ProblemView | undefined =
      this.intent.problem ??
      this.session.problem ??
      (this.connection.state.phase === 'rejected' && this.connection.state.rejection
        ? { code: 'subscription-rejected', message: this.connection.state.rejection }
        : undefined);
    const view = present({
      configured,
      signedIn: this.session.token !== undefined,
      signingIn: this.session.signingIn,
      connection: connectionWord(this.connection.state),
      calls: this.calls,
      ...(this.session.session.agent ? { agentName: this.session.session.agent.name } : {}),
      ...(this.intent.wanted !== undefined ? { wanted: this.intent.wanted } : {}),
      ...(problem ? { problem } : {}),
      ...(configured ? { agentDesktopOrigin: hostsFor(settings.environment).apps } : {}),
      ...(this.speaking.shown ? { nudge: this.speaking.shown } : {}),
      ...(this.speakingCheck() ? { speakingCheck: this.speakingCheck() } : {}),
    });
    if (config.position) view.position = config.position;
    return view;
  }

  /** Why the speaking-while-muted warning, turned on, cannot listen. */
  private speakingCheck(): SpeakingCheck | undefined {
    if (!this.config.current.values.speakingWhileMuted || this.microphone === 'granted') return undefined;
    return this.microphone === 'unsupported' ? 'unsupported' : 'no-permission';
  }

  /** Asks the browser, without prompting, whether the microphone may be used; shows a change. */
  private async checkMicrophone(publish = true): Promise<void> {
    const permission = await this.options.platform.microphone.permission().catch((): MicrophonePermission => 'prompt');
    if (permission === this.microphone) return;
    this.microphone = permission;
    if (publish) this.publish();
  }

  addViewPort(port: ViewerPort, kind: ViewerKind): void {
    void this.ready.then(() => this.views.add(port, kind, this.view()));
    // A view opening is a good moment to notice a permission granted or revoked meanwhile.
    if (kind === 'extension') void this.ready.then(() => this.checkMicrophone());
  }

  private publish(): void {
    const view = this.view();
    this.views.publish(view);
    this.toolbar.show(view);
    this.features.update({ view, config: this.config.current.values });
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
    this.intentSource = source;
    this.intent.request(targetOf(call), wanted, call.agentLeg.muted);
    return this.view();
  }

  // ---- account and setup ----

  async signInInteractive(): Promise<ActionResult> {
    await this.ready;
    return this.session.signInInteractive();
  }

  async signOut(): Promise<ActionResult> {
    await this.ready;
    return this.session.signOut();
  }

  /** The agent moved the floating page control (the page cannot write storage itself). */
  async setPosition(position: Position): Promise<ActionResult> {
    await this.config.set({ position });
    return { ok: true };
  }

  async checkSetup(): Promise<SetupReport> {
    await this.ready;
    const settings = this.settings();
    if (!isComplete(settings)) {
      return { checks: [{ id: 'region', ok: false, message: t('settingsNotSet'), fix: t('settingsNotSetFix') }] };
    }
    return checkSetup(settings, this.options.platform.identity.redirectUri(), async () => {
      const { token, agent, channel } = this.session.session;
      if (!token || !agent || !channel) return undefined;
      const entry = await subscribeToCalls(this.session.api(), channel.id, agent.id);
      return { permitted: subscriptionRefusal(entry) === undefined, missing: entry?.missingPermissions ?? [] };
    });
  }

  /** On a new install with nothing configured (no policy either), the options page shows the steps. */
  /**
   * On install, Settings opens when nothing is configured: after policy has been heard (or not
   * within its bound), so a managed install never shows it. Says whether it opened.
   */
  async welcome(openOptions: () => Promise<void>): Promise<boolean> {
    // The policy read itself, not its 3 s bound: on a busy machine it answers later, and opening
    // Settings for every agent of a managed install is worse than opening it late for one.
    const bound = new Promise<void>((resolve) => setTimeout(resolve, WELCOME_POLICY_WAIT_MS));
    await Promise.all([this.ready, Promise.race([this.config.policyRead, bound])]);
    if (isComplete(this.settings())) return false;
    await openOptions();
    return true;
  }

  // ---- changes from outside ----

  private async configChanged(next: Config, previous: Config): Promise<void> {
    await this.restored;
    if (next.environment !== previous.environment || next.clientId !== previous.clientId) {
      // New sign-in settings: an old problem was about the old ones.
      this.session.problem = undefined;
      await this.session.settingsChanged();
    }
    // Turned on in Settings right after the agent allowed the microphone there.
    if (next.speakingWhileMuted !== previous.speakingWhileMuted) await this.checkMicrophone(false);
    this.publish();
  }

  networkChanged(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    this.connection.dispatch({ type: online ? 'online' : 'offline' });
  }

  /** What an admin's ticket needs to know: never a token, a channel id or a socket address. */
  async diagnosticsReport(): Promise<DiagnosticsReport> {
    await this.ready;
    const view = this.view();
    const { environment, clientId } = this.settings();
    return {
      version: chrome.runtime.getManifest().version,
      ...(environment !== undefined ? { region: environment } : {}),
      ...(clientId !== undefined ? { clientId } : {}),
      signedIn: this.session.token !== undefined,
      connection: view.connection,
      connectionDetail: connectionDetail(this.connection.state),
      status: view.status,
      ...(view.problem ? { problem: view.problem.code } : {}),
      ...this.diagnostics.snapshot(),
    };
  }

  private connectionChanged(state: ConnectionState, event?: ConnectionEvent): void {
    if (event) this.diagnostics.note(describeChange(state, event));
    // Reaching live proves the connection: a problem from an earlier attempt no longer stands.
    if (state.phase === 'live' && this.session.problem?.code !== 'session-expired') this.session.problem = undefined;
    this.publish();
  }

  private sessionEnded(): void {
    this.connection.dispatch({ type: 'stop' });
    this.intent.reset();
    this.calls = NO_CALLS;
    this.publish();
  }

  /** `caughtUp`: a snapshot after a gap in the events (see MuteIntent.observe). */
  private setCalls(calls: CallsState, caughtUp = false): void {
    this.calls = calls;
    const call = controlledCall(calls);
    this.intent.observe(call && targetOf(call), call?.agentLeg.muted ?? false, caughtUp);
    this.publish();
    // At once, not later: the browser may stop the background at any moment.
    void this.session.save({ calls });
  }

  // ---- for the tests and the bench (test build only) ----

  features_(): string[] {
    return this.features.names();
  }

  connectionState(): ConnectionState {
    return this.connection.state;
  }

  config_(): Config {
    return this.config.current.values;
  }
}
