import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONFIG, localItems, managedKeys, resolveConfig } from './config';
import { ConfigSource, type ConfigStorage } from './config-source';

describe('the config table', () => {
  it('names exactly the keys of the managed-storage schema admins write policies against', () => {
    const schema = JSON.parse(readFileSync('public/managed-schema.json', 'utf8')) as { properties: Record<string, { type: string }> };
    expect(managedKeys().sort()).toEqual(Object.keys(schema.properties).sort());
    for (const key of managedKeys()) {
      const entry = Object.values(CONFIG).find((e) => e.managed === key)!;
      expect(typeof entry.read(schema.properties[key]!.type === 'boolean' ? true : 'x'), key).not.toBe('undefined');
    }
  });

  it('lets policy win, then what the agent set, then the default; and says what is locked', () => {
    const local = { settings: { environment: 'mypurecloud.ie', clientId: 'mine' }, preferences: { sound: true } };
    const resolved = resolveConfig(local, { clientId: 'theirs', sound: false });
    expect(resolved.values).toMatchObject({ environment: 'mypurecloud.ie', clientId: 'theirs', sound: false });
    expect([...resolved.locked].sort()).toEqual(['clientId', 'sound']);
    expect(resolved.own).toMatchObject({ clientId: 'mine', sound: true });
  });

  it('counts anything of the wrong type as unset, wherever it is', () => {
    const resolved = resolveConfig({ settings: 'nonsense', preferences: { sound: 'yes' }, controlPosition: { x: '1' } }, { environment: 42, sound: 'true' });
    expect(resolved.values).toEqual({ environment: undefined, clientId: undefined, sound: false, speakingWhileMuted: false, position: undefined });
    expect(resolved.locked.size).toBe(0);
  });

  it('stores a change inside the object that holds it, keeping its neighbours', () => {
    const local = { settings: { environment: 'mypurecloud.ie', clientId: 'a' }, preferences: { sound: true, other: 1 } };
    expect(localItems({ clientId: 'b' }, local)).toEqual({ settings: { environment: 'mypurecloud.ie', clientId: 'b' } });
    expect(localItems({ sound: false }, local)).toEqual({ preferences: { sound: false, other: 1 } });
    expect(localItems({ position: { x: 1, y: 2 } }, local)).toEqual({ controlPosition: { x: 1, y: 2 } });
  });
});

describe('the config source', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function storage(managed: Promise<Record<string, unknown>>): ConfigStorage {
    return {
      getLocal: async () => ({ settings: { environment: 'mypurecloud.ie', clientId: 'mine' } }),
      setLocal: async () => undefined,
      getManaged: () => managed,
    };
  }

  it("goes on with the agent's settings when policy never answers (Chromium after an update)", async () => {
    const source = new ConfigSource(storage(new Promise(() => undefined)), 3_000);
    let ready = false;
    void source.ready.then(() => (ready = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(source.current.values.clientId).toBe('mine');
    await vi.advanceTimersByTimeAsync(3_000);
    expect(ready).toBe(true);
  });

  it('lets late policy win and tells the listeners', async () => {
    let answer: (value: Record<string, unknown>) => void = () => undefined;
    const source = new ConfigSource(storage(new Promise((resolve) => (answer = resolve))), 3_000);
    const heard: string[] = [];
    source.onChange((next) => heard.push(next.values.clientId ?? ''));
    await vi.advanceTimersByTimeAsync(5_000);
    answer({ clientId: 'theirs' });
    await vi.advanceTimersByTimeAsync(0);
    expect(source.current.values.clientId).toBe('theirs');
    expect(source.current.locked.has('clientId')).toBe(true);
    expect(heard.at(-1)).toBe('theirs');
  });

  it('treats a managed read that throws (Firefox without a policy) as nothing locked', async () => {
    const source = new ConfigSource(storage(Promise.reject(new Error('Managed storage manifest not found'))), 3_000);
    await vi.advanceTimersByTimeAsync(0);
    await source.ready;
    expect(source.current.locked.size).toBe(0);
  });
});
