// A small fleet (fixed seed) through every incident, judged by the same goals as `npm run fleet`;
// and the clock the fleet runs on.
import { describe, expect, it } from 'vitest';
import { SimClock } from './clock.ts';
import { GOALS, judge, type ScenarioFigures } from './figures.ts';
import { mostInWindow, simulateScenario } from './simulate.ts';

const AGENTS = 200;
const SEED = 7;

const goalsOf = (figures: ScenarioFigures) => judge([figures]).map(({ text, ok, measured }) => ({ text, ok, measured }));

describe(`a fleet of ${AGENTS} agents (seed ${SEED})`, () => {
  it('after a 5-minute outage with tokens still valid: no token requests, everyone live within 60 s of recovery, no API stampede when it starts or ends', async () => {
    const figures = await simulateScenario('outage', AGENTS, SEED);
    // Not vacuous: everyone was live, lost the socket, and kept trying while Genesys was down.
    expect(figures.liveBefore).toBeGreaterThanOrEqual(AGENTS - 2);
    expect(figures.longestNotLiveS).toBeGreaterThan(300);
    expect(figures.endpoints['PUT /api/v2/notifications/channels/{id}/subscriptions']).toBeGreaterThan(AGENTS * 5);
    expect(goalsOf(figures).filter((goal) => !goal.ok)).toEqual([]);
    expect(figures.counts.token.total).toBe(0);
    expect(figures.allLiveAfterS).toBeLessThanOrEqual(GOALS.liveWithinS);
    expect(figures.apiPeakAfter).toBeLessThanOrEqual(GOALS.apiShareAfterRecovery * AGENTS);
    // Regression: every socket dropped at once and each agent's first retry began with PUT …/subscriptions
    // 0.5–1 s later: 1,022 API requests in that second for 1,000 agents (200 for these 200).
    expect(figures.apiPeakDuring).toBeLessThanOrEqual(GOALS.apiShareDuringOutage * AGENTS);
    // Each agent tried to reopen its socket on its channel first, with no request, and was refused.
    expect(figures.counts.socket.total).toBeGreaterThanOrEqual(AGENTS * 2);
  });

  it('in a partial refusal (GET calls 401): no agent above 6 authorize + 6 token requests and 6 channels in any 20 s', async () => {
    const figures = await simulateScenario('partial', AGENTS, SEED);
    // Not vacuous: agents whose socket dropped met the refusal and signed in again.
    expect(figures.agentsSigningIn).toBeGreaterThanOrEqual(AGENTS * 0.05);
    expect(goalsOf(figures).filter((goal) => !goal.ok)).toEqual([]);
    const { authorize, token, channel } = figures.perAgentWindow;
    expect(Math.max(authorize, token)).toBeLessThanOrEqual(6);
    expect(channel).toBeLessThanOrEqual(6);
    // Asked to sign in again, the agents did, and were live once the refusal ended.
    expect(figures.allLiveAfterS).not.toBeNull();
  });

  it('through socket maintenance: everyone moves to a new socket without a token or a channel', async () => {
    const figures = await simulateScenario('maintenance', AGENTS, SEED);
    expect(goalsOf(figures).filter((goal) => !goal.ok)).toEqual([]);
    expect(figures.counts.socket.total).toBeGreaterThanOrEqual(AGENTS);
    expect(figures.counts.token.total + figures.counts.channel.total).toBe(0);
    expect(figures.longestNotLiveS).toBeLessThan(5);
  });

  it('after every token is revoked: one silent sign-in per agent that meets it, no channel', async () => {
    const figures = await simulateScenario('revocation', AGENTS, SEED);
    expect(goalsOf(figures).filter((goal) => !goal.ok)).toEqual([]);
    expect(figures.agentsSigningIn).toBeGreaterThan(AGENTS / 2);
    expect(figures.counts.token.total).toBe(figures.agentsSigningIn);
    expect(figures.counts.channel.total).toBe(0);
    expect(figures.perAgentWindow.token).toBe(1);
  });
});

describe('the fleet clock', () => {
  it('fires timers in order and runs every promise reaction of one before the next', async () => {
    const clock = new SimClock(1_000);
    const seen: string[] = [];
    clock.setTimeout(() => {
      void (async () => {
        for (let i = 0; i < 100; i++) await Promise.resolve();
        seen.push(`chain done at ${clock.now}`);
      })();
    }, 10);
    clock.setTimeout(() => seen.push(`second at ${clock.now}`), 10);
    const id = clock.setTimeout(() => seen.push('cleared'), 5);
    clock.clearTimeout(id);
    await clock.run(2_000);
    expect(seen).toEqual(['chain done at 1010', 'second at 1010']);
    expect(clock.now).toBe(2_000);
  });

  it('stands in for the global timers, Date.now and AbortSignal.timeout while installed', async () => {
    const clock = new SimClock(5_000);
    const realNow = Date.now;
    clock.install();
    try {
      const signal = AbortSignal.timeout(8_000);
      let at = 0;
      setTimeout(() => (at = Date.now()), 3_000);
      await clock.run(12_999);
      expect(at).toBe(8_000);
      expect(signal.aborted).toBe(false);
      await clock.run(13_000);
      expect(signal.aborted).toBe(true);
    } finally {
      clock.uninstall();
    }
    expect(Date.now).toBe(realNow);
  });
});

describe('mostInWindow', () => {
  it('finds the busiest 20 s', () => {
    expect(mostInWindow([], 20_000)).toBe(0);
    expect(mostInWindow([0, 19_999, 20_000, 20_001, 39_999], 20_000)).toBe(3);
    expect(mostInWindow([0, 1, 2, 3, 4, 5, 6], 20_000)).toBe(7);
  });
});
