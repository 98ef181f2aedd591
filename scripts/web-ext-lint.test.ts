// Mozilla's add-on linter (`web-ext lint`, the checks addons.mozilla.org runs on upload) over the
// Firefox store build that `npm test` has just made. Errors fail the run; warnings and notices are
// printed so they stay visible, but do not fail it (AMO accepts them; docs/FIREFOX.md lists the
// expected ones).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist-firefox');
const WEB_EXT = join(ROOT, 'node_modules/.bin/web-ext');

interface Finding {
  code: string;
  message: string;
  file?: string;
  line?: number;
}

interface LintReport {
  summary: { errors: number; notices: number; warnings: number };
  errors: Finding[];
  notices: Finding[];
  warnings: Finding[];
}

/** Runs web-ext lint with JSON output and returns its report (whatever its exit code says). */
function lintFirefoxBuild(sourceDir: string = DIST): LintReport {
  const run = spawnSync(WEB_EXT, ['lint', '--source-dir', sourceDir, '--output', 'json', '--no-config-discovery'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  try {
    return JSON.parse(run.stdout) as LintReport;
  } catch {
    throw new Error(`web-ext lint printed no JSON report (exit ${String(run.status)}):\n${run.stdout}\n${run.stderr}`);
  }
}

const line = (kind: string, finding: Finding): string => `  ${kind} ${finding.code}: ${finding.message}${finding.file ? ` (${finding.file}${finding.line ? `:${finding.line}` : ''})` : ''}`;

describe('web-ext lint of the Firefox store build (dist-firefox/)', () => {
  it('reports no errors', () => {
    expect(existsSync(join(DIST, 'manifest.json')), 'run `npm run build:firefox` first: dist-firefox/ is missing').toBe(true);
    const report = lintFirefoxBuild();
    const { errors, notices, warnings } = report.summary;
    console.log(
      [`web-ext lint dist-firefox/: ${errors} errors, ${notices} notices, ${warnings} warnings`, ...report.errors.map((f) => line('error', f)), ...report.notices.map((f) => line('notice', f)), ...report.warnings.map((f) => line('warning', f))].join('\n'),
    );
    expect(report.errors.map((finding) => line('error', finding))).toEqual([]);
  }, 120_000);
});
