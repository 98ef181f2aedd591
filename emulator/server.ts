// A Genesys Cloud stand-in for one org on one loopback origin: OAuth under /oauth, the REST API
// under /api/v2, notification sockets under /channels, a stand-in agent desktop under /directory,
// the embedded clients a CRM frames under /crm (crm.ts), and a control surface under /__emulator
// for tests and demos. Behaviour follows docs/GENESYS.md; payload shapes follow the SDK models and the Swagger/JSON Schema in ./definitions.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Models } from 'purecloud-platform-client-v2';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import * as calls from './calls.ts';
import type { Agent, Call, StartCallOptions } from './calls.ts';
import { desktopPage } from './desktop.ts';
import { crmPage } from './crm.ts';
import {
  answerPreflight,
  CORS_HEADERS,
  errorBody,
  isJsonContentType,
  isRecord,
  parseJson,
  readBody,
  redirect,
  sendEmpty,
  sendError,
  sendHtml,
  sendJson,
} from './http.ts';
import { Notifications } from './notifications.ts';
import { OAuthServer, type OAuthClient, type TokenGrant } from './oauth.ts';
import { parseParticipantRequest, type ParticipantRequest } from './participant-request.ts';
import { GECKO_REDIRECT_URI } from '../manifest.gecko.ts';

export type { NotificationEnvelope } from './notifications.ts';
export type { CallEventBody, CallEventParticipant, StartCallOptions } from './calls.ts';

export interface EmulatorOptions {
  /** 0 (default) = a random free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /**
   * Default: one client 'gmc-demo-client' with both browsers' redirect URIs registered, as an org
   * serving Chrome and Firefox agents would: the pinned Chrome extension id's chromiumapp.org URI
   * and the Firefox add-on id's extensions.allizom.org URI.
   */
  clients?: OAuthClient[];
  /** Default a fixed uuid, 'Avery Agent'. */
  agent?: { id?: string; name?: string; email?: string };
  /** Delay between a PATCH's 202 and the state change + event. Default 150. */
  confirmDelayMs?: number;
  /** Default 30000. */
  heartbeatIntervalMs?: number;
  /** Default 86400. */
  tokenLifetimeSeconds?: number;
  /** Authorize skips the login form, as if the Genesys login session lives. Default false. */
  autoApprove?: boolean;
  /** Optional request log sink for the demo. */
  log?: (line: string) => void;
  /** Letter case of participant `state` in call events; 'upper' tests tolerance. Default 'lower'. */
  eventStateCase?: 'lower' | 'upper';
  /** How long a notification channel lives. Default 24 h, as in Genesys. */
  channelLifetimeMs?: number;
  /** Time between v2.system.socket_closing and the close. Default 60000. */
  socketClosingGraceMs?: number;
  /** Requests per rolling minute per token before 429. Default 300. */
  rateLimitPerMinute?: number;
  /**
   * Benchmark hook (bench/): added round-trip time. Each /oauth and /api/v2 request is held this
   * long after it is recorded and before it is handled, so its answer (and, for a PATCH, the
   * confirming event) leaves that much later. Default 0.
   */
  latencyMs?: number;
}

export interface RecordedRequest {
  /** performance.now() when the request arrived. */
  time: number;
  /**
   * Benchmark hook (bench/): the same moment as an epoch time in milliseconds
   * (performance.timeOrigin + performance.now()), comparable with a browser's
   * `performance.timeOrigin + performance.now()` on the same machine.
   */
  wallTime: number;
  /** HTTP method, or 'WS' for a socket connection. */
  method: string;
  /** Without the query. */
  path: string;
  query: Record<string, string>;
  body: string;
  authorization?: string;
  /** The status answered (101 for an accepted socket; 0 when the connection was dropped unanswered). */
  status?: number;
}

export interface Fault {
  /** Any method when absent ('WS' matches socket connections). */
  method?: string;
  /** A string matches the path exactly; a RegExp is tested against it. */
  path: RegExp | string;
  /** 0: no answer at all, the connection is dropped (a network failure). */
  status: number;
  /** Default for 429: 1, or what is left of `forMs` (rounded up). */
  retryAfterSeconds?: number;
  /** Default 1. */
  times?: number;
  /**
   * Every matching request fails for this long from now, however many there are (`times` is then
   * ignored): an outage with a known end.
   */
  forMs?: number;
  /** The request is held this long before the fault answers (with status 0: a request that hangs, then dies). */
  delayMs?: number;
  /**
   * Only one matching request in `every` fails (the first, then every `every`th); the others are
   * answered normally and use up nothing. With `forMs`: an intermittent outage. Default 1.
   */
  every?: number;
  /** Default: a Genesys ErrorBody for the status. */
  body?: object;
}

/** One client socket on a notification channel (soak hook: at most one should be open). */
export interface SocketRecord {
  channelId: string;
  /** performance.now() when it connected and when it closed (either side). */
  openedAt: number;
  closedAt?: number;
}

/** The agent's leg of a call after each change Genesys published (soak hook: the truth over time). */
export interface CallChange {
  /** performance.now() */
  time: number;
  conversationId: string;
  state: string;
  muted: boolean;
  held: boolean;
}

/** Benchmark hook (bench/): one text or binary frame on a notification socket. */
export interface SocketFrame {
  /** 'sent' by the emulator (events, heartbeats, pongs) or 'received' from a client (pings). */
  direction: 'sent' | 'received';
  /** Epoch milliseconds, like RecordedRequest.wallTime. */
  wallTime: number;
  /** The frame's text (binary frames as UTF-8). */
  data: string;
}

export interface EmulatorState {
  calls: Models.CallConversation[];
  agent: Agent;
}

export interface Emulator {
  origin: string;
  port: number;
  close(): Promise<void>;
  // Observation
  /** Every OAuth and /api/v2 request and socket connection ('WS'), in order. */
  requests(): RecordedRequest[];
  clearRequests(): void;
  /** Benchmark hook (bench/): every frame sent or received on any notification socket, in order. */
  socketFrames(): SocketFrame[];
  /** Notification channels that have not expired, and the sockets open on them now. */
  connections(): { channels: number; sockets: number };
  /** The first recorded request (already seen or still to come) that matches. Default timeout 5000 ms. */
  waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  // Control surface
  startCall(options?: StartCallOptions): string;
  answerCall(conversationId: string): void;
  setHeld(conversationId: string, held: boolean): void;
  /** A mute made elsewhere (native UI, headset, supervisor): applies and publishes at once. */
  setMuted(conversationId: string, muted: boolean): void;
  endCall(conversationId: string): void;
  /** Server-side state of a call, ended ones included, as the REST API shapes it. */
  call(conversationId: string): Models.CallConversation | undefined;
  agentParticipantId(conversationId: string): string;
  // Faults
  failNext(fault: Fault): void;
  /** Drops every notification socket; without a code, abruptly (the client sees 1006). */
  closeSockets(code?: number): void;
  sendSocketClosing(): void;
  sendRaw(frame: string): void;
  setSubscriptionsRejected(rejected: boolean): void;
  /** Every notification channel ends now, as at its expiry (Genesys may also end one early). */
  expireChannels(): void;
  /** The sockets open now go dead without closing (no heartbeat, pong or event): a half-open TCP connection. */
  silenceOpenSockets(): void;
  revokeAllTokens(): void;
  /**
   * An API or proxy incident: every request to the API answers 401, whatever the token, while the
   * login host still issues new ones (the sign-in storm case).
   */
  setRefusingTokens(on: boolean): void;
  /** Ends Genesys login sessions, so the next sign-in shows the form (unless autoApprove). */
  clearLoginSessions(): void;
  /** Stops heartbeats and pongs: a dead-but-open socket. */
  setSilent(silent: boolean): void;
  setAutoApprove(on: boolean): void;
  /** How long a PATCH takes to apply and be announced from now on. */
  setConfirmDelay(ms: number): void;
  /** Benchmark hook (bench/): the added round-trip time from now on (see EmulatorOptions.latencyMs). */
  setLatency(ms: number): void;
  // Soak hooks (test/soak/): what a fault run needs to judge the client by
  /** Every client socket ever connected, with when it opened and closed. */
  sockets(): SocketRecord[];
  /** Every published change of the agent's legs, in order. */
  callHistory(): CallChange[];
  /** Every access token ever issued (the secrets that must never leave the extension's background). */
  issuedTokens(): string[];
  /** Every notification channel ever made, with when (performance.now()). */
  channels(): { id: string; createdAt: number }[];
}

/** Chrome's identity.getRedirectURL() for the extension id the manifest key pins. */
export const CHROME_REDIRECT_URI = 'https://palaebnopndlohdhpbjmeopgkididbbo.chromiumapp.org/';
/** Firefox's identity.getRedirectURL() for the add-on id (manifest.gecko.ts). */
export const FIREFOX_REDIRECT_URI = GECKO_REDIRECT_URI;

export const DEFAULT_CLIENT: OAuthClient = {
  clientId: 'gmc-demo-client',
  redirectUris: [CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI],
};
export const DEFAULT_AGENT: Agent = {
  id: '7c3b2f0e-4a1d-4b8e-9f2a-1e6d5c4b3a21',
  name: 'Avery Agent',
  email: 'avery.agent@example.com',
};

const RATE_WINDOW_MS = 60_000;

interface Waiter {
  match: (r: RecordedRequest) => boolean;
  resolve: (r: RecordedRequest) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const agent: Agent = { ...DEFAULT_AGENT, ...stripUndefined(options.agent ?? {}) };
  const host = options.host ?? '127.0.0.1';
  let confirmDelayMs = options.confirmDelayMs ?? 150;
  let latencyMs = options.latencyMs ?? 0;
  const rateLimit = options.rateLimitPerMinute ?? 300;
  const log = options.log ?? ((): void => undefined);
  const callsTopic = `v2.users.${agent.id}.conversations.calls`;
  let autoApprove = options.autoApprove ?? false;
  /** setRefusingTokens: the API answers 401 to every request. */
  let refusingTokens = false;
  let origin = '';

  const oauth = new OAuthServer({
    clients: options.clients ?? [DEFAULT_CLIENT],
    agent,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 86_400,
    autoApprove: () => autoApprove,
  });
  const notifications = new Notifications({
    socketOrigin: () => origin.replace(/^http/, 'ws'),
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
    socketClosingGraceMs: options.socketClosingGraceMs ?? 60_000,
    channelLifetimeMs: options.channelLifetimeMs ?? 24 * 60 * 60 * 1000,
    log,
  });
  const callsById = new Map<string, Call>();
  const recorded: RecordedRequest[] = [];
  const frames: SocketFrame[] = [];
  const waiters = new Set<Waiter>();
  const faults: (Fault & { times: number; until?: number; seen: number })[] = [];
  const history: CallChange[] = [];
  const requestTimes = new Map<string, number[]>();
  const timers = new Set<NodeJS.Timeout>();

  // ---- observation --------------------------------------------------------------------------

  function record(method: string, url: URL, body: string, authorization: string | undefined): RecordedRequest {
    const time = performance.now();
    const entry: RecordedRequest = {
      time,
      wallTime: performance.timeOrigin + time,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      ...(authorization === undefined ? {} : { authorization }),
    };
    recorded.push(entry);
    for (const waiter of [...waiters]) {
      if (!waiter.match(entry)) continue;
      waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.resolve(entry);
    }
    return entry;
  }

  function later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  }

  // ---- calls --------------------------------------------------------------------------------

  function publish(call: Call): void {
    const leg = call.agentLeg;
    history.push({ time: performance.now(), conversationId: call.id, state: leg.state, muted: leg.muted, held: leg.held });
    notifications.publish(callsTopic, calls.toEventBody(call, agent, options.eventStateCase));
  }

  function activeCall(conversationId: string): Call {
    const call = callsById.get(conversationId);
    if (!call || !calls.isActive(call)) throw new UnknownCallError(conversationId);
    return call;
  }

  function startCall(callOptions: StartCallOptions = {}): string {
    const call = calls.createCall(agent, callOptions);
    callsById.set(call.id, call);
    log(`call ${call.id} started (${call.agentLeg.state})`);
    publish(call);
    return call.id;
  }

  function apply(call: Call, request: ParticipantRequest): void {
    if (request.state === 'disconnected') {
      calls.end(call);
    } else {
      if (request.state === 'connected') calls.answer(call);
      if (request.muted !== undefined) calls.setMuted(call, request.muted);
      if (request.held !== undefined) calls.setHeld(call, request.held);
      if (request.confined !== undefined) call.agentLeg.confined = request.confined;
      if (request.recording !== undefined) call.agentLeg.recording = request.recording;
    }
    publish(call);
  }

  // ---- faults and limits --------------------------------------------------------------------

  /** The next fault for this request, consumed; undefined when none matches. */
  function takeFault(method: string, path: string): (Fault & { until?: number }) | undefined {
    const now = performance.now();
    for (let i = faults.length - 1; i >= 0; i--) if ((faults[i]!.until ?? Infinity) <= now) faults.splice(i, 1);
    const index = faults.findIndex(
      (f) => (f.method === undefined || f.method.toUpperCase() === method) && (typeof f.path === 'string' ? f.path === path : f.path.test(path)),
    );
    const fault = faults[index];
    if (!fault) return undefined;
    fault.seen += 1;
    if ((fault.seen - 1) % Math.max(1, fault.every ?? 1) !== 0) return undefined;
    if (fault.until !== undefined) return fault;
    fault.times -= 1;
    if (fault.times <= 0) faults.splice(index, 1);
    return fault;
  }

  function faultHeaders(fault: Fault & { until?: number }): Record<string, string> {
    const left = fault.until !== undefined ? Math.max(1, Math.ceil((fault.until - performance.now()) / 1000)) : 1;
    const retryAfter = fault.retryAfterSeconds ?? (fault.status === 429 ? left : undefined);
    return retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
  }

  async function sendFault(res: ServerResponse, fault: Fault & { until?: number }, entry: RecordedRequest): Promise<void> {
    if (fault.delayMs) await new Promise((resolve) => later(fault.delayMs ?? 0, () => resolve(undefined)));
    if (fault.status === 0) {
      entry.status = 0;
      res.destroy();
      return;
    }
    const headers = faultHeaders(fault);
    if (fault.body) sendJson(res, fault.status, fault.body, headers);
    else if (fault.status >= 400) sendJson(res, fault.status, errorBody(fault.status, `Injected failure (${fault.status}).`), headers);
    else sendEmpty(res, fault.status, headers);
  }

  /** Seconds until this token may call again, or undefined when it is under the limit. */
  function retryAfter(token: string): number | undefined {
    const now = Date.now();
    const times = (requestTimes.get(token) ?? []).filter((t) => t > now - RATE_WINDOW_MS);
    requestTimes.set(token, times);
    const oldest = times[0];
    if (times.length >= rateLimit && oldest !== undefined) return Math.max(1, Math.ceil((oldest + RATE_WINDOW_MS - now) / 1000));
    times.push(now);
    return undefined;
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const body = await readBody(req);

    if (path.startsWith('/oauth/') || path.startsWith('/api/v2/')) {
      for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
      const entry = record(method, url, body, req.headers.authorization);
      res.on('finish', () => (entry.status = res.statusCode));
      res.on('close', () => (entry.status ??= 0));
      // Benchmark hook: a fixed added round trip (0 unless a benchmark sets it).
      if (latencyMs > 0) await new Promise((resolve) => later(latencyMs, () => resolve(undefined)));
      res.on('finish', () => log(`${method} ${path}${url.search} -> ${res.statusCode}`));
      if (method === 'OPTIONS') return answerPreflight(req, res);
      const fault = takeFault(method, path);
      if (fault) return sendFault(res, fault, entry);
      if (path.startsWith('/oauth/')) {
        if (!oauth.handle(req, res, url, body)) sendError(res, 404, 'HTTP 404 Not Found');
        return;
      }
      return api(req, res, method, url, body);
    }
    if (path.startsWith('/__emulator/')) return control(res, method, path, body);
    if (method === 'GET' && (path === '/' || path === '/directory')) return redirect(res, '/directory/');
    if (method === 'GET' && (path === '/directory/' || path === '/directory/index.html')) return sendHtml(res, 200, desktopPage());
    // The embedded clients (a CRM frames them) and their WebRTC pop-out, on the same host as Genesys's.
    const embedded = method === 'GET' && path.startsWith('/crm/') ? crmPage(path, url.searchParams) : undefined;
    if (embedded) return sendHtml(res, 200, embedded);
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('Not found');
  }

  function api(req: IncomingMessage, res: ServerResponse, method: string, url: URL, body: string): void {
    const auth = oauth.authenticate(req.headers.authorization);
    if (!auth.ok) return sendError(res, 401, auth.message);
    if (refusingTokens) return sendError(res, 401, 'Invalid login credentials.');
    const wait = retryAfter(auth.grant.token);
    if (wait !== undefined) {
      return sendError(res, 429, `Rate limit exceeded the maximum [${rateLimit}] requests within [60] seconds`, { 'Retry-After': String(wait) });
    }
    const path = url.pathname;
    if (method === 'GET' && path === '/api/v2/users/me') return sendJson(res, 200, userMe());
    if (method === 'GET' && path === '/api/v2/conversations/calls') return sendJson(res, 200, callListing());
    if (method === 'DELETE' && path === '/api/v2/tokens/me') {
      oauth.revoke(auth.grant.token);
      return sendEmpty(res, 204);
    }
    const participant = /^\/api\/v2\/conversations\/calls\/([^/]+)\/participants\/([^/]+)$/.exec(path);
    if (participant?.[1] && participant[2] && method === 'PATCH') {
      return patchParticipant(req, res, auth.grant, decodeURIComponent(participant[1]), decodeURIComponent(participant[2]), body);
    }
    if (notifications.handleApi(method, path, url.searchParams, auth.grant, body, res)) return;
    sendError(res, 404, 'HTTP 404 Not Found');
  }

  function patchParticipant(req: IncomingMessage, res: ServerResponse, grant: TokenGrant, conversationId: string, participantId: string, body: string): void {
    if (!isJsonContentType(req)) return sendError(res, 415, 'Content-Type must be application/json.');
    const parsed = parseJson(body);
    if (!parsed.ok) return sendError(res, 400, 'Unable to parse the request body as JSON.');
    const checked = parseParticipantRequest(parsed.value);
    if (!checked.ok) return sendError(res, 400, checked.message);
    const call = callsById.get(conversationId);
    if (!call || !calls.isActive(call)) return sendError(res, 404, `Conversation ${conversationId} was not found.`);
    const leg = [call.agentLeg, call.customerLeg].find((l) => l.id === participantId);
    if (!leg) return sendError(res, 404, `Participant ${participantId} was not found.`);
    if (leg.userId !== grant.userId) return sendError(res, 403, 'You may only update your own participant.');
    // Accepted now, applied later: the event is the confirmation, as on Genesys.
    sendEmpty(res, 202);
    later(confirmDelayMs, () => {
      if (calls.isActive(call)) apply(call, checked.request);
    });
  }

  function userMe(): Models.UserMe {
    return {
      id: agent.id,
      name: agent.name,
      division: { id: calls.DIVISION_ID, name: 'Home', selfUri: `/api/v2/authorization/divisions/${calls.DIVISION_ID}` },
      chat: { jabberId: `${agent.id.replace(/-/g, '')}@emulator.orgspan.com` },
      email: agent.email,
      primaryContactInfo: [{ address: agent.email, mediaType: 'EMAIL', type: 'PRIMARY' }],
      addresses: [],
      state: 'active',
      title: 'Contact Center Agent',
      username: agent.email,
      images: [],
      version: 7,
      acdAutoAnswer: false,
      selfUri: `/api/v2/users/${agent.id}`,
    };
  }

  function callListing(): Models.CallConversationEntityListing {
    const entities = [...callsById.values()].filter(calls.isActive).map(calls.toCallConversation);
    const pageSize = 25;
    const uri = '/api/v2/conversations/calls?pageSize=25&pageNumber=1';
    return {
      entities,
      pageSize,
      pageNumber: 1,
      total: entities.length,
      firstUri: uri,
      lastUri: uri,
      selfUri: uri,
      pageCount: Math.max(1, Math.ceil(entities.length / pageSize)),
    };
  }

  // ---- control surface (no auth, JSON) ------------------------------------------------------

  function control(res: ServerResponse, method: string, path: string, body: string): void {
    const parsed = body === '' ? { ok: true as const, value: {} } : parseJson(body);
    if (!parsed.ok || !isRecord(parsed.value)) return sendJson(res, 400, { error: 'The body must be a JSON object.' });
    const input = parsed.value;
    const route = `${method} ${path}`;
    try {
      const action = /^POST \/__emulator\/calls\/([^/]+)\/(answer|hold|unhold|mute|unmute|end)$/.exec(route);
      if (action?.[1] && action[2]) {
        const id = decodeURIComponent(action[1]);
        const run: Record<string, () => void> = {
          answer: () => emulator.answerCall(id),
          hold: () => emulator.setHeld(id, true),
          unhold: () => emulator.setHeld(id, false),
          mute: () => emulator.setMuted(id, true),
          unmute: () => emulator.setMuted(id, false),
          end: () => emulator.endCall(id),
        };
        run[action[2]]?.();
        return sendJson(res, 200, { call: emulator.call(id) });
      }
      switch (route) {
        case 'GET /__emulator/state':
          return sendJson(res, 200, state(), { 'Cache-Control': 'no-store' });
        case 'POST /__emulator/calls':
          return sendJson(res, 200, { conversationId: startCall(startCallOptions(input)) });
        case 'GET /__emulator/requests':
          return sendJson(res, 200, { requests: recorded });
        case 'DELETE /__emulator/requests':
          emulator.clearRequests();
          return sendEmpty(res, 204);
        case 'POST /__emulator/sockets/close':
          emulator.closeSockets(typeof input.code === 'number' ? input.code : undefined);
          return sendEmpty(res, 204);
        case 'POST /__emulator/sockets/closing':
          emulator.sendSocketClosing();
          return sendEmpty(res, 204);
        case 'POST /__emulator/channels/expire':
          emulator.expireChannels();
          return sendEmpty(res, 204);
        case 'POST /__emulator/sockets/silence':
          emulator.silenceOpenSockets();
          return sendEmpty(res, 204);
        case 'POST /__emulator/tokens/revoke':
          emulator.revokeAllTokens();
          return sendEmpty(res, 204);
        case 'POST /__emulator/login-sessions/clear':
          emulator.clearLoginSessions();
          return sendEmpty(res, 204);
        case 'POST /__emulator/fail-next':
          emulator.failNext(faultFromJson(input));
          return sendEmpty(res, 204);
        case 'POST /__emulator/settings':
          if (typeof input.autoApprove === 'boolean') emulator.setAutoApprove(input.autoApprove);
          if (typeof input.subscriptionsRejected === 'boolean') emulator.setSubscriptionsRejected(input.subscriptionsRejected);
          if (typeof input.silent === 'boolean') emulator.setSilent(input.silent);
          if (typeof input.confirmDelayMs === 'number') emulator.setConfirmDelay(input.confirmDelayMs);
          return sendEmpty(res, 204);
        default:
          return sendJson(res, 404, { error: `No control route ${route}` });
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      sendJson(res, error instanceof UnknownCallError ? 404 : 400, { error: message });
    }
  }

  function state(): EmulatorState {
    return { calls: [...callsById.values()].filter(calls.isActive).map(calls.toCallConversation), agent };
  }

  // ---- sockets ------------------------------------------------------------------------------

  const sockets = new WebSocketServer({ noServer: true, autoPong: false });

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', origin);
    const entry = record('WS', url, '', req.headers.authorization);
    const fault = takeFault('WS', url.pathname);
    if (fault) {
      entry.status = fault.status;
      if (fault.status === 0) return void socket.destroy();
      return rejectUpgrade(socket, fault.status, fault.body ?? errorBody(fault.status, `Injected failure (${fault.status}).`));
    }
    const id = /^\/channels\/([^/]+)$/.exec(url.pathname)?.[1];
    if (!id || !notifications.hasChannel(decodeURIComponent(id))) {
      log(`WS ${url.pathname} -> 404`);
      entry.status = 404;
      return rejectUpgrade(socket, 404, errorBody(404, 'The requested channel was not found.'));
    }
    entry.status = 101;
    sockets.handleUpgrade(req, socket, head, (ws) => {
      countFrames(ws);
      notifications.attach(decodeURIComponent(id), ws);
    });
  }

  /** Benchmark hook: records every frame this socket sends and receives (for idle-cost figures). */
  function countFrames(ws: WebSocket): void {
    ws.on('message', (data: RawData) => {
      frames.push({ direction: 'received', wallTime: performance.timeOrigin + performance.now(), data: rawText(data) });
    });
    const send = ws.send.bind(ws) as (data: unknown, ...rest: unknown[]) => void;
    ws.send = ((data: unknown, ...rest: unknown[]) => {
      frames.push({ direction: 'sent', wallTime: performance.timeOrigin + performance.now(), data: String(data) });
      send(data, ...rest);
    }) as WebSocket['send'];
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      if (!res.headersSent) sendError(res, 500, 'The emulator failed to handle this request.');
      else res.destroy();
    });
  });
  server.on('upgrade', upgrade);
  let port = 0;

  const emulator: Emulator = {
    get origin() {
      return origin;
    },
    get port() {
      return port;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('Emulator closed'));
      }
      waiters.clear();
      notifications.close();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    requests: () => [...recorded],
    clearRequests() {
      recorded.length = 0;
    },
    socketFrames: () => [...frames],
    connections: () => notifications.connections(),
    waitForRequest(match, timeoutMs = 5000) {
      const seen = recorded.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          match,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(new Error(`No matching request within ${timeoutMs} ms`));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    startCall,
    answerCall(conversationId) {
      const call = activeCall(conversationId);
      if (call.agentLeg.state !== 'alerting') return;
      calls.answer(call);
      publish(call);
    },
    setHeld(conversationId, held) {
      const call = activeCall(conversationId);
      calls.setHeld(call, held);
      publish(call);
    },
    setMuted(conversationId, muted) {
      const call = activeCall(conversationId);
      calls.setMuted(call, muted);
      publish(call);
    },
    endCall(conversationId) {
      const call = activeCall(conversationId);
      calls.end(call);
      log(`call ${call.id} ended`);
      publish(call);
    },
    call(conversationId) {
      const call = callsById.get(conversationId);
      return call && calls.toCallConversation(call);
    },
    agentParticipantId(conversationId) {
      const call = callsById.get(conversationId);
      if (!call) throw new UnknownCallError(conversationId);
      return call.agentLeg.id;
    },
    failNext(fault) {
      faults.push({ ...fault, times: fault.times ?? 1, seen: 0, ...(fault.forMs !== undefined ? { until: performance.now() + fault.forMs } : {}) });
    },
    closeSockets: (code) => notifications.closeSockets(code),
    sendSocketClosing: () => notifications.sendSocketClosing(),
    sendRaw: (frame) => notifications.sendRaw(frame),
    setSubscriptionsRejected: (rejected) => notifications.setSubscriptionsRejected(rejected),
    silenceOpenSockets: () => notifications.silenceOpenSockets(),
    expireChannels: () => notifications.expireChannels(),
    revokeAllTokens: () => oauth.revokeAll(),
    clearLoginSessions: () => oauth.clearLoginSessions(),
    setSilent: (silent) => notifications.setSilent(silent),
    setRefusingTokens: (on) => {
      refusingTokens = on;
    },
    setAutoApprove(on) {
      autoApprove = on;
    },
    setConfirmDelay(ms) {
      confirmDelayMs = ms;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    sockets: () => notifications.socketRecords(),
    callHistory: () => [...history],
    issuedTokens: () => oauth.issuedTokens(),
    channels: () => notifications.createdChannels(),
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  origin = `http://${urlHost(host)}:${port}`;
  return emulator;
}

class UnknownCallError extends Error {
  constructor(conversationId: string) {
    super(`No active call ${conversationId}`);
  }
}

function rejectUpgrade(socket: Duplex, status: number, body: object): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Error'}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Control-surface body for POST /__emulator/calls, keeping only well-typed fields. */
function startCallOptions(input: Record<string, unknown>): StartCallOptions {
  const options: StartCallOptions = {};
  if (typeof input.customerName === 'string') options.customerName = input.customerName;
  if (typeof input.customerNumber === 'string') options.customerNumber = input.customerNumber;
  if (input.state === 'alerting' || input.state === 'connected') options.state = input.state;
  if (input.direction === 'inbound' || input.direction === 'outbound') options.direction = input.direction;
  return options;
}

/** Control-surface body for POST /__emulator/fail-next: `path` exact or `pathPattern` (a RegExp source). */
function faultFromJson(input: Record<string, unknown>): Fault {
  if (typeof input.status !== 'number') throw new Error('status (number) is required');
  const path = typeof input.pathPattern === 'string' ? new RegExp(input.pathPattern) : typeof input.path === 'string' ? input.path : /./;
  return {
    path,
    status: input.status,
    ...(typeof input.method === 'string' ? { method: input.method } : {}),
    ...(typeof input.retryAfterSeconds === 'number' ? { retryAfterSeconds: input.retryAfterSeconds } : {}),
    ...(typeof input.times === 'number' ? { times: input.times } : {}),
    ...(typeof input.forMs === 'number' ? { forMs: input.forMs } : {}),
    ...(typeof input.delayMs === 'number' ? { delayMs: input.delayMs } : {}),
    ...(typeof input.every === 'number' ? { every: input.every } : {}),
    ...(isRecord(input.body) ? { body: input.body } : {}),
  };
}
