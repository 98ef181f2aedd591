// What the background answers to each message (the table in src/shared/messages.ts), and who may
// ask: the page control only on the configured agent desktop or in its embedded client's frame
// (under /crm/, framed by a CRM), and only for what it shows and does
// (the view, a mute, its position); sign-in, sign-out and the setup check only from the
// extension's own pages.
import { MESSAGES, parseRequest, type RequestOf, type RequestType, type ResponseMap } from '../shared/messages';
import { controlViewOf, type MicView } from '../shared/view';
import type { ViewerKind } from './views';
import type { MicWorker } from './worker';

/** What the browser says about who sent a message or opened a port. */
export interface Sender {
  id?: string;
  url?: string;
  origin?: string;
  frameId?: number;
}

type Handlers = { [K in RequestType]: (request: RequestOf<K>, viewer: ViewerKind) => Promise<ResponseMap[K]> };

/** A page sees what the control shows; the extension's own pages see everything. */
const shownTo = (viewer: ViewerKind, view: MicView) => (viewer === 'extension' ? view : controlViewOf(view));

export function handlers(worker: MicWorker): Handlers {
  return {
    'get-view': async (_request, viewer) => {
      await worker.ready;
      return shownTo(viewer, worker.view());
    },
    'set-muted': async (request, viewer) => shownTo(viewer, await worker.handleMuteIntent(request.muted, request.source)),
    'set-position': (request) => worker.setPosition(request.position),
    'sign-in': () => worker.signInInteractive(),
    'sign-out': () => worker.signOut(),
    'check-setup': () => worker.checkSetup(),
    'get-diagnostics': () => worker.diagnosticsReport(),
  };
}

/**
 * Who is asking: one of the extension's own pages, the page control on the configured agent
 * desktop (its top frame), the same control in Genesys's embedded client (a frame under /crm/ on
 * the configured agent desktop's origin, whatever page frames it: a CRM's), or nobody we answer.
 * A frame of any other origin, another org's included, gets nothing.
 */
export function viewerOf(sender: Sender, extensionId: string, extensionOrigin: string, agentDesktopOrigin: string | undefined): ViewerKind | undefined {
  if (sender.id !== extensionId) return undefined;
  if (sender.url?.startsWith(extensionOrigin)) return 'extension';
  const origin = sender.origin ?? originOf(sender.url);
  if (agentDesktopOrigin === undefined || origin !== agentDesktopOrigin) return undefined;
  const topFrame = sender.frameId === undefined || sender.frameId === 0;
  return topFrame || inEmbeddedClient(sender.url, agentDesktopOrigin) ? 'page' : undefined;
}

/** A document of Genesys's embedded client: under /crm/ on the agent desktop's origin (docs/GENESYS.md). */
function inEmbeddedClient(url: string | undefined, agentDesktopOrigin: string): boolean {
  try {
    const parsed = new URL(url ?? '');
    return parsed.origin === agentDesktopOrigin && parsed.pathname.startsWith('/crm/');
  } catch {
    return false;
  }
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url === undefined ? undefined : new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Answers a message, or undefined when it is not one of ours or this sender may not send it. */
export function answer(table: Handlers, message: unknown, viewer: ViewerKind | undefined): Promise<unknown> | undefined {
  const request = parseRequest(message);
  if (!request || viewer === undefined) return undefined;
  if (MESSAGES[request.type].from === 'extension' && viewer !== 'extension') return undefined;
  const handle = table[request.type] as (request: RequestOf<RequestType>, viewer: ViewerKind) => Promise<unknown>;
  return handle(request, viewer);
}
