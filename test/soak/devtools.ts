// A second DevTools client beside Playwright's, on the browser's debugging port: it attaches to
// every page and to each new service worker as it starts (Chrome starts a new one after every stop
// and reload), and hears what Playwright does not report for workers — uncaught exceptions,
// unhandled rejections, and the browser's own log lines — and measures JS heaps after a GC.
import { createServer } from 'node:net';
import WebSocket from 'ws';

export interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/** One thing a target said: a console call, an uncaught exception, or a browser log line. */
export interface Utterance {
  /** Epoch ms. */
  at: number;
  target: TargetInfo;
  kind: 'console' | 'exception' | 'log';
  level: string;
  text: string;
  /** Whose code: the extension's (worker, its pages, its content script) or the page's own. */
  ours: boolean;
  /** Log lines: the browser's source (`network`, ...). */
  source?: string;
}

interface ExecutionContext {
  id: number;
  origin: string;
  name: string;
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** A free loopback port for --remote-debugging-port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class Devtools {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private readonly sessions = new Map<string, TargetInfo>();
  private readonly targets = new Map<string, TargetInfo>();
  private readonly attaching = new Set<string>();
  /** Each session's execution contexts, to tell the extension's code from the page's. */
  private readonly contexts = new Map<string, Map<number, ExecutionContext>>();
  private readonly listeners: ((utterance: Utterance) => void)[] = [];
  /**
   * Each start of the extension's service worker (its DevTools target stays the same across a
   * stop and a restart; each start makes a new execution context in it).
   */
  readonly workers: number[] = [];
  private readonly workerListeners: ((index: number) => void)[] = [];

  private constructor(
    private readonly socket: WebSocket,
    private readonly extensionOrigin: string,
  ) {
    socket.on('message', (data) => this.receive(JSON.parse(data.toString()) as Message));
  }

  static async connect(port: number, extensionId: string): Promise<Devtools> {
    let url: string | undefined;
    for (let attempt = 0; attempt < 50 && !url; attempt++) {
      try {
        url = ((await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { webSocketDebuggerUrl: string }).webSocketDebuggerUrl;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    if (!url) throw new Error(`No DevTools endpoint on port ${port}`);
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const devtools = new Devtools(socket, `chrome-extension://${extensionId}`);
    await devtools.send('Target.setDiscoverTargets', { discover: true });
    return devtools;
  }

  onUtterance(listener: (utterance: Utterance) => void): void {
    this.listeners.push(listener);
  }

  onWorkerStarted(listener: (index: number) => void): void {
    this.workerListeners.push(listener);
  }

  /** 1 for the first service worker seen, 2 for the one after, ... (the latest start). */
  workerNumber(target: TargetInfo): number {
    return this.isWorker(target) ? this.workers.length : 0;
  }

  close(): void {
    this.socket.close();
  }

  /** Used JS heap of the first target `match` accepts, after a full GC; undefined if none answers. */
  async heap(match: (target: TargetInfo) => boolean): Promise<number | undefined> {
    const entry = [...this.sessions].reverse().find(([, target]) => match(target));
    if (!entry) return undefined;
    const [sessionId] = entry;
    try {
      await this.send('HeapProfiler.collectGarbage', {}, sessionId, 10_000);
      await this.send('HeapProfiler.collectGarbage', {}, sessionId, 10_000);
      const usage = await this.send('Runtime.getHeapUsage', {}, sessionId, 5_000);
      return usage.result?.['usedSize'] as number | undefined;
    } catch {
      return undefined;
    }
  }

  isWorker(target: TargetInfo): boolean {
    return target.type === 'service_worker' && target.url.startsWith(this.extensionOrigin);
  }

  send(method: string, params: object = {}, sessionId?: string, timeoutMs = 5_000): Promise<Message> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${method}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (message) => {
          clearTimeout(timer);
          if (message.error) reject(new Error(`${method}: ${message.error.message}`));
          else resolve(message);
        },
        reject,
      });
      this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  private receive(message: Message): void {
    if (message.id !== undefined) {
      this.waiting.get(message.id)?.resolve(message);
      this.waiting.delete(message.id);
      return;
    }
    // Neither an answer nor an event: nothing to hear.
    if (message.method === undefined) return;
    const params = message.params ?? {};
    switch (message.method) {
      case 'Target.targetCreated':
      case 'Target.targetInfoChanged': {
        const info = params['targetInfo'] as TargetInfo;
        this.targets.set(info.targetId, info);
        for (const [sessionId, target] of this.sessions) if (target.targetId === info.targetId) this.sessions.set(sessionId, info);
        if (this.wanted(info)) void this.attach(info);
        return;
      }
      case 'Target.targetDestroyed':
        this.targets.delete(params['targetId'] as string);
        return;
      case 'Target.detachedFromTarget':
        this.sessions.delete(params['sessionId'] as string);
        this.contexts.delete(params['sessionId'] as string);
        return;
    }
    const sessionId = message.sessionId;
    const target = sessionId ? this.sessions.get(sessionId) : undefined;
    if (!sessionId || !target) return;
    switch (message.method) {
      case 'Runtime.executionContextCreated': {
        const context = params['context'] as ExecutionContext;
        if (this.isWorker(target)) {
          this.workers.push(Date.now());
          for (const listener of this.workerListeners) listener(this.workers.length);
        }
        if (!this.contexts.has(sessionId)) this.contexts.set(sessionId, new Map());
        this.contexts.get(sessionId)!.set(context.id, context);
        return;
      }
      case 'Runtime.consoleAPICalled': {
        const args = (params['args'] as { value?: unknown; description?: string; type: string }[]) ?? [];
        const text = args.map((arg) => (arg.value !== undefined ? String(arg.value) : (arg.description ?? arg.type))).join(' ');
        this.emit({ at: Date.now(), target, kind: 'console', level: String(params['type']), text, ours: this.ours(sessionId, target, params['executionContextId'] as number) });
        return;
      }
      case 'Runtime.exceptionThrown': {
        const details = params['exceptionDetails'] as { text: string; executionContextId?: number; exception?: { description?: string; value?: unknown }; url?: string };
        const text = `${details.text} ${details.exception?.description ?? String(details.exception?.value ?? '')}`.trim();
        this.emit({ at: Date.now(), target, kind: 'exception', level: 'error', text, ours: this.ours(sessionId, target, details.executionContextId) });
        return;
      }
      case 'Log.entryAdded': {
        const entry = params['entry'] as { level: string; text: string; source: string; url?: string };
        this.emit({ at: Date.now(), target, kind: 'log', level: entry.level, text: entry.text, source: entry.source, ours: this.isWorker(target) || target.url.startsWith(this.extensionOrigin) });
        return;
      }
    }
  }

  private wanted(info: TargetInfo): boolean {
    return !this.attaching.has(info.targetId) && ![...this.sessions.values()].some((t) => t.targetId === info.targetId) && (this.isWorker(info) || info.type === 'page');
  }

  private async attach(info: TargetInfo): Promise<void> {
    this.attaching.add(info.targetId);
    try {
      const attached = await this.send('Target.attachToTarget', { targetId: info.targetId, flatten: true });
      const sessionId = attached.result?.['sessionId'] as string;
      this.sessions.set(sessionId, this.targets.get(info.targetId) ?? info);
      await Promise.all([this.send('Runtime.enable', {}, sessionId), this.send('Log.enable', {}, sessionId)]);
    } catch {
      // The target went away while we attached (a worker stopped at once): nothing to hear.
    } finally {
      this.attaching.delete(info.targetId);
    }
  }

  /** The worker and extension pages are ours; in a web page, only the content script's isolated world. */
  private ours(sessionId: string, target: TargetInfo, contextId: number | undefined): boolean {
    if (this.isWorker(target) || target.url.startsWith(this.extensionOrigin)) return true;
    const context = contextId === undefined ? undefined : this.contexts.get(sessionId)?.get(contextId);
    // A content script's isolated world has the extension's origin (Playwright's own worlds do not).
    return context !== undefined && context.origin.startsWith(this.extensionOrigin);
  }

  private emit(utterance: Utterance): void {
    for (const listener of this.listeners) listener(utterance);
  }
}
