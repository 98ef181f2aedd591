// package.json's `engines` says which Node.js the project needs, for its product build and for its
// tools alike: every Node version it admits must satisfy every direct dependency's own `engines`.
// (puppeteer-core 25 needed Node 22.12+ while ours said 20.19+: a newcomer on Node 20 got warnings
// and a suite that only happened to work.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { subset, validRange } from 'semver';
import { describe, expect, it } from 'vitest';

interface PackageJson {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const read = (path: string): PackageJson => JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
const project = read('package.json');
const ours = project.engines?.node ?? '';
const direct = Object.keys({ ...project.dependencies, ...project.devDependencies });

describe("package.json's engines", () => {
  it('is a valid Node.js range', () => {
    expect(validRange(ours)).not.toBeNull();
  });

  it.each(direct)('admits no Node.js that %s refuses', (name) => {
    const theirs = read(join('node_modules', name, 'package.json')).engines?.node;
    if (theirs === undefined) return;
    expect(subset(ours, theirs), `${name} needs Node ${theirs}; package.json says ${ours}`).toBe(true);
  });

  it('is met by the Node.js running the tests', () => {
    expect(subset(process.versions.node, ours)).toBe(true);
  });
});
