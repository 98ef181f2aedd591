// The one way to read and watch the config (config.ts) from the background or an extension page:
// both storage areas, policy winning, whether each value is locked, and every change after.
import { CONFIG_LOCAL_KEYS, localItems, resolveConfig, type Config, type ResolvedConfig, type StoredArea } from './config';

/** The storage calls the source makes; `chrome.storage` in the extension, a fake in tests. */
export interface ConfigStorage {
  getLocal(): Promise<StoredArea>;
  setLocal(items: Record<string, unknown>): Promise<void>;
  /** Rejects when no policy is installed (Firefox), which only means nothing is locked. */
  getManaged(): Promise<StoredArea>;
}

export const chromeConfigStorage: ConfigStorage = {
  getLocal: () => chrome.storage.local.get(null),
  setLocal: (items) => chrome.storage.local.set(items),
  getManaged: () => chrome.storage.managed.get(null),
};

/**
 * How long loading waits for policy before it goes on with the agent's own settings. Chromium
 * sometimes never answers the first managed read after an extension update; policy that comes
 * later still wins (it is applied when it arrives).
 */
export const MANAGED_WAIT_MS = 3_000;

type Listener = (config: ResolvedConfig, previous: ResolvedConfig) => void;

export class ConfigSource {
  private local: StoredArea = {};
  private managed: StoredArea = {};
  current: ResolvedConfig = resolveConfig({}, {});
  /** Resolves when the agent's own settings are read (policy may come later: listeners hear it). */
  readonly localReady: Promise<void>;
  /** Resolves when policy answered too, or did not within `managedWaitMs`. */
  readonly ready: Promise<void>;
  /**
   * Whether the policy (managed storage) read has answered — an answer that there is no policy
   * counts — with no time bound, unlike `ready`: what may only happen once the admin's word is
   * known (the microphone) waits for this. If the read never answers, this stays false.
   */
  policyAnswered = false;
  /** Resolves when `policyAnswered` becomes true; never, if the read never answers. */
  readonly policyRead: Promise<void>;
  private policyHeard!: () => void;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly storage: ConfigStorage = chromeConfigStorage,
    private readonly managedWaitMs = MANAGED_WAIT_MS,
  ) {
    this.policyRead = new Promise((resolve) => (this.policyHeard = resolve));
    // Asked for first: after a browser start the answer can take seconds.
    const managed = this.readManaged();
    this.localReady = this.storage.getLocal().then(
      (local) => this.replace('local', local),
      () => undefined,
    );
    const arrived = this.localReady.then(() => managed).then((value) => this.replace('managed', value));
    this.ready = Promise.race([arrived, new Promise<void>((resolve) => setTimeout(resolve, this.managedWaitMs))]);
  }

  private readManaged(): Promise<StoredArea> {
    try {
      return this.storage.getManaged().catch(() => ({}));
    } catch {
      return Promise.resolve({});
    }
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A `storage.onChanged` event (registered at the background's top level, so a change wakes it).
   * Managed changes are read again as a whole: the event's values are as untrusted as any.
   */
  storageChanged(changes: Record<string, { newValue?: unknown }>, area: string): void {
    if (area === 'managed') {
      void this.readManaged().then((value) => this.replace('managed', value));
      return;
    }
    if (area !== 'local' || !Object.keys(changes).some((key) => CONFIG_LOCAL_KEYS.has(key))) return;
    const local: Record<string, unknown> = { ...this.local };
    for (const [key, change] of Object.entries(changes)) {
      if (change.newValue === undefined) delete local[key];
      else local[key] = change.newValue;
    }
    this.replace('local', local);
  }

  /** Saves what the agent changed (policy-locked values stay as the admin set them). */
  async set(changes: Partial<Config>): Promise<void> {
    const items = localItems(changes, this.local);
    await this.storage.setLocal(items);
    this.replace('local', { ...this.local, ...items });
  }

  private replace(area: 'local' | 'managed', value: StoredArea): void {
    if (area === 'local') this.local = value;
    else this.managed = value;
    const previous = this.current;
    const next = resolveConfig(this.local, this.managed);
    const changed = JSON.stringify({ ...next, locked: [...next.locked] }) !== JSON.stringify({ ...previous, locked: [...previous.locked] });
    if (changed) this.current = next;
    // Known before the listeners hear the policy it brought.
    if (area === 'managed') this.policyAnswered = true;
    if (changed) for (const listener of this.listeners) listener(next, previous);
    if (area === 'managed') this.policyHeard();
  }
}
