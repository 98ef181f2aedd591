// One agent of the fleet: the background's real SessionKeeper, ConnectionDriver and MuteIntent,
// wired to each other as MicWorker (src/background/worker.ts) wires them, with the model of
// Genesys as their network and storage of their own; and the person: signs in at the start of the
// shift, mutes and unmutes now and then, and clicks Sign in again when asked to.
import { randomString, authorizeUrl, readRedirect } from '../src/background/pkce.ts';
import { problemForAuthFlowError, problemForOAuthError, SignInError, tokenLifetimeSeconds, type signIn } from '../src/background/auth.ts';
import { applyCallEvent, controlledCall, fromSnapshot, NO_CALLS, type CallsState, type TrackedCall } from '../src/background/calls.ts';
import { ConnectionDriver } from '../src/background/connection/driver.ts';
import type { StoredChannel } from '../src/background/connection/channel.ts';
import { GenesysError, RequestBudget, type GenesysApi } from '../src/background/genesys.ts';
import { MuteIntent, type IntentOutcome, type MuteTarget } from '../src/background/intent/driver.ts';
import { SessionKeeper } from '../src/background/session/keeper.ts';
import type { SessionArea, SessionStorage } from '../src/background/session/store.ts';
import { hostsFor, isTrustedSocketUri, type Settings } from '../src/shared/settings.ts';
import { CLIENT_ID, ENVIRONMENT, type GenesysModel } from './model.ts';

const SETTINGS: Settings = { environment: ENVIRONMENT, clientId: CLIENT_ID };

/** A storage area of the agent's own (the browser keeps one per profile). */
function memoryArea(): SessionArea {
  const items = new Map<string, unknown>();
  return {
    get: async (key) => (items.has(key) ? { [key]: items.get(key) } : {}),
    set: async (next) => void Object.entries(next).forEach(([key, value]) => items.set(key, value)),
    remove: async (key) => void items.delete(key),
  };
}

/**
 * auth.ts's `signIn`, request for request (the web auth flow; when it fails, one look at the
 * authorize page; the token exchange), without PKCE's SHA-256: `crypto.subtle` answers on Node's
 * real thread pool, which the simulated clock cannot wait for. The model checks no challenge.
 */
export function fleetSignIn(random: () => number): typeof signIn {
  const bytes = (buffer: Uint8Array): Uint8Array => buffer.map(() => Math.floor(random() * 256));
  return async (settings, interactive, identity, fetchImpl = fetch) => {
    const { login } = hostsFor(settings.environment);
    const redirectUri = identity.redirectUri();
    const pkce = { verifier: randomString(64, bytes), challenge: randomString(43, bytes), state: randomString(32, bytes) };
    const url = authorizeUrl(login, settings.clientId, redirectUri, pkce);
    let redirect: string | undefined;
    try {
      redirect = await identity.launchWebAuthFlow(url, interactive);
    } catch (error) {
      const problem = problemForAuthFlowError(error instanceof Error ? error.message : String(error), interactive);
      if (problem.code === 'session-expired') throw new SignInError(problem);
      // diagnoseAuthorize: the authorize page asked directly why.
      const reached = await fetchImpl(url, { redirect: 'manual', credentials: 'omit', cache: 'no-store' }).then(
        () => true,
        () => false,
      );
      throw new SignInError(reached ? problem : { code: 'network', message: problem.message });
    }
    if (!redirect) throw new SignInError(problemForAuthFlowError('closed', interactive));
    const result = readRedirect(redirect, pkce.state);
    if ('error' in result) throw new SignInError(problemForOAuthError(result.error, result.description));
    let response: Response;
    try {
      response = await fetchImpl(`${login}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: result.code, code_verifier: pkce.verifier, client_id: settings.clientId, redirect_uri: redirectUri }).toString(),
        credentials: 'omit',
        redirect: 'error',
      });
    } catch {
      throw new SignInError({ code: 'network', message: 'token endpoint unreachable' });
    }
    const answer = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (!response.ok || typeof answer.access_token !== 'string') {
      throw new SignInError(problemForOAuthError(typeof answer.error === 'string' ? answer.error : `http_${response.status}`));
    }
    return {
      accessToken: answer.access_token,
      expiresAt: Date.now() + (tokenLifetimeSeconds(answer.expires_in) - 60) * 1000,
      environment: settings.environment,
      clientId: settings.clientId,
    };
  };
}

function targetOf(call: TrackedCall): MuteTarget {
  return { conversationId: call.conversationId, participantId: call.agentLeg.participantId };
}

export interface AgentOptions {
  index: number;
  model: GenesysModel;
  /** The extension's own random (backoff and sign-in jitter). */
  codeRandom: () => number;
  /** The person's: when they click, how fast they react. */
  humanRandom: () => number;
  now: () => number;
  /** Mean time between the agent's mute clicks. */
  clickMeanMs: number;
}

export class FleetAgent {
  readonly index: number;
  readonly session: SessionKeeper;
  readonly connection: ConnectionDriver;
  readonly intent: MuteIntent;
  private calls: CallsState = NO_CALLS;
  private live = false;
  /** Each time the connection became live (true) or stopped being live (false), epoch ms. */
  readonly liveChanges: [number, boolean][] = [];
  /** Times the agent was asked to sign in again. */
  sessionsEnded = 0;
  clicks = 0;
  readonly outcomes = new Map<IntentOutcome['result'], number>();
  private signInDue = false;
  private readonly human: () => number;

  constructor(private readonly options: AgentOptions) {
    const { index, model, codeRandom, now } = options;
    this.index = index;
    this.human = options.humanRandom;
    const storage: SessionStorage = { session: memoryArea(), local: memoryArea() };
    this.session = new SessionKeeper({
      settings: () => SETTINGS,
      identity: model.identity(index),
      budget: new RequestBudget(),
      tokenArrived: (kind) => this.connection.dispatch(kind === 'started' ? { type: 'start', online: true } : { type: 'token' }),
      ended: () => this.sessionEnded(),
      changed: () => this.sessionChanged(),
      random: codeRandom,
      fetch: model.fetch(index),
      signIn: fleetSignIn(codeRandom),
      storage,
    });
    this.connection = new ConnectionDriver(
      {
        api: () => this.session.api(),
        agentId: (api, signal) => this.agentId(api, signal),
        storedChannel: () => this.session.session.channel,
        keepChannel: (channel: StoredChannel) => void this.session.save({ channel }),
        trustedSocketUri: (uri) => isTrustedSocketUri(uri, ENVIRONMENT),
        callEvent: (eventBody) => this.setCalls(applyCallEvent(this.calls, eventBody, this.userId())),
        snapshot: (listing, heard) => {
          let calls = fromSnapshot(this.calls, listing, this.userId());
          for (const eventBody of heard) calls = applyCallEvent(calls, eventBody, this.userId());
          this.setCalls(calls, true);
        },
        needToken: () => void this.session.needToken('refused'),
        changed: (state) => {
          const live = state.phase === 'live';
          if (live !== this.live) {
            this.live = live;
            this.liveChanges.push([now(), live]);
          }
          if (live && this.session.problem?.code !== 'session-expired') this.session.problem = undefined;
        },
      },
      { socket: model.socket(index), random: codeRandom, now },
    );
    this.intent = new MuteIntent({
      send: (target, muted) => this.session.api().setParticipantMuted(target.conversationId, target.participantId, muted),
      changed: () => undefined,
      unauthorized: () => this.session.needToken('refused'),
      unconfirmed: () => this.connection.dispatch({ type: 'refresh' }),
      finished: (outcome) => this.outcomes.set(outcome.result, (this.outcomes.get(outcome.result) ?? 0) + 1),
    });
  }

  /** Starts the agent's shift: signs in after `delayMs`, then works. */
  startShift(delayMs: number): void {
    setTimeout(() => void this.signIn(), delayMs);
    this.nextClick(delayMs);
  }

  get isLive(): boolean {
    return this.live;
  }

  private userId(): string {
    return this.session.session.agent?.id ?? '';
  }

  private async agentId(api: GenesysApi, signal: AbortSignal): Promise<string> {
    const known = this.session.session.agent;
    if (known) return known.id;
    const me = await api.getMe(signal);
    const id = typeof me.id === 'string' ? me.id : '';
    if (id === '') throw new GenesysError(500, 'bad.response', 'Genesys Cloud did not say who you are.');
    await this.session.save({ agent: { id, name: typeof me.name === 'string' ? me.name : '' } });
    return id;
  }

  private setCalls(calls: CallsState, caughtUp = false): void {
    this.calls = calls;
    const call = controlledCall(calls);
    this.intent.observe(call && targetOf(call), call?.agentLeg.muted ?? false, caughtUp);
    void this.session.save({ calls });
  }

  private sessionEnded(): void {
    this.connection.dispatch({ type: 'stop' });
    this.intent.reset();
    this.calls = NO_CALLS;
  }

  /** "Sign in again" on every view: the agent clicks Sign in once they notice (10–60 s). */
  private sessionChanged(): void {
    if (this.session.token || this.session.problem?.code !== 'session-expired' || this.signInDue || this.session.signingIn) return;
    this.sessionsEnded += 1;
    this.signInAfter(10_000 + this.human() * 50_000);
  }

  private signInAfter(ms: number): void {
    this.signInDue = true;
    setTimeout(() => void this.signIn(), ms);
  }

  /** The Sign in button; when it fails, the agent tries again a little later (30–120 s). */
  private async signIn(): Promise<void> {
    this.signInDue = false;
    const result = await this.session.signInInteractive();
    if (!result.ok && !this.session.token) this.signInAfter(30_000 + this.human() * 90_000);
  }

  /** A mute or unmute on the page control, the popup or the shortcut, as MicWorker.handleMuteIntent. */
  private nextClick(afterMs: number): void {
    const wait = afterMs - Math.log(1 - this.human()) * this.options.clickMeanMs;
    setTimeout(() => {
      this.click();
      this.nextClick(0);
    }, wait);
  }

  private click(): void {
    const call = controlledCall(this.calls);
    if (!call || !this.session.token) return;
    this.clicks += 1;
    const wanted = !(this.intent.wanted ?? call.agentLeg.muted);
    this.intent.request(targetOf(call), wanted, call.agentLeg.muted);
  }
}
