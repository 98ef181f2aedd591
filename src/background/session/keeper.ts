// The agent's Genesys session: the token (and who it belongs to), sign-in and sign-out, the
// token's expiry, and new tokens without a window while the Genesys login session lives — bounded
// (reauth.ts) so a Genesys incident never becomes a sign-in storm.
import { signIn, SignInError, type Identity, type StoredToken } from '../auth';
import { GenesysApi, GenesysError, type Fetch, type RequestBudget } from '../genesys';
import { clampDelay } from '../timers';
import { nextSilentSignIn, tokenHasLasted } from './reauth';
import { CHROME_STORAGE, clearSession, loadSession, saveSession, type SessionStorage, type WorkerSession } from './store';
import { hostsFor, isComplete, type Settings } from '../../shared/settings';
import type { ActionResult } from '../../shared/messages';
import type { ProblemView } from '../../shared/view';
import { LOCAL_KEYS } from '../../shared/config';
import { t } from '../../shared/i18n';

export interface SessionHost {
  /** The region and client id to sign in with (policy already applied). */
  settings(): Partial<Settings>;
  identity: Identity;
  /** One budget for every request of this background, sign-in included. */
  budget: RequestBudget;
  /** A token is there: a new session (`started`) or a new token for the same one (`renewed`). */
  tokenArrived(kind: 'started' | 'renewed'): void;
  /** The session is over (signed out, settings changed, or the agent must sign in again). */
  ended(): void;
  /** Something the views show changed (signing in, a problem). */
  changed(): void;
  random?: () => number;
  fetch?: Fetch;
  /** The sign-in itself (tests replace it to count requests on a fake clock without real crypto). */
  signIn?: typeof signIn;
  /** What happened to the session, in words for the diagnostics (never a token). */
  note?: (text: string) => void;
  /** A Genesys API answer that was not a success (status 0: no answer), for the diagnostics. */
  answered?: (method: string, url: string, status: number) => void;
  /** Where the session and the signed-out flag are kept (the browser's storage unless told). */
  storage?: SessionStorage;
}

type Token = StoredToken;

export class SessionKeeper {
  session: WorkerSession = {};
  signingIn = false;
  /** A sign-in problem, or "sign in again". */
  problem: ProblemView | undefined;
  /** The new token on its way after a 401 or the expiry, shared by everyone who asked. */
  private renewing: Promise<boolean> | undefined;
  /** Cancels the wait before a silent sign-in (sign-out, settings changed). */
  private renewal: AbortController | undefined;
  /** Settings a silent sign-in was already tried with in this background's life. */
  private silentTriedFor: string | undefined;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly random: () => number;
  private readonly fetchImpl: Fetch;

  constructor(private readonly host: SessionHost) {
    this.random = host.random ?? Math.random;
    this.fetchImpl = host.fetch ?? ((input, init) => fetch(input, init));
  }

  private get storage(): SessionStorage {
    return this.host.storage ?? CHROME_STORAGE;
  }

  private note(text: string): void {
    this.host.note?.(text);
  }

  get token(): Token | undefined {
    return this.session.token;
  }

  /** Back after a stopped background: the session from `storage.session`, unless its token died. */
  async restore(): Promise<void> {
    this.session = await loadSession(this.storage.session);
    const token = this.session.token;
    if (token && token.expiresAt <= Date.now()) {
      this.session = {};
      await clearSession(this.storage.session);
      this.note('the stored token had expired');
    }
    if (this.session.token) {
      this.watchExpiry();
      this.note(`session restored (token good for ${Math.round((this.session.token.expiresAt - Date.now()) / 60_000)} min)`);
    }
  }

  async save(part: Partial<WorkerSession>): Promise<void> {
    if (!this.session.token) return;
    this.session = { ...this.session, ...part };
    await saveSession(this.session, this.storage.session);
  }

  /** A client for the current token; every request counts on the budget, every failure is noted. */
  api(): GenesysApi {
    const token = this.session.token;
    if (!token) throw new GenesysError(401, 'authentication.required', 'Not signed in.');
    return new GenesysApi(hostsFor(token.environment).api, token.accessToken, this.notingFetch(), this.host.budget);
  }

  private notingFetch(): Fetch {
    return async (input, init) => {
      let response: Response;
      try {
        response = await this.fetchImpl(input, init);
      } catch (error) {
        this.host.answered?.(init.method ?? 'GET', input, 0);
        throw error;
      }
      if (!response.ok) this.host.answered?.(init.method ?? 'GET', input, response.status);
      return response;
    };
  }

  /** Sign-in requests count on the same budget as API requests, whatever the token. */
  private async budgeted<T>(work: () => Promise<T>): Promise<T> {
    for (let wait = this.host.budget.take(); wait > 0; wait = this.host.budget.take()) await sleep(wait);
    return work();
  }

  private signInWith(settings: Settings, interactive: boolean): Promise<Token> {
    const fetchImpl: typeof fetch = (input, init) => this.budgeted(() => this.fetchImpl(String(input), init ?? {}));
    return this.budgeted(() => (this.host.signIn ?? signIn)(settings, interactive, this.host.identity, fetchImpl));
  }

  async signInInteractive(): Promise<ActionResult> {
    const settings = this.host.settings();
    if (!isComplete(settings)) return { ok: false, message: t('settingsFirst') };
    if (this.signingIn) return { ok: false, message: t('signInWindowOpen') };
    this.signingIn = true;
    this.problem = undefined;
    this.host.changed();
    try {
      const token = await this.signInWith(settings, true);
      await this.storage.local.remove(LOCAL_KEYS.signedOut);
      this.note('signed in (sign-in window)');
      // The agent asked: refusals before this no longer count against the silent sign-ins.
      await this.useToken(token, 0);
      return { ok: true };
    } catch (error) {
      this.problem = error instanceof SignInError ? error.problem : { code: 'sign-in-failed', message: t('signInUnexpected') };
      this.note(`sign-in failed (${this.problem.code})`);
      return { ok: false, message: this.problem.message };
    } finally {
      this.signingIn = false;
      this.host.changed();
    }
  }

  /**
   * Signs in without a window when the Genesys login session still lives: after a browser restart
   * or an extension update (both empty storage.session). Once per settings, never after the agent
   * signed out on purpose, and quietly: failing only means the agent clicks Sign in.
   */
  async trySilentSignIn(): Promise<void> {
    const settings = this.host.settings();
    if (!isComplete(settings) || this.signingIn || this.session.token) return;
    const key = `${settings.environment} ${settings.clientId}`;
    if (this.silentTriedFor === key) return;
    this.silentTriedFor = key;
    if ((await this.storage.local.get(LOCAL_KEYS.signedOut))[LOCAL_KEYS.signedOut] === true) return;
    try {
      const token = await this.signInWith(settings, false);
      this.note('signed in silently');
      await this.useToken(token, 0);
    } catch (error) {
      // Stays signed out; the popup offers Sign in. The reason helps support, and holds no secret.
      const reason = error instanceof SignInError ? error.problem.code : 'unexpected error';
      this.note(`no silent sign-in (${reason})`);
      console.info(`[mic] no silent sign-in: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async signOut(): Promise<ActionResult> {
    const token = this.session.token;
    await this.storage.local.set({ [LOCAL_KEYS.signedOut]: true });
    this.note('signed out by the agent');
    await this.forget();
    this.problem = undefined;
    this.host.changed();
    if (token) {
      try {
        await new GenesysApi(hostsFor(token.environment).api, token.accessToken, this.fetchImpl, this.host.budget).revokeToken();
      } catch {
        // The token is forgotten here either way; a failed revoke only means it lives to its expiry.
      }
    }
    return { ok: true };
  }

  /** The settings changed: a token is only good for the region and client it was issued for. */
  async settingsChanged(): Promise<void> {
    const token = this.session.token;
    const settings = this.host.settings();
    if (token && (token.environment !== settings.environment || token.clientId !== settings.clientId)) {
      this.note(`region or client id changed (${token.environment} ${token.clientId} → ${settings.environment ?? 'none'} ${settings.clientId ?? 'none'}): the token was for the old ones`);
      await this.forget();
    }
    if (!this.session.token) await this.trySilentSignIn();
  }

  /**
   * Genesys refused the token (`refused`, a 401) or it is about to expire (`expired`): a new one
   * without a window, at once for a token that had lasted; when young tokens are refused too, with
   * growing waits, and after a few the agent is asked to sign in again. Resolves true when a new
   * token is there. Everyone who asks meanwhile shares the same attempt.
   *
   * A token earns trust only by lasting (`trustedAfter`), never by one accepted request: in a
   * partial incident one Genesys service refuses every token while the others accept it, and
   * counting an accepted request as proof signed in again at every refusal (57 times in 20 s).
   */
  needToken(reason: 'refused' | 'expired'): Promise<boolean> {
    if (this.renewing) return this.renewing;
    if (!this.session.token) return Promise.resolve(false);
    const refused = reason === 'refused' && !tokenHasLasted(this.session.tokenSince, Date.now()) ? (this.session.refusedInARow ?? 0) + 1 : 0;
    const next = nextSilentSignIn(refused, this.random());
    this.note(`token ${reason}: ${next === 'give-up' ? `${refused} refused in a row` : `silent sign-in in ${(next.waitMs / 1000).toFixed(1)} s`}`);
    // Not as a renewal: giving up forgets the session at once, which would run before the
    // renewal below is even assigned, leaving its settled `false` to answer every later 401.
    if (next === 'give-up') return this.giveUp();
    const renewal = new AbortController();
    this.renewal = renewal;
    this.renewing = (async () => {
      if (next.waitMs > 0) await sleep(next.waitMs, renewal.signal);
      const settings = this.host.settings();
      if (renewal.signal.aborted || !isComplete(settings)) return false;
      try {
        const token = await this.signInWith(settings, false);
        if (renewal.signal.aborted) return false;
        // Done before the token is handed on: a 401 on it starts the next round, not this one.
        this.renewing = undefined;
        this.renewal = undefined;
        this.note('new token (silent sign-in)');
        await this.useToken(token, refused);
        return true;
      } catch (error) {
        if (!renewal.signal.aborted) this.note(`silent sign-in failed (${error instanceof SignInError ? error.problem.code : 'unexpected error'})`);
        return renewal.signal.aborted ? false : this.giveUp();
      }
    })().finally(() => {
      if (this.renewal === renewal) {
        this.renewing = undefined;
        this.renewal = undefined;
      }
    });
    return this.renewing;
  }

  private async giveUp(): Promise<false> {
    this.note('gave up: sign in again');
    await this.forget();
    this.problem = { code: 'session-expired', message: t('sessionEnded') };
    this.host.changed();
    return false;
  }

  /** `refusedInARow`: young tokens refused before this one (kept across a stopped background). */
  private async useToken(token: Token, refusedInARow: number): Promise<void> {
    const renewed = this.session.token !== undefined;
    // A new token for the same user keeps the agent, channel and calls.
    this.session = { ...this.session, token, tokenSince: Date.now(), refusedInARow };
    this.problem = undefined;
    await saveSession(this.session, this.storage.session);
    this.watchExpiry();
    this.host.tokenArrived(renewed ? 'renewed' : 'started');
  }

  /** Drops the token, the agent, the channel and the calls. */
  async forget(): Promise<void> {
    this.renewal?.abort();
    this.renewal = undefined;
    this.renewing = undefined;
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    const had = this.session.token !== undefined;
    this.session = {};
    await clearSession(this.storage.session);
    if (had) this.host.ended();
  }

  /** Renews the token shortly before Genesys would refuse it, so a click never meets a dead token. */
  private watchExpiry(): void {
    clearTimeout(this.expiryTimer);
    const token = this.session.token;
    if (!token) return;
    this.expiryTimer = setTimeout(() => void this.needToken('expired'), clampDelay(token.expiresAt - Date.now()));
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, clampDelay(ms));
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
