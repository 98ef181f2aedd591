// The mute/unmute cue itself, for whichever document plays it (Chrome: the offscreen document;
// Firefox: the background page). Two short tones, falling for mute and rising for unmute; for the
// speaking-while-muted warning, three quick high beeps of one pitch, unlike either.
import type { Cue } from '../platform/types';

let context: AudioContext | undefined;

export function playCue(cue: Cue): void {
  context ??= new AudioContext();
  const audio = context;
  const start = audio.currentTime;
  const tones = cue === 'speaking' ? [880, 880, 880] : cue === 'muted' ? [660, 440] : [440, 660];
  tones.forEach((frequency, index) => {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    const at = start + index * (cue === 'speaking' ? 0.12 : 0.09);
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.15, at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.08);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.09);
  });
}
