// Synthetic microphone signals for the voice-activity tests and the end-to-end test audio. Seeded,
// so every run hears the same thing. Events (syllables, clicks) are scheduled in seconds before any
// sample is drawn, so the same seed gives the same timing at every sample rate.
//
// The voice has to pass for speech with WebRTC's noise suppression and gain control too (Chromium
// runs them on microphone input), which learn steady sounds as noise and remove them: so it has a
// pitch contour with jitter, vowel formants that glide between syllables, consonant noise, and
// syllables grouped into words and phrases with pauses, rather than a modulated tone.
import { seededRandom } from '../seeded-random.ts';

/** Linear amplitude of a dBFS level. */
export function fromDb(db: number): number {
  return 10 ** (db / 20);
}

/** RMS level of the samples in dBFS (−Infinity for silence). */
export function levelDb(samples: Float32Array): number {
  let sumOfSquares = 0;
  for (let i = 0; i < samples.length; i++) sumOfSquares += samples[i]! * samples[i]!;
  return 10 * Math.log10(sumOfSquares / Math.max(samples.length, 1));
}

function sampleCount(sampleRate: number, seconds: number): number {
  return Math.round(sampleRate * seconds);
}

/** Scales in place so the RMS of the samples is `db` dBFS. */
function scaleTo(samples: Float32Array, db: number): Float32Array {
  const gain = fromDb(db - levelDb(samples));
  for (let i = 0; i < samples.length; i++) samples[i]! *= gain;
  return samples;
}

/** Gaussian-ish noise from the sum of uniforms: cheap, bounded, and flat enough for noise. */
function noiseSource(random: () => number): () => number {
  return () => (random() + random() + random() + random() - 2) * Math.sqrt(3);
}

export function silence(sampleRate: number, seconds: number): Float32Array {
  return new Float32Array(sampleCount(sampleRate, seconds));
}

export function whiteNoise(sampleRate: number, seconds: number, db: number, seed = 1): Float32Array {
  const next = noiseSource(seededRandom(seed));
  const samples = new Float32Array(sampleCount(sampleRate, seconds));
  for (let i = 0; i < samples.length; i++) samples[i] = next();
  return scaleTo(samples, db);
}

/** Pink (1/f) noise, like a fan or room hiss: Paul Kellet's economy filter. */
export function pinkNoise(sampleRate: number, seconds: number, db: number, seed = 1): Float32Array {
  const next = noiseSource(seededRandom(seed));
  const samples = new Float32Array(sampleCount(sampleRate, seconds));
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const white = next();
    b0 = 0.99765 * b0 + white * 0.099046;
    b1 = 0.963 * b1 + white * 0.2965164;
    b2 = 0.57 * b2 + white * 1.0526913;
    samples[i] = b0 + b1 + b2 + white * 0.1848;
  }
  return scaleTo(samples, db);
}

/** A steady mains hum with its harmonics, like a ground loop. */
export function hum(sampleRate: number, seconds: number, db: number, mainsHz = 50): Float32Array {
  const samples = new Float32Array(sampleCount(sampleRate, seconds));
  for (let i = 0; i < samples.length; i++) {
    const phase = (2 * Math.PI * mainsHz * i) / sampleRate;
    samples[i] = Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase);
  }
  return scaleTo(samples, db);
}

export interface ClickOptions {
  /** Shortest and longest burst, ms. */
  minMs: number;
  maxMs: number;
  /** Time from one burst to the next, ms. */
  everyMs: number;
  /** Peak level, dBFS. */
  peakDb: number;
  /** When the first burst comes, ms. */
  firstMs: number;
  seed: number;
}

/**
 * Short bursts: key taps and clicks (decaying noise) alternating with knocks (a damped low
 * resonance), each at most `maxMs` long. Loud, so only their shortness keeps them from being speech.
 */
export function clicks(sampleRate: number, seconds: number, options: Partial<ClickOptions> = {}): Float32Array {
  const { minMs, maxMs, everyMs, peakDb, firstMs, seed } = { minMs: 10, maxMs: 50, everyMs: 1_000, peakDb: -6, firstMs: 500, seed: 1, ...options };
  const random = seededRandom(seed);
  const next = noiseSource(seededRandom(seed + 1));
  const samples = new Float32Array(sampleCount(sampleRate, seconds));
  const peak = fromDb(peakDb);
  for (let n = 0, startMs = firstMs; startMs < seconds * 1000; n++, startMs += everyMs) {
    const lengthMs = minMs + random() * (maxMs - minMs);
    const knock = n % 2 === 1;
    const resonanceHz = 150 + random() * 150;
    const start = sampleCount(sampleRate, startMs / 1000);
    const length = sampleCount(sampleRate, lengthMs / 1000);
    // Decays to about −40 dB by the end of the burst, so the burst really is `lengthMs` long.
    const decayPerSample = Math.exp(Math.log(0.01) / length);
    let envelope = peak;
    for (let i = 0; i < length && start + i < samples.length; i++, envelope *= decayPerSample) {
      const tone = knock ? Math.sin((2 * Math.PI * resonanceHz * i) / sampleRate) : 0;
      // The noise source peaks at ±3.5: a third keeps the burst near its peak level.
      samples[start + i] = envelope * (knock ? 0.8 * tone + (0.2 * next()) / 3 : next() / 3);
    }
  }
  return samples;
}

interface Vowel {
  formantsHz: readonly [number, number, number];
}

// Adult formants (F1, F2, F3) of five vowels.
const VOWELS: readonly Vowel[] = [
  { formantsHz: [730, 1090, 2440] }, // a
  { formantsHz: [530, 1840, 2480] }, // e
  { formantsHz: [270, 2290, 3010] }, // i
  { formantsHz: [570, 840, 2410] }, // o
  { formantsHz: [300, 870, 2240] }, // u
];
const FORMANT_BANDWIDTHS_HZ = [90, 110, 170] as const;
const FORMANT_GAINS = [1, 0.6, 0.3] as const;

interface Syllable {
  startS: number;
  endS: number;
  vowel: Vowel;
  /** Stressed syllables are louder and higher. */
  stress: number;
  /** Consonant noise before the vowel, s (0 for none); plosive or fricative. */
  consonantS: number;
  plosive: boolean;
  /** Pitch at the start and end of the syllable, Hz. */
  startHz: number;
  endHz: number;
}

export interface SpeechOptions {
  /** Active speech level: RMS over the syllables, dBFS. −26 is the nominal telephone talk level. */
  db: number;
  /** Average pitch, Hz (a low adult voice is about 120, a high one 220). */
  pitchHz: number;
  seed: number;
}

/** When each syllable is said: words of one to three syllables, phrases of three to five words. */
function scheduleSyllables(seconds: number, pitchHz: number, random: () => number): Syllable[] {
  const syllables: Syllable[] = [];
  let time = 0;
  while (time < seconds) {
    const words = 3 + Math.floor(random() * 3);
    const phraseStart = time;
    const phraseSyllables: Syllable[] = [];
    for (let w = 0; w < words && time < seconds; w++) {
      const count = 1 + Math.floor(random() * 3);
      const stressed = Math.floor(random() * count);
      for (let s = 0; s < count && time < seconds; s++) {
        const plosive = random() < 0.4;
        const consonantS = random() < 0.6 ? (plosive ? 0.015 : 0.05 + random() * 0.05) : 0;
        const vowelS = 0.12 + random() * 0.12;
        phraseSyllables.push({
          startS: time,
          endS: time + consonantS + vowelS,
          vowel: VOWELS[Math.floor(random() * VOWELS.length)]!,
          stress: s === stressed ? 1 : 0.55 + random() * 0.25,
          consonantS,
          plosive,
          startHz: 0,
          endHz: 0,
        });
        time += consonantS + vowelS + 0.01 + random() * 0.03;
      }
      time += 0.06 + random() * 0.14; // between words
    }
    // Declination: the pitch drifts down over a phrase, stressed syllables jump up.
    const phraseS = Math.max(time - phraseStart, 0.1);
    for (const syllable of phraseSyllables) {
      const along = (syllable.startS - phraseStart) / phraseS;
      const base = pitchHz * (1.15 - 0.3 * along) * (syllable.stress === 1 ? 1.15 : 1);
      const glide = (random() - 0.5) * 0.2;
      syllable.startHz = base * (1 - glide / 2);
      syllable.endHz = base * (1 + glide / 2);
    }
    syllables.push(...phraseSyllables);
    time += 0.25 + random() * 0.25; // between phrases, for a breath
  }
  return syllables;
}

/** Amplitude of the three formant resonances at `hz`, with a little between them. */
function formantGain(hz: number, formantsHz: readonly number[]): number {
  let gain = 0.02;
  for (let f = 0; f < 3; f++) {
    const off = (hz - formantsHz[f]!) / (FORMANT_BANDWIDTHS_HZ[f]! / 2);
    gain += FORMANT_GAINS[f]! / Math.sqrt(1 + off * off);
  }
  return gain;
}

/** Raised-cosine fade from 0 to 1 over `length` from `at`. */
function fade(at: number, length: number): number {
  if (at <= 0) return 0;
  if (at >= length) return 1;
  return 0.5 - 0.5 * Math.cos((Math.PI * at) / length);
}

/**
 * A synthetic talker: a glottal source of harmonics (−6 dB per octave) shaped by vowel formants,
 * with pitch contours, jitter, breath noise and consonants. Starts speaking at 0 and goes on to the
 * end with the pauses of ordinary speech.
 */
export function speech(sampleRate: number, seconds: number, options: Partial<SpeechOptions> = {}): Float32Array {
  const { db, pitchHz, seed } = { db: -26, pitchHz: 140, seed: 1, ...options };
  const random = seededRandom(seed);
  const syllables = scheduleSyllables(seconds, pitchHz, random);
  const next = noiseSource(seededRandom(seed + 1));
  // Its own generator: how many draws jitter takes depends on the sample rate, the schedule's must not.
  const jitterRandom = seededRandom(seed + 2);
  const samples = new Float32Array(sampleCount(sampleRate, seconds));
  const topHz = Math.min(5_000, sampleRate * 0.45);
  const maxHarmonics = Math.ceil(topHz / (pitchHz * 0.6));
  const harmonicGains = new Float64Array(maxHarmonics + 1);
  // Spectral shape and jitter change at a control rate of 1 ms; phase advances per sample.
  const controlSamples = Math.max(1, Math.round(sampleRate / 1000));
  let phase = 0;
  let jitter = 0;
  let previousFormants: readonly number[] = VOWELS[0]!.formantsHz;
  let activeSumOfSquares = 0;
  let activeSamples = 0;

  for (const syllable of syllables) {
    const start = sampleCount(sampleRate, syllable.startS);
    const end = Math.min(sampleCount(sampleRate, syllable.endS), samples.length);
    const consonantEnd = start + sampleCount(sampleRate, syllable.consonantS);
    const vowelLength = Math.max(end - consonantEnd, 1);
    const glideLength = sampleCount(sampleRate, 0.05);
    const attack = sampleCount(sampleRate, 0.03);
    const release = sampleCount(sampleRate, 0.06);
    let harmonics = 0;
    let f0 = syllable.startHz;
    let previousNoise = 0;
    for (let i = start; i < end; i++) {
      let value: number;
      if (i < consonantEnd) {
        // Consonant: high-passed noise (first difference), a short burst for a plosive.
        const noise = next();
        const at = i - start;
        const length = consonantEnd - start;
        value = 0.25 * syllable.stress * (noise - previousNoise) * fade(at, length * 0.3) * (syllable.plosive ? 1 : fade(length - at, length * 0.3));
        previousNoise = noise;
      } else {
        const along = i - consonantEnd;
        if (along % controlSamples === 0) {
          jitter = 0.98 * jitter + 0.02 * (jitterRandom() - 0.5) * 0.6;
          const progress = along / vowelLength;
          f0 = (syllable.startHz + (syllable.endHz - syllable.startHz) * progress) * (1 + jitter * 0.1);
          // The tongue moves from the last vowel to this one over the first 50 ms.
          const glide = fade(along, glideLength);
          const formants = syllable.vowel.formantsHz.map((hz, f) => previousFormants[f]! + (hz - previousFormants[f]!) * glide);
          harmonics = Math.min(maxHarmonics, Math.floor(topHz / f0));
          for (let k = 1; k <= harmonics; k++) harmonicGains[k] = formantGain(k * f0, formants) / k;
        }
        let voiced = 0;
        for (let k = 1; k <= harmonics; k++) voiced += harmonicGains[k]! * Math.sin(k * phase);
        phase += (2 * Math.PI * f0) / sampleRate;
        if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
        const envelope = syllable.stress * fade(along, attack) * fade(end - i, release);
        value = envelope * (voiced + 0.05 * next());
      }
      samples[i] = value;
      activeSumOfSquares += value * value;
      activeSamples++;
    }
    previousFormants = syllable.vowel.formantsHz;
  }

  const gain = activeSamples === 0 ? 0 : fromDb(db) / Math.sqrt(activeSumOfSquares / activeSamples);
  for (let i = 0; i < samples.length; i++) samples[i]! *= gain;
  return samples;
}

/** `signal` placed at `atSeconds` in `into`, added to what is there (in place; returns `into`). */
export function mixAt(into: Float32Array, signal: Float32Array, sampleRate: number, atSeconds = 0): Float32Array {
  const offset = sampleCount(sampleRate, atSeconds);
  for (let i = 0; i < signal.length && offset + i < into.length; i++) into[offset + i]! += signal[i]!;
  return into;
}
