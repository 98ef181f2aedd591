// The messages between the background and the document that listens to the microphone (Chrome's
// offscreen document). No audio ever crosses: the document answers with "speaking" or not.

/** Background → document. `listen` opens the microphone (if allowed), `stop` closes it. */
export interface MicCommand {
  type: 'mic-listen' | 'mic-stop' | 'mic-status';
}

/** The document's answer to a command. */
export interface MicAnswer {
  /** True while the microphone is open. */
  listening: boolean;
  /** What the detector says now. */
  speaking: boolean;
  /** Live audio tracks the document holds (0 when closed). */
  liveTracks: number;
  /** When listening began (epoch ms), while listening. */
  since?: number;
  /**
   * Why it is not listening after `mic-listen`: not allowed, no microphone, or its frames could not
   * be read (the capture was stopped at once).
   */
  failure?: 'no-permission' | 'no-microphone' | 'capture-failed';
}

/** Document → background, on every change of what the detector says. */
export interface SpeechReport {
  type: 'mic-speech';
  speaking: boolean;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function parseSpeechReport(value: unknown): SpeechReport | undefined {
  const message = record(value);
  return message?.['type'] === 'mic-speech' && typeof message['speaking'] === 'boolean' ? { type: 'mic-speech', speaking: message['speaking'] } : undefined;
}

export function parseMicAnswer(value: unknown): MicAnswer | undefined {
  const answer = record(value);
  if (!answer || typeof answer['listening'] !== 'boolean' || typeof answer['speaking'] !== 'boolean' || typeof answer['liveTracks'] !== 'number') return undefined;
  const result: MicAnswer = { listening: answer['listening'], speaking: answer['speaking'], liveTracks: answer['liveTracks'] };
  if (typeof answer['since'] === 'number') result.since = answer['since'];
  if (answer['failure'] === 'no-permission' || answer['failure'] === 'no-microphone' || answer['failure'] === 'capture-failed') result.failure = answer['failure'];
  return result;
}
