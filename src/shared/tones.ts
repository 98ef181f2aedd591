// The mute/unmute cue itself, for whichever document plays it (Chrome: the offscreen document;
// Firefox: the background page). Two short tones, falling for mute and rising for unmute.
import type { Cue } from '../platform/types';

let context: AudioContext | undefined;

export function playCue(cue: Cue): void {
  context ??= new AudioContext();
  const audio = context;
  const start = audio.currentTime;
  const [first, second] = cue === 'muted' ? [660, 440] : [440, 660];
  [first, second].forEach((frequency, index) => {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    const at = start + index * 0.09;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.15, at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.08);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.09);
  });
}
