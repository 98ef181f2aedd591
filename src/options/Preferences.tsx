// The agent's own preferences: saved the moment they change, no Save button needed.
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_PREFERENCES, PREFERENCES_KEY, readPreferences, type Preferences as Prefs } from '../shared/feedback';

export function Preferences() {
  const [preferences, setPreferences] = useState<Prefs>(DEFAULT_PREFERENCES);
  useEffect(() => {
    void chrome.storage.local.get(PREFERENCES_KEY).then((stored) => setPreferences(readPreferences(stored[PREFERENCES_KEY])));
  }, []);
  const update = (next: Prefs): void => {
    setPreferences(next);
    void chrome.storage.local.set({ [PREFERENCES_KEY]: next });
  };
  return (
    <div class="field">
      <label class="checkbox">
        <input type="checkbox" id="sound" checked={preferences.sound} onChange={(event) => update({ ...preferences, sound: event.currentTarget.checked })} />
        Play a short sound when my microphone is muted or unmuted
      </label>
      <p class="hint">Falling tone: muted. Rising tone: unmuted. If a mute fails while you are in another application, a desktop notification tells you.</p>
    </div>
  );
}
