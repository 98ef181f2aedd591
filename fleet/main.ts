// `npm run fleet -- --agents 1000 --seed 1 [--scenario outage,partial] [--json FILE]`
//
// What a fleet of extensions does to Genesys together: N agents' real session, connection and
// intent code on one simulated clock against a model of Genesys, through each incident
// (RELIABILITY.md, "The fleet"). Prints a table and the goals; exits 1 when a goal is missed.
//
// The extension reads build-time constants (`import.meta.env`) that only Vite defines, so the
// simulation is loaded through Vite's module runner, as the unit tests load it through Vitest.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runnerImport } from 'vite';
import { judge, SCENARIOS, type ScenarioName } from './figures.ts';
import { formatFigures, formatGoals } from './report.ts';
import type * as Simulation from './simulate.ts';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    scenario: { type: 'string' },
    json: { type: 'string' },
  },
});

const agents = Number(values.agents);
const seed = Number(values.seed);
if (!Number.isInteger(agents) || agents < 1 || !Number.isInteger(seed)) {
  console.error('Usage: npm run fleet -- --agents N --seed S [--scenario outage,partial,maintenance,revocation] [--json FILE]');
  process.exit(2);
}
const scenarios = (values.scenario?.split(',') ?? [...SCENARIOS]) as ScenarioName[];
const unknown = scenarios.filter((name) => !SCENARIOS.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown scenario ${unknown.join(', ')}: one of ${SCENARIOS.join(', ')}.`);
  process.exit(2);
}

const { module: simulation } = await runnerImport<typeof Simulation>(fileURLToPath(new URL('./simulate.ts', import.meta.url)), {
  configFile: false,
  logLevel: 'error',
  // As the store build: no loopback origins (the model's hosts are Genesys's own).
  define: { 'import.meta.env.VITE_ACCEPT_LOOPBACK': JSON.stringify('false') },
});

console.log(`Simulating ${agents.toLocaleString('en-US')} agents, seed ${seed}: ${scenarios.join(', ')}…`);
const results = await simulation.simulateFleet({ agents, seed, scenarios }, (figures) =>
  console.log(`  ${figures.scenario}: ${(figures.wallMs / 1000).toFixed(1)} s`),
);
const goals = judge(results);
console.log(`\n${formatFigures(results)}\n\nGoals\n${formatGoals(goals)}`);
if (values.json) {
  writeFileSync(values.json, `${JSON.stringify({ agents, seed, results, goals }, null, 2)}\n`);
  console.log(`\nWrote ${values.json}`);
}
process.exit(goals.every((goal) => goal.ok) ? 0 : 1);
