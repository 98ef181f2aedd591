// A small typed client for the few Platform API calls the extension makes. The SDK's own runtime
// client is not used here: from its package root it takes its Node path in a service worker and
// it weighs ~123 kB gzipped against a 15 kB budget (see docs/ARCHITECTURE.md). Its types are used.
import type { Models } from 'purecloud-platform-client-v2';

/** A failed Genesys request, with what the agent or the retry logic needs to know. */
export class GenesysError extends Error {
  constructor(
    /** HTTP status, or 0 when the network failed before any answer. */
    readonly status: number,
    /** Genesys's error code (`not.found`, `too.many.requests`, ...) or `network`. */
    readonly code: string,
    message: string,
    /** Seconds to wait before retrying, from `Retry-After` on 429 and 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'GenesysError';
  }
}

/** The error body Genesys sends with every 4xx and 5xx. */
interface ErrorBody {
  message?: unknown;
  code?: unknown;
}

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Keeps one token under Genesys's limit of 300 requests a minute (a 429 costs the agent seconds):
 * past `limit` requests in the last minute, the next waits until the oldest leaves the window.
 */
export class RequestBudget {
  private readonly times: number[] = [];

  constructor(
    private readonly limit = 250,
    private readonly windowMs = 60_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Milliseconds to wait before the next request may go; 0 when it may go now (and counts it). */
  take(): number {
    const now = this.now();
    while (this.times.length > 0 && this.times[0]! <= now - this.windowMs) this.times.shift();
    if (this.times.length >= this.limit) return this.times[0]! + this.windowMs - now;
    this.times.push(now);
    return 0;
  }
}

/** A request Genesys has not answered in this long is treated as a network failure. */
const REQUEST_TIMEOUT_MS = 8_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Channel ids are not UUIDs (`streaming-…`), but never hold a dot or a slash either. */
const CHANNEL_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * An id from a Genesys payload, checked before it becomes part of a path: ids are untrusted input,
 * and `..` or `/` in one would point the request somewhere else on the API host.
 */
function pathId(value: string, shape: 'uuid' | 'channel'): string {
  if ((shape === 'uuid' ? UUID : CHANNEL_ID).test(value)) return value;
  throw new GenesysError(400, 'bad.id', `Not a Genesys ${shape === 'uuid' ? 'id' : 'channel id'}: refused to send.`);
}

/** The server's clock from a response, for the channel's lifetime (see connection/channel.ts). */
function serverTime(response: Response): number | undefined {
  const date = Date.parse(response.headers.get('Date') ?? '');
  return Number.isNaN(date) ? undefined : date;
}

/** Reads `Retry-After` in seconds (or an HTTP date); undefined when absent or nonsense. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - now) / 1000);
}

/** Turns a non-2xx answer into a GenesysError, keeping Genesys's own code and message. */
export async function errorFromResponse(response: Response): Promise<GenesysError> {
  let body: ErrorBody = {};
  try {
    const parsed: unknown = await response.json();
    if (typeof parsed === 'object' && parsed !== null) body = parsed as ErrorBody;
  } catch {
    // Some proxies answer HTML or nothing; the status alone still says enough.
  }
  const code = typeof body.code === 'string' ? body.code : `http.${response.status}`;
  const message = typeof body.message === 'string' ? body.message : `Genesys Cloud answered ${response.status}.`;
  return new GenesysError(response.status, code, message, parseRetryAfter(response.headers.get('Retry-After')));
}

export class GenesysApi {
  constructor(
    private readonly apiOrigin: string,
    private readonly accessToken: string,
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
    private readonly budget?: RequestBudget,
  ) {}

  /** One request; resolves with the parsed JSON body (undefined for an empty body) and the answer. */
  private async exchange<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<{ body: T; response: Response }> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.accessToken}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    for (let wait = this.budget?.take() ?? 0; wait > 0; wait = this.budget?.take() ?? 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.apiOrigin}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
        // A redirect would carry the token to wherever it points: Genesys's API never redirects.
        redirect: 'error',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch {
      throw new GenesysError(0, 'network', 'Genesys Cloud could not be reached. Check your network connection.');
    }
    if (!response.ok) throw await errorFromResponse(response);
    const text = await response.text();
    return { body: (text === '' ? undefined : JSON.parse(text)) as T, response };
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return (await this.exchange<T>(method, path, body, signal)).body;
  }

  getMe(signal?: AbortSignal): Promise<Models.UserMe> {
    return this.request('GET', '/api/v2/users/me', undefined, signal);
  }

  getCalls(signal?: AbortSignal): Promise<Models.CallConversationEntityListing> {
    return this.request('GET', '/api/v2/conversations/calls', undefined, signal);
  }

  /** A new channel, with the server's clock at the time (from `Date`) when it says. */
  async createChannel(signal?: AbortSignal): Promise<{ channel: Models.Channel; serverNow?: number }> {
    const { body, response } = await this.exchange<Models.Channel | undefined>('POST', '/api/v2/notifications/channels', undefined, signal);
    const serverNow = serverTime(response);
    return { channel: body ?? {}, ...(serverNow !== undefined ? { serverNow } : {}) };
  }

  /** Replaces the channel's topics; Genesys answers each topic Permitted or Rejected. */
  async setSubscriptions(channelId: string, topics: string[], signal?: AbortSignal): Promise<Models.ChannelTopicEntityListing> {
    const body: Models.ChannelTopic[] = topics.map((id) => ({ id }));
    return this.request('PUT', `/api/v2/notifications/channels/${pathId(channelId, 'channel')}/subscriptions`, body, signal);
  }

  /** Mutes or unmutes a participant. Genesys answers 202; the calls topic confirms it later. */
  async setParticipantMuted(conversationId: string, participantId: string, muted: boolean): Promise<void> {
    const body: Models.MediaParticipantRequest = { muted };
    await this.request('PATCH', `/api/v2/conversations/calls/${pathId(conversationId, 'uuid')}/participants/${pathId(participantId, 'uuid')}`, body);
  }

  /** Revokes the token this client holds (sign out). */
  async revokeToken(): Promise<void> {
    await this.request('DELETE', '/api/v2/tokens/me');
  }
}
