// The agent's feedback preferences (`preferences` in chrome.storage.local) and the one message the
// worker sends to the offscreen document that plays sounds.

export interface Preferences {
  /** A short sound when the mute state changes. Off unless the agent turns it on. */
  sound: boolean;
}

export const PREFERENCES_KEY = 'preferences';
export const DEFAULT_PREFERENCES: Preferences = { sound: false };

export function readPreferences(value: unknown): Preferences {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return { sound: record['sound'] === true };
}

export interface PlayFeedback {
  type: 'play-feedback';
  muted: boolean;
}

export function parseFeedback(value: unknown): PlayFeedback | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  return record['type'] === 'play-feedback' && typeof record['muted'] === 'boolean' ? { type: 'play-feedback', muted: record['muted'] } : undefined;
}
