// Runs the connection machine's effects (machine.ts) through the seams that do the work: the
// Genesys client, the notification socket, timers. Each lane's work gets its own AbortController;
// whatever a cancelled lane finishes later is dropped here, so the machine only hears live news.
import { GenesysError, type GenesysApi } from '../genesys';
import { NotificationSocket, type SocketEvents } from '../notifications';
import { callsTopic } from '../calls';
import { channelRenewalAt, SubscriptionRejected, usableChannel, type StoredChannel } from './channel';
import { backoffDelay, IDLE, transition, type ConnectionEffect, type ConnectionEvent, type ConnectionState, type FailureCause, type Lane } from './machine';
import { clampDelay } from '../timers';

/** What the driver needs from the worker. */
export interface ConnectionHost {
  /** A client for the current token; throws a 401 GenesysError when there is none. */
  api(): GenesysApi;
  /** The signed-in agent, fetched (users/me) and remembered on first need. */
  agentId(api: GenesysApi, signal: AbortSignal): Promise<string>;
  /** The channel to reuse, and where to keep a new one (it survives a stopped worker). */
  storedChannel(): StoredChannel | undefined;
  keepChannel(channel: StoredChannel): void;
  /** Whether `connectUri` is the configured region's notification host. */
  trustedSocketUri(connectUri: string): boolean;
  /** One calls-topic event body. */
  callEvent(eventBody: unknown): void;
  /**
   * A snapshot of the calls, with the events heard while it was fetched (to apply on top).
   * `afterGap`: fetched after a new socket replaced a lost one (a connect), so events may have been
   * missed; a refresh beside an open socket (a move keeps the old one until the new is open) missed none.
   */
  snapshot(listing: unknown, heardMeanwhile: readonly unknown[], afterGap: boolean): void;
  /** Genesys refused the token: get a new one, then dispatch `token`. */
  needToken(): void;
  /** The state changed (for the views). */
  changed(state: ConnectionState, event: ConnectionEvent): void;
}

export type SocketFactory = (url: string, topic: string, events: SocketEvents) => Pick<NotificationSocket, 'close'>;

export interface DriverOptions {
  socket?: SocketFactory;
  random?: () => number;
  now?: () => number;
}

interface OpenSocket {
  socket: Pick<NotificationSocket, 'close'>;
  channel: StoredChannel;
}

function causeOf(error: unknown): FailureCause {
  if (error instanceof SubscriptionRejected) return { kind: 'rejected', message: error.message };
  if (error instanceof GenesysError && error.status === 401) return { kind: 'unauthorized' };
  const detail = error instanceof GenesysError ? (error.status === 0 ? 'network' : `HTTP ${error.status}`) : 'unexpected error';
  if (error instanceof GenesysError && error.retryAfterSeconds !== undefined) return { kind: 'transient', retryAfterMs: error.retryAfterSeconds * 1000, detail };
  return { kind: 'transient', detail };
}

export class ConnectionDriver {
  private current: ConnectionState = IDLE;
  /** Events dispatched while another was being handled, in order (see dispatch). */
  private readonly queue: ConnectionEvent[] = [];
  private dispatching = false;
  private readonly lanes = new Map<Lane, AbortController>();
  /** The channel each lane prepared (connect: the first; move: a renewal's new one). */
  private readonly laneChannels = new Map<Lane, StoredChannel>();
  /** Each lane's socket until it is adopted as the open one. */
  private readonly laneSockets = new Map<Lane, OpenSocket>();
  private open: OpenSocket | undefined;
  /** Events heard while each catch-up's GET is under way. */
  private readonly heard = new Map<Lane, unknown[]>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly makeSocket: SocketFactory;
  private readonly random: () => number;
  private readonly now: () => number;
  /** The agent whose calls topic the sockets listen to (learnt when preparing). */
  private userId: string | undefined;
  /**
   * A channel a move made that no socket uses yet (its subscription or its socket failed): the
   * next renewal attempt, or a connect whose stored channel is near its end, subscribes it again
   * while it is usable instead of making another. Forgotten when stopped (idle).
   */
  private spare: StoredChannel | undefined;

  constructor(
    private readonly host: ConnectionHost,
    options: DriverOptions = {},
  ) {
    this.makeSocket = options.socket ?? ((url, topic, events) => new NotificationSocket(url, topic, events));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  get state(): ConnectionState {
    return this.current;
  }

  /**
   * Hands `event` to the machine. Never re-entered: an event dispatched while one is being handled
   * (by an effect, such as a socket that cannot open, or by the host, such as a token handed over
   * at once from needToken) waits its turn, so each transition runs whole, on the state the one
   * before left, and the host hears each change in order.
   */
  dispatch(event: ConnectionEvent): void {
    this.queue.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    let failure: { error: unknown } | undefined;
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      try {
        this.handle(next);
      } catch (error) {
        // The events behind it still count; the first error is thrown once they are handled.
        failure ??= { error };
      }
    }
    this.dispatching = false;
    if (failure) throw failure.error;
  }

  private handle(event: ConnectionEvent): void {
    const { state, effects } = transition(this.current, event);
    const changed = state !== this.current;
    this.current = state;
    // Signed out or the settings changed: a channel kept aside may belong to another agent or org.
    if (state.phase === 'idle') this.spare = undefined;
    for (const effect of effects) this.run(effect);
    if (changed) this.host.changed(state, event);
  }

  private run(effect: ConnectionEffect): void {
    switch (effect.type) {
      case 'prepare':
        void this.prepare(effect.lane, effect.newChannel);
        return;
      case 'open-socket':
        this.openSocket(effect.lane);
        return;
      case 'reopen-socket':
        this.reopenSocket();
        return;
      case 'adopt-socket': {
        const incoming = this.laneSockets.get(effect.lane);
        this.laneSockets.delete(effect.lane);
        this.laneChannels.delete(effect.lane);
        if (!incoming) return;
        // Only now does the old one go: there is never a moment without an open socket.
        if (this.open && this.open.socket !== incoming.socket) this.open.socket.close();
        this.open = incoming;
        if (incoming.channel.id !== this.host.storedChannel()?.id) this.host.keepChannel(incoming.channel);
        if (incoming.channel.id === this.spare?.id) this.spare = undefined;
        return;
      }
      case 'catch-up':
        void this.catchUp(effect.lane);
        return;
      case 'cancel':
        for (const lane of effect.lanes) this.cancel(lane);
        return;
      case 'close-socket':
        this.open?.socket.close();
        this.open = undefined;
        return;
      case 'retry-later':
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.dispatch({ type: 'retry-due' }), clampDelay(backoffDelay(effect.failures, this.random(), effect.atLeastMs, effect.spread)));
        return;
      case 'cancel-retry':
        clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
        return;
      case 'schedule-renewal':
        if (this.open) this.renewIn(channelRenewalAt(this.open.channel) - this.now());
        return;
      case 'renew-later':
        this.renewIn(backoffDelay(effect.failures, this.random()));
        return;
      case 'cancel-renewal':
        clearTimeout(this.renewTimer);
        this.renewTimer = undefined;
        return;
      case 'need-token':
        this.host.needToken();
        return;
    }
  }

  private renewIn(ms: number): void {
    clearTimeout(this.renewTimer);
    // At least a second: a clock gone wrong must not become a renewal loop.
    this.renewTimer = setTimeout(() => this.dispatch({ type: 'renewal-due' }), clampDelay(Math.max(1_000, ms)));
  }

  /** A fresh controller for `lane`, cancelling whatever the lane was doing. */
  private begin(lane: Lane): AbortSignal {
    this.cancel(lane);
    const controller = new AbortController();
    this.lanes.set(lane, controller);
    return controller.signal;
  }

  private cancel(lane: Lane): void {
    this.lanes.get(lane)?.abort();
    this.lanes.delete(lane);
    this.laneChannels.delete(lane);
    this.heard.delete(lane);
    const socket = this.laneSockets.get(lane);
    this.laneSockets.delete(lane);
    if (socket && socket !== this.open) socket.socket.close();
  }

  /** Runs `work` for `lane` and reports its outcome, unless the lane was cancelled meanwhile. */
  private async attempt(lane: Lane, signal: AbortSignal, work: () => Promise<ConnectionEvent>): Promise<void> {
    let event: ConnectionEvent;
    try {
      event = await work();
    } catch (error) {
      event = { type: 'failed', lane, cause: causeOf(error) };
    }
    if (!signal.aborted) this.dispatch(event);
  }

  private async prepare(lane: 'connect' | 'move', newChannel: boolean): Promise<void> {
    const signal = this.begin(lane);
    await this.attempt(lane, signal, async () => {
      const api = this.host.api();
      const userId = await this.host.agentId(api, signal);
      this.userId = userId;
      const channel = await usableChannel(api, userId, this.reusableChannel(newChannel), {
        now: this.now,
        signal,
        created: (made) => {
          this.checkTrusted(made);
          if (signal.aborted) return;
          // Kept as soon as it exists, so a refused subscription never costs another channel: a
          // connect's as the stored one (a restarted worker reuses it too), a move's aside until
          // its socket is adopted (then it is stored).
          if (lane === 'connect') this.host.keepChannel(made);
          else this.spare = made;
        },
      });
      this.checkTrusted(channel);
      this.laneChannels.set(lane, channel);
      // A connect that took the channel kept aside: it is the stored one now.
      if (lane === 'connect' && channel.id !== this.host.storedChannel()?.id) this.host.keepChannel(channel);
      if (lane === 'connect' && channel.id === this.spare?.id) this.spare = undefined;
      return { type: 'prepared', lane };
    });
  }

  /**
   * The channel `prepare` may subscribe again rather than make one: the stored one while usable
   * (never for a renewal, which is there to leave it), else the one kept aside while usable.
   */
  private reusableChannel(newChannel: boolean): StoredChannel | undefined {
    const now = this.now();
    const stored = this.host.storedChannel();
    if (!newChannel && stored && channelRenewalAt(stored) > now) return stored;
    if (this.spare && channelRenewalAt(this.spare) <= now) this.spare = undefined;
    return this.spare;
  }

  private checkTrusted(channel: StoredChannel): void {
    if (!this.host.trustedSocketUri(channel.connectUri)) {
      throw new GenesysError(500, 'bad.response', 'Genesys Cloud gave a notification address outside its own hosts.');
    }
  }

  /**
   * The connect lane's socket on the stored channel, with no request before it: Genesys keeps a
   * channel's subscriptions for its life, across sockets (the channel id in `connectUri` is the
   * socket's credential). A channel due for renewal is not reopened: the connection prepares at once
   * instead (the machine plans no reopen when it knows, but a channel can come due during the
   * backoff, or while a laptop slept).
   */
  private reopenSocket(): void {
    this.begin('connect');
    const stored = this.host.storedChannel();
    if (!stored || channelRenewalAt(stored) <= this.now()) {
      this.dispatch({ type: 'failed', lane: 'connect', cause: { kind: 'not-reopened', detail: stored ? 'channel near its end' : 'no channel stored' } });
      return;
    }
    this.laneChannels.set('connect', stored);
    this.openSocket('connect');
  }

  private openSocket(lane: 'connect' | 'move'): void {
    const channel = this.laneChannels.get(lane) ?? (lane === 'move' ? this.open?.channel : undefined);
    const signal = this.lanes.get(lane)?.signal ?? this.begin(lane);
    const userId = this.userId;
    if (!channel || userId === undefined) {
      this.dispatch({ type: 'failed', lane, cause: { kind: 'transient', detail: 'no channel to open' } });
      return;
    }
    const entry: OpenSocket = {
      channel,
      socket: this.makeSocket(channel.connectUri, callsTopic(userId), {
        opened: () => {
          if (!signal.aborted) this.dispatch({ type: 'opened', lane });
        },
        callEvent: (eventBody) => {
          if (this.open !== entry && signal.aborted) return;
          for (const buffer of this.heard.values()) buffer.push(eventBody);
          this.host.callEvent(eventBody);
        },
        closing: () => {
          if (this.open === entry) this.dispatch({ type: 'socket-closing' });
        },
        lost: (reason) => {
          if (this.open === entry) {
            this.open = undefined;
            this.dispatch({ type: 'socket-lost', reason });
          } else if (!signal.aborted && this.laneSockets.get(lane) === entry) {
            this.laneSockets.delete(lane);
            this.dispatch({ type: 'failed', lane, cause: { kind: 'transient', detail: `socket ${reason}` } });
          }
        },
      }),
    };
    this.laneSockets.set(lane, entry);
  }

  private async catchUp(lane: 'connect' | 'refresh'): Promise<void> {
    // The connect lane goes on with its own controller; a refresh starts its own.
    const signal = lane === 'connect' ? (this.lanes.get(lane)?.signal ?? this.begin(lane)) : this.begin(lane);
    const heard: unknown[] = [];
    this.heard.set(lane, heard);
    await this.attempt(lane, signal, async () => {
      const listing = await this.host.api().getCalls(signal);
      if (!signal.aborted) this.host.snapshot(listing, heard, lane === 'connect');
      return { type: 'caught-up', lane };
    });
    if (this.heard.get(lane) === heard) this.heard.delete(lane);
    // Done: the lane's controller has nothing left to cancel.
    if (this.lanes.get(lane)?.signal === signal) this.lanes.delete(lane);
  }
}
