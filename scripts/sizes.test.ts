// What the store builds ship, checked on the files themselves: `npm test` builds them first, so a
// missing build is a failure, not a skip.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import regionHosts from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/PureCloudRegionHosts.js';
import { BUDGETS, entrySizes } from './sizes.ts';

/** The store builds `npm test` makes: Chrome's, and Firefox's once its build is part of the run. */
const STORE_BUILDS = ['dist', ...(existsSync('dist-firefox/manifest.json') ? ['dist-firefox'] : [])];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Every test hook the source names (`gmcView`, … on the background's global scope), found, not listed. */
function testHooks(): string[] {
  const names = files('src')
    .filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.test.ts'))
    .flatMap((file) => readFileSync(file, 'utf8').match(/\bgmc[A-Z]\w*/g) ?? []);
  return [...new Set(names)];
}

/**
 * What only the test build may carry: its hooks, the bench's performance mark, and the loopback
 * branch of host derivation (the emulator), in code and in words (the locales included).
 */
const TEST_ONLY = [...testHooks(), 'performance.mark', 'genesys-mic-control:mounted', '127.0.0.1', 'localhost', 'ws:'];

it('knows every test hook of the background (a new one is forbidden in store builds without a list to update)', () => {
  expect(TEST_ONLY).toEqual(expect.arrayContaining(['gmcView', 'gmcDispatchCommand', 'gmcSoundsPlayed', 'gmcStartup', 'gmcConnection', 'gmcFeatures', 'gmcSpeaking', 'gmcWelcome']));
});

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

  it("injects only into Genesys's agent desktops (top frame) and their embedded clients under /crm/ (any frame), never into anything else", () => {
    interface Script { matches: string[]; exclude_matches?: string[]; all_frames?: boolean; js: string[] }
    const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as { content_scripts: Script[]; host_permissions: string[] };
    const domains = Object.values(regionHosts);
    const desktops = domains.map((domain) => `https://apps.${domain}/*`);
    const clients = domains.map((domain) => `https://apps.${domain}/crm/*`);
    expect(manifest.content_scripts).toHaveLength(2);
    const [desktop, embedded] = manifest.content_scripts as [Script, Script];
    expect(desktop).toMatchObject({ matches: desktops, exclude_matches: clients });
    expect(desktop.all_frames ?? false).toBe(false);
    expect(embedded).toMatchObject({ matches: clients, all_frames: true, js: desktop.js });
    expect(embedded.exclude_matches).toBeUndefined();
    // Every page the script may enter is on a host already granted; no CRM is ever granted.
    for (const match of [...desktop.matches, ...embedded.matches]) expect(manifest.host_permissions).toContain(match.replace(/\/crm\/\*$/, '/*'));
    expect(manifest.host_permissions.every((host) => /^https:\/\/(login|api|apps)\.[a-z0-9.-]+\/\*$/.test(host))).toBe(true);
  });

  it('has no test hooks, benchmark marks, loopback hosts or loopback permissions in any file', () => {
    for (const file of files(dist).filter((f) => /\.(js|json|html|css)$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      for (const needle of TEST_ONLY) expect(text.includes(needle), `${file} contains ${needle}`).toBe(false);
    }
  });
});
