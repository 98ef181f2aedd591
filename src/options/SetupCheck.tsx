// "Check setup": asks the worker to verify region, client id, redirect URI and the notification
// subscription against Genesys, and lists what to fix.
import { useState } from 'preact/hooks';
import { ask } from '../shared/client';
import type { SetupReport } from '../shared/messages';
import { t, type MessageKey } from '../shared/i18n';

const NAMES: Record<SetupReport['checks'][number]['id'], MessageKey> = {
  region: 'checkRegion',
  client: 'checkClient',
  redirect: 'checkRedirect',
  subscription: 'checkSubscription',
};

export function SetupCheck() {
  const [report, setReport] = useState<SetupReport | undefined>(undefined);
  const [checking, setChecking] = useState(false);
  const [failed, setFailed] = useState<string | undefined>(undefined);
  const run = async (): Promise<void> => {
    setChecking(true);
    setFailed(undefined);
    try {
      setReport(await ask({ type: 'check-setup' }));
    } catch {
      setFailed(t('checkCouldNotRun'));
    } finally {
      setChecking(false);
    }
  };
  return (
    <div class="setup-check" data-testid="setup-check">
      <p class="hint">{t('checkHint')}</p>
      <button type="button" class="btn" onClick={() => void run()} disabled={checking}>
        {t(checking ? 'checking' : 'checkSetup')}
      </button>
      <div role="status" aria-live="polite">
        {failed ? <p class="field-error">{failed}</p> : null}
        {report ? (
          <ul class="checks">
            {report.checks.map((check) => (
              <li key={check.id} data-check={check.id} data-ok={String(check.ok)}>
                <strong>
                  {check.ok === true ? '✓ ' : check.ok === false ? '✗ ' : '– '}
                  {t(NAMES[check.id])}:
                </strong>{' '}
                {check.message}
                {check.fix ? <span class="fix"> {check.fix}</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
