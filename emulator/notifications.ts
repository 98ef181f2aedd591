// The Notifications API: channels, their topic subscriptions and the one socket each channel may
// have. Genesys's streaming socket is receive-only (apart from a ping), sends heartbeats, warns
// before it closes, and a channel is its own credential: no auth frame.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Models } from 'purecloud-platform-client-v2';
import { WebSocket } from 'ws';
import { isRecord, parseJson, sendEmpty, sendError, sendJson } from './http.ts';
import type { TokenGrant } from './oauth.ts';

/** Every frame on the socket. The SDKs have no type for it (genesys-api.md, "Types"). */
export interface NotificationEnvelope<T = unknown> {
  topicName: string;
  version: string;
  eventBody: T;
  metadata: { CorrelationId: string };
}

interface ChannelRecord {
  id: string;
  userId: string;
  clientId: string;
  token: string;
  expires: Date;
  topics: Map<string, Models.ChannelTopic>;
  socket?: WebSocket;
  heartbeat?: NodeJS.Timeout;
}

const CHANNELS_PER_USER_AND_CLIENT = 20;
const TOPICS_PER_CHANNEL = 1000;
/** Permission Genesys names when a user may not see call conversations. */
const CALL_VIEW_PERMISSION = 'conversation:call:view';

export interface NotificationsOptions {
  /** ws:// origin the sockets are reached at, known once the server listens. */
  socketOrigin: () => string;
  heartbeatIntervalMs: number;
  socketClosingGraceMs: number;
  /** How long a channel lives; Genesys: 24 h. At expiry its socket is closed. */
  channelLifetimeMs: number;
  log: (line: string) => void;
}

export class Notifications {
  private readonly channels = new Map<string, ChannelRecord>();
  private readonly closingTimers = new Set<NodeJS.Timeout>();
  private subscriptionsRejected = false;
  private silent = false;
  /** Sockets that went dead without closing: nothing reaches them any more. */
  private readonly dead = new WeakSet<WebSocket>();
  private readonly records: { channelId: string; openedAt: number; closedAt?: number }[] = [];
  private readonly made: { id: string; createdAt: number }[] = [];

  constructor(private readonly options: NotificationsOptions) {}

  /** Handles /api/v2/notifications/*; false when the path is not one of ours. */
  handleApi(method: string, path: string, query: URLSearchParams, grant: TokenGrant, body: string, res: ServerResponse): boolean {
    if (path === '/api/v2/notifications/channels') {
      if (method === 'POST') sendJson(res, 200, this.createChannel(grant));
      else if (method === 'GET') sendJson(res, 200, this.listChannels(grant, query.get('includechannels')));
      else return false;
      return true;
    }
    const match = /^\/api\/v2\/notifications\/channels\/([^/]+)\/subscriptions$/.exec(path);
    if (!match?.[1]) return false;
    const channel = this.liveChannel(decodeURIComponent(match[1]));
    if (!channel || channel.userId !== grant.userId) {
      sendError(res, 404, 'The requested channel was not found.');
      return true;
    }
    switch (method) {
      case 'GET':
        sendJson(res, 200, listing(channel));
        return true;
      case 'DELETE':
        channel.topics.clear();
        sendEmpty(res, 204);
        return true;
      case 'PUT':
      case 'POST': {
        const topics = parseTopics(body);
        if (!topics) {
          sendError(res, 400, 'The request body must be a list of topics: [{"id": "v2.users.{id}.conversations.calls"}].');
          return true;
        }
        const next = method === 'PUT' ? new Map<string, Models.ChannelTopic>() : new Map(channel.topics);
        for (const topic of topics) next.set(topic, this.decide(topic, grant.userId));
        if (next.size > TOPICS_PER_CHANNEL) {
          sendError(res, 400, `A channel can have at most ${TOPICS_PER_CHANNEL} topics.`);
          return true;
        }
        channel.topics = next;
        sendJson(res, 200, listing(channel));
        return true;
      }
      default:
        return false;
    }
  }

  /** Live channels and the sockets open on them now (each channel has at most one). */
  connections(): { channels: number; sockets: number } {
    const live = [...this.channels.keys()].filter((id) => this.liveChannel(id) !== undefined);
    return { channels: live.length, sockets: live.filter((id) => this.channels.get(id)?.socket !== undefined).length };
  }

  /** True when a socket may connect to this channel. */
  hasChannel(id: string): boolean {
    return this.liveChannel(id) !== undefined;
  }

  attach(channelId: string, socket: WebSocket): void {
    const channel = this.liveChannel(channelId);
    if (!channel) {
      socket.close(1008, 'Unknown channel');
      return;
    }
    // One socket per channel: the newcomer wins, as on Genesys.
    if (channel.socket) this.detach(channel, 1000, 'Replaced by a new connection to this channel');
    channel.socket = socket;
    const record: { channelId: string; openedAt: number; closedAt?: number } = { channelId: channel.id, openedAt: performance.now() };
    this.records.push(record);
    channel.heartbeat = setInterval(() => {
      if (!this.silent) this.send(socket, envelope('channel.metadata', { message: 'WebSocket Heartbeat' }));
    }, this.options.heartbeatIntervalMs);
    socket.on('message', (data, isBinary) => {
      if (isBinary || this.silent) return;
      const parsed = parseJson(data.toString());
      if (parsed.ok && isRecord(parsed.value) && parsed.value.message === 'ping') {
        this.send(socket, envelope('channel.metadata', { message: 'pong' }));
      }
      // Anything else is ignored: the socket is receive-only.
    });
    socket.on('ping', (data) => {
      if (!this.silent && !this.dead.has(socket)) socket.pong(data);
    });
    socket.on('close', () => {
      record.closedAt = performance.now();
      if (channel.socket !== socket) return;
      clearInterval(channel.heartbeat);
      delete channel.socket;
      delete channel.heartbeat;
    });
    this.options.log(`WS connected /channels/${channel.id}`);
  }

  /** Sends an event to every socket whose channel has this topic Permitted. Returns how many. */
  publish(topicName: string, eventBody: unknown): number {
    let sent = 0;
    for (const channel of this.channels.values()) {
      if (channel.socket && channel.topics.get(topicName)?.state === 'Permitted') {
        this.send(channel.socket, envelope(topicName, eventBody));
        sent += 1;
      }
    }
    this.options.log(`WS event ${topicName} -> ${sent} socket(s)`);
    return sent;
  }

  closeSockets(code?: number): void {
    for (const channel of this.channels.values()) if (channel.socket) this.detach(channel, code);
  }

  sendSocketClosing(): void {
    for (const channel of this.channels.values()) {
      const socket = channel.socket;
      if (!socket) continue;
      this.send(socket, envelope('v2.system.socket_closing', { message: 'This WebSocket will close soon. Please reconnect.' }));
      const timer = setTimeout(() => {
        this.closingTimers.delete(timer);
        if (channel.socket === socket) this.detach(channel, 1001, 'Socket closing');
      }, this.options.socketClosingGraceMs);
      this.closingTimers.add(timer);
    }
  }

  sendRaw(frame: string): void {
    for (const channel of this.channels.values()) if (channel.socket) this.send(channel.socket, frame);
  }

  /** Every channel ends now, as at its expiry: sockets closed, subscriptions and sockets refused with 404. */
  expireChannels(): void {
    for (const channel of [...this.channels.values()]) this.remove(channel);
  }

  /** The sockets open now go dead without closing: a half-open connection the client must notice. */
  silenceOpenSockets(): void {
    for (const channel of this.channels.values()) if (channel.socket) this.dead.add(channel.socket);
  }

  socketRecords(): { channelId: string; openedAt: number; closedAt?: number }[] {
    return this.records.map((record) => ({ ...record }));
  }

  createdChannels(): { id: string; createdAt: number }[] {
    return [...this.made];
  }

  private send(socket: WebSocket, frame: string): void {
    if (!this.dead.has(socket)) send(socket, frame);
  }

  setSubscriptionsRejected(rejected: boolean): void {
    this.subscriptionsRejected = rejected;
  }

  setSilent(silent: boolean): void {
    this.silent = silent;
  }

  close(): void {
    for (const timer of this.closingTimers) clearTimeout(timer);
    this.closingTimers.clear();
    for (const channel of this.channels.values()) if (channel.socket) this.detach(channel);
    this.channels.clear();
  }

  private createChannel(grant: TokenGrant): Models.Channel {
    const own = [...this.channels.values()].filter((c) => c.userId === grant.userId && c.clientId === grant.clientId);
    if (own.length >= CHANNELS_PER_USER_AND_CLIENT) {
      // The 21st replaces the oldest channel without a socket, else the oldest of all.
      const victim = own.find((c) => !c.socket) ?? own[0];
      if (victim) this.remove(victim);
    }
    const channel: ChannelRecord = {
      id: `streaming-0-${randomBytes(12).toString('hex')}`,
      userId: grant.userId,
      clientId: grant.clientId,
      token: grant.token,
      expires: new Date(Date.now() + this.options.channelLifetimeMs),
      topics: new Map(),
    };
    this.channels.set(channel.id, channel);
    this.made.push({ id: channel.id, createdAt: performance.now() });
    // An expired channel's socket is closed by Genesys, not merely refused next time.
    const expiry = setTimeout(() => this.liveChannel(channel.id), this.options.channelLifetimeMs + 10);
    expiry.unref();
    this.closingTimers.add(expiry);
    return this.describe(channel);
  }

  private listChannels(grant: TokenGrant, include: string | null): Models.ChannelEntityListing {
    // Default `token`: channels made with this token; `oauthclient`: all of this user's for the client.
    const entities = [...this.channels.values()]
      .filter((c) => this.liveChannel(c.id) && c.userId === grant.userId)
      .filter((c) => (include === 'oauthclient' ? c.clientId === grant.clientId : c.token === grant.token))
      .map((c) => this.describe(c));
    return { entities };
  }

  private describe(channel: ChannelRecord): Models.Channel {
    return {
      connectUri: `${this.options.socketOrigin()}/channels/${channel.id}`,
      id: channel.id,
      expires: channel.expires.toISOString(),
    };
  }

  private decide(topic: string, userId: string): Models.ChannelTopic {
    const user = /^v2\.users\.([^.]+)\./.exec(topic)?.[1];
    if (user !== undefined && user !== userId) {
      return { id: topic, state: 'Rejected', rejectionReason: 'You are not authorized to subscribe to another user\'s topic.' };
    }
    if (this.subscriptionsRejected && /^v2\.users\.[^.]+\.conversations(\.calls)?$/.test(topic)) {
      return { id: topic, state: 'Rejected', rejectionReason: 'Missing permissions', missingPermissions: [CALL_VIEW_PERMISSION] };
    }
    return { id: topic, state: 'Permitted' };
  }

  private liveChannel(id: string): ChannelRecord | undefined {
    const channel = this.channels.get(id);
    if (channel && channel.expires.getTime() <= Date.now()) {
      this.remove(channel);
      return undefined;
    }
    return channel;
  }

  private remove(channel: ChannelRecord): void {
    if (channel.socket) this.detach(channel, 1000, 'Channel removed');
    this.channels.delete(channel.id);
  }

  /** Closes a channel's socket; no code means drop it without a close frame (abnormal closure). */
  private detach(channel: ChannelRecord, code?: number, reason = ''): void {
    const socket = channel.socket;
    clearInterval(channel.heartbeat);
    delete channel.socket;
    delete channel.heartbeat;
    if (!socket) return;
    if (code === undefined || code === 1005 || code === 1006) socket.terminate();
    else socket.close(code, reason);
  }
}

function envelope(topicName: string, eventBody: unknown): string {
  const frame: NotificationEnvelope = { topicName, version: '2', eventBody, metadata: { CorrelationId: randomUUID() } };
  return JSON.stringify(frame);
}

function send(socket: WebSocket, frame: string): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(frame);
}

function listing(channel: ChannelRecord): Models.ChannelTopicEntityListing {
  return { entities: [...channel.topics.values()] };
}

/** The subscription body: `[{id: topic}, ...]`; undefined when it is anything else. */
function parseTopics(body: string): string[] | undefined {
  const parsed = parseJson(body);
  if (!parsed.ok || !Array.isArray(parsed.value)) return undefined;
  const topics: string[] = [];
  for (const item of parsed.value as unknown[]) {
    if (!isRecord(item) || typeof item.id !== 'string' || item.id === '') return undefined;
    topics.push(item.id);
  }
  return topics;
}
