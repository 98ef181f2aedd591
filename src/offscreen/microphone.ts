// The microphone side of the speaking-while-muted warning, in Chrome's offscreen document. The
// audio goes from the microphone into the voice-activity detector and nowhere else: nothing is
// recorded, stored or sent. Only "speaking" / "not speaking" leaves this document.
import type { MicAnswer, SpeechReport } from '../shared/microphone';
import { LeadIn } from './lead-in';
import { VoiceActivityDetector } from './voice-activity';

/**
 * Samples per callback: 2048 at 48 kHz is 43 ms, so about 23 small calls a second; a little
 * latency, far below the detector's own 300 ms onset.
 */
const BUFFER_SIZE = 2048;

/**
 * What the capture asks the browser for. Auto gain control is off because it may turn the
 * system's microphone level up or down, and that level is the one the agent's call uses too; the
 * detector also needs true levels for its "too quiet to be the agent" floor. Noise suppression is
 * off because the detector follows the noise floor itself, and a suppressor that squashes steady
 * sound also bends the levels it measures. Echo cancellation stays on: with it, the customer's
 * voice coming out of the agent's speakers is not taken for the agent speaking.
 */
export const CAPTURE_CONSTRAINTS: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: false, autoGainControl: false };

interface Capture {
  stream: MediaStream;
  context: AudioContext;
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

/** Opens the microphone, if the agent allowed it; never asks (this document has nobody to ask). */
export function listen(): Promise<MicAnswer> {
  if (capture) return Promise.resolve(answer());
  opening ??= open().finally(() => (opening = undefined));
  return opening;
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
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const detector = new VoiceActivityDetector(context.sampleRate);
  const leadIn = new LeadIn();
  // A ScriptProcessorNode rather than an AudioWorklet: the detector runs on this document's thread
  // about 23 times a second, and the document needs no second bundle for a worklet.
  const processor = context.createScriptProcessor(BUFFER_SIZE, 1, 1);
  processor.onaudioprocess = (event) => {
    const sound = leadIn.trim(event.inputBuffer.getChannelData(0));
    if (sound) report(detector.push(sound));
  };
  source.connect(processor);
  // Chrome runs a processor only when it leads somewhere; it writes nothing, so this plays silence.
  processor.connect(context.destination);
  await context.resume().catch(() => undefined);
  const opened: Capture = {
    stream,
    context,
    since: performance.timeOrigin + performance.now(),
    stop() {
      processor.onaudioprocess = null;
      source.disconnect();
      processor.disconnect();
      for (const track of stream.getTracks()) track.stop();
      void context.close().catch(() => undefined);
    },
  };
  // A track that ends by itself (microphone unplugged, permission revoked): stop cleanly.
  for (const track of stream.getTracks()) track.addEventListener('ended', () => capture === opened && stop());
  capture = opened;
  return answer();
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
