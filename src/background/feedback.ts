// Feedback beyond the views: the optional sound when the mute state changes, and a desktop
// notification when an intent fails while the agent is looking at another application.
import { DEFAULT_PREFERENCES, PREFERENCES_KEY, readManagedSound, readPreferences, type PlayFeedback, type Preferences } from '../shared/feedback';
import type { ProblemView } from '../shared/view';
import { t } from '../shared/i18n';

const OFFSCREEN_PATH = 'src/offscreen/index.html';

export class Feedback {
  private preferences: Preferences = DEFAULT_PREFERENCES;
  /** The confirmed mute state last heard, per call, so a sound plays only on a change. */
  private lastMuted: { conversationId: string; muted: boolean } | undefined;
  /** Sounds the offscreen document confirmed playing (read by the tests). */
  played = 0;

  /** Set by policy, it wins over the agent's own choice. */
  private managedSound: boolean | undefined;

  async load(): Promise<void> {
    this.preferences = readPreferences((await chrome.storage.local.get(PREFERENCES_KEY))[PREFERENCES_KEY]);
  }

  /** Policy as it arrives (the first read after browser start can take seconds). */
  async loadManaged(): Promise<void> {
    try {
      this.managedSound = readManagedSound(await chrome.storage.managed.get('sound'));
    } catch {
      this.managedSound = undefined;
    }
  }

  /** The controlled call's confirmed state; plays the sound when it changed on the same call. */
  async observed(call: { conversationId: string; muted: boolean } | undefined): Promise<void> {
    const previous = this.lastMuted;
    this.lastMuted = call;
    if (!call || !previous || previous.conversationId !== call.conversationId || previous.muted === call.muted) return;
    if (this.managedSound ?? this.preferences.sound) await this.play(call.muted);
  }

  private async play(muted: boolean): Promise<void> {
    try {
      const open = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] });
      if (open.length === 0) {
        await chrome.offscreen.createDocument({
          url: OFFSCREEN_PATH,
          reasons: [chrome.offscreen.Reason.AUDIO_PLAYBACK],
          justification: 'A short sound when the microphone is muted or unmuted, if the agent turned it on.',
        });
      }
      const message: PlayFeedback = { type: 'play-feedback', muted };
      // A just-created document may not listen yet: try again briefly rather than lose the sound.
      for (let attempt = 0; attempt < 10; attempt++) {
        const played: unknown = await chrome.runtime.sendMessage(message).catch(() => undefined);
        if (played === true) {
          this.played += 1;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } catch {
      // A sound is a nicety: never let it get in the way of the mute itself.
    }
  }

  /**
   * An intent failed. The page control and the popup say so, but only if the agent is looking at
   * one: when neither the popup is open nor the focused window shows the agent desktop, notify.
   */
  async failed(problem: ProblemView, agentDesktopOrigin: string | undefined): Promise<void> {
    try {
      const popups = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.POPUP] });
      if (popups.length > 0) return;
      // Tab URLs are visible only for hosts we hold permissions for: exactly the agent desktops.
      const window = await chrome.windows.getLastFocused({ populate: true });
      const active = window.tabs?.find((tab) => tab.active);
      if (window.focused && agentDesktopOrigin && active?.url?.startsWith(`${agentDesktopOrigin}/`)) return;
      await chrome.notifications.create(`mute-failed-${Date.now()}`, {
        type: 'basic',
        iconUrl: 'icons/icon-128.png',
        title: t('notificationTitle'),
        message: problem.message,
        priority: 2,
      });
    } catch {
      // Notifications may be turned off for Chrome; the page control and popup still say it.
    }
  }
}
