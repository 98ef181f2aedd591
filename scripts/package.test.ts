// The store zips (Chrome's and Firefox's), read back by parsing the archive here (no unzip or
// python needed).
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { filesOf, packageBuild, STORE_BUILDS, storeBuildProblems, storeManifest, zip } from './package.ts';
import { GECKO_ID } from '../manifest.gecko.ts';

interface ReadEntry {
  name: string;
  method: number;
  date: number;
  time: number;
  mode: number;
  data: Buffer;
}

/** Reads a zip from its end-of-central-directory record, checking each local header and CRC. */
function readZip(archive: Buffer): ReadEntry[] {
  const end = archive.length - 22;
  expect(archive.readUInt32LE(end)).toBe(0x06054b50);
  expect(archive.readUInt16LE(end + 20)).toBe(0); // no comment, so the record is the last 22 bytes
  const count = archive.readUInt16LE(end + 10);
  const directorySize = archive.readUInt32LE(end + 12);
  let at = archive.readUInt32LE(end + 16);
  expect(at + directorySize).toBe(end);
  const entries: ReadEntry[] = [];
  for (let index = 0; index < count; index++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const method = archive.readUInt16LE(at + 10);
    const time = archive.readUInt16LE(at + 12);
    const date = archive.readUInt16LE(at + 14);
    const crc = archive.readUInt32LE(at + 16);
    const compressedSize = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const mode = archive.readUInt32LE(at + 38) >>> 16;
    const offset = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;

    // The local header must agree with the central directory.
    expect(archive.readUInt32LE(offset)).toBe(0x04034b50);
    expect(archive.readUInt16LE(offset + 8)).toBe(method);
    expect(archive.readUInt32LE(offset + 14)).toBe(crc);
    expect(archive.readUInt32LE(offset + 18)).toBe(compressedSize);
    expect(archive.readUInt32LE(offset + 22)).toBe(size);
    expect(archive.toString('utf8', offset + 30, offset + 30 + nameLength)).toBe(name);
    const start = offset + 30 + nameLength + archive.readUInt16LE(offset + 28);
    const body = archive.subarray(start, start + compressedSize);
    expect([0, 8]).toContain(method);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(data.length).toBe(size);
    expect(crc32(data)).toBe(crc);
    entries.push({ name, method, date, time, mode, data });
  }
  return entries;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const CHROME_MANIFEST = { manifest_version: 3, name: 'X', version: '1.2.3', key: 'MIIB...' };
const FIREFOX_MANIFEST = {
  manifest_version: 3,
  name: 'X',
  version: '1.2.3',
  background: { scripts: ['service-worker-loader.js'], type: 'module' },
  browser_specific_settings: { gecko: { id: GECKO_ID, strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } } },
};

function buildFolder(manifest: object = CHROME_MANIFEST): string {
  const dir = mkdtempSync(join(tmpdir(), 'gmc-package-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, 'icons'));
  mkdirSync(join(dir, '.vite'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'assets', 'index.js'), 'console.log("hello");\n'.repeat(200));
  writeFileSync(join(dir, 'icons', 'a.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]));
  writeFileSync(join(dir, 'empty.txt'), '');
  writeFileSync(join(dir, 'Zeta.css'), 'b{}');
  writeFileSync(join(dir, '.vite', 'manifest.json'), '{}');
  return dir;
}

describe('the store zip', () => {
  it('holds every file of the build, sorted, with the right contents', () => {
    const dir = buildFolder();
    const entries = readZip(packageBuild(dir));
    expect(entries.map((entry) => entry.name)).toEqual(['Zeta.css', 'assets/index.js', 'empty.txt', 'icons/a.png', 'manifest.json']);
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    expect(byName.get('assets/index.js')!.data.toString()).toBe('console.log("hello");\n'.repeat(200));
    expect(byName.get('assets/index.js')!.method).toBe(8); // repetitive text deflates
    expect([...byName.get('icons/a.png')!.data]).toEqual([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    expect(byName.get('icons/a.png')!.method).toBe(0); // too small to gain from deflate: stored
    expect(byName.get('empty.txt')!.data.length).toBe(0);
  });

  it('drops the manifest key and keeps everything else', () => {
    const entries = readZip(packageBuild(buildFolder()));
    const manifest = JSON.parse(entries.find((entry) => entry.name === 'manifest.json')!.data.toString('utf8')) as Record<string, unknown>;
    expect(manifest).toEqual({ manifest_version: 3, name: 'X', version: '1.2.3' });
    expect(JSON.parse(storeManifest('{"key":"k","a":1}'))).toEqual({ a: 1 });
  });

  it('is byte-for-byte reproducible: fixed timestamps and permissions', () => {
    const first = packageBuild(buildFolder());
    const second = packageBuild(buildFolder());
    expect(first.equals(second)).toBe(true);
    for (const entry of readZip(first)) {
      expect(entry.date).toBe((1 << 5) | 1); // 1980-01-01
      expect(entry.time).toBe(0);
      expect(entry.mode).toBe(0o100644);
    }
  });

  it('lists files with forward slashes, leaving out dot-folders', () => {
    expect(filesOf(buildFolder()).map((file) => file.name)).not.toContain('.vite/manifest.json');
  });

  it('writes a valid empty archive', () => {
    const empty = zip([]);
    expect(empty.length).toBe(22);
    expect(readZip(empty)).toEqual([]);
  });
});

describe('the Firefox zip', () => {
  it('is named genesys-mic-control-firefox-<version>.zip and made from dist-firefox/', () => {
    expect(STORE_BUILDS.firefox).toMatchObject({ dist: 'dist-firefox' });
    expect(STORE_BUILDS.firefox.zipName('1.2.3')).toBe('genesys-mic-control-firefox-1.2.3.zip');
    expect(STORE_BUILDS.chrome.zipName('1.2.3')).toBe('genesys-mic-control-1.2.3.zip');
  });

  it('keeps the manifest as built: the add-on id and minimum version AMO reads', () => {
    const entries = readZip(packageBuild(buildFolder(FIREFOX_MANIFEST)));
    const manifest = JSON.parse(entries.find((entry) => entry.name === 'manifest.json')!.data.toString('utf8')) as unknown;
    expect(manifest).toEqual(FIREFOX_MANIFEST);
  });

  it('is byte-for-byte reproducible too', () => {
    expect(packageBuild(buildFolder(FIREFOX_MANIFEST)).equals(packageBuild(buildFolder(FIREFOX_MANIFEST)))).toBe(true);
  });
});

describe('what may be packaged', () => {
  it('is each browser\'s own store build at the package version', () => {
    expect(storeBuildProblems({ ...CHROME_MANIFEST, background: { service_worker: 'sw.js' } }, 'chrome', '1.2.3')).toEqual([]);
    expect(storeBuildProblems(FIREFOX_MANIFEST, 'firefox', '1.2.3')).toEqual([]);
  });

  it('is not a stale build, a test build or the other browser\'s build', () => {
    expect(storeBuildProblems(FIREFOX_MANIFEST, 'firefox', '1.2.4')).toEqual(['dist-firefox/ is version 1.2.3, package.json 1.2.4: rebuild']);
    expect(storeBuildProblems({ ...FIREFOX_MANIFEST, host_permissions: ['http://127.0.0.1/*'] }, 'firefox', '1.2.3')).toEqual([
      'dist-firefox/ has loopback permissions: that is the e2e build',
    ]);
    expect(storeBuildProblems({ ...FIREFOX_MANIFEST, content_security_policy: { extension_pages: "script-src 'self'" } }, 'firefox', '1.2.3')).toEqual([
      'dist-firefox/ relaxes the content security policy: that is the e2e build',
    ]);
    expect(storeBuildProblems(FIREFOX_MANIFEST, 'chrome', '1.2.3')).toEqual(['dist/ is not a Chrome build']);
    expect(storeBuildProblems({ ...CHROME_MANIFEST, background: { service_worker: 'sw.js' } }, 'firefox', '1.2.3')).toEqual([
      'dist-firefox/ is not a Firefox build (no background.scripts)',
      `dist-firefox/ has add-on id undefined, manifest.gecko.ts ${GECKO_ID}: rebuild`,
    ]);
  });
});

describe.each((Object.keys(STORE_BUILDS) as (keyof typeof STORE_BUILDS)[]).filter((browser) => existsSync(join(STORE_BUILDS[browser].dist, 'manifest.json'))))(
  'the %s store build npm test made',
  (browser) => {
    it('may be packaged as it is', () => {
      const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
      const manifest = JSON.parse(readFileSync(join(STORE_BUILDS[browser].dist, 'manifest.json'), 'utf8')) as Record<string, unknown>;
      expect(storeBuildProblems(manifest, browser, version)).toEqual([]);
    });
  },
);
