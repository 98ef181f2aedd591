// The agent's own preferences: saved the moment they change, no Save button needed.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../shared/i18n';
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
        {t('soundLabel')}
      </label>
      <p class="hint">{t('soundHint')}</p>
    </div>
  );
}
