// The settings page: region and OAuth client id (policy values win and are locked), the redirect
// URI admins register, the account, and the keyboard shortcut.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { AccountActions, ConnectionBadge, useMicView } from '../popup/common';
import { ShortcutInfo } from '../popup/Shortcut';
import { Preferences } from './Preferences';
import { SetupCheck } from './SetupCheck';
import { DiagnosticsCard } from './Diagnostics';
import { isRegionDomain, regions } from '../shared/regions';
import { ACCEPTS_LOOPBACK, clientIdProblem, environmentProblem, isLoopbackOrigin } from '../shared/settings';
import type { Config } from '../shared/config';
import { pages as platform } from '@platform';
import { useConfig, type PageConfig } from './config';
import { t, tRich } from '../shared/i18n';
import '../popup/base.css';
import './options.css';

// ---------------------------------------------------------------------------------------------
// Settings form

interface Problems {
  environment?: string | undefined;
  clientId?: string | undefined;
}

function SettingsForm() {
  const config = useConfig();
  return config ? <SettingsFields config={config} /> : (
    <p class="muted" aria-busy="true">
      {t('loadingSettings')}
    </p>
  );
}

function SettingsFields({ config }: { config: PageConfig }) {
  const { resolved: loaded } = config;
  const [region, setRegion] = useState('');
  const [custom, setCustom] = useState('');
  const [clientId, setClientId] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  // The outcome of the last save: its words, and whether it failed.
  const [saved, setSaved] = useState<{ text: string; failed: boolean } | undefined>(undefined);
  const [saving, setSaving] = useState(false);

  // The form starts from what is in force; later changes (policy arriving, another tab) show as
  // locked values at once but never overwrite what the agent is typing.
  useEffect(() => {
    const environment = loaded.values.environment ?? '';
    if (!loaded.locked.has('environment') && ACCEPTS_LOOPBACK && isLoopbackOrigin(environment)) setCustom(environment);
    else setRegion(environment);
    setClientId(loaded.values.clientId ?? '');
  }, []);

  const environmentLocked = loaded.locked.has('environment');
  const clientIdLocked = loaded.locked.has('clientId');
  // A locked field shows what the admin set, even when the policy arrived after the page opened.
  const shownRegion = environmentLocked ? (loaded.values.environment ?? '') : region;
  const shownClientId = clientIdLocked ? (loaded.values.clientId ?? '') : clientId;
  const customInUse = ACCEPTS_LOOPBACK && !environmentLocked && custom.trim() !== '';
  const edited = (): void => setSaved(undefined);

  const save = (event: Event): void => {
    event.preventDefault();
    const environment = customInUse ? custom.trim() : region;
    const id = clientId.trim();
    const next: Problems = {
      environment: environmentLocked ? undefined : environmentProblem(environment),
      clientId: clientIdLocked ? undefined : clientIdProblem(id),
    };
    setProblems(next);
    setSaved(undefined);
    if (next.environment || next.clientId) {
      // Move focus to the first field that needs attention.
      const first = next.environment ? (customInUse ? 'custom-environment' : 'region') : 'client-id';
      document.getElementById(first)?.focus();
      return;
    }
    // Locked fields keep whatever the agent had stored; only the editable ones change.
    const value: Partial<Config> = {};
    if (!environmentLocked) value.environment = environment;
    if (!clientIdLocked) value.clientId = id;
    setSaving(true);
    config.save(value).then(
      () => {
        setSaving(false);
        setSaved({ text: t('saved'), failed: false });
      },
      (error: unknown) => {
        setSaving(false);
        setSaved({ text: t('notSaved', error instanceof Error ? error.message : String(error)), failed: true });
      },
    );
  };

  // A locked value that is not in the list still has to show.
  const regionOptions = regions().map((r) => (
    <option key={r.domain} value={r.domain}>
      {r.label}
    </option>
  ));
  const unlistedRegion = shownRegion !== '' && !isRegionDomain(shownRegion);
  const lockedEnvProblem = environmentLocked ? environmentProblem(loaded.values.environment ?? '') : undefined;
  const lockedIdProblem = clientIdLocked ? clientIdProblem(loaded.values.clientId ?? '') : undefined;
  const envError = problems.environment;

  return (
    <form class="form" onSubmit={save} noValidate>
      <div class="field">
        <label for="region">{t('regionLabel')}</label>
        <select
          id="region"
          value={shownRegion}
          disabled={environmentLocked}
          aria-invalid={envError && !customInUse ? 'true' : undefined}
          aria-describedby={
            environmentLocked ? 'region-locked' : envError && !customInUse ? 'region-error' : 'region-hint'
          }
          onChange={(e) => {
            setRegion((e.currentTarget as HTMLSelectElement).value);
            setProblems({ ...problems, environment: undefined });
            edited();
          }}
        >
          <option value="">{t('chooseRegion')}</option>
          {unlistedRegion ? <option value={shownRegion}>{shownRegion}</option> : null}
          {regionOptions}
        </select>
        {environmentLocked ? (
          <p id="region-locked" class="locked" data-testid="locked-environment">
            {t('lockedText')}
            {lockedEnvProblem ? ` ${t('lockedInvalid', lockedEnvProblem)}` : null}
          </p>
        ) : envError && !customInUse ? (
          <p id="region-error" class="field-error">
            {envError}
          </p>
        ) : (
          <p id="region-hint" class="hint">
            {tRich('regionHint', <strong>mypurecloud.ie</strong>)}
          </p>
        )}
      </div>

      {ACCEPTS_LOOPBACK && !environmentLocked ? (
        <div class="field">
          {/* The test build's own field, for developers: its words are not translated, and the store builds have none of them. */}
          <label for="custom-environment">Custom environment (test build only)</label>
          <input
            id="custom-environment"
            data-testid="custom-environment"
            type="text"
            inputMode="url"
            spellcheck={false}
            autoComplete="off"
            placeholder="http://127.0.0.1:8787"
            value={custom}
            aria-invalid={envError && customInUse ? 'true' : undefined}
            aria-describedby={envError && customInUse ? 'custom-error' : 'custom-hint'}
            onInput={(e) => {
              setCustom((e.currentTarget as HTMLInputElement).value);
              setProblems({ ...problems, environment: undefined });
              edited();
            }}
          />
          {envError && customInUse ? (
            <p id="custom-error" class="field-error">
              {envError}
            </p>
          ) : (
            <p id="custom-hint" class="hint">
              A loopback origin such as http://127.0.0.1:8787. When filled, it is used instead of the region.
            </p>
          )}
        </div>
      ) : null}

      <div class="field">
        <label for="client-id">{t('clientIdLabel')}</label>
        <input
          id="client-id"
          type="text"
          spellcheck={false}
          autoComplete="off"
          placeholder={t('clientIdPlaceholder', '1a2b3c4d-0000-4000-8000-1234567890ab')}
          value={shownClientId}
          disabled={clientIdLocked}
          aria-invalid={problems.clientId ? 'true' : undefined}
          aria-describedby={clientIdLocked ? 'client-id-locked' : problems.clientId ? 'client-id-error' : 'client-id-hint'}
          onInput={(e) => {
            setClientId((e.currentTarget as HTMLInputElement).value);
            setProblems({ ...problems, clientId: undefined });
            edited();
          }}
        />
        {clientIdLocked ? (
          <p id="client-id-locked" class="locked" data-testid="locked-client-id">
            {t('lockedText')}
            {lockedIdProblem ? ` ${t('lockedInvalid', lockedIdProblem)}` : null}
          </p>
        ) : problems.clientId ? (
          <p id="client-id-error" class="field-error">
            {problems.clientId}
          </p>
        ) : (
          <p id="client-id-hint" class="hint">
            {t('clientIdHint', t('adminTitle'))}
          </p>
        )}
      </div>

      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={saving || (environmentLocked && clientIdLocked)}>
          {t('save')}
        </button>
        <p role="status" class={saved?.failed ? 'field-error' : 'saved'}>
          {saved?.text ?? ''}
        </p>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Redirect URI

function RedirectUri() {
  const uri = platform.redirectUri();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | undefined>(undefined);
  const copy = (): void => {
    const fallback = (): void => {
      input.current?.focus();
      input.current?.select();
      setCopied(t('copySelected'));
    };
    try {
      navigator.clipboard.writeText(uri).then(() => setCopied(t('copied')), fallback);
    } catch {
      fallback();
    }
  };
  return (
    <div class="field">
      <label for="redirect-uri">{t('redirectLabel')}</label>
      <div class="copy-row">
        <input
          id="redirect-uri"
          ref={input}
          data-testid="redirect-uri"
          class="code"
          type="text"
          readOnly
          value={uri}
          aria-describedby="redirect-hint"
          onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
        />
        <button type="button" class="btn" onClick={copy}>
          {t('copy')}
        </button>
        <span class="saved" role="status">
          {copied ?? ''}
        </span>
      </div>
      <p id="redirect-hint" class="hint">
        {t('redirectHint')}
      </p>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Account

function Account() {
  const { view, orphaned } = useMicView();
  if (orphaned) {
    return (
      <p class="alert" role="alert">
        {t('updatedReload')}
      </p>
    );
  }
  if (!view) {
    return (
      <div class="account-row">
        <ConnectionBadge view={view} />
      </div>
    );
  }
  const signedIn = view.status !== 'signed-out' && view.status !== 'not-configured';
  return (
    <>
      <div class="account-row">
        <p>
          {signedIn ? (
            <>
              {tRich('signedInAs', <strong data-testid="agent-name">{view.agentName ?? t('yourGenesysUser')}</strong>)}
            </>
          ) : (
            <span data-testid="agent-name" class="muted">
              {t(view.status === 'not-configured' ? 'notSignedInSaveFirst' : 'notSignedIn')}
            </span>
          )}
        </p>
        <ConnectionBadge view={view} />
      </div>
      <AccountActions view={view} shownProblem={view.problem?.message} />
      {view.problem ? (
        <p class="alert" role="alert" data-testid="problem">
          {view.problem.message}
        </p>
      ) : null}
    </>
  );
}

// ---------------------------------------------------------------------------------------------

function Options() {
  return (
    <main class="page">
      <h1>{t('optionsTitle')}</h1>
      <p class="intro">{t('optionsIntro')}</p>

      <section class="card" aria-labelledby="account-title">
        <h2 id="account-title">{t('accountTitle')}</h2>
        <Account />
      </section>

      <section class="card" aria-labelledby="settings-title">
        <h2 id="settings-title">{t('connectionTitle')}</h2>
        <SettingsForm />
      </section>

      <section class="card" aria-labelledby="redirect-title">
        <h2 id="redirect-title">{t('redirectTitle')}</h2>
        <RedirectUri />
      </section>

      <section class="card" aria-labelledby="check-title">
        <h2 id="check-title">{t('checkSetup')}</h2>
        <SetupCheck />
      </section>

      <section class="card" aria-labelledby="feedback-title">
        <h2 id="feedback-title">{t('feedbackTitle')}</h2>
        <Preferences />
      </section>

      <section class="card" aria-labelledby="shortcut-title">
        <h2 id="shortcut-title">{t('shortcutTitle')}</h2>
        <ShortcutInfo label={t('muteUnmuteLabel')} />
        <p class="hint" data-testid="shortcut-hint">
          {/* Chrome can make a shortcut work from any application (its "Global" scope); Firefox cannot. */}
          {platform.globalShortcuts
            ? tRich('shortcutHint', t('changeShortcut'), <strong>{t('scopeGlobal')}</strong>)
            : tRich('shortcutHintNoGlobal', t('changeShortcut'), <strong>{platform.shortcutsPageName()}</strong>)}
        </p>
      </section>

      <section class="card" aria-labelledby="diagnostics-title">
        <h2 id="diagnostics-title">{t('diagnosticsTitle')}</h2>
        <DiagnosticsCard />
      </section>

      <section class="card" aria-labelledby="admin-title">
        <h2 id="admin-title">{t('adminTitle')}</h2>
        <ol class="steps">
          {/* Genesys's grant type, the scope names and the policy keys stay as they are spelt there. */}
          <li>{tRich('adminStep1', <strong>Code Authorization</strong>)}</li>
          <li>{t('adminStep2')}</li>
          <li>{tRich('adminStep3', <code>conversations</code>, <code>notifications</code>, <code>users</code>)}</li>
          <li>{t('adminStep4', t('clientIdLabel'))}</li>
          <li>{tRich('adminStep5', <code>environment</code>, <code>clientId</code>, t('lockedText'))}</li>
        </ol>
      </section>
    </main>
  );
}

document.documentElement.lang = t('htmlLang');
document.title = t('optionsTitle');
// Looked up now: once the extension is updated under an open page, the browser's i18n is gone.
t('updatedReload');
const root = document.getElementById('app');
if (root) render(<Options />, root);
