// The agent's feedback preferences (`preferences` in chrome.storage.local) and the one message the
// worker sends to the offscreen document that plays sounds.

export interface Preferences {
  /** A short sound when the mute state changes. Off unless the agent turns it on. */
  sound: boolean;
}

export const PREFERENCES_KEY = 'preferences';
export const DEFAULT_PREFERENCES: Preferences = { sound: false };

/** The sound as an admin set it by policy (`sound` in managed storage), if they did. */
export function readManagedSound(managed: unknown): boolean | undefined {
  const sound = typeof managed === 'object' && managed !== null ? (managed as Record<string, unknown>)['sound'] : undefined;
  return typeof sound === 'boolean' ? sound : undefined;
}

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
