// The one message the background sends to the document that plays the mute/unmute cue.
import type { Cue } from '../platform/types';

export interface PlayCue {
  type: 'play-cue';
  cue: Cue;
}

export function parsePlayCue(value: unknown): PlayCue | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  return record['type'] === 'play-cue' && (record['cue'] === 'muted' || record['cue'] === 'unmuted') ? { type: 'play-cue', cue: record['cue'] } : undefined;
}
