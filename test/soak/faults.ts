// Each fault the soak injects, and when it clears: the moment from which Genesys, the network and
// the browser are healthy again, so that the extension has to show the truth within 2 s (the
// convergence invariant). Where the world itself imposes a wait (a request hanging until the
// client's 8 s timeout, the browser's 2 s network check), that wait is part of the fault's window.
import { readdirSync } from 'node:fs';
import type { Rig } from '../e2e/harness.ts';
import { currentWorker, stopServiceWorker } from '../e2e/harness.ts';
import { DEFAULT_AGENT } from '../../emulator/server.ts';
import { garbageFrame, type ConnectPath, type FaultKind, type FaultSpec } from './schedule.ts';

/** What a fault needs from the run. */
export interface Stage {
  rig: Rig;
  /** Epoch ms (the emulator's `wallTime` clock). */
  now(): number;
  /** The conversation the agent talks on, as Genesys has it. */
  controlledConversation(): string | undefined;
  /** After a reload: the popup the agent would open again. */
  reopenPopup(): Promise<void>;
}

export interface FaultWindow {
  id: number;
  /** `interference`: something outside the run changed the browser's world (see watchInterference). */
  kind: FaultKind | 'interference';
  label: string;
  startedAt: number;
  /** When it cleared, once it has. */
  clearedAt?: number;
  /** Asked on every tick until it says when the fault cleared. */
  clears?: () => number | undefined;
  /** It has cleared by then at the latest; if `clears` has not said so by then, `overdue` is a violation. */
  latest?: number;
  overdue?: string;
}

/** The reconnect's requests, as the emulator sees them. */
const PATHS: Readonly<Record<ConnectPath, { method: string; path: RegExp }>> = {
  'users/me': { method: 'GET', path: /^\/api\/v2\/users\/me$/ },
  channels: { method: 'POST', path: /^\/api\/v2\/notifications\/channels$/ },
  subscriptions: { method: 'PUT', path: /\/subscriptions$/ },
  calls: { method: 'GET', path: /^\/api\/v2\/conversations\/calls$/ },
  socket: { method: 'WS', path: /^\/channels\// },
};

const PATCH = { method: 'PATCH', path: /\/participants\// };

/** The client gives up on a request after 8 s (src/background/genesys.ts). */
export const CLIENT_TIMEOUT_MS = 8_000;
/** The worker reads navigator.onLine every 2 s (src/background/worker.ts). */
export const NETWORK_CHECK_MS = 2_000;
/** Two unanswered pings 20 s apart, and some slack for a loaded machine. */
export const SILENCE_NOTICED_MS = 45_000;
/** How long an extension reload may take to sign in silently again. */
export const RELOAD_SIGNED_IN_MS = 20_000;

let nextId = 0;

export function describeFault(spec: FaultSpec): string {
  switch (spec.kind) {
    case 'socket-drop':
      return spec.code ? `socket closed by Genesys (${spec.code})` : 'socket dropped (no close frame)';
    case 'connect-429':
    case 'connect-5xx':
    case 'connect-network':
      return `${spec.path} answers ${spec.status === 0 ? 'nothing (connection dropped)' : spec.status} for ${spec.forMs} ms`;
    case 'connect-hang':
      return `${spec.path} hangs (${spec.hangMs} ms) for ${spec.forMs} ms`;
    case 'patch-429':
    case 'patch-5xx':
      return `PATCH answers ${spec.status} for ${spec.forMs} ms`;
    case 'patch-hang':
      return `PATCH hangs (${spec.hangMs} ms) for ${spec.forMs} ms`;
    case 'garbage-frame':
      return `garbage frame #${spec.frame}`;
    case 'offline':
      return `browser offline for ${spec.forMs} ms`;
    case 'channel-expiry':
    case 'extension-reload':
    case 'silent-socket':
    case 'socket-closing':
    case 'token-revoked':
    case 'worker-stop':
      return spec.kind;
  }
}

/** Injects `spec` now; the window says when it clears. */
export async function inject(stage: Stage, spec: FaultSpec): Promise<FaultWindow> {
  const { emulator } = stage.rig;
  const startedAt = stage.now();
  const window: FaultWindow = { id: ++nextId, kind: spec.kind, label: describeFault(spec), startedAt };
  const at = (ms: number): FaultWindow => ({ ...window, clearedAt: startedAt + ms });
  switch (spec.kind) {
    case 'socket-drop':
      emulator.closeSockets(spec.code);
      return at(0);
    case 'socket-closing':
      emulator.sendSocketClosing();
      return at(0);
    case 'channel-expiry':
      emulator.expireChannels();
      return at(0);
    case 'garbage-frame':
      emulator.sendRaw(garbageFrame(spec.frame, DEFAULT_AGENT.id, stage.controlledConversation()));
      return at(0);
    case 'token-revoked':
      emulator.revokeAllTokens();
      return at(0);
    case 'silent-socket': {
      if (!emulator.sockets().some((s) => s.closedAt === undefined)) return { ...at(0), label: 'silent socket (none open: nothing to silence)' };
      emulator.silenceOpenSockets();
      // Cleared when the extension has a live socket again: a new one accepted after this moment.
      const since = startedAt;
      return {
        ...window,
        clears: () => emulator.requests().find((r) => r.method === 'WS' && r.status === 101 && r.wallTime > since)?.wallTime,
        latest: startedAt + SILENCE_NOTICED_MS,
        overdue: `a socket silent for ${SILENCE_NOTICED_MS / 1000} s was not replaced`,
      };
    }
    case 'connect-429':
    case 'connect-5xx':
    case 'connect-network':
      emulator.failNext({ ...PATHS[spec.path], status: spec.status, forMs: spec.forMs });
      return at(spec.forMs);
    case 'connect-hang':
      emulator.failNext({ ...PATHS[spec.path], status: 0, delayMs: spec.hangMs, forMs: spec.forMs });
      return at(spec.forMs + CLIENT_TIMEOUT_MS);
    case 'patch-429':
    case 'patch-5xx':
      emulator.failNext({ ...PATCH, status: spec.status, forMs: spec.forMs });
      return at(spec.forMs);
    case 'patch-hang':
      emulator.failNext({ ...PATCH, status: 0, delayMs: spec.hangMs, forMs: spec.forMs });
      return at(spec.forMs + CLIENT_TIMEOUT_MS);
    case 'offline': {
      await stage.rig.context.setOffline(true);
      const back = new Promise<number>((resolve) =>
        setTimeout(() => {
          void stage.rig.context.setOffline(false).then(() => resolve(stage.now()));
        }, spec.forMs),
      );
      let onlineAt: number | undefined;
      void back.then((time) => (onlineAt = time));
      return { ...window, clears: () => (onlineAt === undefined ? undefined : onlineAt + NETWORK_CHECK_MS) };
    }
    case 'worker-stop':
      await stopServiceWorker(stage.rig).catch(() => undefined);
      return at(0);
    case 'extension-reload': {
      const worker = await currentWorker(stage.rig.context);
      await worker.evaluate(() => chrome.runtime.reload()).catch(() => undefined);
      // Cleared once the new version has its token (a silent sign-in: the Genesys login session lives).
      let signedIn: number | undefined;
      void (async () => {
        const answered = await emulator
          .waitForRequest((r) => r.method === 'POST' && r.path === '/oauth/token' && r.wallTime > startedAt, RELOAD_SIGNED_IN_MS)
          .catch(() => undefined);
        await stage.reopenPopup();
        signedIn = answered ? Math.max(answered.wallTime, stage.now() - 1) : undefined;
      })();
      return {
        ...window,
        clears: () => signedIn,
        latest: startedAt + RELOAD_SIGNED_IN_MS + 5_000,
        overdue: `the reloaded extension did not sign in again within ${RELOAD_SIGNED_IN_MS / 1000} s`,
      };
    }
  }
}

/**
 * Chromium reads enterprise policy from one machine-wide directory, and the e2e policy test (run by
 * anyone on this machine) writes a policy there for this extension's id, pointing it at another
 * emulator: every Chromium on the machine obeys it, ours included, and signs out (rightly: the
 * region changed). The run cannot prevent that, so it watches the directory and reports the
 * window as interference, not as something the extension did.
 */
export const POLICY_DIR = '/etc/chromium/policies/managed';

export function foreignPolicies(): string[] {
  try {
    return readdirSync(POLICY_DIR).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
}

/** A window from now until the policy is gone and the extension has signed in again (at most 30 s after). */
export function interference(stage: Stage, files: string[]): FaultWindow {
  const startedAt = stage.now();
  let goneAt: number | undefined;
  return {
    id: ++nextId,
    kind: 'interference',
    label: `another process wrote a machine-wide Chromium policy (${files.join(', ')})`,
    startedAt,
    clears: () => {
      if (foreignPolicies().length > 0) return undefined;
      goneAt ??= stage.now();
      const signedIn = stage.rig.emulator.requests().find((r) => r.method === 'POST' && r.path === '/oauth/token' && r.status === 200 && r.wallTime > goneAt!);
      return signedIn ? signedIn.wallTime + 500 : undefined;
    },
    latest: Number.POSITIVE_INFINITY,
  };
}
