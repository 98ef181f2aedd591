// Chrome and Edge (Chromium, Manifest V3 service worker).
import type { BackgroundPlatform, Cue, Microphone, MicrophonePermission, PagesPlatform } from './types';
import type { PlayCue } from '../shared/cue';
import { identity, toolbar } from './common';
import { parseMicAnswer, parseSpeechReport, type MicAnswer, type MicCommand } from '../shared/microphone';

const OFFSCREEN_PATH = 'src/offscreen/index.html';
/**
 * Chrome allows one offscreen document per extension and fixes its reasons when it is created, so
 * the cue and the microphone share one: made for the cue alone (AUDIO_PLAYBACK) or, while the
 * microphone is wanted, for both (USER_MEDIA too; the warning's own cue plays from it). The URL
 * says which, so a restarted worker can tell.
 */
const MICROPHONE_QUERY = '?microphone';

/** The open offscreen document's URL, if there is one. */
async function offscreenUrl(): Promise<string | undefined> {
  const open = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] });
  return open[0]?.documentUrl;
}

async function offscreenOpen(): Promise<boolean> {
  return (await offscreenUrl()) !== undefined;
}

/** Creating and closing the document one at a time (two creations at once: the second throws). */
let documentQueue: Promise<unknown> = Promise.resolve();
function serially<T>(step: () => Promise<T>): Promise<T> {
  const next = documentQueue.then(step, step);
  documentQueue = next.catch(() => undefined);
  return next;
}

/** What the document is kept for: a cue may play (the mute sound is on), the microphone is listened to. */
const wanted = { audio: false, microphone: false };
/** The listener of the microphone that runs now, for the document's speech reports. */
let speechListener: ((speaking: boolean) => void) | undefined;
let reportsHeard = false;

/** The document, made for what is wanted now: for the microphone, one made for it. */
function ensureDocument(): Promise<void> {
  return serially(async () => {
    const url = await offscreenUrl();
    if (url !== undefined && (!wanted.microphone || url.endsWith(MICROPHONE_QUERY))) return;
    if (url !== undefined) await chrome.offscreen.closeDocument();
    await chrome.offscreen.createDocument(
      wanted.microphone
        ? {
            url: OFFSCREEN_PATH + MICROPHONE_QUERY,
            reasons: [chrome.offscreen.Reason.USER_MEDIA, chrome.offscreen.Reason.AUDIO_PLAYBACK],
            justification: 'Warns an agent who speaks while muted (opt-in; nothing is recorded or sent).',
          }
        : {
            url: OFFSCREEN_PATH,
            reasons: [chrome.offscreen.Reason.AUDIO_PLAYBACK],
            justification: 'A short sound when the microphone is muted or unmuted, if the agent turned it on.',
          },
    );
  });
}

/** Closes the document once nothing wants it. */
function closeIfUnwanted(): Promise<void> {
  return serially(async () => {
    if (!wanted.audio && !wanted.microphone && (await offscreenOpen())) await chrome.offscreen.closeDocument();
  });
}

/** Sends to the document; a just-created one may not listen yet, so it tries again briefly. */
async function toDocument(message: unknown, accept: (answer: unknown) => boolean, attempts = 20): Promise<unknown> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const answer: unknown = await chrome.runtime.sendMessage(message).catch(() => undefined);
    if (accept(answer)) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

/**
 * A command to the document's microphone; `mic-stop` only to a document that is there. `mic-listen`
 * is sent once: a just-created document may not listen yet, so it is asked for its status
 * (harmless to repeat) until it answers, and what `mic-listen` then answers, a failure or nothing,
 * stands for the listening period — a capture that fails is not tried again and again.
 */
async function micCommand(type: MicCommand['type'], attempts = type === 'mic-listen' ? 1 : 3): Promise<MicAnswer | undefined> {
  if (type === 'mic-stop' && !(await offscreenOpen())) return undefined;
  if (type === 'mic-listen' && !(await micCommand('mic-status', 20))) return undefined;
  return parseMicAnswer(await toDocument({ type } satisfies MicCommand, (answer) => parseMicAnswer(answer) !== undefined, attempts));
}

const microphone: Microphone = {
  // Answers granted / prompt / denied without ever prompting, in the worker as on any page.
  async permission(): Promise<MicrophonePermission> {
    const status = await navigator.permissions.query({ name: 'microphone' as PermissionName });
    return status.state;
  },

  onPermissionChange(listener) {
    void navigator.permissions
      .query({ name: 'microphone' as PermissionName })
      .then((status) => status.addEventListener('change', listener))
      .catch(() => undefined);
  },

  async listen(signal, speaking) {
    if (!reportsHeard) {
      reportsHeard = true;
      // Only the offscreen document reports; any other sender is ignored.
      chrome.runtime.onMessage.addListener((message: unknown, sender) => {
        const report = parseSpeechReport(message);
        if (report && sender.id === chrome.runtime.id && sender.url?.startsWith(chrome.runtime.getURL(OFFSCREEN_PATH))) speechListener?.(report.speaking);
        return false;
      });
    }
    const report = (value: boolean): void => {
      if (!signal.aborted) speaking(value);
    };
    speechListener = report;
    wanted.microphone = true;
    signal.addEventListener('abort', () => {
      if (speechListener === report) speechListener = undefined;
      wanted.microphone = false;
      // Stopped in the document first (no live track even while the cue keeps the document), then closed.
      void serially(() => micCommand('mic-stop')).then(closeIfUnwanted, closeIfUnwanted);
    });
    await ensureDocument();
    if (signal.aborted) return undefined;
    const answer = await serially(() => micCommand('mic-listen'));
    if (!answer?.listening || signal.aborted) return undefined;
    report(answer.speaking);
    return answer.since;
  },

  // One step in the document queue, judged inside it: a background that starts while the
  // connection is not live yet releases, and may begin listening a moment later (its document
  // must not be closed under it).
  async release() {
    await serially(async () => {
      if (wanted.microphone || !(await offscreenUrl())?.endsWith(MICROPHONE_QUERY)) return;
      await micCommand('mic-stop');
      if (!wanted.microphone && !wanted.audio) await chrome.offscreen.closeDocument();
    });
  },
};

export const background: BackgroundPlatform = {
  browser: 'chrome',
  identity,
  toolbar,

  // A service worker has no audio: one offscreen document plays the cues.
  async playCue(cue: Cue) {
    // The mute sound's feature lets go with releaseAudio; the warning's cue comes from a document
    // the microphone keeps open anyway.
    if (cue !== 'speaking') wanted.audio = true;
    await ensureDocument();
    const message: PlayCue = { type: 'play-cue', cue };
    // A just-created document may not listen yet: try again briefly rather than lose the sound.
    return (await toDocument(message, (played) => played === true)) === true;
  },

  async releaseAudio() {
    wanted.audio = false;
    await closeIfUnwanted();
  },

  microphone,

  async popupOpen() {
    const popups = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.POPUP] });
    return popups.length > 0;
  },

  // The socket's pings every 20 s keep the service worker alive (Chrome 116+).
  keepAlive() {},

  async restrictLocalStorage() {
    await chrome.storage.local.setAccessLevel({ accessLevel: chrome.storage.AccessLevel.TRUSTED_CONTEXTS });
  },
};

/** Edge has its own page for extension shortcuts. */
export function shortcutsPageUrl(userAgent: string = navigator.userAgent): string {
  return userAgent.includes('Edg/') ? 'edge://extensions/shortcuts' : 'chrome://extensions/shortcuts';
}

/** The browser's settings page for this extension's site permissions (the microphone among them). */
export function microphoneSettingsUrl(userAgent: string = navigator.userAgent, origin: string = location.origin): string {
  return `${userAgent.includes('Edg/') ? 'edge' : 'chrome'}://settings/content/siteDetails?site=${encodeURIComponent(origin)}`;
}

export const pages: PagesPlatform = {
  globalShortcuts: true,
  speakingWarning: true,
  async openMicrophoneSettings() {
    await chrome.tabs.create({ url: microphoneSettingsUrl() });
  },
  redirectUri: identity.redirectUri,
  shortcutsPageName: () => shortcutsPageUrl(),
  async openShortcutsPage() {
    await chrome.tabs.create({ url: shortcutsPageUrl() });
  },
};
