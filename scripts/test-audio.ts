// Microphone input for the end-to-end tests of the muted-while-speaking warning, played by Chromium
// with --use-file-for-fake-audio-capture=<file>%noloop. Synthesised with the unit tests' signal
// generators rather than recorded or spoken by espeak-ng: nothing to install, the same bytes on
// every machine, and the unit tests prove the detector hears these very signals as they mean.
//
//   npx tsx scripts/test-audio.ts <outdir>
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { clicks, mixAt, pinkNoise, silence, speech } from '../test/audio/signals.ts';

export const TEST_AUDIO_SAMPLE_RATE = 48_000;
/** Every file is this long, s: room for the warning to come and go after the speech. */
export const TEST_AUDIO_SECONDS = 12;
/** speech.wav talks from SPEECH_FROM_S to SPEECH_UNTIL_S and is quiet around it. */
export const SPEECH_FROM_S = 1;
export const SPEECH_UNTIL_S = 5;

export interface TestAudio {
  speech: string;
  silence: string;
  noise: string;
  clicks: string;
}

/** A mono 16-bit PCM WAV file of the samples (−1…1, clipped). */
export function encodeWav(samples: Float32Array, sampleRate: number): Buffer {
  const dataBytes = samples.length * 2;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // bytes per sample frame
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) {
    const sample = Math.max(-1, Math.min(1, samples[i]!));
    wav.writeInt16LE(Math.round(sample * 32767), 44 + i * 2);
  }
  return wav;
}

/** The four test signals, each TEST_AUDIO_SECONDS long at TEST_AUDIO_SAMPLE_RATE. */
export function testSignals(): Record<keyof TestAudio, Float32Array> {
  const rate = TEST_AUDIO_SAMPLE_RATE;
  const seconds = TEST_AUDIO_SECONDS;
  // A real microphone always hisses a little; −70 dBFS is below anything the detector counts.
  const room = (seed: number): Float32Array => pinkNoise(rate, seconds, -70, seed);
  return {
    speech: mixAt(room(101), speech(rate, SPEECH_UNTIL_S - SPEECH_FROM_S, { seed: 102 }), rate, SPEECH_FROM_S),
    silence: silence(rate, seconds),
    // A fan or air conditioning: steady, and well above the hiss.
    noise: pinkNoise(rate, seconds, -50, 103),
    // Key taps, clicks and knocks of 10–50 ms every second, loud.
    clicks: mixAt(room(104), clicks(rate, seconds, { seed: 105 }), rate),
  };
}

/** Writes speech.wav, silence.wav, noise.wav and clicks.wav into `dir`; returns their absolute paths. */
export async function writeTestAudio(dir: string): Promise<TestAudio> {
  const absolute = resolve(dir);
  await mkdir(absolute, { recursive: true });
  const signals = testSignals();
  const paths = {} as TestAudio;
  for (const name of Object.keys(signals) as (keyof TestAudio)[]) {
    paths[name] = join(absolute, `${name}.wav`);
    await writeFile(paths[name], encodeWav(signals[name], TEST_AUDIO_SAMPLE_RATE));
  }
  return paths;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('Usage: npx tsx scripts/test-audio.ts <outdir>');
    process.exit(2);
  }
  // No top-level await: importers compiled to CommonJS could not load this module.
  void writeTestAudio(dir).then((paths) => {
    for (const [name, path] of Object.entries(paths)) console.log(`${name}\t${path}`);
  });
}
