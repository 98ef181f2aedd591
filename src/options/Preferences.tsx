// The agent's own preferences: saved the moment they change, no Save button needed. A value an
// admin set by policy shows as locked.
import { t } from '../shared/i18n';
import { useConfig } from './config';

export function Preferences() {
  const config = useConfig();
  if (!config) return null;
  const { values, locked } = config.resolved;
  const soundLocked = locked.has('sound');
  return (
    <div class="field">
      <label class="checkbox">
        <input
          type="checkbox"
          id="sound"
          checked={values.sound}
          disabled={soundLocked}
          aria-describedby={soundLocked ? 'sound-locked' : undefined}
          onChange={(event) => void config.save({ sound: event.currentTarget.checked })}
        />
        {t('soundLabel')}
      </label>
      {soundLocked ? (
        <p id="sound-locked" class="locked" data-testid="locked-sound">
          {t('lockedText')}
        </p>
      ) : null}
      <p class="hint">{t('soundHint')}</p>
    </div>
  );
}
