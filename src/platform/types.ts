// What differs between the browsers the extension runs in, as one interface. Features ask this
// seam what exists instead of naming a browser; `vite.config.ts` picks the implementation at build
// time (the `@platform` import: chrome.ts or firefox.ts), so a build carries only its own.
// It names nothing from the background: the background builds on it, not the other way round.

/** `speaking`: the agent seems to be talking while muted (the optional warning). */
export type Cue = 'muted' | 'unmuted' | 'speaking';

/** The microphone permission as the browser answers it without asking the agent. */
export type MicrophonePermission = 'granted' | 'prompt' | 'denied' | 'unsupported';

/**
 * The microphone for the speaking-while-muted warning. Audio stays where it is captured: only
 * "speaking" / "not speaking" comes out of `listen`. Nothing here ever asks the agent for the
 * permission: the options page does, where a person can answer.
 */
export interface Microphone {
  /** Whether the extension may use the microphone, without prompting; 'unsupported' where it never can. */
  permission(): Promise<MicrophonePermission>;
  /** Calls `listener` when the permission changes (granted in Settings, revoked in the browser's settings). */
  onPermissionChange(listener: () => void): void;
  /**
   * Opens the microphone and reports every change of "speaking" until `signal` aborts, when the
   * microphone closes. Resolves with when listening began (epoch ms), or undefined if it could not.
   */
  listen(signal: AbortSignal, speaking: (speaking: boolean) => void): Promise<number | undefined>;
  /** Closes a microphone nobody listens to (one a stopped background left open). */
  release(): Promise<void>;
}

/** What sign-in needs from the browser: its web auth flow and this install's redirect URI. */
export interface Identity {
  redirectUri(): string;
  launchWebAuthFlow(url: string, interactive: boolean): Promise<string | undefined>;
}

/** The toolbar button's calls (chrome.action), so a test can record them instead. */
export interface ToolbarButton {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  setTitle(details: { title: string }): Promise<void>;
  setIcon(details: { path: Record<string, string> }): Promise<void>;
}

/** What the background needs. */
export interface BackgroundPlatform {
  readonly browser: 'chrome' | 'firefox';
  /** Sign-in: the browser's web auth flow and this install's redirect URI. */
  readonly identity: Identity;
  readonly toolbar: ToolbarButton;
  /** Plays the short mute/unmute cue; false when the browser would not. */
  playCue(cue: Cue): Promise<boolean>;
  /** Lets go of whatever playing cues holds (Chrome: the offscreen document). */
  releaseAudio(): Promise<void>;
  readonly microphone: Microphone;
  /** Whether the toolbar popup is open now (a failure shows there, no notification needed). */
  popupOpen(): Promise<boolean>;
  /**
   * Keeps the background running until `signal` aborts, so the socket keeps hearing Genesys.
   * Chrome 116+ keeps a service worker alive while its WebSocket carries traffic (the socket pings
   * every 20 s): nothing to do. Firefox stops an idle event page after 30 s whatever its socket
   * does, but not one that calls an extension API more often than that.
   */
  keepAlive(signal: AbortSignal): void;
  /** Keeps `storage.local` to the extension's own pages and background, where the browser can. */
  restrictLocalStorage(): Promise<void>;
}

/** What the popup and the options page need. */
export interface PagesPlatform {
  /** This install's OAuth redirect URI, for the admin to register. */
  redirectUri(): string;
  /** Where the agent changes extension shortcuts, in words they can find it by. */
  shortcutsPageName(): string;
  openShortcutsPage(): Promise<void>;
  /** Whether a shortcut can be made to work from any application (Chrome's "Global" scope). */
  readonly globalShortcuts: boolean;
  /** Whether the speaking-while-muted warning can work in this browser. */
  readonly speakingWarning: boolean;
  /** Opens the browser's page where the agent allows or blocks the microphone for the extension. */
  openMicrophoneSettings(): Promise<void>;
}
