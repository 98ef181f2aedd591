// The agent's own preferences: saved the moment they change, no Save button needed.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import { DEFAULT_PREFERENCES, PREFERENCES_KEY, readManagedSound, readPreferences, type Preferences as Prefs } from '../shared/feedback';

export function Preferences() {
  const [preferences, setPreferences] = useState<Prefs>(DEFAULT_PREFERENCES);
  const [lockedSound, setLockedSound] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    void chrome.storage.local.get(PREFERENCES_KEY).then((stored) => setPreferences(readPreferences(stored[PREFERENCES_KEY])));
    // Managed storage throws when no policy is installed: then nothing is locked.
    chrome.storage.managed.get('sound').then((managed) => setLockedSound(readManagedSound(managed)), () => undefined);
  }, []);
  const update = (next: Prefs): void => {
    setPreferences(next);
    void chrome.storage.local.set({ [PREFERENCES_KEY]: next });
  };
  return (
    <div class="field">
      <label class="checkbox">
        <input
          type="checkbox"
          id="sound"
          checked={lockedSound ?? preferences.sound}
          disabled={lockedSound !== undefined}
          aria-describedby={lockedSound !== undefined ? 'sound-locked' : undefined}
          onChange={(event) => update({ ...preferences, sound: event.currentTarget.checked })}
        />
        {t('soundLabel')}
      </label>
      {lockedSound !== undefined ? (
        <p id="sound-locked" class="locked" data-testid="locked-sound">
          {t('lockedText')}
        </p>
      ) : null}
      <p class="hint">{t('soundHint')}</p>
    </div>
  );
}
