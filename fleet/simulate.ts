// The fleet: N agents on one simulated clock against the model of Genesys, through one incident.
// Agents sign in over the first 10 minutes of a shift (their tokens are 2–12 minutes old when the
// incident starts at minute 12), each with its own channel and socket, each on a call, muting and
// unmuting now and then; the network drops a socket now and then. Then the incident, then six
// minutes to see everyone back.
import { seededRandom } from '../test/seeded-random.ts';
import { FleetAgent } from './agent.ts';
import { SimClock } from './clock.ts';
import { COUNTED, SCENARIOS, WINDOW_MS, type Count, type Counted, type ScenarioFigures, type ScenarioName } from './figures.ts';
import { GenesysModel } from './model.ts';

/** A Monday, 07:00 UTC: the shift starts. */
const EPOCH = Date.UTC(2026, 2, 2, 7, 0, 0);
const MINUTE = 60_000;
const SIGN_IN_SPREAD_MS = 10 * MINUTE;
const INCIDENT_AT = 12 * MINUTE;
const OUTAGE_MS = 5 * MINUTE;
const PARTIAL_MS = 5 * MINUTE;
/** Genesys closes a socket about a minute after `socket_closing`. */
const CLOSING_GRACE_MS = [55_000, 65_000] as const;
const OBSERVE_AFTER_MS = 6 * MINUTE;
/** Each socket is dropped by the network on average every 30 minutes (a blip, a proxy). */
const SOCKET_MEAN_LIFE_MS = 30 * MINUTE;
/** Each agent mutes or unmutes on average every 90 s. */
const CLICK_MEAN_MS = 90_000;
/** The incident's first seconds, counted one by one (when every socket drops, the fleet moves together). */
const FIRST_SECONDS = 20;

export interface FleetOptions {
  agents: number;
  seed: number;
  scenarios?: readonly ScenarioName[];
}

/** The incident: what changes in the model, from when to when (ms after the shift start). */
interface Incident {
  start: number;
  end: number;
  begin(model: GenesysModel): void;
  finish?(model: GenesysModel): void;
}

function incidentFor(scenario: ScenarioName): Incident {
  switch (scenario) {
    case 'outage':
      return {
        start: INCIDENT_AT,
        end: INCIDENT_AT + OUTAGE_MS,
        begin: (model) => {
          model.down = true;
          model.dropAllSockets();
        },
        finish: (model) => void (model.down = false),
      };
    case 'partial':
      return {
        start: INCIDENT_AT,
        end: INCIDENT_AT + PARTIAL_MS,
        begin: (model) => void (model.refuseCalls = true),
        finish: (model) => void (model.refuseCalls = false),
      };
    case 'maintenance':
      return {
        start: INCIDENT_AT,
        end: INCIDENT_AT + CLOSING_GRACE_MS[1],
        begin: (model) => model.announceSocketClosing((random) => CLOSING_GRACE_MS[0] + random() * (CLOSING_GRACE_MS[1] - CLOSING_GRACE_MS[0])),
      };
    case 'revocation':
      return {
        start: INCIDENT_AT,
        end: INCIDENT_AT,
        begin: (model) => void (model.revokedBefore = EPOCH + INCIDENT_AT),
      };
  }
}

/** The busiest second in [from, to) of a per-second series, with its start (s from `from`). */
function peakOf(series: readonly number[], from: number, to: number): { peak: number; peakAt: number; total: number } {
  let peak = 0;
  let peakAt = 0;
  let total = 0;
  for (let second = from; second < to; second++) {
    const count = series[second] ?? 0;
    total += count;
    if (count > peak) {
      peak = count;
      peakAt = second - from;
    }
  }
  return { peak, peakAt, total };
}

/** The most events of `times` (sorted) in any window of `windowMs`. */
export function mostInWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/** Whether the agent was live at `at`, and when it was next live from then (undefined: never). */
function liveFrom(changes: readonly [number, boolean][], at: number): number | undefined {
  let live = false;
  for (const [time, now] of changes) {
    if (time > at) {
      if (live) return at;
      if (now) return time;
      continue;
    }
    live = now;
  }
  return live ? at : undefined;
}

/** The longest stretch not live within [from, to]. */
function longestNotLive(changes: readonly [number, boolean][], from: number, to: number): number {
  let live = false;
  let downSince: number | undefined = from;
  let longest = 0;
  for (const [time, now] of changes) {
    if (time <= from) {
      live = now;
      downSince = live ? undefined : from;
      continue;
    }
    if (time > to) break;
    if (now && !live && downSince !== undefined) longest = Math.max(longest, time - downSince);
    if (!now && live) downSince = time;
    live = now;
  }
  if (!live && downSince !== undefined) longest = Math.max(longest, to - downSince);
  return longest;
}

export async function simulateScenario(scenario: ScenarioName, agents: number, seed: number): Promise<ScenarioFigures> {
  const began = performance.now();
  const master = seededRandom(seed);
  const seeds = Array.from({ length: agents }, () => ({
    code: Math.floor(master() * 2 ** 32),
    human: Math.floor(master() * 2 ** 32),
    genesys: Math.floor(master() * 2 ** 32),
    startsAt: master() * SIGN_IN_SPREAD_MS,
  }));
  const clock = new SimClock(EPOCH);
  const errors: unknown[] = [];
  const caught = (error: unknown): void => void errors.push(error);
  process.on('unhandledRejection', caught);
  clock.install();
  try {
    const model = new GenesysModel({
      agents,
      agentSeeds: seeds.map((s) => s.genesys),
      makeRandom: seededRandom,
      socketMeanLifeMs: SOCKET_MEAN_LIFE_MS,
      now: () => clock.now,
      setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
    });
    const fleet = seeds.map((s, index) => {
      const agent = new FleetAgent({
        index,
        model,
        codeRandom: seededRandom(s.code),
        humanRandom: seededRandom(s.human),
        now: () => clock.now,
        clickMeanMs: CLICK_MEAN_MS,
      });
      agent.startShift(s.startsAt);
      return agent;
    });
    const incident = incidentFor(scenario);
    const start = EPOCH + incident.start;
    const end = EPOCH + incident.end;
    const runEnd = end + OBSERVE_AFTER_MS;
    clock.setTimeout(() => {
      model.tally.endpoints.clear();
      incident.begin(model);
    }, incident.start);
    if (incident.finish) clock.setTimeout(() => incident.finish?.(model), incident.end);
    await clock.run(start - 1);
    const liveBefore = fleet.filter((agent) => agent.isLive).length;
    await clock.run(runEnd);
    errors.push(...clock.errors);

    const { tally } = model;
    const startSecond = incident.start / 1000;
    const endSecond = incident.end / 1000;
    const runEndSecond = (runEnd - EPOCH) / 1000;
    const counts = Object.fromEntries(COUNTED.map((kind) => [kind, peakOf(tally.perSecond.get(kind)!, startSecond, runEndSecond)])) as Record<Counted, Count>;
    const api = tally.perSecond.get('api')!;
    const during = peakOf(api, startSecond, Math.max(endSecond, startSecond + 1));
    const perAgent = (kind: 'authorize' | 'token' | 'channel'): number => Math.max(0, ...tally.perAgent.get(kind)!.map((times) => mostInWindow(times, WINDOW_MS)));
    const backAt = fleet.map((agent) => liveFrom(agent.liveChanges, end));
    const allBack = backAt.every((at) => at !== undefined);
    const outcomes = (result: string): number => fleet.reduce((sum, agent) => sum + (agent.outcomes.get(result as never) ?? 0), 0);
    const settled = fleet.reduce((sum, agent) => sum + [...agent.outcomes.values()].reduce((a, b) => a + b, 0), 0);
    return {
      scenario,
      agents,
      seed,
      incidentS: (incident.end - incident.start) / 1000,
      observedS: runEndSecond - startSecond,
      liveBefore,
      counts,
      apiPeakDuring: during.peak,
      apiPeakDuringAt: during.peakAt,
      apiPeakAfter: peakOf(api, endSecond, runEndSecond).peak,
      apiFirstSeconds: Array.from({ length: FIRST_SECONDS }, (_, second) => api[startSecond + second] ?? 0),
      perAgentWindow: { authorize: perAgent('authorize'), token: perAgent('token'), channel: perAgent('channel') },
      agentsSigningIn: tally.perAgent.get('token')!.filter((times) => times.some((time) => time >= start)).length,
      allLiveAfterS: allBack ? Math.max(0, ...backAt.map((at) => (at! - end) / 1000)) : null,
      longestNotLiveS: Math.max(0, ...fleet.map((agent) => longestNotLive(agent.liveChanges, start, runEnd))) / 1000,
      notLiveAtEnd: fleet.filter((agent) => !agent.isLive).length,
      sessionsEnded: fleet.reduce((sum, agent) => sum + agent.sessionsEnded, 0),
      intents: { clicks: fleet.reduce((sum, agent) => sum + agent.clicks, 0), confirmed: outcomes('confirmed'), other: settled - outcomes('confirmed') },
      endpoints: Object.fromEntries(tally.endpoints),
      errors: errors.length,
      wallMs: Math.round(performance.now() - began),
    };
  } finally {
    clock.uninstall();
    process.off('unhandledRejection', caught);
  }
}

export async function simulateFleet(options: FleetOptions, progress?: (figures: ScenarioFigures) => void): Promise<ScenarioFigures[]> {
  const results: ScenarioFigures[] = [];
  for (const scenario of options.scenarios ?? SCENARIOS) {
    const figures = await simulateScenario(scenario, options.agents, options.seed);
    progress?.(figures);
    results.push(figures);
  }
  return results;
}
