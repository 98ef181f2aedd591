// The Notifications API socket: receive-only apart from `{"message":"ping"}`. It is the only
// source of live call state; the worker pings it often enough that Chrome keeps the worker alive
// (Chrome 116+ extends a worker's life on WebSocket activity) and that a dead socket is noticed.

/** The envelope every frame has. Genesys publishes no type for it. */
export interface NotificationFrame {
  topicName: string;
  version?: string;
  eventBody?: unknown;
  metadata?: { CorrelationId?: string };
}

export type FrameMeaning =
  | { kind: 'heartbeat' }
  | { kind: 'pong' }
  | { kind: 'closing' }
  | { kind: 'call'; eventBody: unknown }
  | { kind: 'ignored' };

/** Reads one text frame. Garbage, other topics and other users' topics are ignored, never thrown. */
export function readFrame(data: unknown, callsTopic: string): FrameMeaning {
  if (typeof data !== 'string') return { kind: 'ignored' };
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return { kind: 'ignored' };
  }
  if (typeof frame !== 'object' || frame === null) return { kind: 'ignored' };
  const { topicName, eventBody } = frame as Partial<NotificationFrame>;
  if (typeof topicName !== 'string') return { kind: 'ignored' };
  if (topicName === 'channel.metadata') {
    const message = typeof eventBody === 'object' && eventBody !== null ? (eventBody as { message?: unknown }).message : undefined;
    return message === 'pong' ? { kind: 'pong' } : { kind: 'heartbeat' };
  }
  if (topicName === 'v2.system.socket_closing') return { kind: 'closing' };
  if (topicName.toLowerCase() === callsTopic.toLowerCase() && typeof eventBody === 'object' && eventBody !== null) {
    return { kind: 'call', eventBody };
  }
  return { kind: 'ignored' };
}

export interface SocketTiming {
  /**
   * How often to ping. Chrome stops a worker idle for 30 s; Genesys answers every ping, so a ping
   * with no frame at all before the next one means the socket is dead even if it looks open.
   */
  pingEveryMs: number;
}

export const DEFAULT_SOCKET_TIMING: SocketTiming = { pingEveryMs: 20_000 };

export interface SocketEvents {
  opened: () => void;
  callEvent: (eventBody: unknown) => void;
  /** Genesys announced it will close this socket soon. */
  closing: () => void;
  /** The socket closed, failed or went silent; it is already shut. */
  lost: (reason: string) => void;
}

export class NotificationSocket {
  private readonly socket: WebSocket;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private lastFrameAt = Date.now();
  private lastPingAt: number | undefined;
  private done = false;

  constructor(
    url: string,
    private readonly callsTopic: string,
    private readonly events: SocketEvents,
    private readonly timing: SocketTiming = DEFAULT_SOCKET_TIMING,
  ) {
    this.socket = new WebSocket(url);
    this.socket.addEventListener('open', () => {
      this.lastFrameAt = Date.now();
      this.pingTimer = setInterval(() => this.tick(), this.timing.pingEveryMs);
      this.events.opened();
    });
    this.socket.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
    this.socket.addEventListener('close', (event: CloseEvent) => this.finish(`closed (${event.code})`));
    this.socket.addEventListener('error', () => this.finish('error'));
  }

  close(): void {
    this.done = true;
    this.stopTimers();
    this.socket.close(1000);
  }

  private tick(): void {
    if (this.lastPingAt !== undefined && this.lastFrameAt < this.lastPingAt) {
      this.finish('silent');
      return;
    }
    if (this.socket.readyState === WebSocket.OPEN) {
      this.lastPingAt = Date.now();
      this.socket.send(JSON.stringify({ message: 'ping' }));
    }
  }

  private receive(data: unknown): void {
    this.lastFrameAt = Date.now();
    const meaning = readFrame(data, this.callsTopic);
    if (meaning.kind === 'call') this.events.callEvent(meaning.eventBody);
    else if (meaning.kind === 'closing') this.events.closing();
  }

  private finish(reason: string): void {
    if (this.done) return;
    this.done = true;
    this.stopTimers();
    try {
      this.socket.close();
    } catch {
      // Already closed.
    }
    this.events.lost(reason);
  }

  private stopTimers(): void {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }
}
