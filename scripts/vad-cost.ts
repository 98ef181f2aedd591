// What the voice-activity detector costs, in Node, per frame and per second of 48 kHz audio: it runs
// for the whole shift while the agent is muted, so it has to be negligible. A measurement to read,
// not a test: timings on shared machines are too noisy to assert on.
//
//   npx tsx scripts/vad-cost.ts
import { VoiceActivityDetector } from '../src/offscreen/voice-activity.ts';
import { mixAt, pinkNoise, speech } from '../test/audio/signals.ts';

const RATE = 48_000;
const SECONDS = 20;
const ROUNDS = 7;

// Talk over a little noise, so both the speech and the quiet paths run.
const audio = mixAt(pinkNoise(RATE, SECONDS, -55, 1), speech(RATE, SECONDS, { seed: 2 }), RATE);

function secondsToProcess(frameSize: number): number {
  const frames: Float32Array[] = [];
  for (let start = 0; start + frameSize <= audio.length; start += frameSize) frames.push(audio.subarray(start, start + frameSize));
  const detector = new VoiceActivityDetector(RATE);
  let speakingFrames = 0;
  const started = process.hrtime.bigint();
  for (const frame of frames) if (detector.push(frame)) speakingFrames++;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  // Used, so the work cannot be optimised away.
  if (speakingFrames === 0) throw new Error('The detector never heard the speech.');
  return elapsed;
}

console.log(`Voice-activity detector, ${SECONDS} s of 48 kHz audio, median of ${ROUNDS} rounds (Node ${process.version})`);
console.log('frame   ns/frame   ns/sample   µs per s of audio   share of one core');
for (const frameSize of [128, 480, 1024, 2048]) {
  secondsToProcess(frameSize); // warm-up: let the JIT compile push()
  const rounds = Array.from({ length: ROUNDS }, () => secondsToProcess(frameSize)).sort((a, b) => a - b);
  const median = rounds[Math.floor(ROUNDS / 2)]!;
  const frames = Math.floor(audio.length / frameSize);
  const perAudioSecond = median / SECONDS;
  console.log(
    [
      String(frameSize).padStart(5),
      ((median / frames) * 1e9).toFixed(0).padStart(10),
      ((median / (frames * frameSize)) * 1e9).toFixed(2).padStart(11),
      (perAudioSecond * 1e6).toFixed(0).padStart(19),
      `${(perAudioSecond * 100).toFixed(3)} %`.padStart(19),
    ].join(' '),
  );
}
