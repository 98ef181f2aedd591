// The soak's report: what happened, what broke, how fast the views came back.
import { INVARIANTS } from './invariants.ts';
import type { SoakResult } from './run.ts';
import { shiftClock } from './schedule.ts';

export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (value: number | undefined): string => (value === undefined ? '–' : `${Math.round(value)} ms`);
const mb = (value: number | undefined): string => (value === undefined ? '–' : `${(value / 1e6).toFixed(2)} MB`);
const sum = (record: Record<string, number>): number => Object.values(record).reduce((a, b) => a + b, 0);

function table(record: Record<string, number>): string[] {
  return Object.entries(record)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([name, count]) => `    ${String(count).padStart(4)}  ${name}`);
}

export function formatReport(result: SoakResult): string {
  const c = result.convergenceMs;
  const lines = [
    `Soak, seed ${result.seed}: ${(result.wallMs / 1000).toFixed(0)} s of wall time = ${shiftClock(result.wallMs, result.compression)} of shift (×${result.compression}); ran ${(result.elapsedMs / 1000).toFixed(0)} s in all${result.keys ? ', with real key presses' : ''}`,
    `  Events (the agent's day): ${sum(result.events)}`,
    ...table(result.events),
    `  Faults injected: ${sum(result.faults)}`,
    ...table(result.faults),
    `  Convergence after a fault cleared (${c.length} measured): median ${ms(percentile(c, 50))}, p95 ${ms(percentile(c, 95))}, max ${ms(c.length ? Math.max(...c) : undefined)}${result.extendedByBackoff ? `; ${result.extendedByBackoff} took longer than 2 s because the backoff had already scheduled the next reconnect when the fault cleared` : ''}`,
    `  Intents: ${result.intents.applied} applied, ${result.intents.superseded} superseded by a later click, ${result.intents.reported} reported to the agent, ${result.intents.lost} lost${result.intents.unobserved ? `, ${result.intents.unobserved} not observable (popup being reopened)` : ''}; ${result.patches} PATCHes`,
    `  Channels: ${result.channels.created} created (${result.channels.used} used; at most ${result.channels.maxAlive} alive at once of Genesys's 20; lifetime ${result.channels.lifetimeMs / 1000} s)`,
    `  Sockets: ${result.sockets.opened} opened, at most ${result.sockets.maxOpen} open at once, ${result.sockets.openAtEnd} open at the end`,
    `  Tokens issued: ${result.tokensIssued}; service workers started: ${result.workerStarts}; requests to Genesys: ${result.requests}`,
    `  JS heap after GC: worker ${mb(result.heap.workerStart)} → ${mb(result.heap.workerEnd)}, agent desktop page ${mb(result.heap.pageStart)} → ${mb(result.heap.pageEnd)}`,
    `  Browser's own network lines naming a channel in the worker's console: ${result.browserLinesNamingChannel}`,
    ...(result.interference.length
      ? [`  Interference from outside the run (judged like faults, not counted): ${result.interference.length}`, ...result.interference.map((line) => `    ${line}`)]
      : []),
    `  Violations: ${result.violations.length}`,
  ];
  for (const violation of result.violations) {
    lines.push(
      '',
      `  ✗ [${violation.invariant} ${INVARIANTS[violation.invariant]}] ${violation.title}`,
      `    seed ${result.seed}, at ${violation.when}${violation.detail ? `\n    ${violation.detail}` : ''}`,
      '    recent events:',
      ...violation.trail.map((line) => `      ${line}`),
    );
  }
  if (result.violations.length) lines.push('', `  Replay: npm run soak -- --seed ${result.seed}${result.wallMs !== 270_000 ? ` --seconds ${result.wallMs / 1000}` : ''}`);
  return lines.join('\n');
}
