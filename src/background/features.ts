// Optional features beside the mute itself. Each says, from the view and the config, whether it
// should run; it starts then, and stops through one signal when that is no longer so — nothing
// of it (an offscreen document, a notification, later a microphone) outlives the reason for it.
import type { MicView, Nudge, ProblemCode } from '../shared/view';
import type { Config } from '../shared/config';
import type { BackgroundPlatform, MicrophonePermission } from '../platform/types';
import { t } from '../shared/i18n';
import { SpeakingNudge } from './nudge';

export interface FeatureContext {
  view: MicView;
  config: Config;
}

export interface Feature {
  readonly name: string;
  wanted(context: FeatureContext): boolean;
  /** Starts; everything it sets up ends when `signal` aborts. */
  start(signal: AbortSignal, context: FeatureContext): void;
  /** Every change of view or config while it runs. */
  update?(context: FeatureContext): void;
}

export class Features {
  private readonly running = new Map<Feature, AbortController>();

  constructor(private readonly features: readonly Feature[]) {}

  update(context: FeatureContext): void {
    for (const feature of this.features) {
      const lifetime = this.running.get(feature);
      if (!feature.wanted(context)) {
        lifetime?.abort();
        this.running.delete(feature);
        continue;
      }
      if (!lifetime) {
        const started = new AbortController();
        this.running.set(feature, started);
        feature.start(started.signal, context);
      }
      feature.update?.(context);
    }
  }

  /** Which features run now (for diagnostics and tests). */
  names(): string[] {
    return [...this.running.keys()].map((feature) => feature.name);
  }
}

/** Keeps the background running while the agent is signed in, where the browser needs help. */
export class KeepAlive implements Feature {
  readonly name = 'keep-alive';

  constructor(private readonly platform: BackgroundPlatform) {}

  wanted({ view }: FeatureContext): boolean {
    return view.connection !== 'signed-out';
  }

  start(signal: AbortSignal): void {
    this.platform.keepAlive(signal);
  }
}

/** The optional cue on every confirmed mute change, while the agent wants it and is on a call. */
export class MuteCue implements Feature {
  readonly name = 'mute-cue';
  /** Cues the browser confirmed playing (read by the tests). */
  played = 0;
  private last: { conversationId: string; muted: boolean } | undefined;

  constructor(private readonly platform: BackgroundPlatform) {}

  wanted({ view, config }: FeatureContext): boolean {
    return config.sound && view.call !== undefined;
  }

  start(signal: AbortSignal, { view }: FeatureContext): void {
    this.last = confirmed(view);
    signal.addEventListener('abort', () => {
      this.last = undefined;
      void this.platform.releaseAudio().catch(() => undefined);
    });
  }

  update({ view }: FeatureContext): void {
    const now = confirmed(view);
    const previous = this.last;
    this.last = now;
    if (!now || !previous || previous.conversationId !== now.conversationId || previous.muted === now.muted) return;
    // A cue is a nicety: it never gets in the way of the mute itself.
    void this.platform.playCue(now.muted ? 'muted' : 'unmuted').then(
      (played) => {
        if (played) this.played += 1;
      },
      () => undefined,
    );
  }
}

function confirmed(view: MicView): { conversationId: string; muted: boolean } | undefined {
  return view.call ? { conversationId: view.call.conversationId, muted: view.call.muted } : undefined;
}

/**
 * Muted on the call the control acts on, as Genesys confirmed it: the only time the microphone is
 * listened to. Not on hold, and not while the agent's own unmute is on its way.
 */
export function mutedOnControlledCall(view: MicView): boolean {
  if (view.call?.muted !== true || view.call.held) return false;
  return view.status === 'muted' || view.status === 'error' || (view.status === 'pending' && view.wantMuted === true);
}

/**
 * The speaking-while-muted warning listens when it is on, allowed, and the agent is muted on a
 * call — as far as a live connection says: while the socket is down, reconnecting or offline the
 * call may have ended or been unmuted in Genesys's own UI unseen, so the microphone closes until
 * the calls are caught up again. And only once policy has answered (`policyRead`, no time bound):
 * a background that starts must not listen on the agent's own "on" that an admin may have turned
 * off; if the policy read never answers, nothing listens.
 */
export function listensForSpeech({ view, config }: FeatureContext, permission: MicrophonePermission, policyRead: boolean): boolean {
  return policyRead && config.speakingWhileMuted && permission === 'granted' && view.connection === 'live' && mutedOnControlledCall(view);
}

/**
 * The speaking-while-muted warning (issue 10): while it runs, the microphone is open in the
 * browser's own document and only "speaking" comes back; a nudge shows in every view, with its own
 * cue when the mute sound is on. It never changes the mute.
 */
export class SpeakingWatch implements Feature {
  readonly name = 'speaking-while-muted';
  /** Warnings shown, and warning cues the browser confirmed playing (read by the tests). */
  nudges = 0;
  cues = 0;
  /** When the microphone opened (epoch ms), while listening (read by the tests and the bench). */
  listeningSince: number | undefined;
  private readonly nudge: SpeakingNudge;
  private sound = false;

  constructor(
    private readonly platform: BackgroundPlatform,
    private readonly permission: () => MicrophonePermission,
    /** Whether the policy read has answered (ConfigSource.policyAnswered). */
    private readonly policyRead: () => boolean,
    changed: () => void,
  ) {
    this.nudge = new SpeakingNudge((shown) => {
      if (shown) this.nudges += 1;
      if (shown && this.sound) {
        void this.platform.playCue('speaking').then(
          (played) => {
            if (played) this.cues += 1;
          },
          () => undefined,
        );
      }
      // Not inside the features' own update: a nudge that goes with listening shows at the next turn.
      queueMicrotask(changed);
    });
  }

  /** What the views show now. */
  get shown(): Nudge | undefined {
    return this.nudge.shown ? 'speaking-while-muted' : undefined;
  }

  wanted(context: FeatureContext): boolean {
    return listensForSpeech(context, this.permission(), this.policyRead());
  }

  start(signal: AbortSignal, { config }: FeatureContext): void {
    this.sound = config.sound;
    signal.addEventListener('abort', () => {
      this.listeningSince = undefined;
      this.nudge.reset();
    });
    // Speech reports arrive only until the signal aborts; a microphone that cannot open stays quiet.
    void this.platform.microphone.listen(signal, (speaking) => this.nudge.heard(speaking)).then(
      (since) => {
        if (!signal.aborted) this.listeningSince = since;
      },
      () => undefined,
    );
  }

  update({ config }: FeatureContext): void {
    this.sound = config.sound;
  }
}

/** Mute failures: the page control and the popup say them; this tells an agent looking elsewhere. */
const INTENT_PROBLEMS: ReadonlySet<ProblemCode> = new Set(['not-your-participant', 'call-gone', 'rate-limited', 'server-error', 'network', 'not-confirmed']);

/** What the failure notice needs to know about where the agent is looking. */
export interface Attention {
  popupOpen(): Promise<boolean>;
  /** The URL of the active tab in the focused window, when the browser lets us see it. */
  focusedTabUrl(): Promise<string | undefined>;
  notify(id: string, title: string, message: string): Promise<void>;
  clear(id: string): Promise<void>;
}

/**
 * A desktop notification when a mute fails while neither the popup is open nor the focused window
 * shows the agent desktop; taken away when the failure no longer stands.
 */
export class FailureNotice implements Feature {
  readonly name = 'failure-notice';

  constructor(private readonly attention: Attention) {}

  wanted({ view }: FeatureContext): boolean {
    return view.status === 'error' && view.problem !== undefined && INTENT_PROBLEMS.has(view.problem.code);
  }

  start(signal: AbortSignal, { view }: FeatureContext): void {
    const id = `mute-failed-${Date.now()}`;
    void (async () => {
      if (await this.attention.popupOpen()) return;
      const url = await this.attention.focusedTabUrl();
      if (view.agentDesktopOrigin && url?.startsWith(`${view.agentDesktopOrigin}/`)) return;
      if (signal.aborted) return;
      await this.attention.notify(id, t('notificationTitle'), view.problem?.message ?? '');
      signal.addEventListener('abort', () => void this.attention.clear(id).catch(() => undefined));
    })().catch(() => {
      // Notifications may be turned off for the browser; the page control and popup still say it.
    });
  }
}
