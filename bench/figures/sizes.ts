// Figure 5, weight: the gzip size of each entry with everything it loads, for the store build (built
// here into a temporary folder; dist/ is left alone) and for the e2e build being measured.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUDGETS, entrySizes, type Entry, type EntrySize } from '../../scripts/sizes.ts';
import { kB, verdict, type FigureOutput, type Section } from '../report.ts';
import { EXTENSION_DIR, ROOT } from '../rig.ts';

interface SizeRow {
  entry: Entry;
  storeGzipBytes: number;
  e2eGzipBytes?: number;
  budgetBytes?: number;
  files: string[];
}

function measure(): SizeRow[] {
  const storeDir = mkdtempSync(join(tmpdir(), 'gmc-bench-store-'));
  try {
    execFileSync('npx', ['vite', 'build', '--outDir', storeDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const store = entrySizes(storeDir);
    let e2e: EntrySize[] = [];
    try {
      e2e = entrySizes(EXTENSION_DIR);
    } catch {
      // No e2e build: only the store sizes.
    }
    return store.map((s) => {
      const budget = BUDGETS[s.entry];
      const e2eBytes = e2e.find((e) => e.entry === s.entry)?.gzipBytes;
      return {
        entry: s.entry,
        storeGzipBytes: s.gzipBytes,
        ...(e2eBytes === undefined ? {} : { e2eGzipBytes: e2eBytes }),
        ...(budget === undefined ? {} : { budgetBytes: budget }),
        files: s.files,
      };
    });
  } finally {
    rmSync(storeDir, { recursive: true, force: true });
  }
}

/** Needs no browser: run it before Chromium starts, so the build does not compete with a figure. */
export async function sizes(section: Section): Promise<FigureOutput> {
  const rows = (await section('5. sizes (store build in a temporary folder; e2e build as loaded)', async () => measure())) ?? [];
  return {
    rows: rows.map((size) => ({
      item: '5',
      figure: `Size: ${size.entry} (gzip, with all it loads)`,
      result: `${kB(size.storeGzipBytes)}${size.e2eGzipBytes === undefined ? '' : ` (e2e build ${kB(size.e2eGzipBytes)})`}`,
      budget: size.budgetBytes === undefined ? '' : `≤ ${kB(size.budgetBytes)}`,
      verdict: size.budgetBytes === undefined ? '' : verdict(size.storeGzipBytes <= size.budgetBytes),
    })),
    figures: { sizes: rows.map(({ files, ...rest }) => ({ ...rest, files: files.length })) },
    raw: { sizes: rows },
  };
}
