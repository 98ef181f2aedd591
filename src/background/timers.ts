// Timer delays from untrusted or computed values. setTimeout treats anything over 2^31−1 ms
// (~24.8 days) as 0 and fires at once, so a far-future time would become a loop.

export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay setTimeout honours: not negative, not NaN, at most 2^31−1 ms. */
export function clampDelay(ms: number): number {
  if (Number.isNaN(ms) || ms < 0) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}
