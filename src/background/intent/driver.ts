// Runs the intent machine's effects (machine.ts): the PATCH through the host, the session's new
// token, the timers, the views and the diagnostics. The one path every mute intent takes (page
// button, popup, shortcut) goes through `MuteIntent.request`.
import { GenesysError } from '../genesys';
import type { ProblemView } from '../../shared/view';
import { t } from '../../shared/i18n';
import { DEFAULT_TIMING, IDLE, transition, type Failure, type IntentEffect, type IntentEvent, type IntentResult, type IntentState, type IntentTiming, type MuteTarget, type Problem, type Timer } from './machine';

export { DEFAULT_TIMING, type IntentTiming, type MuteTarget } from './machine';

export type SendMute = (target: MuteTarget, muted: boolean) => Promise<void>;

/** How an intent ended, for the diagnostics. */
export interface IntentOutcome {
  wanted: boolean;
  /** `confirmed` by Genesys; `call-changed` (another call became the agent's, or none); `reset` (signed out); else the problem. */
  result: IntentResult;
  /** From the first click to the end. */
  ms: number;
  /** PATCHes sent for it, retries included. */
  patches: number;
}

export interface IntentHost {
  send: SendMute;
  /** An intent ended (optional: the diagnostics). */
  finished?: (outcome: IntentOutcome) => void;
  /** Called whenever `wanted` or `problem` changes, and on every click, so the views can be pushed. */
  changed: () => void;
  /** A 401: the host tries a silent sign-in; true when the intent may go on with the new token. */
  unauthorized: () => Promise<boolean>;
  /** An intent was abandoned unconfirmed: the host fetches the truth. */
  unconfirmed?: () => void;
  /** An intent failed and the agent must be told (the views show it; the host may notify). */
  failed?: (problem: ProblemView) => void;
  /** The wait before a retry (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
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

/** A refused PATCH as the machine needs it: its status (0: no answer; -1: not an HTTP failure), Retry-After, and what to tell the agent. */
function failureOf(error: unknown): Failure {
  const genesys = error instanceof GenesysError ? error : undefined;
  return { status: genesys?.status ?? -1, retryAfterMs: (genesys?.retryAfterSeconds ?? 1) * 1000, problem: problemForMuteError(error) };
}

/** The machine's own problems, worded. */
const worded = (problem: Problem): ProblemView =>
  problem.message !== undefined ? problem : { code: problem.code, message: t(problem.code === 'call-gone' ? 'muteCallEnded' : 'muteNotConfirmed') };

export class MuteIntent {
  private state: IntentState = IDLE;
  /** Events dispatched while another is being handled, in order; the first is the one being handled (see dispatch). */
  private readonly queue: IntentEvent[] = [];
  /** How to stop each running timer. */
  private readonly timers: Partial<Record<Timer, () => void>> = {};

  constructor(
    private readonly host: IntentHost,
    private readonly timing: IntentTiming = DEFAULT_TIMING,
  ) {}

  /** The state the agent last asked for, while it is not yet confirmed. */
  get wanted(): boolean | undefined {
    return this.state.intent?.wanted;
  }

  get problem(): ProblemView | undefined {
    const { problem } = this.state;
    return problem && worded(problem);
  }

  /** The agent asked for `muted` on `target`, whose confirmed state is `confirmed`. */
  request(target: MuteTarget, muted: boolean, confirmed: boolean): void {
    this.dispatch({ type: 'click', target, muted, confirmed, at: Date.now() });
  }

  /**
   * Genesys's latest word on the controlled call (from an event or a snapshot), or undefined when
   * there is no call to control. `caughtUp`: the word is a snapshot taken after a gap in the events
   * (a reconnect).
   */
  observe(target: MuteTarget | undefined, confirmed: boolean, caughtUp?: boolean): void {
    this.dispatch({ type: 'observed', target, muted: confirmed, caughtUp });
  }

  /** Forget everything (sign out). */
  reset(): void {
    this.dispatch({ type: 'reset' });
  }

  /**
   * Hands `event` to the machine. Never re-entered: an event dispatched while one is being handled
   * (by a host callback) waits its turn, so each transition runs whole on the state the one before
   * left.
   */
  private dispatch(event: IntentEvent): void {
    const { queue } = this;
    if (queue.push(event) > 1) return;
    try {
      for (let next; (next = queue[0]); queue.shift()) {
        const { state, effects } = transition(this.state, next, this.timing);
        this.state = state;
        for (const effect of effects) this.run(effect);
      }
    } finally {
      // Empty already, unless a host callback threw: then nothing waits behind it for good.
      queue.length = 0;
    }
  }

  private run(effect: IntentEffect): void {
    const { host, timers } = this;
    switch (effect.type) {
      case 'send':
        // A host that throws at once is answered like one that rejects.
        new Promise<void>((resolve) => resolve(host.send(effect.target, effect.muted))).then(
          () => this.dispatch({ type: 'answered' }),
          (error: unknown) => this.dispatch({ type: 'answered', failure: failureOf(error) }),
        );
        return;
      case 'need-token':
        void host
          .unauthorized()
          .catch(() => false)
          .then((renewed) => this.dispatch({ type: 'token', renewed }));
        return;
      case 'timer': {
        const { timer, ms } = effect;
        timers[timer]?.();
        if (ms === undefined) return;
        const due = () => this.dispatch({ type: 'due', timer });
        if (timer === 'retry' && host.sleep) {
          let live = true;
          void host.sleep(ms).then(() => live && due());
          timers[timer] = () => (live = false);
        } else {
          const id = setTimeout(due, ms);
          timers[timer] = () => clearTimeout(id);
        }
        return;
      }
      case 'changed':
        return host.changed();
      case 'finished': {
        const { began, ...intent } = effect.intent;
        return host.finished?.({ ...intent, result: effect.result, ms: Date.now() - began });
      }
      case 'failed':
        return host.failed?.(worded(effect.problem));
      case 'unconfirmed':
        return host.unconfirmed?.();
    }
  }
}
