// The config as the options page sees it: one ConfigSource, kept current by storage changes.
import { useEffect, useState } from 'preact/hooks';
import { ConfigSource } from '../shared/config-source';
import type { Config, ResolvedConfig } from '../shared/config';

export interface PageConfig {
  resolved: ResolvedConfig;
  /** Saves what the agent changed (values an admin locked are not the agent's to change). */
  save(changes: Partial<Config>): Promise<void>;
}

let source: ConfigSource | undefined;

function pageSource(): ConfigSource {
  if (!source) {
    const created = new ConfigSource();
    chrome.storage.onChanged.addListener((changes, area) => created.storageChanged(changes, area));
    source = created;
  }
  return source;
}

/** Undefined until the agent's settings and policy (or its timeout) are read. */
export function useConfig(): PageConfig | undefined {
  const [resolved, setResolved] = useState<ResolvedConfig | undefined>(undefined);
  useEffect(() => {
    const config = pageSource();
    const stop = config.onChange((next) => setResolved(next));
    void config.ready.then(() => setResolved(config.current));
    return stop;
  }, []);
  if (!resolved) return undefined;
  return { resolved, save: (changes) => pageSource().set(changes) };
}
