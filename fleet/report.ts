// The fleet's figures as a table (one column per scenario) and its goals, as text.
import { SCENARIO_DESCRIPTIONS, SCENARIO_TITLES, WINDOW_MS, type Count, type Goal, type ScenarioFigures } from './figures.ts';

const number = (value: number): string => value.toLocaleString('en-US');
const seconds = (value: number | null): string => (value === null ? 'not all' : `${value.toFixed(1)} s`);
const count = ({ total, peak }: Count): string => `${number(total)} (${number(peak)}/s)`;

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('   '))
    .join('\n');
}

export function formatFigures(results: readonly ScenarioFigures[]): string {
  const first = results[0];
  if (!first) return 'No scenario was run.';
  const row = (label: string, cell: (figures: ScenarioFigures) => string): string[] => [label, ...results.map(cell)];
  const rows = [
    row('', (f) => SCENARIO_TITLES[f.scenario]),
    row('Incident lasts', (f) => `${f.incidentS} s`),
    row('Agents live when it began', (f) => number(f.liveBefore)),
    row('From its start, total (busiest second):', () => ''),
    row('  authorize requests', (f) => count(f.counts.authorize)),
    row('  token requests', (f) => count(f.counts.token)),
    row('  API requests', (f) => count(f.counts.api)),
    row('    busiest second during / after', (f) => `${number(f.apiPeakDuring)} / ${number(f.apiPeakAfter)}`),
    row('    in each of its first 5 s', (f) => f.apiFirstSeconds.slice(0, 5).map(number).join(' ')),
    row('    of which PATCH (mutes)', (f) => count(f.counts.patch)),
    row('  channels created', (f) => count(f.counts.channel)),
    row('  sockets opened', (f) => count(f.counts.socket)),
    row(`Most by one agent in ${WINDOW_MS / 1000} s: authorize / token / channels`, (f) => `${f.perAgentWindow.authorize} / ${f.perAgentWindow.token} / ${f.perAgentWindow.channel}`),
    row('Agents that signed in again', (f) => number(f.agentsSigningIn)),
    row('"Sign in again" shown', (f) => number(f.sessionsEnded)),
    row('Every agent live again, after its end', (f) => seconds(f.allLiveAfterS)),
    row('Longest an agent was not live', (f) => seconds(f.longestNotLiveS)),
    row('Mute clicks: confirmed / not', (f) => `${number(f.intents.confirmed)} / ${number(f.intents.other)}`),
    row('Uncaught errors', (f) => number(f.errors)),
    row('Wall time', (f) => `${(f.wallMs / 1000).toFixed(1)} s`),
  ];
  const scenarios = results.map((f) => `  ${SCENARIO_TITLES[f.scenario]}: ${SCENARIO_DESCRIPTIONS[f.scenario]}`).join('\n');
  return `Fleet of ${number(first.agents)} agents, seed ${first.seed}: signed in over 10 min, the incident at minute 12, 6 min more after it.\n${scenarios}\n\n${table(rows)}`;
}

export function formatGoals(goals: readonly Goal[]): string {
  return goals.map((goal) => `${goal.ok ? 'ok  ' : 'FAIL'}  ${SCENARIO_TITLES[goal.scenario]}: ${goal.text} — ${goal.measured}`).join('\n');
}
