// The diagnostics report an agent copies from Settings into a support ticket: what the background
// keeps (src/background/diagnostics.ts) plus what the options page knows (the browser, the
// shortcut), as plain text. In English whatever the browser's language, like console lines: it is
// read by support staff and admins, and its reasons are Genesys's and the browser's own terms.
import type { IntentSource } from './messages';
import type { Connection, ControlStatus, ProblemCode } from './view';

export interface DiagnosticEntry {
  /** Epoch ms. */
  at: number;
  text: string;
}

export interface DiagnosticIntent {
  at: number;
  source?: IntentSource;
  wanted: boolean;
  /** `confirmed`, `call-changed`, `reset`, or the problem code it ended with. */
  result: string;
  ms: number;
  patches: number;
}

/** What the background answers to `get-diagnostics`. Never a token, a channel id or a socket address. */
export interface DiagnosticsReport {
  version: string;
  region?: string;
  clientId?: string;
  signedIn: boolean;
  connection: Connection;
  /** The connection machine's phase and failures in a row, e.g. `backoff after 3 failures`. */
  connectionDetail: string;
  status: ControlStatus;
  problem?: ProblemCode;
  entries: DiagnosticEntry[];
  intents: DiagnosticIntent[];
}

export interface ReportContext {
  /** e.g. `Chrome 156.0.7390.54 on Linux`. */
  browser: string;
  /** The shortcut as the browser assigned it; '' when none; undefined when it could not be read. */
  shortcut: string | undefined;
  /** Where the agent sets the shortcut's scope (extensions cannot read it). */
  shortcutsPage: string;
  now: number;
}

const time = (at: number): string => new Date(at).toISOString().slice(11, 23);

const RESULTS: Record<string, string> = {
  confirmed: 'confirmed by Genesys',
  'call-changed': 'dropped: another call became the agent\'s call',
  reset: 'dropped: signed out',
  'not-confirmed': 'failed: Genesys did not confirm in time',
  'call-gone': 'failed: the call ended',
  'rate-limited': 'failed: rate limited (429)',
  'server-error': 'failed: Genesys error (5xx)',
  network: 'failed: no network',
  'not-your-participant': 'failed: refused (403)',
  'session-expired': 'failed: session ended (401)',
};

export function formatDiagnostics(report: DiagnosticsReport, context: ReportContext): string {
  const shortcut =
    context.shortcut === undefined ? 'could not be read' : context.shortcut === '' ? 'not set (another extension may hold Alt+Shift+M)' : context.shortcut;
  const lines = [
    'Genesys Mic Control diagnostics',
    `Generated: ${new Date(context.now).toISOString()} (times below are UTC)`,
    `Extension: ${report.version}`,
    `Browser: ${context.browser}`,
    `Region: ${report.region ?? 'not set'}`,
    `Client id: ${report.clientId ?? 'not set'}`,
    `Signed in: ${report.signedIn ? 'yes' : 'no'}`,
    `Connection: ${report.connection} (${report.connectionDetail})`,
    `Mute control: ${report.status}${report.problem ? ` (problem: ${report.problem})` : ''}`,
    `Shortcut: ${shortcut}; it works while the browser has focus unless its scope is set to Global at ${context.shortcutsPage}`,
    '',
    `Last ${report.entries.length} state changes (oldest first):`,
    ...(report.entries.length ? report.entries.map((entry) => `  ${time(entry.at)}  ${entry.text}`) : ['  (none)']),
    '',
    `Last ${report.intents.length} mute intents (oldest first):`,
    ...(report.intents.length
      ? report.intents.map(
          (intent) =>
            `  ${time(intent.at)}  ${intent.wanted ? 'mute' : 'unmute'}${intent.source ? ` from the ${intent.source}` : ''}: ${RESULTS[intent.result] ?? `failed: ${intent.result}`} after ${intent.ms} ms, ${intent.patches} PATCH${intent.patches === 1 ? '' : 'es'}`,
        )
      : ['  (none)']),
  ];
  return lines.join('\n');
}
