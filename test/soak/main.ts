// `npm run soak [-- --seed N] [--seconds S] [--compression C] [--no-keys] [--json FILE]`: one
// compressed shift under faults; prints the report and exits non-zero on any violation.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatReport } from './report.ts';
import { runSoak } from './run.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    seconds: { type: 'string' },
    compression: { type: 'string' },
    'no-keys': { type: 'boolean' },
    json: { type: 'string' },
  },
});

const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, not ${values.seed}`);
console.log(`Soak seed: ${seed}  (replay: npm run soak -- --seed ${seed}${values.seconds ? ` --seconds ${values.seconds}` : ''})`);
const result = await runSoak({
  seed,
  ...(values.seconds ? { wallMs: Number(values.seconds) * 1000 } : {}),
  ...(values.compression ? { compression: Number(values.compression) } : {}),
  keys: values['no-keys'] ? false : 'auto',
  log: (line) => console.log(line),
});
console.log(`\n${formatReport(result)}`);
if (process.env['SOAK_DEBUG'] && result.diagnostics) console.log(`\n${result.diagnostics}`);
if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
process.exit(result.violations.length === 0 ? 0 : 1);
