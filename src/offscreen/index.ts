// The offscreen document that plays the optional mute/unmute sound: a service worker has no audio.
// Two short tones, falling for mute and rising for unmute, so the agent hears which without looking.
import { parseFeedback } from '../shared/feedback';

let context: AudioContext | undefined;

function play(muted: boolean): void {
  context ??= new AudioContext();
  const start = context.currentTime;
  const [first, second] = muted ? [660, 440] : [440, 660];
  [first, second].forEach((frequency, index) => {
    const oscillator = context!.createOscillator();
    const gain = context!.createGain();
    oscillator.frequency.value = frequency;
    const at = start + index * 0.09;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.15, at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.08);
    oscillator.connect(gain).connect(context!.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.09);
  });
}

chrome.runtime.onMessage.addListener((message: unknown, _sender, sendResponse: (played: boolean) => void) => {
  const feedback = parseFeedback(message);
  if (!feedback) return undefined;
  play(feedback.muted);
  sendResponse(true);
  return undefined;
});
