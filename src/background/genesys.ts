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

  /** One request; resolves with the parsed JSON body (undefined for an empty body). */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.accessToken}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    for (let wait = this.budget?.take() ?? 0; wait > 0; wait = this.budget?.take() ?? 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.apiOrigin}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch {
      throw new GenesysError(0, 'network', 'Genesys Cloud could not be reached. Check your network connection.');
    }
    if (!response.ok) throw await errorFromResponse(response);
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  getMe(): Promise<Models.UserMe> {
    return this.request('GET', '/api/v2/users/me');
  }

  getCalls(): Promise<Models.CallConversationEntityListing> {
    return this.request('GET', '/api/v2/conversations/calls');
  }

  createChannel(): Promise<Models.Channel> {
    return this.request('POST', '/api/v2/notifications/channels');
  }

  /** Replaces the channel's topics; Genesys answers each topic Permitted or Rejected. */
  setSubscriptions(channelId: string, topics: string[]): Promise<Models.ChannelTopicEntityListing> {
    const body: Models.ChannelTopic[] = topics.map((id) => ({ id }));
    return this.request('PUT', `/api/v2/notifications/channels/${encodeURIComponent(channelId)}/subscriptions`, body);
  }

  /** Mutes or unmutes a participant. Genesys answers 202; the calls topic confirms it later. */
  async setParticipantMuted(conversationId: string, participantId: string, muted: boolean): Promise<void> {
    const body: Models.MediaParticipantRequest = { muted };
    await this.request(
      'PATCH',
      `/api/v2/conversations/calls/${encodeURIComponent(conversationId)}/participants/${encodeURIComponent(participantId)}`,
      body,
    );
  }

  /** Revokes the token this client holds (sign out). */
  async revokeToken(): Promise<void> {
    await this.request('DELETE', '/api/v2/tokens/me');
  }
}
