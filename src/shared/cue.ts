// The one message the background sends to the document that plays the mute/unmute cue.
import type { Cue } from '../platform/types';

export interface PlayCue {
  type: 'play-cue';
  cue: Cue;
}

export function parsePlayCue(value: unknown): PlayCue | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const cue = record['cue'];
  return record['type'] === 'play-cue' && (cue === 'muted' || cue === 'unmuted' || cue === 'speaking') ? { type: 'play-cue', cue } : undefined;
}
