// The one path every mute intent takes (page button, popup, shortcut). The first click's PATCH
// leaves at once; clicks that follow within a short hold window are folded into at most one more
// PATCH with the last click's value, so a burst of clicks never flaps the customer's audio. It
// sends nothing when Genesys already has the wanted state, and gives up (telling the agent) rather
// than mute minutes after a click.
import { GenesysError } from './genesys';
import type { ProblemView } from '../shared/view';
import { t } from '../shared/i18n';

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
  /**
   * After a PATCH leaves, further clicks wait until none has come for this long; then at most one
   * PATCH carries the last click. A burst (clicks less than this apart) costs at most two PATCHes.
   */
  holdMs: number;
}

/**
 * 400 ms hold: people clicking or tapping a key repeatedly do so 100–250 ms apart, and the
 * double-click threshold of desktop systems is 500 ms with most double-clicks well under 300, so
 * a burst stays one burst; a deliberate mute-then-unmute is slower. Only the click that ends a burst
 * waits this long, and it still lands within half a second.
 */
export const DEFAULT_TIMING: IntentTiming = { confirmTimeoutMs: 10_000, retryDelaysMs: [250, 1_000], maxRetryAfterMs: 8_000, holdMs: 400 };

/** How an intent ended, for the diagnostics. */
export interface IntentOutcome {
  wanted: boolean;
  /** `confirmed` by Genesys; `call-changed` (another call became the agent's, or none); `reset` (signed out); else the problem. */
  result: 'confirmed' | 'call-changed' | 'reset' | ProblemView['code'];
  /** From the first click to the end. */
  ms: number;
  /** PATCHes sent for it, retries included. */
  patches: number;
}

export interface IntentHost {
  send: SendMute;
  /** An intent ended (optional: the diagnostics). */
  finished?: (outcome: IntentOutcome) => void;
  /** Called whenever `wanted` or `problem` changes, so the views can be pushed. */
  changed: () => void;
  /** A 401: the host tries a silent sign-in; true when the intent may go on with the new token. */
  unauthorized: () => Promise<boolean>;
  /** An intent was abandoned unconfirmed: the host fetches the truth. */
  unconfirmed?: () => void;
  /** An intent failed and the agent must be told (the views show it; the host may notify). */
  failed?: (problem: ProblemView) => void;
  sleep?: (ms: number) => Promise<void>;
  setTimer?: (callback: () => void, ms: number) => () => void;
}

/** What the agent is told when an intent fails, by Genesys status. */
export function problemForMuteError(error: unknown): ProblemView {
  if (!(error instanceof GenesysError)) return { code: 'server-error', message: t('muteUnexpected') };
  switch (error.status) {
    case 0:
      return { code: 'network', message: t('muteNetwork') };
    case 401:
      return { code: 'session-expired', message: t('sessionEnded') };
    case 403:
      return { code: 'not-your-participant', message: t('muteForbidden') };
    case 404:
      return { code: 'call-gone', message: t('muteCallGone') };
    case 429:
      return { code: 'rate-limited', message: t('muteRateLimited') };
    default:
      return error.status >= 500
        ? { code: 'server-error', message: t('muteServerError', error.status) }
        : { code: 'server-error', message: t('muteRefused', error.status, error.message) };
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
  /** What Genesys last said for the target. */
  private confirmed = false;
  /** A PATCH is on the wire. */
  private sending = false;
  /**
   * What the last accepted PATCH asked for, until Genesys confirms it. No further PATCH leaves
   * meanwhile: that is what folds a burst of clicks into at most two requests.
   */
  private awaiting: boolean | undefined;
  /** Whether Genesys has spoken since the last PATCH left; an older event proves nothing. */
  private heardSinceSend = false;
  private cancelTimeout: (() => void) | undefined;
  /** Set while the hold window after a PATCH is open: clicks are folded, no PATCH leaves. */
  private cancelHold: (() => void) | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly setTimer: (callback: () => void, ms: number) => () => void;
  /** When the pending intent began, and the PATCHes it cost (for `finished`). */
  private began = 0;
  private patches = 0;

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
    if (this.wanted === undefined && !this.busy() && muted === confirmed) {
      // Genesys already has it: nothing to send.
      this.host.changed();
      return;
    }
    if (this.wanted === undefined) {
      this.began = Date.now();
      this.patches = 0;
    }
    this.wanted = muted;
    // A click inside the hold window keeps it open: the burst is not over yet.
    if (this.cancelHold) this.hold();
    this.restartTimeout();
    this.next();
    this.host.changed();
  }

  /**
   * Genesys's latest word on the controlled call (from an event or a snapshot), or undefined when
   * there is no call to control. Confirms what was sent and lets the next intent go. `caughtUp`:
   * the word is a snapshot taken after a gap in the events (a reconnect).
   */
  observe(target: MuteTarget | undefined, confirmed: boolean, caughtUp = false): void {
    if (!target) {
      if (this.wanted !== undefined) this.abandon({ code: 'call-gone', message: t('muteCallEnded') });
      this.target = undefined;
      return;
    }
    this.follow(target, confirmed);
    this.heardSinceSend = true;
    // After a gap, the confirmation awaited may have been among the events missed and been undone
    // since (a supervisor, Genesys's own UI): Genesys's state now decides, not a wait for an event
    // that will not come.
    if ((this.awaiting === confirmed || caughtUp) && !this.sending) this.awaiting = undefined;
    if (this.wanted !== undefined) {
      this.next();
      this.host.changed();
    }
  }

  /** Forget everything (sign out). */
  reset(): void {
    this.settle('reset');
    this.endHold();
    this.problem = undefined;
    this.target = undefined;
  }

  /** A PATCH is on the wire or accepted and not yet confirmed. */
  private busy(): boolean {
    return this.sending || this.awaiting !== undefined;
  }

  private follow(target: MuteTarget, confirmed: boolean): void {
    if (!this.target || this.target.conversationId !== target.conversationId || this.target.participantId !== target.participantId) {
      // A different call: whatever was pending, or went wrong, or was held, was about the old one.
      this.settle('call-changed');
      this.endHold();
      this.problem = undefined;
      this.target = target;
    }
    this.confirmed = confirmed;
  }

  /**
   * Settles a confirmed intent or sends the one PATCH it needs; waits while one is unconfirmed or
   * the hold window is open.
   */
  private next(): void {
    if (this.wanted === undefined || this.busy()) return;
    if (this.wanted === this.confirmed) {
      this.settle();
      return;
    }
    if (this.cancelHold) return;
    void this.send(this.wanted);
  }

  /** (Re)opens the hold window; when it closes, the last click is sent if it still needs to be. */
  private hold(): void {
    this.cancelHold?.();
    this.cancelHold = this.setTimer(() => {
      this.cancelHold = undefined;
      if (this.wanted === undefined) return;
      this.next();
      this.host.changed();
    }, this.timing.holdMs);
  }

  private endHold(): void {
    this.cancelHold?.();
    this.cancelHold = undefined;
  }

  private async send(first: boolean): Promise<void> {
    const target = this.target;
    if (!target) return;
    this.sending = true;
    this.hold();
    let muted = first;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        // A retry carries the agent's latest wish (they may have clicked while it waited), and
        // nothing at all when Genesys already has it, or when the agent's call changed meanwhile:
        // a click there is about that call and goes there.
        if (this.target !== target || this.wanted === undefined || this.wanted === this.confirmed) {
          this.release();
          return;
        }
        muted = this.wanted;
      }
      try {
        this.heardSinceSend = false;
        this.patches += 1;
        await this.host.send(target, muted);
        break;
      } catch (error) {
        // The old call's failure says nothing about a click on the call the agent has now.
        if (this.target !== target) {
          this.release();
          return;
        }
        if (error instanceof GenesysError && error.status === 401 && attempt === 0 && this.wanted !== undefined) {
          // Once: a fresh token from a silent sign-in lets the same intent go on — unless it was
          // abandoned while the new token was on its way (then it was already reported).
          const renewed = await this.host.unauthorized();
          if (this.wanted === undefined) {
            this.sending = false;
            return;
          }
          if (renewed) continue;
        }
        const wait = this.retryWait(error, attempt);
        if (wait === undefined || this.wanted === undefined) {
          this.sending = false;
          if (this.wanted === undefined) return; // abandoned meanwhile; it was already reported
          this.abandon(problemForMuteError(error));
          return;
        }
        await this.sleep(wait);
        if (this.wanted === undefined) {
          this.sending = false;
          return;
        }
      }
    }
    if (this.wanted === undefined || this.target !== target) {
      // Abandoned while on the wire (already reported), or the agent's call changed: the next
      // event shows what happened, and a click on the new call goes now.
      this.release();
      return;
    }
    // The event can beat the 202: then it is confirmed already.
    this.awaiting = this.heardSinceSend && this.confirmed === muted ? undefined : muted;
    this.release();
  }

  /** This PATCH is done with: whatever the agent wants now goes next. */
  private release(): void {
    this.sending = false;
    this.next();
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
      if (this.wanted !== undefined || this.awaiting !== undefined) {
        this.abandon({
          code: 'not-confirmed',
          message: t('muteNotConfirmed'),
        });
        this.host.unconfirmed?.();
      }
    }, this.timing.confirmTimeoutMs);
  }

  private settle(result: IntentOutcome['result'] = 'confirmed'): void {
    if (this.wanted !== undefined) this.host.finished?.({ wanted: this.wanted, result, ms: Date.now() - this.began, patches: this.patches });
    this.cancelTimeout?.();
    this.cancelTimeout = undefined;
    this.wanted = undefined;
    this.awaiting = undefined;
  }

  private abandon(problem: ProblemView | undefined): void {
    this.settle(problem?.code ?? 'not-confirmed');
    this.problem = problem;
    this.host.changed();
    if (problem) this.host.failed?.(problem);
  }
}
