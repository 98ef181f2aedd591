// The end-to-end test audio, read back from disk: well-formed WAV files the detector hears as meant.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VoiceActivityDetector } from '../src/offscreen/voice-activity.ts';
import { SPEECH_FROM_S, SPEECH_UNTIL_S, TEST_AUDIO_SECONDS, writeTestAudio, type TestAudio } from './test-audio.ts';

const RATE = 48_000;

/** The samples of a mono 16-bit PCM WAV file, checking every header field on the way. */
function readWav(path: string): Float32Array {
  const wav = readFileSync(path);
  expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
  expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
  expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
  expect(wav.readUInt32LE(16)).toBe(16);
  expect(wav.readUInt16LE(20)).toBe(1); // PCM
  expect(wav.readUInt16LE(22)).toBe(1); // mono
  expect(wav.readUInt32LE(24)).toBe(RATE);
  expect(wav.readUInt32LE(28)).toBe(RATE * 2);
  expect(wav.readUInt16LE(32)).toBe(2);
  expect(wav.readUInt16LE(34)).toBe(16);
  expect(wav.toString('ascii', 36, 40)).toBe('data');
  expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
  const samples = new Float32Array((wav.length - 44) / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = wav.readInt16LE(44 + i * 2) / 32768;
  return samples;
}

/** When the detector, fed 128-sample frames like an AudioWorklet, said speaking and stopped, s. */
function listen(samples: Float32Array): { at: number; speaking: boolean }[] {
  const detector = new VoiceActivityDetector(RATE);
  const changes: { at: number; speaking: boolean }[] = [];
  for (let start = 0; start < samples.length; start += 128) {
    const end = Math.min(start + 128, samples.length);
    if (detector.push(samples.subarray(start, end)) !== (changes.at(-1)?.speaking ?? false)) {
      changes.push({ at: end / RATE, speaking: !(changes.at(-1)?.speaking ?? false) });
    }
  }
  return changes;
}

describe('the end-to-end test audio', () => {
  let dir: string;
  let files: TestAudio;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'test-audio-'));
    files = await writeTestAudio(join(dir, 'audio'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is four 12 s, 48 kHz, mono, 16-bit PCM WAV files at absolute paths', () => {
    expect(Object.keys(files).sort()).toEqual(['clicks', 'noise', 'silence', 'speech']);
    for (const [name, path] of Object.entries(files)) {
      expect(isAbsolute(path)).toBe(true);
      expect(path).toBe(join(dir, 'audio', `${name}.wav`));
      expect(statSync(path).size).toBe(44 + TEST_AUDIO_SECONDS * RATE * 2);
      expect(readWav(path).length).toBe(TEST_AUDIO_SECONDS * RATE);
    }
  });

  it('has speech.wav heard within 1.5 s of its onset, and not after it has ended', () => {
    const samples = readWav(files.speech);
    const peak = samples.reduce((max, sample) => Math.max(max, Math.abs(sample)), 0);
    expect(peak).toBeGreaterThan(0.1);
    expect(peak).toBeLessThan(1); // not clipped
    const changes = listen(samples);
    expect(changes.map((change) => change.speaking)).toEqual([true, false]);
    expect(changes[0]!.at).toBeGreaterThan(SPEECH_FROM_S);
    expect(changes[0]!.at).toBeLessThanOrEqual(SPEECH_FROM_S + 1.5);
    expect(changes[1]!.at).toBeLessThanOrEqual(SPEECH_UNTIL_S + 2.5);
  });

  it.each(['silence', 'noise', 'clicks'] as const)('has %s.wav never heard as speech', (name) => {
    const samples = readWav(files[name]);
    expect(listen(samples)).toEqual([]);
    if (name === 'silence') expect(samples.every((sample) => sample === 0)).toBe(true);
    else expect(samples.some((sample) => sample !== 0)).toBe(true);
  });
});
