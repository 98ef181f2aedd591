// A short soak (issue 11) as part of `npm test`: two fixed seeds, 24 s of wall time each (3 minutes
// of shift, about 17 faults and an extension reload each; some 35 s each with the browser's start),
// with the same faults and invariants as `npm run soak` (the full run: RELIABILITY.md). Headless,
// so no real key presses here (the full run makes some on Xvfb when it can).
import { describe, expect, it } from 'vitest';
import { formatReport } from '../soak/report.ts';
import { runSoak } from '../soak/run.ts';

const SEEDS = [11, 14];

describe('a short soak', () => {
  it.each(SEEDS)('seed %i: every invariant holds under faults', async (seed) => {
    const result = await runSoak({ seed, wallMs: 24_000, keys: false });
    console.log(formatReport(result));
    expect(Object.values(result.faults).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(15);
    expect(result.violations.map((v) => `[${v.invariant}] ${v.title} at ${v.when}: ${v.detail}`)).toEqual([]);
  }, 150_000);
});
