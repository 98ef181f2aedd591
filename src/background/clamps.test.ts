// Values from the server or the clock that become timers: none may turn into a loop.
import { describe, expect, it } from 'vitest';
import { clampDelay, MAX_TIMER_MS } from './timers';
import { MAX_TOKEN_SECONDS, MIN_TOKEN_SECONDS, tokenLifetimeSeconds } from './auth';
import { channelLifetimeMs, channelRenewalAt, MAX_CHANNEL_LIFETIME_MS, MIN_CHANNEL_LIFETIME_MS } from './connection/channel';
import { nextSilentSignIn, REAUTH_LIMITS } from './session/reauth';

describe('timer delays', () => {
  it('are never negative, NaN or past what setTimeout honours (2^31−1 ms, else it fires at once)', () => {
    expect(clampDelay(-5)).toBe(0);
    expect(clampDelay(Number.NaN)).toBe(0);
    expect(clampDelay(1_000)).toBe(1_000);
    expect(clampDelay(30 * 24 * 3_600_000)).toBe(MAX_TIMER_MS);
    expect(MAX_TIMER_MS).toBe(2_147_483_647);
  });
});

describe("a token's lifetime", () => {
  it('is what Genesys allows an admin to set: 5 minutes to 48 hours', () => {
    expect(tokenLifetimeSeconds(86_400)).toBe(86_400);
    expect(tokenLifetimeSeconds(10)).toBe(MIN_TOKEN_SECONDS); // 10 s minus the minute's margin would fire at once
    expect(tokenLifetimeSeconds(40 * 86_400)).toBe(MAX_TOKEN_SECONDS); // past 24.8 days setTimeout fires at once
    expect(tokenLifetimeSeconds(-1)).toBe(MIN_TOKEN_SECONDS);
    expect(tokenLifetimeSeconds('86400')).toBe(3_600);
    expect(tokenLifetimeSeconds(Number.POSITIVE_INFINITY)).toBe(3_600);
  });
});

describe("a channel's lifetime", () => {
  const serverNow = Date.parse('2026-11-30T10:00:00Z');
  const in24h = new Date(serverNow + 24 * 3_600_000).toISOString();

  it("is measured on the server's clock, so a client clock a day off changes nothing", () => {
    const dayAhead = serverNow + 24 * 3_600_000;
    expect(channelLifetimeMs(in24h, serverNow, dayAhead)).toBe(24 * 3_600_000);
    expect(channelLifetimeMs(in24h, serverNow, serverNow - 24 * 3_600_000)).toBe(24 * 3_600_000);
  });

  it('believes nothing longer than 24 hours nor shorter than a few seconds', () => {
    expect(channelLifetimeMs('3026-01-01T00:00:00Z', serverNow, serverNow)).toBe(MAX_CHANNEL_LIFETIME_MS);
    expect(channelLifetimeMs('2026-11-30T09:00:00Z', serverNow, serverNow)).toBe(MIN_CHANNEL_LIFETIME_MS);
    expect(channelLifetimeMs('not a date', serverNow, serverNow)).toBeLessThanOrEqual(MAX_CHANNEL_LIFETIME_MS);
  });

  it('makes the renewal 10 minutes before the end, counted on the local clock from creation', () => {
    const createdAt = 1_000_000;
    const channel = { id: 'c', connectUri: 'wss://x', createdAt, expiresAt: createdAt + channelLifetimeMs(in24h, serverNow, createdAt) };
    expect(channelRenewalAt(channel)).toBe(createdAt + 24 * 3_600_000 - 10 * 60_000);
    const short = { ...channel, expiresAt: createdAt + 12_000 };
    expect(channelRenewalAt(short)).toBe(createdAt + 9_000);
  });
});

describe('silent sign-ins after refused tokens', () => {
  it('go at once the first time, then wait longer each time (with jitter), then stop', () => {
    expect(nextSilentSignIn(0, 0.5)).toEqual({ waitMs: 0 });
    expect(nextSilentSignIn(1, 0)).toEqual({ waitMs: 1_000 });
    expect(nextSilentSignIn(1, 1)).toEqual({ waitMs: 2_000 });
    expect(nextSilentSignIn(2, 0)).toEqual({ waitMs: 4_000 });
    expect(nextSilentSignIn(3, 1)).toEqual({ waitMs: REAUTH_LIMITS.maxWaitMs });
    expect(nextSilentSignIn(REAUTH_LIMITS.maxRefused, 0)).toBe('give-up');
  });

  it('cost a bounded number of sign-ins however long Genesys refuses (no storm)', () => {
    let attempts = 0;
    let waited = 0;
    for (let refused = 0; ; refused++) {
      const next = nextSilentSignIn(refused, 0.5);
      if (next === 'give-up') break;
      attempts += 1;
      waited += next.waitMs;
    }
    expect(attempts).toBe(REAUTH_LIMITS.maxRefused);
    expect(waited).toBeGreaterThan(20_000); // an incident of 20 s is outlasted before the agent is asked
  });
});
