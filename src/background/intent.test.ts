import { describe, expect, it } from 'vitest';
import { GenesysError } from './genesys';
import { MuteIntent, problemForMuteError, type IntentHost, type MuteTarget } from './intent';

const CALL: MuteTarget = { conversationId: 'c1', participantId: 'p1' };

/** A fake Genesys: PATCHes resolve when the test says so; timers run when the test says so. */
function rig(options: { fail?: (muted: boolean, attempt: number) => Error | undefined; reauthorizes?: boolean } = {}) {
  const sent: boolean[] = [];
  const pending: (() => void)[] = [];
  const timers: { callback: () => void; ms: number; cancelled: boolean }[] = [];
  const sleeps: number[] = [];
  let unauthorized = 0;
  let attempt = 0;
  const host: IntentHost = {
    send: (_target, muted) =>
      new Promise<void>((resolve, reject) => {
        sent.push(muted);
        const error = options.fail?.(muted, attempt++);
        pending.push(() => (error ? reject(error) : resolve()));
      }),
    changed: () => undefined,
    unauthorized: async () => {
      unauthorized += 1;
      return options.reauthorizes ?? false;
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    setTimer: (callback, ms) => {
      const timer = { callback, ms, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
  };
  const intent = new MuteIntent(host, { confirmTimeoutMs: 10_000, retryDelaysMs: [250, 1000], maxRetryAfterMs: 8_000 });
  /** Lets every in-flight PATCH answer, until none is left. */
  const answerAll = async () => {
    while (pending.length > 0) {
      pending.shift()!();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };
  const fireTimers = () => {
    for (const timer of timers.splice(0)) if (!timer.cancelled) timer.callback();
  };
  return { intent, sent, answerAll, fireTimers, sleeps, unauthorizedCount: () => unauthorized };
}

describe('mute intents', () => {
  it('send one PATCH and stay pending until Genesys confirms', async () => {
    const { intent, sent, answerAll } = rig();
    intent.request(CALL, true, false);
    expect(intent.wanted).toBe(true);
    await answerAll();
    expect(sent).toEqual([true]);
    expect(intent.wanted).toBe(true);
    intent.observe(CALL, true);
    expect(intent.wanted).toBeUndefined();
  });

  it('send nothing when Genesys already has the state', async () => {
    const { intent, sent, answerAll } = rig();
    intent.request(CALL, false, false);
    await answerAll();
    expect(sent).toEqual([]);
    expect(intent.wanted).toBeUndefined();
  });

  it.each([
    [1, [true]],
    [2, [true, false]],
    [5, [true]],
    [9, [true]],
    [20, [true, false]],
  ])('coalesce %i rapid toggles into the fewest PATCHes, last intent winning', async (clicks, expected) => {
    const { intent, sent, answerAll } = rig();
    let shown = false;
    for (let i = 0; i < clicks; i++) {
      shown = !shown;
      intent.request(CALL, shown, false);
      // Genesys answers 202 between clicks; the next PATCH still waits for the event.
      await answerAll();
    }
    expect(sent).toEqual([true]);
    intent.observe(CALL, true);
    await answerAll();
    if (clicks % 2 === 0) intent.observe(CALL, false);
    expect(sent).toEqual(expected);
    expect(intent.wanted).toBeUndefined();
  });

  it('never sends a second PATCH before the first is confirmed', async () => {
    const { intent, sent, answerAll } = rig();
    intent.request(CALL, true, false);
    await answerAll();
    intent.request(CALL, false, false);
    intent.observe(CALL, false); // an unrelated event: the mute has not landed yet
    await answerAll();
    expect(sent).toEqual([true]);
    intent.observe(CALL, true);
    await answerAll();
    expect(sent).toEqual([true, false]);
  });

  it('resolve when the event beats the 202', async () => {
    const { intent, answerAll } = rig();
    intent.request(CALL, true, false);
    intent.observe(CALL, true);
    expect(intent.wanted).toBe(true);
    await answerAll();
    expect(intent.wanted).toBeUndefined();
  });

  it('send again after a server-side change undid an earlier intent', async () => {
    const { intent, sent, answerAll } = rig();
    intent.request(CALL, true, false);
    await answerAll();
    intent.observe(CALL, true);
    intent.observe(CALL, false); // a supervisor unmuted the agent
    intent.request(CALL, true, false);
    await answerAll();
    expect(sent).toEqual([true, true]);
  });

  it('give up after the confirm timeout and say so', async () => {
    const { intent, answerAll, fireTimers } = rig();
    intent.request(CALL, true, false);
    await answerAll();
    fireTimers();
    expect(intent.wanted).toBeUndefined();
    expect(intent.problem?.code).toBe('not-confirmed');
  });

  it('wait Retry-After on 429, then send the latest intent', async () => {
    const { intent, sent, answerAll, sleeps } = rig({ fail: (_m, attempt) => (attempt === 0 ? new GenesysError(429, 'too.many.requests', 'slow down', 2) : undefined) });
    intent.request(CALL, true, false);
    await answerAll();
    await answerAll();
    expect(sleeps).toEqual([2000]);
    expect(sent).toEqual([true, true]);
    expect(intent.problem).toBeUndefined();
  });

  it('retry 5xx a bounded number of times, then fall back to the truth with a message', async () => {
    const { intent, sent, answerAll, sleeps } = rig({ fail: () => new GenesysError(503, 'service.unavailable', 'down') });
    intent.request(CALL, true, false);
    for (let i = 0; i < 5; i++) await answerAll();
    expect(sent).toEqual([true, true, true]);
    expect(sleeps).toEqual([250, 1000]);
    expect(intent.wanted).toBeUndefined();
    expect(intent.problem?.code).toBe('server-error');
  });

  it.each([
    [403, 'not-your-participant'],
    [404, 'call-gone'],
  ])('explain a %i without retrying', async (status, code) => {
    const { intent, sent, answerAll } = rig({ fail: () => new GenesysError(status, 'x', 'no') });
    intent.request(CALL, true, false);
    await answerAll();
    expect(sent).toEqual([true]);
    expect(intent.wanted).toBeUndefined();
    expect(intent.problem?.code).toBe(code);
  });

  it('hand a 401 to the host and say "sign in again" when it cannot', async () => {
    const { intent, answerAll, unauthorizedCount } = rig({ fail: () => new GenesysError(401, 'authentication.required', 'no') });
    intent.request(CALL, true, false);
    await answerAll();
    expect(unauthorizedCount()).toBe(1);
    expect(intent.problem?.code).toBe('session-expired');
  });

  it('go on with the same intent after a silent sign-in, once', async () => {
    const { intent, sent, answerAll, unauthorizedCount } = rig({
      reauthorizes: true,
      fail: (_m, attempt) => (attempt === 0 ? new GenesysError(401, 'authentication.required', 'no') : undefined),
    });
    intent.request(CALL, true, false);
    await answerAll();
    await answerAll();
    expect(unauthorizedCount()).toBe(1);
    expect(sent).toEqual([true, true]);
    expect(intent.problem).toBeUndefined();
    expect(intent.wanted).toBe(true);
  });

  it('abandon a pending intent when the call ends', async () => {
    const { intent, answerAll } = rig();
    intent.request(CALL, true, false);
    await answerAll();
    intent.observe(undefined, false);
    expect(intent.wanted).toBeUndefined();
    expect(intent.problem?.code).toBe('call-gone');
  });
});

describe('mute error messages', () => {
  it('are specific', () => {
    expect(problemForMuteError(new GenesysError(0, 'network', 'x')).message).toMatch(/could not reach/i);
    expect(problemForMuteError(new GenesysError(500, 'x', 'x')).message).toMatch(/\(500\)/);
    expect(problemForMuteError(new GenesysError(400, 'bad.request', 'Invalid body')).message).toMatch(/Invalid body/);
    expect(problemForMuteError(new Error('boom')).code).toBe('server-error');
  });
});
