import { describe, expect, it } from 'vitest';
import { LeadIn } from './lead-in';
import { VoiceActivityDetector } from './voice-activity';
import { mixAt, pinkNoise, silence } from '../../test/audio/signals';

describe('the capture\'s lead-in of digital silence', () => {
  it('is dropped up to the first sound, and nothing after it', () => {
    const leadIn = new LeadIn();
    expect(leadIn.trim(new Float32Array(128))).toBeUndefined();
    const frame = new Float32Array([0, 0, 0.1, 0, -0.2]);
    expect([...leadIn.trim(frame)!]).toEqual([...frame.subarray(2)]);
    const later = new Float32Array([0, 0, 0.3]);
    expect(leadIn.trim(later)).toBe(later);
  });

  it('keeps the detector from taking the room\'s noise for a voice when the capture opens', () => {
    // As Chromium's fake microphone delivered it: 883 zeros, then pink noise at −50 dBFS.
    const rate = 48_000;
    const signal = mixAt(silence(rate, 10), pinkNoise(rate, 10, -50, 71), rate, 883 / rate);
    const feed = (trim: boolean): boolean => {
      const detector = new VoiceActivityDetector(rate);
      const leadIn = new LeadIn();
      let ever = false;
      for (let start = 0; start < signal.length; start += 2048) {
        const frame = signal.subarray(start, start + 2048);
        const sound = trim ? leadIn.trim(frame) : frame;
        if (sound && detector.push(sound)) ever = true;
      }
      return ever;
    };
    expect(feed(false)).toBe(true); // what happened before the lead-in was dropped
    expect(feed(true)).toBe(false);
  });
});
