// A model of Genesys Cloud for the fleet: one org, one region, one OAuth client, many agents. It
// answers what the extension asks (authorize through the browser's web auth flow, the token
// exchange, users/me, notification channels and their subscriptions, the calls, the PATCH) and runs
// the sockets, after a latency drawn per agent, on the fleet's one clock. The incidents are
// switches on it (`down`, `refuseCalls`, `revokedBefore`) and actions (dropping every socket,
// announcing `v2.system.socket_closing`). It counts every request per second and per agent.
//
// The call payloads are the emulator's (emulator/calls.ts), which are tested against Genesys's
// published definitions.
import type { Identity } from '../src/background/auth.ts';
import type { SocketFactory } from '../src/background/connection/driver.ts';
import type { Fetch } from '../src/background/genesys.ts';
import type { SocketEvents } from '../src/background/notifications.ts';
import { callsTopic } from '../src/background/calls.ts';
import { COUNTED, type Counted } from './figures.ts';
import { createCall, setMuted, toCallConversation, toEventBody, type Call } from '../emulator/calls.ts';

export const ENVIRONMENT = 'mypurecloud.ie';
export const CLIENT_ID = '7de3af06-c0b3-4f9b-9a1c-6e4e2c8b5d21';
export const REDIRECT_URI = 'https://palaebnopndlohdhpbjmeopgkididbbo.chromiumapp.org/';
const LOGIN = `login.${ENVIRONMENT}`;
const API = `api.${ENVIRONMENT}`;
const STREAMING = `streaming.${ENVIRONMENT}`;

/** Genesys's channels live 24 hours; a user keeps 20 per OAuth client. */
const CHANNEL_LIFETIME_MS = 24 * 3_600_000;
const CHANNELS_PER_USER = 20;
const TOKEN_SECONDS = 86_400;
/** A request with no timeout of its own that Genesys never answers: the browser gives up (no answer) after this. */
const BROWSER_GIVES_UP_MS = 120_000;


/** Every counted request, per second of the run and per agent. */
export class Tally {
  /** Per kind, requests in each second since the start of the run. */
  readonly perSecond = new Map<Counted, number[]>(COUNTED.map((kind) => [kind, []]));
  /** Per kind and agent, when each request was made (epoch ms). */
  readonly perAgent = new Map<Counted, number[][]>();
  /** API requests by endpoint (for the report). */
  readonly endpoints = new Map<string, number>();

  constructor(
    private readonly start: number,
    agents: number,
  ) {
    for (const kind of ['authorize', 'token', 'channel'] as const) this.perAgent.set(kind, Array.from({ length: agents }, () => []));
  }

  add(kind: Counted, agent: number, now: number): void {
    const second = Math.floor((now - this.start) / 1000);
    const seconds = this.perSecond.get(kind)!;
    seconds[second] = (seconds[second] ?? 0) + 1;
    this.perAgent.get(kind)?.[agent]?.push(now);
  }

  endpoint(name: string): void {
    this.endpoints.set(name, (this.endpoints.get(name) ?? 0) + 1);
  }
}

interface User {
  index: number;
  id: string;
  name: string;
  call: Call;
  /** Channels of this user for our client, oldest first. */
  channels: Channel[];
  /** Latency and outcome draws for this agent's requests. */
  random: () => number;
}

interface Channel {
  id: string;
  user: User;
  expiresAt: number;
  topics: Set<string>;
  socket: ModelSocket | undefined;
}

interface ModelSocket {
  user: User;
  channel: Channel | undefined;
  events: SocketEvents;
  state: 'connecting' | 'open' | 'closed';
  /** When Genesys announced it would close this socket (maintenance). */
  closingAt?: number;
}

/** Just what the extension reads of a fetch Response. */
class ModelResponse {
  readonly type = 'basic';
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly status: number,
    private readonly body: string,
    headers: Record<string, string>,
  ) {
    const lower = new Map(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
    this.headers = { get: (name) => lower.get(name.toLowerCase()) ?? null };
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }

  async text(): Promise<string> {
    return this.body;
  }
}

type Answer = ModelResponse | 'no-answer';

/** A seeded, UUID-shaped id (the extension checks ids before putting them in a path). */
export function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const between = (random: () => number, low: number, high: number): number => low + random() * (high - low);

export interface ModelOptions {
  agents: number;
  /** One seed per agent for its requests' latencies and outcomes. */
  agentSeeds: readonly number[];
  makeRandom: (seed: number) => () => number;
  /** Each socket is dropped by the network after an exponential time with this mean (0: never). */
  socketMeanLifeMs: number;
  /** The fleet's clock (epoch ms), and how to wait on it. */
  now: () => number;
  setTimeout: (callback: () => void, ms: number) => unknown;
}

export class GenesysModel {
  readonly tally: Tally;
  private readonly users: User[];
  private readonly tokens = new Map<string, { user: User; issuedAt: number }>();
  private readonly codes = new Map<string, User>();
  private readonly channels = new Map<string, Channel>();
  private readonly sockets = new Set<ModelSocket>();
  private issued = 0;

  /** Full outage: every API and login request fails (503 or no answer); no socket connects. */
  down = false;
  /** Partial refusal: `GET /api/v2/conversations/calls` answers 401, everything else works. */
  refuseCalls = false;
  /** Revocation: every token issued before this (epoch ms) answers 401. */
  revokedBefore: number | undefined;

  constructor(private readonly options: ModelOptions) {
    this.tally = new Tally(options.now(), options.agents);
    this.users = options.agentSeeds.map((seed, index) => {
      const random = options.makeRandom(seed);
      const id = uuid(random);
      const name = `Agent ${index + 1}`;
      // The agent is on a call the whole time: each mute is a PATCH and an event.
      const call = createCall({ id, name, email: `agent${index + 1}@example.com` });
      call.id = uuid(random);
      call.agentLeg.id = uuid(random);
      call.customerLeg.id = uuid(random);
      return { index, id, name, call, channels: [], random };
    });
  }

  private get now(): number {
    return this.options.now();
  }

  private later(ms: number, callback: () => void): void {
    this.options.setTimeout(callback, ms);
  }

  // ---- the incidents' actions ----

  /** Every socket drops at once, without a close frame. */
  dropAllSockets(): void {
    for (const socket of [...this.sockets]) this.drop(socket, 'closed (1006)');
  }

  /** Maintenance: `v2.system.socket_closing` on every open socket now, and each closed ~60 s later. */
  announceSocketClosing(graceMs: (random: () => number) => number): void {
    for (const socket of [...this.sockets]) {
      if (socket.state !== 'open') continue;
      socket.closingAt = this.now;
      socket.events.closing();
      this.later(graceMs(socket.user.random), () => this.drop(socket, 'closed (1001)'));
    }
  }

  // ---- the browser's side of each agent ----

  /** The web auth flow (`authorize` on the login host), as `identity.launchWebAuthFlow` runs it. */
  identity(agent: number): Identity {
    const user = this.users[agent]!;
    return {
      redirectUri: () => REDIRECT_URI,
      launchWebAuthFlow: (url) => {
        this.tally.add('authorize', agent, this.now);
        const down = this.down;
        // A page load, Genesys's login session cookie, and a redirect back.
        const latency = between(user.random, 300, 1_200);
        return new Promise((resolve, reject) => {
          this.later(latency, () => {
            if (down) {
              reject(new Error('Authorization page could not be loaded.'));
              return;
            }
            const request = new URL(url);
            const code = `code-${++this.issued}`;
            this.codes.set(code, user);
            const redirect = new URL(request.searchParams.get('redirect_uri') ?? REDIRECT_URI);
            redirect.searchParams.set('code', code);
            redirect.searchParams.set('state', request.searchParams.get('state') ?? '');
            resolve(redirect.toString());
          });
        });
      },
    };
  }

  /** The agent's `fetch`: the login host and the API host. */
  fetch(agent: number): Fetch {
    const user = this.users[agent]!;
    return (input, init) => {
      const url = new URL(input);
      const method = (init.method ?? 'GET').toUpperCase();
      const signal = init.signal ?? undefined;
      if (url.host === LOGIN) return this.exchange(user, signal, between(user.random, 40, 250), this.login(user, method, url, init));
      if (url.host === API) return this.exchange(user, signal, between(user.random, 30, 200), this.api(user, method, url, init));
      return Promise.reject(new TypeError('Failed to fetch'));
    };
  }

  /** The agent's sockets: `connectUri` on the streaming host, one socket per channel. */
  socket(agent: number): SocketFactory {
    const user = this.users[agent]!;
    return (url, _topic, events) => {
      this.tally.add('socket', agent, this.now);
      const socket: ModelSocket = { user, channel: undefined, events, state: 'connecting' };
      this.sockets.add(socket);
      const down = this.down;
      this.later(between(user.random, 80, 400), () => {
        if (socket.state === 'closed') return;
        const parsed = new URL(url);
        const channel = this.channels.get(parsed.pathname.split('/').pop() ?? '');
        if (down || this.down || parsed.host !== STREAMING || !channel || channel.user !== user || channel.expiresAt <= this.now) {
          this.drop(socket, 'error');
          return;
        }
        // A channel has one socket: a second connection drops the first.
        const previous = channel.socket;
        channel.socket = socket;
        socket.channel = channel;
        socket.state = 'open';
        socket.events.opened();
        if (previous && previous.state === 'open') this.later(20, () => this.drop(previous, 'closed (1000)'));
        if (this.options.socketMeanLifeMs > 0) {
          this.later(-Math.log(1 - user.random()) * this.options.socketMeanLifeMs, () => this.drop(socket, 'closed (1006)'));
        }
      });
      return {
        close: () => {
          if (socket.state === 'closed') return;
          socket.state = 'closed';
          this.forgetSocket(socket);
        },
      };
    };
  }

  private drop(socket: ModelSocket, reason: string): void {
    if (socket.state === 'closed') return;
    socket.state = 'closed';
    this.forgetSocket(socket);
    socket.events.lost(reason);
  }

  private forgetSocket(socket: ModelSocket): void {
    this.sockets.delete(socket);
    if (socket.channel?.socket === socket) socket.channel.socket = undefined;
  }

  // ---- answers ----

  /**
   * Answers after `latency`, or never (`no-answer`: until the caller's signal gives up, or the
   * browser does). Aborting rejects as fetch does.
   */
  private exchange(user: User, signal: AbortSignal | undefined, latency: number, answer: () => Answer): Promise<Response> {
    const outcome: Answer | 'decide-later' = this.down ? (user.random() < 0.5 ? 'no-answer' : this.error(503, 'service.unavailable')) : 'decide-later';
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let done = false;
      const onAbort = (): void => {
        if (done) return;
        done = true;
        reject(signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (response: Answer): void => {
        if (done) return;
        if (response === 'no-answer') {
          if (!signal) {
            this.later(BROWSER_GIVES_UP_MS, () => {
              if (done) return;
              done = true;
              reject(new TypeError('Failed to fetch'));
            });
          }
          return;
        }
        done = true;
        signal?.removeEventListener('abort', onAbort);
        resolve(response as unknown as Response);
      };
      this.later(latency, () => settle(outcome === 'decide-later' ? answer() : outcome));
    });
  }

  private respond(status: number, body: unknown, headers: Record<string, string> = {}): ModelResponse {
    const text = body === undefined ? '' : JSON.stringify(body);
    return new ModelResponse(status, text, { Date: new Date(this.now).toUTCString(), ...(text ? { 'Content-Type': 'application/json' } : {}), ...headers });
  }

  private error(status: number, code: string): ModelResponse {
    return this.respond(status, { status, code, message: `The model answered ${status} (${code}).` });
  }

  private login(user: User, method: string, url: URL, init: RequestInit): () => Answer {
    if (url.pathname === '/oauth/authorize') {
      // The sign-in's own look at the authorize page when the web auth flow failed.
      this.tally.add('authorize', user.index, this.now);
      return () => this.respond(302, undefined, { Location: REDIRECT_URI });
    }
    if (url.pathname === '/oauth/token' && method === 'POST') {
      this.tally.add('token', user.index, this.now);
      return () => {
        const code = new URLSearchParams(typeof init.body === 'string' ? init.body : '').get('code') ?? '';
        const owner = this.codes.get(code);
        this.codes.delete(code);
        if (!owner) return this.respond(400, { error: 'invalid_grant', error_description: 'The code is unknown or used.' });
        const token = `token-${++this.issued}-${Math.floor(user.random() * 2 ** 32).toString(36)}`;
        this.tokens.set(token, { user: owner, issuedAt: this.now });
        return this.respond(200, { access_token: token, token_type: 'bearer', expires_in: TOKEN_SECONDS });
      };
    }
    return () => this.error(404, 'not.found');
  }

  private api(user: User, method: string, url: URL, init: RequestInit): () => Answer {
    this.tally.add('api', user.index, this.now);
    const path = url.pathname;
    const route = `${method} ${path.replace(/channels\/[^/]+\//, 'channels/{id}/').replace(/calls\/[^/]+\/participants\/[^/]+$/, 'calls/{id}/participants/{id}')}`;
    this.tally.endpoint(route);
    if (route === 'POST /api/v2/notifications/channels') this.tally.add('channel', user.index, this.now);
    if (method === 'PATCH') this.tally.add('patch', user.index, this.now);
    const bearer = ((init.headers as Record<string, string> | undefined)?.['Authorization'] ?? '').replace(/^Bearer /, '');
    return () => {
      const token = this.tokens.get(bearer);
      if (!token || token.user !== user || (this.revokedBefore !== undefined && token.issuedAt < this.revokedBefore)) {
        return this.error(401, 'authentication.required');
      }
      switch (route) {
        case 'GET /api/v2/users/me':
          return this.respond(200, { id: user.id, name: user.name, email: `agent${user.index + 1}@example.com` });
        case 'POST /api/v2/notifications/channels':
          return this.createChannel(user);
        case 'PUT /api/v2/notifications/channels/{id}/subscriptions':
          return this.subscribe(user, path.split('/')[5] ?? '', init);
        case 'GET /api/v2/conversations/calls':
          if (this.refuseCalls) return this.error(401, 'authentication.required');
          return this.respond(200, { entities: [toCallConversation(user.call)], pageSize: 25, pageNumber: 1, total: 1 });
        case 'PATCH /api/v2/conversations/calls/{id}/participants/{id}':
          return this.patch(user, path, init);
        case 'DELETE /api/v2/tokens/me':
          this.tokens.delete(bearer);
          return this.respond(204, undefined);
        default:
          return this.error(404, 'not.found');
      }
    };
  }

  private createChannel(user: User): ModelResponse {
    const id = `streaming-${++this.issued}-${user.index}`;
    const channel: Channel = { id, user, expiresAt: this.now + CHANNEL_LIFETIME_MS, topics: new Set(), socket: undefined };
    this.channels.set(id, channel);
    user.channels.push(channel);
    if (user.channels.length > CHANNELS_PER_USER) {
      // The 21st evicts the oldest one not in use (else the oldest).
      const evicted = user.channels.find((old) => !old.socket) ?? user.channels[0]!;
      user.channels.splice(user.channels.indexOf(evicted), 1);
      this.channels.delete(evicted.id);
      if (evicted.socket) this.drop(evicted.socket, 'closed (1000)');
    }
    return this.respond(200, { id, connectUri: `wss://${STREAMING}/channels/${id}`, expires: new Date(channel.expiresAt).toISOString() });
  }

  private subscribe(user: User, channelId: string, init: RequestInit): ModelResponse {
    const channel = this.channels.get(channelId);
    if (!channel || channel.user !== user || channel.expiresAt <= this.now) return this.error(404, 'not.found');
    const asked = (JSON.parse(typeof init.body === 'string' ? init.body : '[]') as { id?: string }[]).map((topic) => topic.id ?? '');
    const own = callsTopic(user.id);
    channel.topics = new Set(asked.filter((topic) => topic === own));
    return this.respond(200, {
      entities: asked.map((id) => (id === own ? { id, state: 'Permitted' } : { id, state: 'Rejected', rejectionReason: 'Not permitted', missingPermissions: [] })),
    });
  }

  private patch(user: User, path: string, init: RequestInit): ModelResponse {
    const [, , , , , conversationId, , participantId] = path.split('/');
    const call = user.call;
    if (conversationId !== call.id) return this.error(404, 'not.found');
    if (participantId !== call.agentLeg.id) return this.error(403, 'not.authorized');
    const { muted } = JSON.parse(typeof init.body === 'string' ? init.body : '{}') as { muted?: unknown };
    if (typeof muted !== 'boolean') return this.error(400, 'bad.request');
    // 202 now; the change and its event a moment later.
    this.later(between(user.random, 50, 300), () => {
      setMuted(call, muted);
      this.publish(user);
    });
    return this.respond(202, undefined);
  }

  /** The call as it is now, on every open socket whose channel listens to the agent's calls. */
  private publish(user: User): void {
    const topic = callsTopic(user.id);
    const body = toEventBody(user.call, { id: user.id, name: user.name, email: '' });
    for (const channel of user.channels) {
      if (channel.socket?.state === 'open' && channel.topics.has(topic)) channel.socket.events.callEvent(body);
    }
  }
}
