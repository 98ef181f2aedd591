// What a fleet run measures, and the goals it is judged by. Nothing here imports the extension, so
// the CLI can print and judge without loading it (main.ts loads the simulation through Vite).

export const SCENARIOS = ['outage', 'partial', 'maintenance', 'revocation'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const SCENARIO_TITLES: Record<ScenarioName, string> = {
  outage: '(a) outage',
  partial: '(b) partial',
  maintenance: '(c) maintenance',
  revocation: '(d) revocation',
};

export const SCENARIO_DESCRIPTIONS: Record<ScenarioName, string> = {
  outage: 'every API and login request fails (503 or no answer) and every socket drops and cannot reconnect, for 5 min',
  partial: 'only GET /api/v2/conversations/calls answers 401, for 5 min; everything else works',
  maintenance: 'v2.system.socket_closing on every socket at once; each is closed 55–65 s later',
  revocation: 'every token issued so far answers 401 from one moment on; new tokens work',
};

/** The counted kinds: `api` is every request to the API host (channel creations and PATCHes included). */
export const COUNTED = ['authorize', 'token', 'api', 'channel', 'socket', 'patch'] as const;
export type Counted = (typeof COUNTED)[number];

/** Each agent's silent sign-ins and channels are checked in every window this long. */
export const WINDOW_MS = 20_000;

export const GOALS = {
  /** (a) While Genesys is down (every socket dropped at once), no second with more API requests than this share of the fleet. */
  apiShareDuringOutage: 0.2,
  /** (a) After recovery, no second with more API requests than this share of the fleet. */
  apiShareAfterRecovery: 0.2,
  /** (a) Every agent live within this long of recovery (s). */
  liveWithinS: 60,
  /** (b) At most this many per agent in any 20 s window. */
  perWindow: { authorize: 6, token: 6, channel: 6 },
} as const;

export interface Count {
  total: number;
  /** The busiest second, and when it began (s from the incident's start). */
  peak: number;
  peakAt: number;
}

export interface ScenarioFigures {
  scenario: ScenarioName;
  agents: number;
  seed: number;
  /** How long the incident lasted (s). */
  incidentS: number;
  /** From the incident's start to the end of the run (s): the window every count covers. */
  observedS: number;
  /** Agents live when the incident began. */
  liveBefore: number;
  counts: Record<Counted, Count>;
  /** API requests: the busiest second while the incident lasted (and when it began, s from the incident's start), and from its end on. */
  apiPeakDuring: number;
  apiPeakDuringAt: number;
  apiPeakAfter: number;
  /** API requests in each of the incident's first 20 seconds. */
  apiFirstSeconds: number[];
  /** The most any one agent made in any 20 s window of the whole run (sign-in at the shift's start included). */
  perAgentWindow: { authorize: number; token: number; channel: number };
  /** Agents that asked for a token after the incident began. */
  agentsSigningIn: number;
  /** From the incident's end until every agent was live (s); null when some were not by the run's end. */
  allLiveAfterS: number | null;
  /** The longest an agent was not live, counted from the incident's start (s). */
  longestNotLiveS: number;
  /** Agents not live when the run ended (a socket the network just dropped counts). */
  notLiveAtEnd: number;
  /** Times an agent was asked to sign in again. */
  sessionsEnded: number;
  intents: { clicks: number; confirmed: number; other: number };
  /** API requests by endpoint, from the incident's start. */
  endpoints: Record<string, number>;
  /** Errors thrown by timers, or promises rejected with nobody listening (must be 0). */
  errors: number;
  /** Wall-clock time of the simulation (ms). */
  wallMs: number;
}

export interface Goal {
  scenario: ScenarioName;
  text: string;
  ok: boolean;
  /** What was measured, in words. */
  measured: string;
}

/** The goals for the scenarios that were run. */
export function judge(results: readonly ScenarioFigures[]): Goal[] {
  const goals: Goal[] = [];
  for (const figures of results) {
    if (figures.scenario === 'outage') {
      const { authorize, token, api } = figures.counts;
      const limit = Math.floor(GOALS.apiShareAfterRecovery * figures.agents);
      const limitDuring = Math.floor(GOALS.apiShareDuringOutage * figures.agents);
      goals.push(
        {
          scenario: 'outage',
          text: 'no authorize or token request at all (tokens still valid)',
          ok: authorize.total === 0 && token.total === 0,
          measured: `${authorize.total} authorize, ${token.total} token`,
        },
        {
          scenario: 'outage',
          text: `every agent live within ${GOALS.liveWithinS} s of recovery`,
          ok: figures.allLiveAfterS !== null && figures.allLiveAfterS <= GOALS.liveWithinS,
          measured: figures.allLiveAfterS === null ? 'not all by the end of the run' : `${figures.allLiveAfterS.toFixed(1)} s`,
        },
        {
          scenario: 'outage',
          text: `during the outage too (every socket dropped at once), no second with more API requests than ${GOALS.apiShareDuringOutage * 100} % of the fleet (${limitDuring})`,
          ok: figures.apiPeakDuring <= limitDuring,
          measured: `busiest second ${figures.apiPeakDuring}, ${figures.apiPeakDuringAt} s after every socket dropped (the first five: ${figures.apiFirstSeconds.slice(0, 5).join(', ')})`,
        },
        {
          scenario: 'outage',
          text: `from recovery on, no second with more API requests than ${GOALS.apiShareAfterRecovery * 100} % of the fleet (${limit})`,
          ok: figures.apiPeakAfter <= limit,
          measured: `busiest second ${figures.apiPeakAfter} (while down: ${figures.apiPeakDuring}; API total ${api.total})`,
        },
      );
    }
    if (figures.scenario === 'partial') {
      const { authorize, token, channel } = figures.perAgentWindow;
      const bound = GOALS.perWindow;
      goals.push({
        scenario: 'partial',
        text: `no agent above ${bound.authorize} authorize + ${bound.token} token requests and ${bound.channel} new channels in any ${WINDOW_MS / 1000} s`,
        ok: authorize <= bound.authorize && token <= bound.token && channel <= bound.channel,
        measured: `most by one agent: ${authorize} authorize, ${token} token, ${channel} channels`,
      });
    }
    goals.push({ scenario: figures.scenario, text: 'no uncaught error in any agent', ok: figures.errors === 0, measured: `${figures.errors}` });
  }
  return goals;
}
