// When the speaking-while-muted warning shows, from what the voice-activity detector says. Pure
// timing, no browser: the detector already waits for ~300 ms of speech before it says "speaking"
// and for 1.5 s of quiet before it says "not speaking"; the warning then stays a little longer, so
// a pause for breath does not make it blink, and goes after a few seconds of silence in all.

/** How long the warning stays after the detector stopped hearing speech, ms. */
export const NUDGE_CLEAR_MS = 2_000;

export class SpeakingNudge {
  private isShown = false;
  private clearTimer: ReturnType<typeof setTimeout> | undefined;

  /** `changed` runs on every change of `shown`. */
  constructor(
    private readonly changed: (shown: boolean) => void,
    private readonly clearAfterMs = NUDGE_CLEAR_MS,
  ) {}

  get shown(): boolean {
    return this.isShown;
  }

  /** The detector's word: the agent is speaking now, or no longer. */
  heard(speaking: boolean): void {
    if (speaking) {
      this.cancelClear();
      this.set(true);
      return;
    }
    if (!this.isShown || this.clearTimer !== undefined) return;
    this.clearTimer = setTimeout(() => {
      this.clearTimer = undefined;
      this.set(false);
    }, this.clearAfterMs);
  }

  /** Listening stopped (the agent unmuted, the call ended, the warning was turned off): gone at once. */
  reset(): void {
    this.cancelClear();
    this.set(false);
  }

  private cancelClear(): void {
    clearTimeout(this.clearTimer);
    this.clearTimer = undefined;
  }

  private set(shown: boolean): void {
    if (shown === this.isShown) return;
    this.isShown = shown;
    this.changed(shown);
  }
}
