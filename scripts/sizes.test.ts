// Size budgets are deterministic, so `npm test` enforces them on the store build in dist/.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUDGETS, entrySizes } from './sizes.ts';

describe.runIf(existsSync('dist/manifest.json'))('the store build', () => {
  const sizes = entrySizes('dist');

  it.each(sizes.map((size) => [size.entry, size] as const))('%s stays within its gzip budget', (_entry, size) => {
    expect(size.files.length).toBeGreaterThan(1);
    const budget = BUDGETS[size.entry];
    if (budget !== undefined) expect(size.gzipBytes).toBeLessThanOrEqual(budget);
  });

  it('has no loopback permissions or matches', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync('dist/manifest.json', 'utf8');
    expect(text).not.toMatch(/127\.0\.0\.1|localhost/);
  });
});
