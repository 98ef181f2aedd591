// The one path every mute intent takes (page button, popup, shortcut). It coalesces rapid toggles
// so the last intent wins with the fewest PATCHes, sends nothing when Genesys already has the
// wanted state, and gives up (telling the agent) rather than mute minutes after a click.
import { GenesysError } from './genesys';
import type { ProblemView } from '../shared/view';

export interface MuteTarget {
  conversationId: string;
  participantId: string;
}

export type SendMute = (target: MuteTarget, muted: boolean) => Promise<void>;

export interface IntentTiming {
  /** How long an intent may stay unconfirmed before it is abandoned. */
  confirmTimeoutMs: number;
  /** Waits between retries of 5xx and network failures. */
  retryDelaysMs: readonly number[];
  /** A Retry-After longer than this abandons the intent instead of waiting. */
  maxRetryAfterMs: number;
}

export const DEFAULT_TIMING: IntentTiming = { confirmTimeoutMs: 10_000, retryDelaysMs: [250, 1_000], maxRetryAfterMs: 8_000 };

export interface IntentHost {
  send: SendMute;
  /** Called whenever `wanted` or `problem` changes, so the views can be pushed. */
  changed: () => void;
  /** A 401: the token is no good; the host signs in again. */
  unauthorized: () => void;
  sleep?: (ms: number) => Promise<void>;
  setTimer?: (callback: () => void, ms: number) => () => void;
}

/** What the agent is told when an intent fails, by Genesys status. */
export function problemForMuteError(error: unknown): ProblemView {
  if (!(error instanceof GenesysError)) return { code: 'server-error', message: 'Mute failed unexpectedly. Your microphone state is unchanged.' };
  switch (error.status) {
    case 0:
      return { code: 'network', message: 'Could not reach Genesys Cloud. Your microphone state is unchanged.' };
    case 401:
      return { code: 'session-expired', message: 'Your Genesys Cloud session has ended. Sign in again.' };
    case 403:
      return { code: 'not-your-participant', message: 'Genesys Cloud refused: you can only mute your own leg of a call.' };
    case 404:
      return { code: 'call-gone', message: 'That call has ended, so there is nothing to mute.' };
    case 429:
      return { code: 'rate-limited', message: 'Genesys Cloud is limiting requests right now. Try again in a moment.' };
    default:
      return error.status >= 500
        ? { code: 'server-error', message: `Genesys Cloud had a problem (${error.status}). Your microphone state is unchanged.` }
        : { code: 'server-error', message: `Genesys Cloud refused the change (${error.status}: ${error.message})` };
  }
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const realTimer = (callback: () => void, ms: number): (() => void) => {
  const id = setTimeout(callback, ms);
  return () => clearTimeout(id);
};

export class MuteIntent {
  /** The state the agent last asked for, while it is not yet confirmed. */
  wanted: boolean | undefined;
  problem: ProblemView | undefined;
  private target: MuteTarget | undefined;
  /** What Genesys last confirmed for the target. */
  private confirmed = false;
  /** What the last accepted PATCH of the pending intent asked for, so an equal intent is not sent twice. */
  private lastSent: boolean | undefined;
  private sending = false;
  /** Whether Genesys has spoken since the last PATCH left; an older confirmation proves nothing. */
  private heardSinceSend = false;
  private cancelTimeout: (() => void) | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly setTimer: (callback: () => void, ms: number) => () => void;

  constructor(
    private readonly host: IntentHost,
    private readonly timing: IntentTiming = DEFAULT_TIMING,
  ) {
    this.sleep = host.sleep ?? realSleep;
    this.setTimer = host.setTimer ?? realTimer;
  }

  /** The agent asked for `muted` on `target`, whose confirmed state is `confirmed`. */
  request(target: MuteTarget, muted: boolean, confirmed: boolean): void {
    this.follow(target, confirmed);
    this.problem = undefined;
    if (!this.sending && this.wanted === undefined && muted === confirmed) {
      this.host.changed();
      return;
    }
    this.wanted = muted;
    this.restartTimeout();
    this.host.changed();
    if (!this.sending) void this.pump();
  }

  /**
   * Genesys's latest word on the controlled call (from an event or a snapshot), or undefined when
   * there is no call to control. Resolves a pending intent when it matches.
   */
  observe(target: MuteTarget | undefined, confirmed: boolean): void {
    if (!target) {
      if (this.wanted !== undefined) this.abandon({ code: 'call-gone', message: 'The call ended before the change was made.' });
      this.target = undefined;
      return;
    }
    this.follow(target, confirmed);
    this.heardSinceSend = true;
    if (this.wanted !== undefined && !this.sending && this.isConfirmed()) {
      this.settle();
      this.host.changed();
    }
  }

  /** Forget everything (sign out, call switch). */
  reset(): void {
    this.cancelTimeout?.();
    this.cancelTimeout = undefined;
    this.wanted = undefined;
    this.problem = undefined;
    this.target = undefined;
    this.lastSent = undefined;
  }

  private follow(target: MuteTarget, confirmed: boolean): void {
    if (!this.target || this.target.conversationId !== target.conversationId || this.target.participantId !== target.participantId) {
      // A different call: whatever was pending was for the old one.
      if (this.wanted !== undefined) this.abandon(undefined);
      this.target = target;
      this.lastSent = undefined;
    }
    this.confirmed = confirmed;
  }

  private async pump(): Promise<void> {
    this.sending = true;
    let attempt = 0;
    while (this.wanted !== undefined && this.target && this.wanted !== (this.lastSent ?? this.confirmed)) {
      const target = this.target;
      const muted = this.wanted;
      try {
        this.heardSinceSend = false;
        await this.host.send(target, muted);
        this.lastSent = muted;
        attempt = 0;
      } catch (error) {
        const wait = this.retryWait(error, attempt);
        attempt += 1;
        if (wait === undefined) {
          this.sending = false;
          if (error instanceof GenesysError && error.status === 401) this.host.unauthorized();
          this.abandon(problemForMuteError(error));
          return;
        }
        await this.sleep(wait);
      }
    }
    this.sending = false;
    // Already confirmed while the request was in flight (the event can beat the 202).
    if (this.wanted !== undefined && this.isConfirmed()) this.settle();
    this.host.changed();
  }

  /** How long to wait before retrying, or undefined to give up. */
  private retryWait(error: unknown, attempt: number): number | undefined {
    if (!(error instanceof GenesysError)) return undefined;
    if (error.status === 429) {
      const ms = (error.retryAfterSeconds ?? 1) * 1000;
      return ms <= this.timing.maxRetryAfterMs ? ms : undefined;
    }
    if (error.status === 0 || error.status >= 500) return this.timing.retryDelaysMs[attempt];
    return undefined;
  }

  private restartTimeout(): void {
    this.cancelTimeout?.();
    this.cancelTimeout = this.setTimer(() => {
      this.cancelTimeout = undefined;
      if (this.wanted !== undefined) {
        this.abandon({
          code: 'not-confirmed',
          message: 'Genesys Cloud did not confirm the change in time. The control shows your real microphone state.',
        });
      }
    }, this.timing.confirmTimeoutMs);
  }

  /** Genesys has the wanted state and no request we sent can still change it. */
  private isConfirmed(): boolean {
    if (this.wanted !== this.confirmed) return false;
    return this.lastSent === undefined || (this.lastSent === this.confirmed && this.heardSinceSend);
  }

  private settle(): void {
    this.cancelTimeout?.();
    this.cancelTimeout = undefined;
    this.wanted = undefined;
    this.lastSent = undefined;
  }

  private abandon(problem: ProblemView | undefined): void {
    this.settle();
    this.problem = problem;
    this.host.changed();
  }
}
