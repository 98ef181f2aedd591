// Validation of the PATCH participant body (MediaParticipantRequest). Genesys deserialises it
// strictly: an unknown key or a wrong type is a 400. The field tables are typed against the SDK's
// models, so a renamed or added field fails the type check; a test compares them with the Swagger.
import type { Models } from 'purecloud-platform-client-v2';
import { isRecord } from './http.ts';

type Kind = 'string' | 'boolean' | 'integer' | 'string[]' | 'wrapup' | 'state';

export const PARTICIPANT_REQUEST_FIELDS: Readonly<Record<keyof Models.MediaParticipantRequest, Kind>> = {
  wrapup: 'wrapup',
  state: 'state',
  recording: 'boolean',
  muted: 'boolean',
  confined: 'boolean',
  held: 'boolean',
  wrapupSkipped: 'boolean',
  resumeTime: 'string',
};

export const WRAPUP_INPUT_FIELDS: Readonly<Record<keyof Models.WrapupInput, Kind>> = {
  code: 'string',
  name: 'string',
  notes: 'string',
  tags: 'string[]',
  durationSeconds: 'integer',
  endTime: 'string',
  provisional: 'boolean',
  disableEndTimeUpdates: 'boolean',
};

/** The Swagger enum lists more, but its description says only these two may be set. */
const SETTABLE_STATES: readonly string[] = ['connected', 'disconnected'];

export type ParticipantRequest = Models.MediaParticipantRequest & { state?: 'connected' | 'disconnected' };

export function parseParticipantRequest(value: unknown): { ok: true; request: ParticipantRequest } | { ok: false; message: string } {
  const problem = check(value, PARTICIPANT_REQUEST_FIELDS, 'body');
  return problem === undefined ? { ok: true, request: value as ParticipantRequest } : { ok: false, message: problem };
}

function check(value: unknown, fields: Readonly<Record<string, Kind>>, where: string): string | undefined {
  if (!isRecord(value)) return `${where} must be a JSON object.`;
  for (const [key, field] of Object.entries(value)) {
    const kind = fields[key];
    if (kind === undefined) return `Unrecognized field "${key}" in ${where}.`;
    const problem = checkField(field, kind, `${where}.${key}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function checkField(value: unknown, kind: Kind, where: string): string | undefined {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? undefined : `${where} must be a string.`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${where} must be a boolean.`;
    case 'integer':
      return Number.isInteger(value) ? undefined : `${where} must be an integer.`;
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? undefined : `${where} must be a list of strings.`;
    case 'state':
      return typeof value === 'string' && SETTABLE_STATES.includes(value)
        ? undefined
        : `${where} must be one of: ${SETTABLE_STATES.join(', ')}.`;
    case 'wrapup':
      return check(value, WRAPUP_INPUT_FIELDS, where);
  }
}
