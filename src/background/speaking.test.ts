// The speaking-while-muted warning's pure parts (issue 10): when it listens, how long the nudge
// stays, how long the agent has been muted and where the mute's start comes from.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyCallEvent, fromSnapshot, NO_CALLS, restoreCalls, storeCalls } from './calls';
import { Features, listensForSpeech, mutedOnControlledCall, SpeakingWatch, type FeatureContext } from './features';
import { NUDGE_CLEAR_MS, SpeakingNudge } from './nudge';
import { NUDGE_BADGE_COLOR, present, toolbarLook, type WorkerSnapshot } from './present';
import { resolveConfig, type Config } from '../shared/config';
import { ConfigSource, type ConfigStorage } from '../shared/config-source';
import type { BackgroundPlatform, Microphone } from '../platform/types';
import type { MicView } from '../shared/view';
import { controlViewOf } from '../shared/view';
import { readControlView, readMicView } from '../shared/view-check';
import { elapsedText, untilNextSecond } from '../shared/ui/elapsed';

const ME = 'agent-1';
const T0 = Date.parse('2026-11-30T10:00:00Z');

function event(muted: boolean, extra: Record<string, unknown> = {}) {
  return {
    id: 'c1',
    participants: [
      { id: 'p-a', purpose: 'agent', user: { id: ME }, state: 'connected', muted, held: false, ...extra },
      { id: 'p-c', purpose: 'customer', state: 'connected', name: 'Casey' },
    ],
  };
}

const config = (values: Partial<Config> = {}): Config => ({ ...resolveConfig({}, {}).values, speakingWhileMuted: true, ...values });

const mutedView: MicView = {
  status: 'muted',
  connection: 'live',
  otherCalls: 0,
  signingIn: false,
  call: { conversationId: 'c1', otherParties: ['Casey'], held: false, muted: true, mutedAt: T0 },
};

describe('the mute start', () => {
  it('is when the event confirming the mute arrived, and stays while Genesys keeps saying muted', () => {
    let state = applyCallEvent(NO_CALLS, event(false), ME, T0);
    expect(state.calls.get('c1')?.agentLeg.mutedAt).toBeUndefined();
    state = applyCallEvent(state, event(true), ME, T0 + 1_000);
    expect(state.calls.get('c1')?.agentLeg.mutedAt).toBe(T0 + 1_000);
    // Another event while still muted (a party joins): the mute began when it began.
    state = applyCallEvent(state, event(true, { name: 'Me' }), ME, T0 + 5_000);
    expect(state.calls.get('c1')?.agentLeg.mutedAt).toBe(T0 + 1_000);
    state = applyCallEvent(state, event(false), ME, T0 + 9_000);
    expect(state.calls.get('c1')?.agentLeg.mutedAt).toBeUndefined();
    state = applyCallEvent(state, event(true), ME, T0 + 12_000);
    expect(state.calls.get('c1')?.agentLeg.mutedAt).toBe(T0 + 12_000);
  });

  it('survives a worker restart (storage.session) and the snapshot taken after it', () => {
    const before = applyCallEvent(NO_CALLS, event(true), ME, T0);
    const restored = restoreCalls(JSON.parse(JSON.stringify(storeCalls(before))));
    expect(restored.calls.get('c1')?.agentLeg.mutedAt).toBe(T0);
    const refreshed = fromSnapshot(restored, { entities: [event(true)] }, ME, T0 + 60_000);
    expect(refreshed.calls.get('c1')?.agentLeg.mutedAt).toBe(T0);
    // A call first seen muted in a snapshot: muted since the extension learnt it.
    expect(fromSnapshot(NO_CALLS, { entities: [event(true)] }, ME, T0 + 7).calls.get('c1')?.agentLeg.mutedAt).toBe(T0 + 7);
  });

  it('reaches the page control once, in the view, and is checked there', () => {
    const view = present({ configured: true, signedIn: true, signingIn: false, connection: 'live', calls: applyCallEvent(NO_CALLS, event(true), ME, T0) });
    expect(view.call?.mutedAt).toBe(T0);
    expect(controlViewOf(view).call).toEqual({ held: false, muted: true, mutedAt: T0 });
    expect(readControlView(controlViewOf(view))?.call?.mutedAt).toBe(T0);
    expect(readControlView({ status: 'muted', call: { held: false, muted: true, mutedAt: 'soon' } })).toBeUndefined();
    expect(readControlView({ status: 'muted', call: { held: false, muted: true, mutedAt: Number.NaN } })).toBeUndefined();
  });
});

describe('how long muted, as the views show it', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00'],
    [42_000, '0:42'],
    [65_500, '1:05'],
    [59 * 60_000 + 59_999, '59:59'],
    [3_600_000, '1:00:00'],
    [3_600_000 + 5 * 60_000 + 9_000, '1:05:09'],
    [-5_000, '0:00'],
  ])('%i ms reads %s', (ms, text) => {
    expect(elapsedText(ms)).toBe(text);
  });

  it('ticks on the mute\'s own second boundaries', () => {
    expect(untilNextSecond(T0, T0)).toBe(1_000);
    expect(untilNextSecond(T0, T0 + 42_250)).toBe(750);
    expect(untilNextSecond(T0, T0 - 200)).toBe(200);
  });
});

describe('listening for speech', () => {
  const context = (view: MicView, values: Partial<Config> = {}): FeatureContext => ({ view, config: config(values) });

  it('happens only when turned on, allowed, policy read, live, and muted on the controlled call', () => {
    expect(listensForSpeech(context(mutedView), 'granted', true)).toBe(true);
    expect(listensForSpeech(context(mutedView, { speakingWhileMuted: false }), 'granted', true)).toBe(false);
    for (const permission of ['prompt', 'denied', 'unsupported'] as const) expect(listensForSpeech(context(mutedView), permission, true)).toBe(false);
  });

  it('stops when the agent unmutes (or asks to), the call is held or ends, or the agent signs out', () => {
    const live: MicView = { ...mutedView, status: 'live', call: { ...mutedView.call!, muted: false } };
    const unmuting: MicView = { ...mutedView, status: 'pending', wantMuted: false };
    const held: MicView = { ...mutedView, status: 'no-call', call: { ...mutedView.call!, held: true } };
    const noCall: MicView = { status: 'no-call', connection: 'live', otherCalls: 0, signingIn: false };
    const signedOut: MicView = { status: 'signed-out', connection: 'signed-out', otherCalls: 0, signingIn: false };
    for (const view of [live, unmuting, held, noCall, signedOut]) expect(listensForSpeech(context(view), 'granted', true), view.status).toBe(false);
  });

  it('stops while the connection is not live: the call may have ended or been unmuted unseen', () => {
    // The calls are kept through a reconnect, so the view still says muted: only the word differs.
    for (const connection of ['connecting', 'reconnecting', 'offline'] as const) {
      expect(listensForSpeech(context({ ...mutedView, connection }), 'granted', true), connection).toBe(false);
    }
  });

  it('waits for policy to answer: a started background does not listen on the agent\'s own "on" before', () => {
    expect(listensForSpeech(context(mutedView), 'granted', false)).toBe(false);
  });

  it('goes on while still muted: a mute being confirmed, or an unmute that failed', () => {
    expect(mutedOnControlledCall({ ...mutedView, status: 'pending', wantMuted: true })).toBe(true);
    expect(mutedOnControlledCall({ ...mutedView, status: 'error', problem: { code: 'network', message: 'x' } })).toBe(true);
  });
});

describe('the watch, as the background runs it', () => {
  /** A platform whose microphone counts the listening periods and says when each ends. */
  function rig(policy: { read: boolean }) {
    const periods: AbortSignal[] = [];
    const microphone: Microphone = {
      permission: async () => 'granted',
      onPermissionChange: () => undefined,
      listen: async (signal) => {
        periods.push(signal);
        return 1;
      },
      release: async () => undefined,
    };
    const platform = { microphone, playCue: async () => true } as unknown as BackgroundPlatform;
    const watch = new SpeakingWatch(platform, () => 'granted', () => policy.read, () => undefined);
    return { periods, features: new Features([watch]), watch };
  }

  it('opens the microphone after a restart only once policy has answered', () => {
    const policy = { read: false };
    const { periods, features } = rig(policy);
    features.update({ view: mutedView, config: config() });
    expect(periods).toHaveLength(0);
    policy.read = true;
    features.update({ view: mutedView, config: config() });
    expect(periods).toHaveLength(1);
  });

  it('closes it when the socket drops, and opens it once more when live again', () => {
    const { periods, features } = rig({ read: true });
    features.update({ view: mutedView, config: config() });
    features.update({ view: { ...mutedView, connection: 'reconnecting' }, config: config() });
    expect(periods).toHaveLength(1);
    expect(periods[0]!.aborted).toBe(true);
    features.update({ view: { ...mutedView, connection: 'reconnecting' }, config: config() });
    expect(periods).toHaveLength(1);
    features.update({ view: mutedView, config: config() });
    expect(periods).toHaveLength(2);
    expect(periods[1]!.aborted).toBe(false);
  });
});

describe('policy, as the warning waits for it', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const storage = (managed: Promise<Record<string, unknown>>): ConfigStorage => ({
    getLocal: async () => ({ preferences: { speakingWhileMuted: true } }),
    setLocal: async () => undefined,
    getManaged: () => managed,
  });

  it("is not read when the source's 3 s bound passes: only the managed read's own answer counts", async () => {
    const source = new ConfigSource(storage(new Promise(() => undefined)), 3_000);
    let read = false;
    void source.policyRead.then(() => (read = true));
    await vi.advanceTimersByTimeAsync(60_000);
    await source.ready;
    expect(source.current.values.speakingWhileMuted).toBe(true);
    expect(source.policyAnswered).toBe(false);
    expect(read).toBe(false);
  });

  it('is read when the managed read answers, however late, and before its listeners hear it', async () => {
    let answer: (value: Record<string, unknown>) => void = () => undefined;
    const source = new ConfigSource(storage(new Promise((resolve) => (answer = resolve))), 3_000);
    await vi.advanceTimersByTimeAsync(10_000);
    const seen: boolean[] = [];
    source.onChange(() => seen.push(source.policyAnswered));
    answer({ speakingWhileMuted: false });
    await vi.advanceTimersByTimeAsync(0);
    await source.policyRead;
    expect(source.policyAnswered).toBe(true);
    expect(seen).toEqual([true]);
    expect(source.current.values.speakingWhileMuted).toBe(false);
  });

  it('is read when the answer is that there is no policy (nothing changes, but it answered)', async () => {
    const source = new ConfigSource(storage(Promise.resolve({})), 3_000);
    await vi.advanceTimersByTimeAsync(0);
    await source.policyRead;
    expect(source.policyAnswered).toBe(true);
  });
});

describe('the nudge', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows as soon as the detector hears speech, and once per stretch of talking', () => {
    const changes: boolean[] = [];
    const nudge = new SpeakingNudge((shown) => changes.push(shown));
    nudge.heard(false);
    expect(changes).toEqual([]);
    nudge.heard(true);
    nudge.heard(true);
    expect(nudge.shown).toBe(true);
    expect(changes).toEqual([true]);
  });

  it(`clears ${NUDGE_CLEAR_MS} ms after the detector stopped hearing speech (the detector's 1.5 s hangover before that)`, () => {
    const changes: boolean[] = [];
    const nudge = new SpeakingNudge((shown) => changes.push(shown));
    nudge.heard(true);
    nudge.heard(false);
    vi.advanceTimersByTime(NUDGE_CLEAR_MS - 1);
    expect(nudge.shown).toBe(true);
    vi.advanceTimersByTime(1);
    expect(nudge.shown).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('stays up through a pause when speech comes back before it clears', () => {
    const changes: boolean[] = [];
    const nudge = new SpeakingNudge((shown) => changes.push(shown));
    nudge.heard(true);
    nudge.heard(false);
    vi.advanceTimersByTime(NUDGE_CLEAR_MS / 2);
    nudge.heard(true);
    vi.advanceTimersByTime(NUDGE_CLEAR_MS * 3);
    expect(nudge.shown).toBe(true);
    expect(changes).toEqual([true]);
  });

  it('goes at once when listening stops (unmute, call end, turned off), and no timer fires later', () => {
    const changes: boolean[] = [];
    const nudge = new SpeakingNudge((shown) => changes.push(shown));
    nudge.heard(true);
    nudge.heard(false);
    nudge.reset();
    expect(nudge.shown).toBe(false);
    vi.advanceTimersByTime(NUDGE_CLEAR_MS * 2);
    expect(changes).toEqual([true, false]);
  });

  it('shows in the views only while muted on a call, and the toolbar keeps its MUTE badge', () => {
    const snapshot = (muted: boolean): WorkerSnapshot => ({
      configured: true,
      signedIn: true,
      signingIn: false,
      connection: 'live',
      calls: applyCallEvent(NO_CALLS, event(muted), ME, T0),
      nudge: 'speaking-while-muted',
    });
    const view = present(snapshot(true));
    expect(view.nudge).toBe('speaking-while-muted');
    expect(controlViewOf(view).nudge).toBe('speaking-while-muted');
    expect(readMicView(view)?.nudge).toBe('speaking-while-muted');
    expect(readControlView({ status: 'muted', nudge: 'shout' })).toBeUndefined();
    const look = toolbarLook(view);
    expect(look).toMatchObject({ badgeText: 'MUTE', badgeColor: NUDGE_BADGE_COLOR });
    expect(look.title).toContain("You're muted");
    expect(present(snapshot(false)).nudge).toBeUndefined();
  });

  it('says when it is turned on but cannot listen, to the extension pages only', () => {
    const view = present({ configured: true, signedIn: true, signingIn: false, connection: 'live', calls: NO_CALLS, speakingCheck: 'no-permission' });
    expect(view.speakingCheck).toBe('no-permission');
    expect(readMicView(view)?.speakingCheck).toBe('no-permission');
    expect(controlViewOf(view)).not.toHaveProperty('speakingCheck');
  });
});

describe('the setting', () => {
  it('is off by default, the agent\'s beside the sound, and an admin\'s to lock on or off', () => {
    expect(resolveConfig({}, {}).values.speakingWhileMuted).toBe(false);
    expect(resolveConfig({ preferences: { sound: false, speakingWhileMuted: true } }, {}).values.speakingWhileMuted).toBe(true);
    const forcedOff = resolveConfig({ preferences: { speakingWhileMuted: true } }, { speakingWhileMuted: false });
    expect(forcedOff.values.speakingWhileMuted).toBe(false);
    expect(forcedOff.locked.has('speakingWhileMuted')).toBe(true);
    const forcedOn = resolveConfig({}, { speakingWhileMuted: true });
    expect(forcedOn.values.speakingWhileMuted).toBe(true);
    expect(resolveConfig({}, { speakingWhileMuted: 'yes' }).locked.has('speakingWhileMuted')).toBe(false);
  });
});

describe("the microphone through Chrome's offscreen document (platform/chrome.ts)", () => {
  type Answer = (type: string) => unknown;

  /** A fake offscreen API and document: `answer` says what the document replies to each message. */
  function offscreen(answer: Answer, document?: string) {
    const sent: string[] = [];
    const state = { url: document };
    const origin = 'chrome-extension://gmc/';
    vi.stubGlobal('chrome', {
      ...(globalThis as { chrome?: object }).chrome,
      runtime: {
        id: 'gmc',
        ContextType: { OFFSCREEN_DOCUMENT: 'OFFSCREEN_DOCUMENT' },
        getContexts: async () => (state.url ? [{ documentUrl: state.url }] : []),
        getURL: (path: string) => origin + path,
        onMessage: { addListener: () => undefined },
        sendMessage: async (message: { type: string }) => {
          sent.push(message.type);
          if (!state.url) throw new Error('Could not establish connection. Receiving end does not exist.');
          return answer(message.type);
        },
      },
      offscreen: {
        Reason: { USER_MEDIA: 'USER_MEDIA', AUDIO_PLAYBACK: 'AUDIO_PLAYBACK' },
        createDocument: async ({ url }: { url: string }) => void (state.url = origin + url),
        closeDocument: async () => void (state.url = undefined),
      },
    });
    return { sent, state };
  }

  const closed = { listening: false, speaking: false, liveTracks: 0 };
  const listening = { listening: true, speaking: false, liveTracks: 1, since: 42 };

  beforeEach(() => vi.resetModules());
  afterEach(() => vi.unstubAllGlobals());

  const microphoneOf = async () => (await import('../platform/chrome')).background.microphone;

  it('asks a failing capture once per listening period, and takes its failure as final', async () => {
    const { sent } = offscreen((type) => (type === 'mic-listen' ? { ...closed, failure: 'capture-failed' } : closed));
    const period = new AbortController();
    expect(await (await microphoneOf()).listen(period.signal, () => undefined)).toBeUndefined();
    expect(sent.filter((type) => type === 'mic-listen')).toHaveLength(1);
  });

  it('does not send mic-listen again when the document gave no answer to it (it threw)', async () => {
    const { sent } = offscreen((type) => (type === 'mic-listen' ? undefined : closed));
    const period = new AbortController();
    expect(await (await microphoneOf()).listen(period.signal, () => undefined)).toBeUndefined();
    expect(sent.filter((type) => type === 'mic-listen')).toHaveLength(1);
  });

  it('waits for a just-created document with its status (harmless to repeat), then listens once', async () => {
    let silent = 3;
    const { sent } = offscreen((type) => (silent-- > 0 ? undefined : type === 'mic-listen' ? listening : closed));
    const period = new AbortController();
    expect(await (await microphoneOf()).listen(period.signal, () => undefined)).toBe(42);
    expect(sent.filter((type) => type === 'mic-listen')).toHaveLength(1);
    expect(sent.filter((type) => type === 'mic-status').length).toBeGreaterThan(1);
  });

  it("keeps the document when listening begins while a starting background releases an old one's microphone", async () => {
    let startListening: () => Promise<number | undefined> = async () => undefined;
    let listened: Promise<number | undefined> | undefined;
    const { state } = offscreen((type) => {
      // The connection came back while the old microphone was being stopped.
      if (type === 'mic-stop') listened ??= startListening();
      return type === 'mic-listen' ? listening : closed;
    }, 'chrome-extension://gmc/src/offscreen/index.html?microphone');
    const microphone = await microphoneOf();
    const period = new AbortController();
    startListening = () => microphone.listen(period.signal, () => undefined);
    await microphone.release();
    expect(await listened).toBe(42);
    expect(state.url).toBeDefined();
  });
});
