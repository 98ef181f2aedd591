// What the store builds ship, checked on the files themselves: `npm test` builds them first, so a
// missing build is a failure, not a skip.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUDGETS, entrySizes } from './sizes.ts';

/** The store builds `npm test` makes: Chrome's, and Firefox's once its build is part of the run. */
const STORE_BUILDS = ['dist', ...(existsSync('dist-firefox/manifest.json') ? ['dist-firefox'] : [])];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Names the test build adds (src/background/index.ts) and the loopback branch of host derivation. */
const TEST_ONLY = ['gmcView', 'gmcDispatchCommand', 'gmcSoundsPlayed', 'gmcStartup', 'gmcConnection', 'gmcFeatures', '127.0.0.1', 'localhost', 'ws:'];

describe.each(STORE_BUILDS)('the store build in %s/', (dist) => {
  it('exists (npm test builds it before the tests)', () => {
    expect(existsSync(join(dist, 'manifest.json')), `run \`npm run build\` first: ${dist}/ is missing`).toBe(true);
  });

  const sizes = existsSync(join(dist, 'manifest.json')) ? entrySizes(dist) : [];
  it.each(sizes.map((size) => [size.entry, size] as const))('%s stays within its gzip budget', (_entry, size) => {
    const budget = BUDGETS[size.entry];
    if (budget !== undefined) expect(size.gzipBytes).toBeLessThanOrEqual(budget);
  });

  it('ships the content script as one self-contained file and exposes nothing to pages', () => {
    const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as { web_accessible_resources?: unknown; content_scripts: { js: string[] }[] };
    expect(manifest.web_accessible_resources).toBeUndefined();
    expect(sizes.find((size) => size.entry === 'content')?.files).toHaveLength(1);
    const script = readFileSync(join(dist, manifest.content_scripts[0]!.js[0]!), 'utf8');
    expect(script).not.toMatch(/\bimport\s*\(|^import\s|\bexport\s*\{/m);
  });

  it('has no test hooks, loopback hosts or loopback permissions in any file', () => {
    // The messages files hold the test build's own hint for its emulator field: text, not code.
    for (const file of files(dist).filter((f) => /\.(js|json|html)$/.test(f) && !f.includes('_locales'))) {
      const text = readFileSync(file, 'utf8');
      for (const needle of TEST_ONLY) expect(text.includes(needle), `${file} contains ${needle}`).toBe(false);
    }
  });
});
