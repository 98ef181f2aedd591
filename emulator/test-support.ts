// Helpers for the emulator's own tests: PKCE, signing in, sockets that queue frames, and ajv
// validators built from the Genesys definitions in ./definitions (derived from Genesys's
// MIT-licensed SDKs; see the README there for provenance and how to refresh them).
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import { WebSocket } from 'ws';
import type { Models } from 'purecloud-platform-client-v2';
import { DEFAULT_CLIENT, type Emulator, type NotificationEnvelope } from './server.ts';

export const DEFINITIONS_DIR = fileURLToPath(new URL('./definitions/', import.meta.url));
export const REDIRECT_URI = DEFAULT_CLIENT.redirectUris[0] ?? '';

// ---- PKCE and sign-in ------------------------------------------------------------------------

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url'); // 64 chars of [A-Za-z0-9_-]
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(emulator: Emulator, challenge: string, extra: Record<string, string> = {}): string {
  const url = new URL('/oauth/authorize', emulator.origin);
  const params = {
    client_id: DEFAULT_CLIENT.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'st-123',
    ...extra,
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

export function exchange(emulator: Emulator, fields: Record<string, string>): Promise<Response> {
  return fetch(`${emulator.origin}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: DEFAULT_CLIENT.clientId, redirect_uri: REDIRECT_URI, ...fields }),
  });
}

/** The code from an authorize redirect; throws when the answer is not one. */
export function codeFrom(response: Response): string {
  const location = response.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (!code) throw new Error(`No code in ${response.status} ${location ?? ''}`);
  return code;
}

/** A token through the real PKCE flow (the emulator must auto-approve). */
export async function signIn(emulator: Emulator): Promise<string> {
  const { verifier, challenge } = pkce();
  const code = codeFrom(await fetch(authorizeUrl(emulator, challenge), { redirect: 'manual' }));
  const body = (await (await exchange(emulator, { code, code_verifier: verifier })).json()) as { access_token: string };
  return body.access_token;
}

export function api(emulator: Emulator, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${emulator.origin}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

// ---- notification sockets --------------------------------------------------------------------

/** A client socket that keeps every frame so tests can wait for the one they expect. */
export class TestSocket {
  readonly frames: NotificationEnvelope[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private listeners = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      try {
        this.frames.push(JSON.parse(data.toString()) as NotificationEnvelope);
      } catch {
        return; // raw garbage sent on purpose (sendRaw)
      }
      for (const listener of [...this.listeners]) listener();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static open(url: string): Promise<TestSocket> {
    const ws = new WebSocket(url);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestSocket(ws)));
      ws.once('error', reject);
    });
  }

  /** The first frame (already received or still to come) that matches. */
  next(match: (frame: NotificationEnvelope) => boolean, timeoutMs = 2000): Promise<NotificationEnvelope> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const frame = this.frames.find(match);
        if (!frame) return false;
        this.frames.splice(this.frames.indexOf(frame), 1);
        this.listeners.delete(listener);
        clearTimeout(timer);
        resolve(frame);
        return true;
      };
      const listener = (): void => void check();
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error('No matching frame in time'));
      }, timeoutMs);
      this.listeners.add(listener);
      check();
    });
  }

  close(): void {
    this.ws.close();
  }
}

export const isTopic = (topicName: string) => (frame: NotificationEnvelope) => frame.topicName === topicName;

/** A channel subscribed to the agent's calls topic, with its socket open. */
export async function subscribedSocket(emulator: Emulator, token: string, userId: string): Promise<{ channel: Models.Channel; socket: TestSocket }> {
  const channel = (await (await api(emulator, token, 'POST', '/api/v2/notifications/channels')).json()) as Models.Channel;
  await api(emulator, token, 'PUT', `/api/v2/notifications/channels/${channel.id ?? ''}/subscriptions`, [{ id: callsTopic(userId) }]);
  return { channel, socket: await TestSocket.open(channel.connectUri ?? '') };
}

export const callsTopic = (userId: string): string => `v2.users.${userId}.conversations.calls`;

// ---- schema validation -----------------------------------------------------------------------

/** Stub formats: the shapes are what we check; the date-time pattern keeps timestamps honest. */
const FORMATS = {
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
  date: /^\d{4}-\d\d-\d\d$/,
};

function readJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${DEFINITIONS_DIR}${name}`, 'utf8')) as Record<string, unknown>;
}

export const swagger = readJson('genesys-subset.current.sdk-derived.swagger.json') as {
  definitions: Record<string, { properties?: Record<string, unknown> }>;
};

const ajv = new Ajv({ strict: false, allErrors: true, formats: FORMATS });
ajv.addSchema({ $id: 'genesys-swagger', definitions: swagger.definitions });
const topicSchema = readJson('topic.v2.users.ID.conversations.calls.sdk-derived.schema.json');
const validateTopic = ajv.compile(topicSchema);

/** Validator for one Swagger definition, e.g. 'UserMe'. */
export function definition(name: string): ValidateFunction {
  const validate = ajv.getSchema(`genesys-swagger#/definitions/${name}`);
  if (!validate) throw new Error(`No definition ${name}`);
  return validate;
}

/** Asserts a value against a validator, with ajv's errors in the message. */
export function conforms(validate: ValidateFunction, value: unknown): void {
  if (!validate(value)) throw new Error(`Does not conform: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value, null, 2)}`);
}

export function conformsToCallsTopic(frame: unknown): void {
  conforms(validateTopic, frame);
}
