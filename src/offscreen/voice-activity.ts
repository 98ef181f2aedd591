// Tells when the agent is talking into the microphone, so a muted agent can be warned. Energy only:
// cheap enough to run on every audio frame all shift, and it needs no model. Speech is told from
// background noise by how far it rises above a tracked noise floor, and from clicks and knocks by
// how long it lasts.
//
// Audio is measured in fixed blocks of `blockMs` whatever the frame length, and every duration is
// in ms, so the detector behaves the same at 16, 44.1 or 48 kHz and with any frame size.

export interface VadOptions {
  /** Length of one measurement block, ms. Short enough to see the gaps between syllables. */
  blockMs: number;
  /** A block quieter than this (dBFS, RMS) is never speech, however quiet the room. */
  minLevelDb: number;
  /** How far above the noise floor (dB) a block must be to count as speech-like. */
  marginDb: number;
  /** The noise floor is the quietest moment of the last `floorWindowMs`, ms... */
  floorWindowMs: number;
  /** ...with the level smoothed over `floorSmoothingMs` (ms) first, so one odd block cannot drag it. */
  floorSmoothingMs: number;
  /** Speaking starts once `onsetMs` of the last `windowMs` were speech-like (both ms). */
  windowMs: number;
  onsetMs: number;
  /** Speaking goes on while the window holds at least `holdMs` of speech-like blocks, ms... */
  holdMs: number;
  /** ...and ends `hangoverMs` (ms) after it stopped holding that much. */
  hangoverMs: number;
}

export const DEFAULT_VAD_OPTIONS: Readonly<VadOptions> = {
  // 10 ms: the usual speech analysis frame; a 4 Hz syllable rhythm spans 25 blocks.
  blockMs: 10,
  // Speech into a headset or laptop microphone is about −40 to −20 dBFS; a far-off colleague or the
  // hiss of a good microphone in a quiet room is below −55.
  minLevelDb: -55,
  // Steady noise measured in 10 ms blocks stays within 2 dB of its floor, so 8 dB leaves room for
  // rougher real noise while still finding speech only 12 dB louder than the noise within a second.
  marginDb: 8,
  // Longer than a spoken phrase, so talking does not lift the floor; short enough that a fan
  // switched on is learnt in about two seconds.
  floorWindowMs: 2_000,
  floorSmoothingMs: 100,
  // Half of 600 ms: two or three syllables with their gaps, longer than a click, knock or tap.
  windowMs: 600,
  onsetMs: 300,
  // A word or two keeps the warning up through the pauses of a sentence; a click a second does not.
  holdMs: 150,
  hangoverMs: 1_500,
};

/** Root mean square of the samples, 0 for an empty frame. */
export function frameRms(frame: Float32Array): number {
  if (frame.length === 0) return 0;
  let sumOfSquares = 0;
  for (let i = 0; i < frame.length; i++) {
    const sample = frame[i]!;
    sumOfSquares += sample * sample;
  }
  return Math.sqrt(sumOfSquares / frame.length);
}

/** dBFS of a mean square; digital silence comes out at −120 rather than −Infinity. */
function powerDb(meanSquare: number): number {
  return 10 * Math.log10(meanSquare + 1e-12);
}

// The floor window is kept as the minima of a few sub-windows, so it slides without storing every block.
const FLOOR_SUBWINDOWS = 4;

export class VoiceActivityDetector {
  private readonly options: VadOptions;
  private readonly blockSamples: number;
  private readonly onsetBlocks: number;
  private readonly holdBlocks: number;
  private readonly hangoverBlocks: number;
  private readonly floorSubwindowBlocks: number;
  /** Weight of each new block in the smoothed power the floor follows. */
  private readonly smoothing: number;

  // The block being measured.
  private blockSumOfSquares = 0;
  private blockFill = 0;

  // Noise floor: minima of the smoothed level over the last few sub-windows (minimum statistics).
  /** −1 until the first block. */
  private smoothedPower = -1;
  private readonly floorMinima: Float64Array;
  private floorSlot = 0;
  private subwindowMin = Infinity;
  private subwindowFill = 0;
  private storedMin = Infinity;

  // Which of the last `windowMs` of blocks were speech-like, as a ring.
  private readonly recent: Uint8Array;
  private recentSlot = 0;
  private recentLoud = 0;

  private quietBlocks = 0;
  private isSpeaking = false;

  constructor(sampleRate: number, options: Partial<VadOptions> = {}) {
    if (!(Number.isFinite(sampleRate) && sampleRate > 0)) throw new RangeError(`Invalid sample rate: ${sampleRate}`);
    const o = { ...DEFAULT_VAD_OPTIONS, ...options };
    if (!(o.blockMs > 0) || !(o.windowMs >= o.blockMs) || !(o.onsetMs <= o.windowMs) || !(o.holdMs <= o.windowMs)) {
      throw new RangeError('Invalid VAD options: need 0 < blockMs <= windowMs, onsetMs <= windowMs and holdMs <= windowMs');
    }
    this.options = o;
    this.blockSamples = Math.max(1, Math.round((sampleRate * o.blockMs) / 1000));
    const blocks = (ms: number): number => Math.max(1, Math.round(ms / o.blockMs));
    this.recent = new Uint8Array(blocks(o.windowMs));
    this.onsetBlocks = blocks(o.onsetMs);
    this.holdBlocks = blocks(o.holdMs);
    this.hangoverBlocks = blocks(o.hangoverMs);
    this.floorSubwindowBlocks = Math.max(1, Math.round(o.floorWindowMs / o.blockMs / FLOOR_SUBWINDOWS));
    this.floorMinima = new Float64Array(FLOOR_SUBWINDOWS).fill(Infinity);
    this.smoothing = 1 - Math.exp(-o.blockMs / Math.max(o.floorSmoothingMs, o.blockMs));
  }

  /** True while the agent is speaking. */
  get speaking(): boolean {
    return this.isSpeaking;
  }

  /** The background level (dBFS) speech is measured against; undefined before the first block. */
  get noiseFloorDb(): number | undefined {
    const floorDb = Math.min(this.storedMin, this.subwindowMin);
    return floorDb === Infinity ? undefined : floorDb;
  }

  /** Feeds the next samples (any length, mono, −1…1); returns `speaking` after them. */
  push(frame: Float32Array): boolean {
    // Locals in the per-sample loop: two to three times faster than fields in V8.
    const blockSamples = this.blockSamples;
    let sumOfSquares = this.blockSumOfSquares;
    let fill = this.blockFill;
    for (let i = 0; i < frame.length; i++) {
      const sample = frame[i]!;
      sumOfSquares += sample * sample;
      if (++fill === blockSamples) {
        const meanSquare = sumOfSquares / blockSamples;
        sumOfSquares = 0;
        fill = 0;
        // A NaN from a broken source would otherwise poison the floor for good.
        this.endBlock(meanSquare >= 0 && meanSquare !== Infinity ? meanSquare : 0);
      }
    }
    this.blockSumOfSquares = sumOfSquares;
    this.blockFill = fill;
    return this.isSpeaking;
  }

  /** Forgets everything heard: for a new stream or microphone. */
  reset(): void {
    this.blockSumOfSquares = 0;
    this.blockFill = 0;
    this.smoothedPower = -1;
    this.floorMinima.fill(Infinity);
    this.floorSlot = 0;
    this.subwindowMin = Infinity;
    this.subwindowFill = 0;
    this.storedMin = Infinity;
    this.recent.fill(0);
    this.recentSlot = 0;
    this.recentLoud = 0;
    this.quietBlocks = 0;
    this.isSpeaking = false;
  }

  private endBlock(meanSquare: number): void {
    const levelDb = powerDb(meanSquare);
    // Judged against the floor before this block, which the block itself must not lower first.
    const floorDb = Math.min(this.storedMin, this.subwindowMin);
    const loud = levelDb >= this.options.minLevelDb && levelDb >= floorDb + this.options.marginDb;
    this.followFloor(meanSquare);

    this.recentLoud += (loud ? 1 : 0) - this.recent[this.recentSlot]!;
    this.recent[this.recentSlot] = loud ? 1 : 0;
    this.recentSlot = (this.recentSlot + 1) % this.recent.length;

    if (!this.isSpeaking) {
      if (this.recentLoud >= this.onsetBlocks) {
        this.isSpeaking = true;
        this.quietBlocks = 0;
      }
    } else if (this.recentLoud >= this.holdBlocks) {
      this.quietBlocks = 0;
    } else if (++this.quietBlocks >= this.hangoverBlocks) {
      this.isSpeaking = false;
    }
  }

  /**
   * Minimum statistics: the floor drops at once to a quieter moment and rises only when the
   * quieter moments have aged out of the window, so continuous speech cannot pull it up.
   */
  private followFloor(meanSquare: number): void {
    // The first block starts the average: the stream may open on noise, which must not read as speech.
    this.smoothedPower = this.smoothedPower < 0 ? meanSquare : this.smoothedPower + this.smoothing * (meanSquare - this.smoothedPower);
    this.subwindowMin = Math.min(this.subwindowMin, powerDb(this.smoothedPower));
    if (++this.subwindowFill < this.floorSubwindowBlocks) return;
    this.floorMinima[this.floorSlot] = this.subwindowMin;
    this.floorSlot = (this.floorSlot + 1) % FLOOR_SUBWINDOWS;
    this.subwindowMin = Infinity;
    this.subwindowFill = 0;
    let storedMin = Infinity;
    for (let i = 0; i < FLOOR_SUBWINDOWS; i++) storedMin = Math.min(storedMin, this.floorMinima[i]!);
    this.storedMin = storedMin;
  }
}
