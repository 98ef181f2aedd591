// The keyboard shortcut for "toggle-mute" as the browser assigned it, and a way to change it.
import { useEffect, useState } from 'preact/hooks';
import { t, tRich } from '../shared/i18n';
import { pages as platform } from '@platform';

export const TOGGLE_MUTE_COMMAND = 'toggle-mute';

/** '' when the browser did not assign one; undefined while loading; null when it could not be read. */
type ShortcutState = string | undefined | null;

/** The shortcut as the browser assigned it; '' when it did not (another extension holds it). */
export function readShortcut(): Promise<string> {
  return chrome.commands.getAll().then((commands) => {
    const command = commands.find((c) => c.name === TOGGLE_MUTE_COMMAND);
    return command?.shortcut ?? '';
  });
}

/** The assigned shortcut; re-read when the page regains focus (the agent may have just changed it). */
export function useShortcut(): ShortcutState {
  const [shortcut, setShortcut] = useState<ShortcutState>(undefined);
  useEffect(() => {
    const load = (): void => {
      try {
        readShortcut().then(setShortcut, () => setShortcut(null));
      } catch {
        setShortcut(null);
      }
    };
    load();
    const onVisible = (): void => {
      if (document.visibilityState === 'visible') load();
    };
    window.addEventListener('focus', load);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('focus', load);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);
  return shortcut;
}

function suggestedKey(): string | undefined {
  try {
    const commands = chrome.runtime.getManifest().commands as
      | Record<string, { suggested_key?: { default?: string } }>
      | undefined;
    return commands?.[TOGGLE_MUTE_COMMAND]?.suggested_key?.default;
  } catch {
    return undefined;
  }
}

export function openShortcutsPage(): void {
  void platform.openShortcutsPage().catch(() => undefined);
}

/** "Shortcut: Alt+Shift+M · Change shortcut", or "Not set" with a short warning. */
export function ShortcutInfo({ label = t('shortcutLabel') }: { label?: string }) {
  const shortcut = useShortcut();
  const suggested = suggestedKey();
  return (
    <div class="shortcut" data-testid="shortcut">
      <span>
        {label}:{' '}
        {shortcut === undefined ? (
          <span class="muted">…</span>
        ) : shortcut === null ? (
          <span class="muted">{t('shortcutUnknown')}</span>
        ) : shortcut === '' ? (
          <strong>{t('shortcutNotSet')}</strong>
        ) : (
          <kbd>{shortcut}</kbd>
        )}
      </span>
      <button type="button" class="link" onClick={openShortcutsPage}>
        {t('changeShortcut')}
      </button>
      {shortcut === '' ? (
        <p class="warn">
          {suggested
            ? tRich('shortcutTaken', <kbd>{suggested}</kbd>, t('changeShortcut'))
            : t('shortcutTakenNone', t('changeShortcut'))}
        </p>
      ) : null}
    </div>
  );
}
