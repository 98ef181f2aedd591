// The options page's "Check setup": each thing an admin must get right, checked against Genesys,
// with what to fix in words. Runs in the worker (host permissions; the token stays here).
import { probeAuthorize } from './auth';
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
  const probe = await probeAuthorize(settings, redirectUri, fetchImpl);
  if (!probe.reached) {
    checks.push({
      id: 'region',
      ok: false,
      message: t('regionUnreachable', login),
      fix: t('regionUnreachableFix'),
    });
    return { checks };
  }
  checks.push({ id: 'region', ok: true, message: t('regionAnswers', login) });

  // An error page that does not name the redirect URI is taken as a client problem.
  const redirectWrong = probe.fault === 'redirect';
  const clientWrong = probe.fault === 'client' || probe.fault === 'unknown';
  checks.push(
    clientWrong
      ? {
          id: 'client',
          ok: false,
          message: t('clientRejected', settings.clientId, probe.status),
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
