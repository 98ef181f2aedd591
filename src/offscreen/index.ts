// Chrome's offscreen document: a service worker has no audio and no microphone. It plays the
// optional mute/unmute cue (two short tones, falling for mute and rising for unmute, so the agent
// hears which without looking) and, while the speaking-while-muted warning listens, holds the
// microphone and tells the background only whether the agent is speaking (microphone.ts).
import { parsePlayCue } from '../shared/cue';
import type { MicAnswer, MicCommand } from '../shared/microphone';
import { playCue } from '../shared/tones';
import { listen, status, stop } from './microphone';

// Here rather than beside the other readers in shared/microphone.ts: the background never reads
// a command, and one shared module would become one more chunk for the background to load.
function parseMicCommand(value: unknown): MicCommand | undefined {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  return type === 'mic-listen' || type === 'mic-stop' || type === 'mic-status' ? { type } : undefined;
}

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse: (answer: boolean | MicAnswer) => void) => {
  // Only the extension's own background talks to this document.
  if (sender.id !== chrome.runtime.id) return undefined;
  const request = parsePlayCue(message);
  if (request) {
    playCue(request.cue);
    sendResponse(true);
    return undefined;
  }
  const command = parseMicCommand(message);
  if (!command) return undefined;
  if (command.type === 'mic-status') {
    sendResponse(status());
    return undefined;
  }
  void (command.type === 'mic-listen' ? listen() : stop()).then(sendResponse);
  return true; // answered asynchronously
});
