import { describe, expect, it } from 'vitest';
import { clicks, hum, levelDb, mixAt, pinkNoise, silence, speech, whiteNoise } from '../../test/audio/signals';
import { DEFAULT_VAD_OPTIONS, VoiceActivityDetector, frameRms, type VadOptions } from './voice-activity';

const RATES = [16_000, 44_100, 48_000];
const FRAMES = [128, 1024, 2048];
const EVERY_WAY = RATES.flatMap((rate) => FRAMES.map((frame) => [rate, frame] as const));

interface Heard {
  /** When the detector started and stopped saying "speaking", s (at the end of the frame that told). */
  changes: { at: number; speaking: boolean }[];
  firstOn: number | undefined;
}

/** Plays `signal` to a fresh detector in frames of `frameSize`, noting every change. */
function listen(signal: Float32Array, sampleRate: number, frameSize: number, options: Partial<VadOptions> = {}): Heard {
  const detector = new VoiceActivityDetector(sampleRate, options);
  const changes: Heard['changes'] = [];
  let speaking = false;
  for (let start = 0; start < signal.length; start += frameSize) {
    const end = Math.min(start + frameSize, signal.length);
    if (detector.push(signal.subarray(start, end)) !== speaking) {
      speaking = !speaking;
      changes.push({ at: end / sampleRate, speaking });
    }
  }
  return { changes, firstOn: changes.find((change) => change.speaking)?.at };
}

const cache = new Map<string, Float32Array>();
/** Signals are costly to synthesise and never modified: make each once. */
function once(key: string, make: () => Float32Array): Float32Array {
  let signal = cache.get(key);
  if (!signal) cache.set(key, (signal = make()));
  return signal;
}

// A talker from 2 s to 7 s over a faint room noise, then quiet to 12 s.
const TALK_FROM = 2;
const TALK_UNTIL = 7;
const talkInQuietRoom = (rate: number): Float32Array =>
  once(`talk ${rate}`, () => mixAt(pinkNoise(rate, 12, -65, 7), speech(rate, TALK_UNTIL - TALK_FROM), rate, TALK_FROM));

describe('frameRms', () => {
  it('is the root mean square of the samples', () => {
    const sine = Float32Array.from({ length: 480 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * i) / 48));
    expect(frameRms(sine)).toBeCloseTo(0.5 / Math.SQRT2, 6);
    expect(frameRms(new Float32Array(128).fill(-1))).toBe(1);
    expect(frameRms(new Float32Array(128))).toBe(0);
    expect(frameRms(new Float32Array(0))).toBe(0);
  });
});

describe('the voice-activity detector', () => {
  it.each(EVERY_WAY)('finds speech within 1 s of its onset, and not before (%i Hz, frames of %i)', (rate, frame) => {
    const { firstOn } = listen(talkInQuietRoom(rate), rate, frame);
    expect(firstOn).toBeGreaterThan(TALK_FROM);
    expect(firstOn).toBeLessThanOrEqual(TALK_FROM + 1);
  });

  it.each(EVERY_WAY)('keeps speaking through the pauses between words and phrases, then stops 1.5–2.5 s after the talker (%i Hz, frames of %i)', (rate, frame) => {
    const { changes } = listen(talkInQuietRoom(rate), rate, frame);
    expect(changes.map((change) => change.speaking)).toEqual([true, false]);
    expect(changes[1]!.at).toBeGreaterThanOrEqual(TALK_UNTIL + 1.5);
    expect(changes[1]!.at).toBeLessThanOrEqual(TALK_UNTIL + 2.5);
  });

  it.each(EVERY_WAY)('hears the same at every sample rate and frame size (%i Hz, frames of %i)', (rate, frame) => {
    const reference = listen(talkInQuietRoom(48_000), 48_000, 128).changes;
    const heard = listen(talkInQuietRoom(rate), rate, frame).changes;
    expect(heard.map((change) => change.speaking)).toEqual(reference.map((change) => change.speaking));
    // A change is told at the end of the frame it happened in; allow one frame and one block more.
    const slack = frame / rate + 128 / 48_000 + DEFAULT_VAD_OPTIONS.blockMs / 1000;
    heard.forEach((change, i) => expect(Math.abs(change.at - reference[i]!.at)).toBeLessThanOrEqual(slack));
  });

  it.each(EVERY_WAY)('never hears speech in digital silence (%i Hz, frames of %i)', (rate, frame) => {
    expect(listen(silence(rate, 10), rate, frame).changes).toEqual([]);
  });

  it.each(RATES)('never hears a voice too faint to be the agent’s, however quiet the room (%i Hz)', (rate) => {
    // A colleague across the room at −65 dBFS over a microphone's −90 dBFS hiss: 25 dB above the floor.
    const signal = mixAt(whiteNoise(rate, 10, -90, 61), speech(rate, 8, { db: -65, seed: 62 }), rate, 1);
    expect(listen(signal, rate, 128).changes).toEqual([]);
    expect(listen(signal, rate, 128, { minLevelDb: -80 }).firstOn).toBeLessThan(2);
  });

  const NOISES = [
    ['white noise at −50 dBFS', (rate: number) => whiteNoise(rate, 10, -50, 3)],
    ['pink noise at −50 dBFS', (rate: number) => pinkNoise(rate, 10, -50, 4)],
    ['pink noise at −30 dBFS', (rate: number) => pinkNoise(rate, 10, -30, 5)],
    ['50 Hz hum at −40 dBFS', (rate: number) => hum(rate, 10, -40, 50)],
    ['60 Hz hum at −40 dBFS', (rate: number) => hum(rate, 10, -40, 60)],
  ] as const;

  describe.each(NOISES)('in %s', (_name, make) => {
    it.each(EVERY_WAY)('never hears speech over 10 s (%i Hz, frames of %i)', (rate, frame) => {
      const noise = once(`${_name} ${rate}`, () => make(rate));
      // Above the absolute minimum: only the noise floor can keep it out.
      expect(levelDb(noise)).toBeGreaterThan(DEFAULT_VAD_OPTIONS.minLevelDb);
      expect(listen(noise, rate, frame).changes).toEqual([]);
    });
  });

  it.each(EVERY_WAY)('never hears speech in 10–50 ms clicks, taps and knocks every second for 10 s (%i Hz, frames of %i)', (rate, frame) => {
    const inSilence = clicks(rate, 10, { seed: 11 });
    const overNoise = mixAt(pinkNoise(rate, 10, -60, 12), clicks(rate, 10, { seed: 13 }), rate);
    for (const signal of [inSilence, overNoise]) {
      expect(listen(signal, rate, frame).changes).toEqual([]);
      // Loud enough to be heard at once were it not for how short they are.
      expect(listen(signal, rate, frame, { onsetMs: 10 }).firstOn).toBeLessThan(1);
    }
  });

  it('never hears speech in 150–200 ms bursts, like a short cough, every 1.5 s', () => {
    const coughs = clicks(48_000, 12, { minMs: 150, maxMs: 200, everyMs: 1_500, seed: 17 });
    expect(listen(coughs, 48_000, 128).changes).toEqual([]);
    expect(listen(coughs, 48_000, 128, { onsetMs: 100 }).firstOn).toBeLessThan(1);
  });

  it.each([
    ['pink noise at −45 dBFS', (rate: number) => pinkNoise(rate, 10, -45, 21)],
    ['white noise at −45 dBFS', (rate: number) => whiteNoise(rate, 10, -45, 22)],
    ['50 Hz hum at −35 dBFS', (rate: number) => hum(rate, 10, -35, 50)],
  ] as const)('finds speech over %s within 1 s of its onset', (_name, make) => {
    for (const rate of RATES) {
      // Three seconds of noise alone first, for the floor to settle on it.
      const signal = mixAt(make(rate), speech(rate, 5, { seed: 23, pitchHz: 200 }), rate, 3);
      const { firstOn } = listen(signal, rate, 1024);
      expect(firstOn).toBeGreaterThan(3);
      expect(firstOn).toBeLessThanOrEqual(4);
    }
  });

  it('finds a quiet talker 12 dB above the noise within 1 s', () => {
    const signal = mixAt(pinkNoise(48_000, 8, -50, 31), speech(48_000, 5, { db: -38, seed: 32 }), 48_000, 2);
    const { firstOn } = listen(signal, 48_000, 128);
    expect(firstOn).toBeGreaterThan(2);
    expect(firstOn).toBeLessThanOrEqual(3);
  });

  it('finds speech when the stream opens on noise, as when it starts mid-call', () => {
    const signal = mixAt(pinkNoise(48_000, 8, -40, 41), speech(48_000, 5, { seed: 42 }), 48_000, 0.5);
    const { firstOn } = listen(signal, 48_000, 128);
    expect(firstOn).toBeLessThanOrEqual(1.5);
  });

  it('learns a noise that starts mid-stream, like a fan switched on, within 4.5 s', () => {
    const signal = mixAt(silence(48_000, 14), pinkNoise(48_000, 10, -30, 51), 48_000, 4);
    const { changes } = listen(signal, 48_000, 128);
    // Energy alone cannot tell a new noise from a voice at first: it counts until the floor window
    // has learnt it and the hangover is over, and never again after.
    expect(changes.filter((change) => change.at > 4 + 4.5)).toEqual([]);
    expect(changes.at(-1)?.speaking ?? false).toBe(false);
  });

  it('forgets what it heard on reset()', () => {
    const rate = 48_000;
    const detector = new VoiceActivityDetector(rate);
    const talk = talkInQuietRoom(rate);
    detector.push(talk.subarray(0, TALK_FROM * rate));
    expect(detector.noiseFloorDb).toBeLessThan(-65);
    detector.push(talk.subarray(TALK_FROM * rate, (TALK_FROM + 2) * rate));
    expect(detector.speaking).toBe(true);
    detector.reset();
    expect(detector.speaking).toBe(false);
    expect(detector.noiseFloorDb).toBeUndefined();
    // Speech must be sustained again before it counts.
    expect(detector.push(talk.subarray((TALK_FROM + 2) * rate, (TALK_FROM + 2.2) * rate))).toBe(false);
  });

  it('survives NaN samples from a broken source', () => {
    const rate = 48_000;
    const detector = new VoiceActivityDetector(rate);
    expect(detector.push(new Float32Array(4_800).fill(Number.NaN))).toBe(false);
    const talk = talkInQuietRoom(rate);
    detector.push(talk.subarray(0, (TALK_FROM + 1) * rate));
    expect(detector.speaking).toBe(true);
  });

  it('refuses a sample rate or options it cannot work with', () => {
    for (const rate of [0, -48_000, Number.NaN, Infinity]) expect(() => new VoiceActivityDetector(rate)).toThrow(RangeError);
    expect(() => new VoiceActivityDetector(48_000, { onsetMs: 900, windowMs: 600 })).toThrow(RangeError);
    expect(() => new VoiceActivityDetector(48_000, { blockMs: 0 })).toThrow(RangeError);
  });
});
