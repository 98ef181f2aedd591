// The options page's "Check setup": each thing an admin must get right, checked against Genesys,
// with what to fix in words. Runs in the worker (host permissions; the token stays here).
import { authorizeUrl, newPkceRequest } from './pkce';
import { hostsFor, type Settings } from '../shared/settings';
import type { SetupCheck, SetupReport } from '../shared/messages';
import { t } from '../shared/i18n';

/** Asks whether the notification subscription is permitted; undefined when not signed in. */
export type SubscriptionCheck = () => Promise<{ permitted: boolean; missing: string[] } | undefined>;

export async function checkSetup(
  settings: Settings,
  redirectUri: string,
  subscription: SubscriptionCheck,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): Promise<SetupReport> {
  const { login } = hostsFor(settings.environment);
  const checks: SetupCheck[] = [];
  let response: Response | undefined;
  try {
    const url = authorizeUrl(login, settings.clientId, redirectUri, await newPkceRequest());
    response = await fetchImpl(url, { redirect: 'manual', credentials: 'omit', cache: 'no-store' });
  } catch {
    // Reported below as the region being unreachable.
  }
  if (!response) {
    checks.push({
      id: 'region',
      ok: false,
      message: t('regionUnreachable', login),
      fix: t('regionUnreachableFix'),
    });
    return { checks };
  }
  checks.push({ id: 'region', ok: true, message: t('regionAnswers', login) });

  // Genesys redirects to its login page (or back to us) when client and redirect URI are right, and
  // shows an error page when either is wrong.
  const fine = response.type === 'opaqueredirect' || response.ok || (response.status >= 300 && response.status < 400);
  const page = fine ? '' : (await response.text().catch(() => '')).toLowerCase();
  const redirectWrong = !fine && page.includes('redirect');
  const clientWrong = !fine && !redirectWrong;
  checks.push(
    clientWrong
      ? {
          id: 'client',
          ok: false,
          message: t('clientRejected', settings.clientId, response.status),
          fix: t('clientRejectedFix'),
        }
      : { id: 'client', ok: true, message: t('clientAccepted') },
  );
  checks.push(
    redirectWrong
      ? {
          id: 'redirect',
          ok: false,
          message: t('redirectMissing'),
          fix: t('redirectMissingFix', redirectUri),
        }
      : clientWrong
        ? { id: 'redirect', ok: undefined, message: t('redirectAfterClient') }
        : { id: 'redirect', ok: true, message: t('redirectRegistered') },
  );

  const subscribed = await subscription().catch(() => undefined);
  checks.push(
    subscribed === undefined
      ? { id: 'subscription', ok: undefined, message: t('subscriptionSignIn') }
      : subscribed.permitted
        ? { id: 'subscription', ok: true, message: t('subscriptionPermitted') }
        : {
            id: 'subscription',
            ok: false,
            message: subscribed.missing.length ? t('subscriptionRefusedMissing', subscribed.missing.join(', ')) : t('subscriptionRefused'),
            fix: t('subscriptionFix'),
          },
  );
  return { checks };
}
