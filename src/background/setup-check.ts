// The options page's "Check setup": each thing an admin must get right, checked against Genesys,
// with what to fix in words. Runs in the worker (host permissions; the token stays here).
import { authorizeUrl, newPkceRequest } from './pkce';
import { hostsFor, type Settings } from '../shared/settings';
import type { SetupCheck, SetupReport } from '../shared/messages';

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
      message: `Could not reach ${login}.`,
      fix: 'Check that the region is the one in your agent desktop address (apps.<region>), and that your network or proxy allows it.',
    });
    return { checks };
  }
  checks.push({ id: 'region', ok: true, message: `${login} answers.` });

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
          message: `Genesys Cloud does not accept the client id "${settings.clientId}" (answer ${response.status}).`,
          fix: 'Copy the client id from Admin → Integrations → OAuth; the client must use the "Code Authorization" grant.',
        }
      : { id: 'client', ok: true, message: 'The OAuth client id is accepted.' },
  );
  checks.push(
    redirectWrong
      ? {
          id: 'redirect',
          ok: false,
          message: 'The redirect URI is not registered on the OAuth client.',
          fix: `Add ${redirectUri} to the client's Authorized redirect URIs.`,
        }
      : clientWrong
        ? { id: 'redirect', ok: undefined, message: 'Checked once the client id is accepted.' }
        : { id: 'redirect', ok: true, message: 'The redirect URI is registered.' },
  );

  const subscribed = await subscription().catch(() => undefined);
  checks.push(
    subscribed === undefined
      ? { id: 'subscription', ok: undefined, message: 'Sign in to check live call updates.' }
      : subscribed.permitted
        ? { id: 'subscription', ok: true, message: 'Live call updates are permitted.' }
        : {
            id: 'subscription',
            ok: false,
            message: `Genesys Cloud refuses live call updates${subscribed.missing.length ? ` (missing: ${subscribed.missing.join(', ')})` : ''}.`,
            fix: 'Grant the missing permission to the agents\' role in Admin → Roles / Permissions.',
          },
  );
  return { checks };
}
