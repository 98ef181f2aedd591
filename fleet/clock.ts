// One simulated clock for the whole fleet. While installed, `Date.now`, `setTimeout`,
// `setInterval` (and their clears) and `AbortSignal.timeout` run on it, so every agent's real
// code, the model of Genesys and the drivers' `now` agree. Time moves only when `run` fires the
// next timer; after each timer every promise reaction it caused runs before the next one fires,
// as a browser runs its microtasks after each task.
//
// Timers sit in a binary heap (10,000 agents keep tens of thousands of timers alive), ordered by
// due time, then by creation: two timers due at the same millisecond fire in the order they were set.

interface Timer {
  id: number;
  at: number;
  seq: number;
  callback: () => void;
  /** Repeats every `every` ms (setInterval). */
  every?: number;
  cancelled: boolean;
}

/** Resolves once the microtask queue is empty (Node runs `nextTick` callbacks only then). */
function settled(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

export class SimClock {
  now: number;
  private readonly heap: Timer[] = [];
  private readonly byId = new Map<number, Timer>();
  private seq = 0;
  private nextId = 1;
  /** Errors thrown by timer callbacks (a browser reports them and goes on). */
  readonly errors: unknown[] = [];
  private restore: (() => void) | undefined;

  constructor(start: number) {
    this.now = start;
  }

  setTimeout(callback: () => void, ms = 0, every?: number): number {
    const delay = Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0;
    const timer: Timer = { id: this.nextId++, at: this.now + delay, seq: this.seq++, callback, cancelled: false, ...(every !== undefined ? { every: Math.max(1, delay) } : {}) };
    this.byId.set(timer.id, timer);
    this.push(timer);
    return timer.id;
  }

  clearTimeout(id: unknown): void {
    if (typeof id !== 'number') return;
    const timer = this.byId.get(id);
    if (!timer) return;
    timer.cancelled = true;
    this.byId.delete(id);
  }

  /** Timers still to fire. */
  get pending(): number {
    return this.byId.size;
  }

  /** Puts this clock in place of the global one until `uninstall`. */
  install(): void {
    if (this.restore) return;
    const global = globalThis as unknown as Record<string, unknown>;
    const saved = {
      setTimeout: global['setTimeout'],
      clearTimeout: global['clearTimeout'],
      setInterval: global['setInterval'],
      clearInterval: global['clearInterval'],
      now: Date.now,
      timeout: AbortSignal.timeout,
    };
    global['setTimeout'] = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => this.setTimeout(() => callback(...args), ms);
    global['clearTimeout'] = (id: unknown) => this.clearTimeout(id);
    global['setInterval'] = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => this.setTimeout(() => callback(...args), ms, ms ?? 0);
    global['clearInterval'] = (id: unknown) => this.clearTimeout(id);
    Date.now = () => this.now;
    AbortSignal.timeout = (ms: number) => {
      const controller = new AbortController();
      this.setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
      return controller.signal;
    };
    this.restore = () => {
      Object.assign(global, { setTimeout: saved.setTimeout, clearTimeout: saved.clearTimeout, setInterval: saved.setInterval, clearInterval: saved.clearInterval });
      Date.now = saved.now;
      AbortSignal.timeout = saved.timeout;
    };
  }

  uninstall(): void {
    this.restore?.();
    this.restore = undefined;
  }

  /** Fires every timer due up to `until` in order, letting each one's promise reactions run; then stands at `until`. */
  async run(until: number): Promise<void> {
    await settled();
    for (;;) {
      const timer = this.heap[0];
      if (!timer || timer.at > until) break;
      this.pop();
      if (timer.cancelled) continue;
      this.now = timer.at;
      if (timer.every !== undefined) {
        timer.at += timer.every;
        timer.seq = this.seq++;
        this.push(timer);
      } else {
        this.byId.delete(timer.id);
      }
      try {
        timer.callback();
      } catch (error) {
        this.errors.push(error);
      }
      await settled();
    }
    this.now = Math.max(this.now, until);
  }

  private before(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && this.before(heap[left]!, heap[least]!)) least = left;
      if (right < heap.length && this.before(heap[right]!, heap[least]!)) least = right;
      if (least === i) break;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  }
}
