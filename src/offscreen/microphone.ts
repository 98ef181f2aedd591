// The microphone side of the speaking-while-muted warning, in Chrome's offscreen document. The
// audio goes from the microphone into the voice-activity detector and nowhere else: nothing is
// recorded, stored or sent. Only "speaking" / "not speaking" leaves this document.
import type { MicAnswer, SpeechReport } from '../shared/microphone';
import { LeadIn } from './lead-in';
import { VoiceActivityDetector } from './voice-activity';

/**
 * The audio track's frames, read as they come (Chrome's MediaStreamTrackProcessor, in windows since
 * Chrome 94): no AudioContext, so no audio rendering thread and no output stream run while listening.
 */
declare class MediaStreamTrackProcessor {
  constructor(init: { track: MediaStreamTrack });
  readonly readable: ReadableStream<AudioData>;
}

/**
 * What the capture asks the browser for. Auto gain control is off because it may turn the
 * system's microphone level up or down, and that level is the one the agent's call uses too; the
 * detector also needs true levels for its "too quiet to be the agent" floor. Noise suppression is
 * off because the detector follows the noise floor itself, and a suppressor that squashes steady
 * sound also bends the levels it measures. Echo cancellation stays on: where the browser's echo
 * canceller hears what is played out (a softphone in this browser), the customer's voice from
 * the agent's speakers is not taken for the agent speaking; it costs about 2 % of one core in
 * the audio service while listening (BENCHMARKS.md, figure 7).
 */
export const CAPTURE_CONSTRAINTS: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: false, autoGainControl: false };

interface Capture {
  stream: MediaStream;
  since: number;
  stop(): void;
}

let capture: Capture | undefined;
let opening: Promise<MicAnswer> | undefined;
let speaking = false;

function answer(failure?: MicAnswer['failure']): MicAnswer {
  const live = capture?.stream.getTracks().filter((track) => track.readyState === 'live').length ?? 0;
  return { listening: capture !== undefined, speaking, liveTracks: live, ...(capture ? { since: capture.since } : {}), ...(failure ? { failure } : {}) };
}

function report(value: boolean): void {
  if (value === speaking) return;
  speaking = value;
  const message: SpeechReport = { type: 'mic-speech', speaking: value };
  chrome.runtime.sendMessage(message).catch(() => undefined);
}

/**
 * Opens the microphone, if the agent allowed it; never asks (this document has nobody to ask).
 * Always answers, and a failure leaves no live track: the background sends `mic-listen` once per
 * listening period and takes a failure as final.
 */
export function listen(): Promise<MicAnswer> {
  if (capture) return Promise.resolve(answer());
  opening ??= open()
    .catch(() => answer('capture-failed'))
    .finally(() => (opening = undefined));
  return opening;
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

async function open(): Promise<MicAnswer> {
  // A getUserMedia without the permission could be stored as a refusal: look first.
  const permission = await navigator.permissions.query({ name: 'microphone' as PermissionName }).catch(() => undefined);
  if (permission?.state !== 'granted') return answer('no-permission');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: CAPTURE_CONSTRAINTS, video: false });
  } catch {
    return answer('no-microphone');
  }
  const [track] = stream.getAudioTracks();
  if (!track) {
    stopTracks(stream);
    return answer('no-microphone');
  }
  let reader: ReadableStreamDefaultReader<AudioData>;
  try {
    reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
  } catch {
    // The frames cannot be read (no MediaStreamTrackProcessor, or it refused the track): the
    // microphone must not stay open for nothing. Stopped here, at once, and said.
    stopTracks(stream);
    return answer('capture-failed');
  }
  const opened: Capture = {
    stream,
    since: performance.timeOrigin + performance.now(),
    stop() {
      void reader.cancel().catch(() => undefined);
      stopTracks(stream);
    },
  };
  capture = opened;
  void detect(reader, opened);
  // A track that ends by itself (microphone unplugged, permission revoked): stop cleanly.
  track.addEventListener('ended', () => capture === opened && void stop());
  return answer();
}

/**
 * Feeds every frame of the first channel to the detector until the track stops; the audio goes
 * nowhere else. However the reading ends — stopped, the track ended, a read or a frame that fails
 * — a capture still open is closed: no live track is left behind a detector that stopped.
 */
async function detect(reader: ReadableStreamDefaultReader<AudioData>, opened: Capture): Promise<void> {
  let detector: VoiceActivityDetector | undefined;
  const leadIn = new LeadIn();
  let samples = new Float32Array(0);
  try {
    for (;;) {
      const { value: data, done } = await reader.read();
      if (done || !data) return;
      try {
        detector ??= new VoiceActivityDetector(data.sampleRate);
        if (samples.length !== data.numberOfFrames) samples = new Float32Array(data.numberOfFrames);
        data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
      } finally {
        data.close();
      }
      const sound = leadIn.trim(samples);
      if (sound) report(detector.push(sound));
    }
  } catch {
    // Closed below, like any other end.
  } finally {
    if (capture === opened) void stop();
  }
}

/** Closes the microphone: no live track afterwards. */
export async function stop(): Promise<MicAnswer> {
  await opening?.catch(() => undefined);
  capture?.stop();
  capture = undefined;
  report(false);
  return answer();
}

export function status(): MicAnswer {
  return answer();
}
