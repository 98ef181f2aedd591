// `npm run package`: zips the store builds into release/ — dist/ (after `vite build`) as
// genesys-mic-control-<version>.zip for the Chrome Web Store and Edge Add-ons, and dist-firefox/
// (after `vite build --mode firefox`) as genesys-mic-control-firefox-<version>.zip for
// addons.mozilla.org.
//
// The zips are written here (no archiver dependency) and are reproducible: entries sorted by path,
// every timestamp fixed at 1980-01-01 00:00 (the earliest DOS date), fixed permissions, so the
// same build always gives the same bytes.
//
// Chrome's manifest.json loses its `key`: that field only pins the extension id for unpacked and
// policy-installed builds; the Web Store assigns the id itself and rejects (or, for an update,
// ignores) an uploaded manifest that carries a key. Firefox's has no key: its id is
// browser_specific_settings.gecko.id, which AMO keeps.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { GECKO_ID, GECKO_ID_IS_PLACEHOLDER } from '../manifest.gecko.ts';

export interface ZipEntry {
  /** Path inside the zip, `/`-separated. */
  name: string;
  data: Buffer;
}

/** DOS date 1980-01-01 (year 0, month 1, day 1) and time 00:00:00. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
/** Made by "Unix" (3), spec 2.0, so unzip restores rw-r--r-- instead of guessing. */
const MADE_BY = (3 << 8) | 20;
const FILE_MODE = (0o100644 << 16) >>> 0;
const UTF8_NAMES = 0x0800;

/** A ZIP archive (deflate, or stored when deflate does not help) of `entries` in the given order. */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = deflateRawSync(data, { level: 9 });
    const stored = deflated.length >= data.length;
    const body = stored ? data : deflated;
    // No ZIP64: an extension is far below these limits, so refuse rather than write a bad archive.
    if (data.length >= 0xffffffff || offset >= 0xffffffff) throw new Error(`${name}: too large for a plain zip`);
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28); // no extra field (no extended timestamps)

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    // extra length, comment length, disk number, internal attributes: all 0 (bytes 30..37)
    central.writeUInt32LE(FILE_MODE, 38);
    central.writeUInt32LE(offset, 42);

    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  if (entries.length > 0xffff) throw new Error('too many files for a plain zip');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8); // entries on this disk
  end.writeUInt16LE(entries.length, 10); // entries in total
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * Every file under `dir`, sorted by path (plain code-unit order, the same on every OS). Dot-files
 * and dot-folders (e.g. vite's `.vite/` metadata) are build leftovers, not part of the extension.
 */
export function filesOf(dir: string): ZipEntry[] {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((name) => !name.split('/').some((part) => part.startsWith('.')))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map((name) => ({ name, data: readFileSync(join(dir, name)) }));
}

/** The manifest as uploaded to the store: the same, without `key` (see the top of this file). */
export function storeManifest(text: string): string {
  const manifest = JSON.parse(text) as Record<string, unknown>;
  delete manifest.key;
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The store zip of a build folder (Chrome's or Firefox's). */
export function packageBuild(distDir: string): Buffer {
  const entries = filesOf(distDir).map((entry) =>
    entry.name === 'manifest.json' ? { name: entry.name, data: Buffer.from(storeManifest(entry.data.toString('utf8'))) } : entry,
  );
  if (!entries.some((entry) => entry.name === 'manifest.json')) throw new Error(`${distDir} has no manifest.json: run vite build first`);
  return zip(entries);
}

export type StoreBrowser = 'chrome' | 'firefox';

/** Each store build: where vite writes it and the zip name's prefix. */
export const STORE_BUILDS: Record<StoreBrowser, { dist: string; zipName: (version: string) => string }> = {
  chrome: { dist: 'dist', zipName: (version) => `genesys-mic-control-${version}.zip` },
  firefox: { dist: 'dist-firefox', zipName: (version) => `genesys-mic-control-firefox-${version}.zip` },
};

/**
 * Why a built manifest must not be uploaded as `browser`'s store build (empty when it may): a
 * stale version, the e2e build (loopback hosts, relaxed CSP), or the other browser's build.
 */
export function storeBuildProblems(manifest: Record<string, unknown>, browser: StoreBrowser, version: string): string[] {
  const problems: string[] = [];
  const dist = STORE_BUILDS[browser].dist;
  if (manifest.version !== version) problems.push(`${dist}/ is version ${String(manifest.version)}, package.json ${version}: rebuild`);
  if (/127\.0\.0\.1|localhost/.test(JSON.stringify(manifest))) problems.push(`${dist}/ has loopback permissions: that is the e2e build`);
  if ('content_security_policy' in manifest) problems.push(`${dist}/ relaxes the content security policy: that is the e2e build`);
  const background = (manifest.background ?? {}) as { service_worker?: unknown; scripts?: unknown };
  const gecko = (manifest.browser_specific_settings as { gecko?: { id?: unknown } } | undefined)?.gecko;
  if (browser === 'chrome' && (background.service_worker === undefined || gecko !== undefined)) problems.push(`${dist}/ is not a Chrome build`);
  if (browser === 'firefox') {
    if (background.scripts === undefined) problems.push(`${dist}/ is not a Firefox build (no background.scripts)`);
    if (gecko?.id !== GECKO_ID) problems.push(`${dist}/ has add-on id ${String(gecko?.id)}, manifest.gecko.ts ${GECKO_ID}: rebuild`);
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(import.meta.dirname, '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  mkdirSync(join(root, 'release'), { recursive: true });
  for (const browser of Object.keys(STORE_BUILDS) as StoreBrowser[]) {
    const { dist: distName, zipName } = STORE_BUILDS[browser];
    const dist = join(root, distName);
    const built = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    // Guard against zipping a stale build or a test build (which may also sit there by accident).
    const problems = storeBuildProblems(built, browser, version);
    if (problems.length > 0) throw new Error(problems.join('\n'));
    const out = join(root, 'release', zipName(version));
    const archive = packageBuild(dist);
    writeFileSync(out, archive);
    const note = browser === 'chrome' ? 'manifest without key' : `add-on id ${GECKO_ID}`;
    console.log(`${relative(root, out)}  ${(archive.length / 1000).toFixed(1)} kB, ${filesOf(dist).length} files, ${note}`);
  }
  if (GECKO_ID_IS_PLACEHOLDER) {
    console.warn(
      `\nWarning: the Firefox add-on id ${GECKO_ID} is the placeholder (manifest.gecko.ts). Replace it with ` +
        'genesys-mic-control@<a domain the publisher owns> before the first upload to addons.mozilla.org: the id is permanent there ' +
        'and fixes the Firefox redirect URI admins register (docs/FIREFOX.md).',
    );
  }
}
