// Chrome's offscreen document: a service worker has no audio and no microphone. It plays the
// optional mute/unmute cue (two short tones, falling for mute and rising for unmute, so the agent
// hears which without looking) and, while the speaking-while-muted warning listens, holds the
// microphone and tells the background only whether the agent is speaking (microphone.ts).
import { parsePlayCue } from '../shared/cue';
import type { MicAnswer, MicCommand } from '../shared/microphone';
import { playCue } from '../shared/tones';
import { listen, status, stop } from './microphone';
import { backgroundUrl, fromBackground } from './sender';

/**
 * The one sender this document obeys (sender.ts): the background's service worker, as the manifest
 * names it. An offscreen document has runtime messaging and getURL but no getManifest, so the
 * manifest is read as the file it is; until it has been, nobody is obeyed (the background tries a
 * just-created document again briefly), and if it cannot be read, nobody ever is.
 */
let background: string | undefined;
const extensionUrl = (path: string): string => chrome.runtime.getURL(path);
void fetch(extensionUrl('manifest.json'))
  .then((response) => response.json() as Promise<chrome.runtime.Manifest>)
  .then((manifest) => (background = backgroundUrl(manifest, extensionUrl)))
  .catch(() => undefined);

// Here rather than beside the other readers in shared/microphone.ts: the background never reads
// a command, and one shared module would become one more chunk for the background to load.
function parseMicCommand(value: unknown): MicCommand | undefined {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  return type === 'mic-listen' || type === 'mic-stop' || type === 'mic-status' ? { type } : undefined;
}

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse: (answer: boolean | MicAnswer) => void) => {
  // Only the extension's own background: not its pages, and not the content script, which runs on
  // every agent desktop host and could otherwise open the microphone or read "speaking" (sender.ts).
  if (!fromBackground(sender, chrome.runtime.id, background)) return undefined;
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
