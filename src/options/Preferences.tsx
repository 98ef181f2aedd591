// The agent's own preferences: saved the moment they change, no Save button needed. A value an
// admin set by policy shows as locked.
import { useEffect, useState } from 'preact/hooks';
import { pages as platform } from '@platform';
import { t } from '../shared/i18n';
import { useConfig, type PageConfig } from './config';

export function Preferences() {
  const config = useConfig();
  if (!config) return null;
  const { values, locked } = config.resolved;
  const soundLocked = locked.has('sound');
  return (
    <>
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
      <SpeakingWhileMuted config={config} />
    </>
  );
}

type Permission = PermissionState | 'unsupported';

/** The microphone permission of this extension, kept current; asking never prompts. */
function useMicrophonePermission(): [Permission | undefined, () => void] {
  const [state, setState] = useState<Permission | undefined>(platform.speakingWarning ? undefined : 'unsupported');
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    if (!platform.speakingWarning) return undefined;
    let status: PermissionStatus | undefined;
    const update = (): void => setState(status?.state);
    navigator.permissions.query({ name: 'microphone' as PermissionName }).then(
      (answer) => {
        status = answer;
        update();
        answer.addEventListener('change', update);
      },
      () => setState('prompt'),
    );
    return () => status?.removeEventListener('change', update);
  }, [asked]);
  return [state, () => setAsked((n) => n + 1)];
}

/**
 * Asks the browser for the microphone from this visible page, the one place a person can answer,
 * and lets go of it at once: the permission is all that is wanted here. False when refused.
 */
async function askForMicrophone(): Promise<boolean> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    for (const track of stream.getTracks()) track.stop();
    return true;
  } catch {
    return false;
  }
}

/** The speaking-while-muted warning (issue 10): opt-in, lockable, and honest about the permission. */
function SpeakingWhileMuted({ config }: { config: PageConfig }) {
  const { values, locked } = config.resolved;
  const [permission, recheck] = useMicrophonePermission();
  const [asking, setAsking] = useState(false);
  // The agent's click shows at once, while the browser asks for the microphone and the choice saves.
  const [turning, setTurning] = useState<boolean | undefined>(undefined);
  const isLocked = locked.has('speakingWhileMuted');
  const unsupported = permission === 'unsupported';
  const on = values.speakingWhileMuted;

  const ask = async (): Promise<void> => {
    setAsking(true);
    await askForMicrophone();
    setAsking(false);
    recheck();
  };
  const turn = async (wanted: boolean): Promise<void> => {
    setTurning(wanted);
    // Turned on: the permission first, so the background finds it granted when the setting lands.
    if (wanted && permission !== 'granted') await ask();
    await config.save({ speakingWhileMuted: wanted }).finally(() => setTurning(undefined));
  };

  let status = null;
  if (unsupported) {
    status = t('speakingUnsupported');
  } else if (on && permission === 'denied') {
    status = (
      <>
        {t('speakingDenied')}{' '}
        <button type="button" class="btn btn-quiet" onClick={() => void platform.openMicrophoneSettings()}>
          {t('speakingOpenSettings')}
        </button>
      </>
    );
  } else if (on && permission === 'prompt') {
    status = (
      <>
        {t(isLocked ? 'speakingPolicyNeedsPermission' : 'speakingAskPermission')}{' '}
        <button type="button" class="btn btn-quiet" disabled={asking} onClick={() => void ask()}>
          {t('speakingAllow')}
        </button>
      </>
    );
  }

  const described = [isLocked ? 'speaking-locked' : '', status ? 'speaking-status' : '', 'speaking-hint'].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label class="checkbox">
        <input
          type="checkbox"
          id="speaking-while-muted"
          checked={(turning ?? on) && !unsupported}
          disabled={isLocked || unsupported || turning !== undefined}
          aria-describedby={described}
          onChange={(event) => void turn(event.currentTarget.checked)}
        />
        {t('speakingLabel')}
      </label>
      {isLocked ? (
        <p id="speaking-locked" class="locked" data-testid="locked-speaking-while-muted">
          {t('lockedText')}
        </p>
      ) : null}
      {status ? (
        <p id="speaking-status" class="field-error" role="status" data-testid="speaking-permission" data-permission={permission}>
          {status}
        </p>
      ) : null}
      <p id="speaking-hint" class="hint">
        {t('speakingHint')}
      </p>
    </div>
  );
}
