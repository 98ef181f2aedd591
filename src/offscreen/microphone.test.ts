// The offscreen document's capture when it cannot be read: whatever fails after the microphone
// opened, no live track is left, and `listen` answers (the background sends it once per listening
// period and takes a failure as final).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

interface FakeTrack {
  kind: 'audio';
  readyState: 'live' | 'ended';
  stop(): void;
  addEventListener(): void;
}

function fakeTrack(): FakeTrack {
  return {
    kind: 'audio',
    readyState: 'live',
    stop() {
      this.readyState = 'ended';
    },
    addEventListener() {},
  };
}

let track: FakeTrack;

/** A granted permission and a microphone with one live track; `processor` stands in for MediaStreamTrackProcessor. */
function browser(processor: new (init: { track: unknown }) => unknown): void {
  track = fakeTrack();
  const stream = { getAudioTracks: () => [track], getTracks: () => [track] };
  vi.stubGlobal('navigator', {
    permissions: { query: async () => ({ state: 'granted' }) },
    mediaDevices: { getUserMedia: vi.fn(async () => stream) },
  });
  vi.stubGlobal('MediaStreamTrackProcessor', processor);
  vi.stubGlobal('chrome', { ...(globalThis as { chrome?: object }).chrome, runtime: { sendMessage: async () => undefined } });
}

/** A processor whose reader answers `read` with `read()`. */
const readingWith = (read: () => Promise<unknown>) =>
  class {
    readonly readable = { getReader: () => ({ read, cancel: async () => undefined }) };
  };

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => vi.resetModules());
afterEach(() => vi.unstubAllGlobals());

describe('a capture that cannot be read', () => {
  it('stops every track at once when the frame reader cannot be made, and says so', async () => {
    browser(
      class {
        constructor() {
          throw new TypeError('MediaStreamTrackProcessor is not supported');
        }
      },
    );
    const { listen, status } = await import('./microphone');
    const answer = await listen();
    expect(answer).toMatchObject({ listening: false, liveTracks: 0, failure: 'capture-failed' });
    expect(track.readyState).toBe('ended');
    expect(status().listening).toBe(false);
  });

  it('closes the capture when reading fails after it opened: no live track is left', async () => {
    browser(readingWith(() => Promise.reject(new Error('the reader failed'))));
    const { listen, status } = await import('./microphone');
    expect((await listen()).listening).toBe(true);
    await settle();
    expect(track.readyState).toBe('ended');
    expect(status()).toMatchObject({ listening: false, liveTracks: 0 });
  });

  it('closes the capture when a frame cannot be copied', async () => {
    const frame = {
      sampleRate: 48_000,
      numberOfFrames: 480,
      copyTo() {
        throw new RangeError('bad frame');
      },
      close() {},
    };
    browser(readingWith(async () => ({ value: frame, done: false })));
    const { listen, status } = await import('./microphone');
    expect((await listen()).listening).toBe(true);
    await settle();
    expect(track.readyState).toBe('ended');
    expect(status()).toMatchObject({ listening: false, liveTracks: 0 });
  });

  it('answers even when the browser throws where it should not (the permission query)', async () => {
    browser(readingWith(() => new Promise(() => undefined)));
    vi.stubGlobal('navigator', {
      permissions: {
        query: () => {
          throw new TypeError('no such permission');
        },
      },
    });
    const { listen } = await import('./microphone');
    expect(await listen()).toMatchObject({ listening: false, liveTracks: 0 });
  });
});

describe('a capture that reads', () => {
  it('stays open until stopped, then has no live track', async () => {
    browser(readingWith(() => new Promise(() => undefined)));
    const { listen, status, stop } = await import('./microphone');
    expect(await listen()).toMatchObject({ listening: true, liveTracks: 1 });
    await settle();
    expect(status().liveTracks).toBe(1);
    expect(await stop()).toMatchObject({ listening: false, liveTracks: 0 });
    expect(track.readyState).toBe('ended');
  });
});
