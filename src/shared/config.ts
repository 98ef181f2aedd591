// Every value an agent or an admin sets, in one table: where it lives in chrome.storage.local, its
// counterpart in managed storage (public/managed-schema.json; a unit test keeps the two in step),
// how it is read from untrusted storage, and its default. One rule for all: a value set by policy
// wins over the agent's own and shows as locked.
import { readPosition, type Position } from './position';

/** `chrome.storage.local` keys; `settings` and `preferences` are interfaces admins rely on (README). */
export const LOCAL_KEYS = { settings: 'settings', preferences: 'preferences', position: 'controlPosition', signedOut: 'signedOut' } as const;
type LocalKey = (typeof LOCAL_KEYS)[keyof typeof LOCAL_KEYS];

export interface Config {
  /** A Genesys region domain such as `mypurecloud.com` (or, in the e2e build, a loopback origin). */
  environment: string | undefined;
  /** The admin's OAuth client id (Authorization Code with PKCE). */
  clientId: string | undefined;
  /** A short sound on every mute and unmute. */
  sound: boolean;
  /** Warn the agent who talks while muted (listens to the microphone only while muted on a call). */
  speakingWhileMuted: boolean;
  /** Where the agent dragged the floating page control. */
  position: Position | undefined;
}

export type ConfigKey = keyof Config;

interface Entry<K extends ConfigKey> {
  /** The local storage key and the field inside its object (undefined: the value is the key's own). */
  local: { key: LocalKey; field?: string };
  /** The managed-storage key an admin sets by policy, when policy may set it. */
  managed?: string;
  read(value: unknown): Config[K] | undefined;
  fallback: Config[K];
}

function trimmedString(value: unknown): string | undefined {
  return typeof value === 'string' ? value.trim() : undefined;
}

function boolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export const CONFIG: { [K in ConfigKey]: Entry<K> } = {
  environment: { local: { key: 'settings', field: 'environment' }, managed: 'environment', read: trimmedString, fallback: undefined },
  clientId: { local: { key: 'settings', field: 'clientId' }, managed: 'clientId', read: trimmedString, fallback: undefined },
  sound: { local: { key: 'preferences', field: 'sound' }, managed: 'sound', read: boolean, fallback: false },
  speakingWhileMuted: { local: { key: 'preferences', field: 'speakingWhileMuted' }, managed: 'speakingWhileMuted', read: boolean, fallback: false },
  position: { local: { key: 'controlPosition' }, read: readPosition, fallback: undefined },
};

export const CONFIG_KEYS = Object.keys(CONFIG) as ConfigKey[];

/** The local storage keys that hold config values (what a storage change must be about to matter). */
export const CONFIG_LOCAL_KEYS: ReadonlySet<string> = new Set(CONFIG_KEYS.map((key) => CONFIG[key].local.key));

/** The raw contents of the two storage areas (what `storage.local.get` / `storage.managed.get` return). */
export type StoredArea = Readonly<Record<string, unknown>>;

export interface ResolvedConfig {
  values: Config;
  /** Keys an admin set by policy: they win and the agent cannot change them. */
  locked: ReadonlySet<ConfigKey>;
  /** What the agent set, before policy (the options page keeps these when it saves). */
  own: Partial<Config>;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function readLocal<K extends ConfigKey>(key: K, local: StoredArea): Config[K] | undefined {
  const { local: where, read } = CONFIG[key];
  const stored = local[where.key];
  return read(where.field === undefined ? stored : record(stored)?.[where.field]);
}

/** Policy wins, then what the agent set, then the default. Anything of the wrong type counts as unset. */
export function resolveConfig(local: StoredArea, managed: StoredArea): ResolvedConfig {
  const values = {} as Record<ConfigKey, unknown>;
  const own: Partial<Record<ConfigKey, unknown>> = {};
  const locked = new Set<ConfigKey>();
  for (const key of CONFIG_KEYS) {
    const entry = CONFIG[key];
    const mine = readLocal(key, local);
    const policy = entry.managed === undefined ? undefined : entry.read(managed[entry.managed]);
    if (mine !== undefined) own[key] = mine;
    if (policy !== undefined) locked.add(key);
    values[key] = policy ?? mine ?? entry.fallback;
  }
  return { values: values as Config, own: own as Partial<Config>, locked };
}

/**
 * The `storage.local` items that store `changes` for the agent, merged into what is stored now
 * (the `settings` and `preferences` objects hold several values each).
 */
export function localItems(changes: Partial<Config>, local: StoredArea): Record<string, unknown> {
  const items: Record<string, unknown> = {};
  for (const key of Object.keys(changes) as ConfigKey[]) {
    const { key: storageKey, field } = CONFIG[key].local;
    if (field === undefined) {
      items[storageKey] = changes[key];
    } else {
      const base = record(items[storageKey]) ?? record(local[storageKey]) ?? {};
      items[storageKey] = { ...base, [field]: changes[key] };
    }
  }
  return items;
}

/** The managed-storage keys the table knows (checked against public/managed-schema.json). */
export function managedKeys(): string[] {
  return CONFIG_KEYS.flatMap((key) => (CONFIG[key].managed === undefined ? [] : [CONFIG[key].managed!]));
}
