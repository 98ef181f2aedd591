// Chrome's offscreen document that plays the optional mute/unmute cue: a service worker has no
// audio. Two short tones, falling for mute and rising for unmute, so the agent hears which
// without looking.
import { parsePlayCue } from '../shared/cue';
import { playCue } from '../shared/tones';

chrome.runtime.onMessage.addListener((message: unknown, _sender, sendResponse: (played: boolean) => void) => {
  const request = parsePlayCue(message);
  if (!request) return undefined;
  playCue(request.cue);
  sendResponse(true);
  return undefined;
});
