// How often the background may sign in silently when Genesys keeps refusing the tokens it gets.
// Without a bound, an API or proxy incident that answers 401 while the login host still issues
// tokens turns every agent's browser into a loop of authorize + token requests (measured: 934 of
// each in 20 s from one browser), against Genesys's login service, exactly when it is in trouble.

export const REAUTH_LIMITS = {
  /** Silent sign-ins in a row whose token was refused again before the agent is asked to sign in. */
  maxRefused: 4,
  /** The wait after the first refused one; each next wait is `factor` times longer, up to `maxWaitMs`. */
  firstWaitMs: 2_000,
  factor: 4,
  maxWaitMs: 30_000,
  /**
   * How long a token must have been in use before a refusal of it counts as news (it worked, then
   * was revoked or expired early: sign in at once) rather than one more refused token in a row.
   * Longer than the whole schedule above (≈ 40 s), so a refusal every few seconds or minutes from
   * one endpoint keeps counting up to "sign in again" instead of starting again at zero.
   */
  trustedAfterMs: 5 * 60_000,
} as const;

export type NextSilentSignIn = { waitMs: number } | 'give-up';

/**
 * What to do after `refused` silent sign-ins in a row whose token Genesys refused again: 0 (a token
 * that had lasted expired or was revoked) signs in at once; then waits of 1–2 s, 4–8 s, 15–30 s
 * (each a random point in the upper half, so a contact centre does not retry in step); then the
 * agent is asked. `random` is in [0, 1).
 */
export function nextSilentSignIn(refused: number, random: number): NextSilentSignIn {
  if (refused <= 0) return { waitMs: 0 };
  if (refused >= REAUTH_LIMITS.maxRefused) return 'give-up';
  const base = Math.min(REAUTH_LIMITS.maxWaitMs, REAUTH_LIMITS.firstWaitMs * REAUTH_LIMITS.factor ** (refused - 1));
  return { waitMs: base / 2 + random * (base / 2) };
}

/** Whether a token in use since `since` (epoch ms; unknown for a session stored before this was kept) has lasted. */
export function tokenHasLasted(since: number | undefined, now: number): boolean {
  return since === undefined || now - since >= REAUTH_LIMITS.trustedAfterMs;
}
