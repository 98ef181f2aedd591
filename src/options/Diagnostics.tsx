// "Copy diagnostics": a plain-text report an agent pastes into a support ticket. The background
// gives what it keeps (get-diagnostics: never a token, a channel id or a socket address); this page
// adds the browser's own version and the shortcut.
import { useRef, useState } from 'preact/hooks';
import { ask } from '../shared/client';
import { formatDiagnostics } from '../shared/diagnostics';
import { readShortcut } from '../popup/Shortcut';
import { pages as platform } from '@platform';
import { t } from '../shared/i18n';

interface Brands {
  getHighEntropyValues(hints: string[]): Promise<{ fullVersionList?: { brand: string; version: string }[]; platform?: string }>;
}

/** The browser and its full version, e.g. `Google Chrome 156.0.7390.54 on Linux`. */
export async function browserName(): Promise<string> {
  const data = (navigator as Navigator & { userAgentData?: Brands }).userAgentData;
  try {
    if (data) {
      const values = await data.getHighEntropyValues(['fullVersionList', 'platform']);
      const brands = (values.fullVersionList ?? []).filter((b) => !/not.a.brand/i.test(b.brand));
      const brand = brands.find((b) => b.brand !== 'Chromium') ?? brands[0];
      if (brand) return `${brand.brand} ${brand.version}${values.platform ? ` on ${values.platform}` : ''}`;
    }
  } catch {
    // Falls back to the user agent string below.
  }
  const ua = navigator.userAgent;
  const match = /(Edg|Firefox|Chrome)\/([\d.]+)/.exec(ua);
  return match ? `${match[1] === 'Edg' ? 'Microsoft Edge' : match[1]} ${match[2]}` : ua;
}

export function DiagnosticsCard() {
  const [text, setText] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<{ text: string; failed: boolean } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);

  const copy = async (): Promise<void> => {
    setBusy(true);
    setStatus(undefined);
    let report: string;
    try {
      const [answer, browser, shortcut] = await Promise.all([
        ask({ type: 'get-diagnostics' }),
        browserName(),
        readShortcut().catch(() => undefined),
      ]);
      report = formatDiagnostics(answer, { browser, shortcut, shortcutsPage: platform.shortcutsPageName(), now: Date.now() });
    } catch {
      setBusy(false);
      setStatus({ text: t('diagnosticsFailed'), failed: true });
      return;
    }
    setText(report);
    setBusy(false);
    try {
      await navigator.clipboard.writeText(report);
      setStatus({ text: t('copied'), failed: false });
    } catch {
      // No clipboard (the page lost focus): the report is selected for Ctrl+C instead.
      requestAnimationFrame(() => {
        area.current?.focus();
        area.current?.select();
      });
      setStatus({ text: t('copySelected'), failed: false });
    }
  };

  return (
    <div class="diagnostics" data-testid="diagnostics">
      <p class="hint">{t('diagnosticsHint')}</p>
      <div class="copy-row">
        <button type="button" class="btn" onClick={() => void copy()} disabled={busy}>
          {t('copyDiagnostics')}
        </button>
        <span role="status" class={status?.failed ? 'field-error' : 'saved'}>
          {status?.text ?? ''}
        </span>
      </div>
      {text !== undefined ? (
        <textarea ref={area} class="code report" readOnly aria-label={t('diagnosticsTitle')} data-testid="diagnostics-report" value={text} />
      ) : null}
    </div>
  );
}
