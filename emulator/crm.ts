// Genesys Cloud inside a CRM: the embedded client the emulator serves under /crm/ (as Genesys does
// on the agent desktop's host), its WebRTC pop-out, and a stand-in CRM site on another origin that
// frames it (docs/GENESYS.md, "The embedded clients").
//
// Nothing public describes the real embedded client's DOM, so this one is invented on purpose: a
// compact softphone 300–400 px wide that shares nothing with the agent desktop's DOM (no
// .selected-interaction-container, no .interaction-controls-primary), so the extension cannot
// lean on selectors there. Like the real one, an admin can take its own mute button away
// (`?callControls=` here; the Embeddable Framework's `callControls` setting there).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendHtml } from './http.ts';

/** The call controls the embedded client can show, in its order. */
export const CALL_CONTROLS = ['mute', 'hold', 'transfer', 'keypad', 'end'] as const;
export type CallControl = (typeof CALL_CONTROLS)[number];

/** The paths Genesys serves its embedded clients at (a partner's own under /crm/<partner>/). */
export const EMBEDDED_CLIENT_PATHS = ['/crm/embeddableFramework.html', '/crm/index.html', '/crm/softphoneGenericCRM/index.html'];
export const WEBRTC_POPOUT_PATH = '/crm/webrtc.html';

/** The page for a GET of `path` under /crm/, or undefined when there is none. */
export function crmPage(path: string, query: URLSearchParams): string | undefined {
  if (path === WEBRTC_POPOUT_PATH) return webrtcPage();
  const partner = /^\/crm\/([A-Za-z0-9_-]+)\/index\.html$/.exec(path)?.[1];
  if (!EMBEDDED_CLIENT_PATHS.includes(path) && !partner) return undefined;
  const asked = query.get('callControls');
  const controls = asked === null ? [...CALL_CONTROLS] : CALL_CONTROLS.filter((control) => asked.split(',').includes(control));
  return embeddedClientPage(partner ?? query.get('crm') ?? 'framework', controls);
}

const ICONS: Record<CallControl | 'menu' | 'settings', string> = {
  mute: '<svg width="18" height="18" viewBox="0 0 16 16" aria-hidden="true"><rect x="5.5" y="1.5" width="5" height="8" rx="2.5" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M3.5 7.5a4.5 4.5 0 0 0 9 0M8 12v2.5" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/><path class="slash" d="M2.5 2.5l11 11" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>',
  hold: '<svg width="18" height="18" viewBox="0 0 16 16" aria-hidden="true"><rect x="4" y="3" width="2.5" height="10" rx=".8" fill="currentColor"/><rect x="9.5" y="3" width="2.5" height="10" rx=".8" fill="currentColor"/></svg>',
  transfer: '<svg width="18" height="18" viewBox="0 0 16 16" aria-hidden="true"><path d="M2 5h10M9 2l3 3-3 3M14 11H4M7 8l-3 3 3 3" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  keypad: '<svg width="18" height="18" viewBox="0 0 16 16" aria-hidden="true"><g fill="currentColor"><circle cx="4" cy="3" r="1.3"/><circle cx="8" cy="3" r="1.3"/><circle cx="12" cy="3" r="1.3"/><circle cx="4" cy="7" r="1.3"/><circle cx="8" cy="7" r="1.3"/><circle cx="12" cy="7" r="1.3"/><circle cx="4" cy="11" r="1.3"/><circle cx="8" cy="11" r="1.3"/><circle cx="12" cy="11" r="1.3"/><circle cx="8" cy="14.5" r="1.3"/></g></svg>',
  end: '<svg width="20" height="20" viewBox="0 0 18 18" aria-hidden="true"><path d="M2 10.2c3.9-3.3 10.1-3.3 14 0l-1.7 2.2-2.9-1.2V9.3a8 8 0 0 0-4.8 0v1.9l-2.9 1.2z" fill="currentColor"/></svg>',
  menu: '<svg width="18" height="18" viewBox="0 0 16 16" aria-hidden="true"><path d="M2 4h12M2 8h12M2 12h12" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>',
  settings: '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="2.2" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>',
};

const LABELS: Record<CallControl, string> = { mute: 'Mute', hold: 'Hold', transfer: 'Transfer', keypad: 'Keypad', end: 'Disconnect' };

const CLIENT_STYLE = `
* { box-sizing: border-box; }
html, body { height: 100%; }
body { margin: 0; display: flex; flex-direction: column; background: #fff; color: #2e3338;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.softphone-header { height: 44px; flex: none; display: flex; align-items: center; gap: 8px; padding: 0 8px; background: #1d2a3b; color: #fff; }
.softphone-header .spacer { flex: 1; }
.presence-picker { display: flex; align-items: center; gap: 6px; height: 30px; padding: 0 10px; border: 1px solid #4a5a70; border-radius: 15px;
  background: transparent; color: #fff; font: inherit; cursor: pointer; }
.presence-picker::before { content: ""; width: 9px; height: 9px; border-radius: 50%; background: #2fa84f; }
.icon-button { width: 32px; height: 32px; display: grid; place-items: center; border: 0; border-radius: 4px; background: none; color: inherit; cursor: pointer; }
.icon-button:hover { background: #ffffff1f; }
.softphone-tabs { display: flex; flex: none; border-bottom: 1px solid #dde1e6; }
.softphone-tabs button { flex: 1; height: 36px; border: 0; border-bottom: 2px solid transparent; background: none; font: inherit; color: #5b6570; cursor: pointer; }
.softphone-tabs button[aria-selected="true"] { border-bottom-color: #2a60c8; color: #2a60c8; font-weight: 600; }
.softphone-body { flex: 1; min-height: 0; overflow-y: auto; padding: 14px 12px; }
.idle { text-align: center; color: #6b737c; padding: 18px 0 12px; }
.dial-row { display: flex; gap: 6px; }
.dial-row input { flex: 1; min-width: 0; height: 34px; padding: 0 8px; border: 1px solid #c9d0d8; border-radius: 4px; font: inherit; }
.dial-row button, .answer-call { height: 34px; padding: 0 14px; border: 0; border-radius: 4px; background: #2fa84f; color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
.call-card { padding: 12px; border: 1px solid #dde1e6; border-radius: 6px; background: #f7f8fa; }
.caller { font-size: 16px; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.call-line { color: #6b737c; }
.muted-flag { display: inline-block; margin-top: 6px; padding: 0 6px; border-radius: 8px; font-size: 11px; background: #e8ebef; color: #44505c; }
.muted-flag[hidden] { display: none; }
.call-controls { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 12px; }
.call-controls button { width: 44px; height: 40px; display: grid; place-items: center; border: 1px solid #c9d0d8; border-radius: 4px;
  background: #fff; color: #44505c; cursor: pointer; }
.call-controls button[aria-pressed="true"] { background: #2a60c8; border-color: #2a60c8; color: #fff; }
.call-controls .slash { display: none; }
.call-controls button[aria-pressed="true"] .slash { display: inline; }
.call-controls button:disabled { opacity: .45; cursor: default; }
.call-controls .end-call { margin-left: auto; background: #c0392b; border-color: #c0392b; color: #fff; }
.answer-call { width: 100%; margin-top: 12px; }
.answer-call[hidden] { display: none; }
.call-notes { margin-top: 14px; }
.call-notes label { display: block; margin-bottom: 4px; font-weight: 600; color: #44505c; }
.call-notes textarea { width: 100%; height: 64px; padding: 6px 8px; border: 1px solid #c9d0d8; border-radius: 4px; font: inherit; resize: vertical; }
.softphone-footer { height: 36px; flex: none; display: flex; align-items: center; gap: 8px; padding: 0 6px 0 12px; border-top: 1px solid #dde1e6; color: #6b737c; }
.softphone-footer .agent { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.softphone-footer .icon-button:hover { background: #eef1f4; }
`;

// Runs in the page. Plain ES2020, no imports: the emulator serves it inline.
const CLIENT_SCRIPT = `
let state = { calls: [], agent: null };
let shownId;
const $ = (selector) => document.querySelector(selector);
const esc = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
const agentLeg = (call) => call.participants.find((p) => p.purpose === 'agent');
const customerLeg = (call) => call.participants.find((p) => p.purpose === 'customer');
const current = () => state.calls[0];
async function control(path) {
  await fetch('/__emulator' + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  await poll();
}
const act = (action) => { const call = current(); if (call) void control('/calls/' + encodeURIComponent(call.id) + '/' + action); };
function elapsed(since) {
  if (!since) return '';
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 1000));
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}
function render() {
  const body = $('#softphone-body');
  const call = current();
  if (state.agent) $('#agent').textContent = state.agent.name;
  if (!call) {
    if (shownId !== null) body.innerHTML = $('#idle').innerHTML;
    shownId = null;
    return;
  }
  if (shownId !== call.id) {
    shownId = call.id;
    body.innerHTML = $('#on-call').innerHTML;
    body.querySelector('.caller').textContent = customerLeg(call).name;
    for (const button of body.querySelectorAll('[data-call-action]')) {
      button.addEventListener('click', () => {
        const leg = agentLeg(current());
        const action = button.dataset.callAction;
        act(action === 'mute' ? (leg.muted ? 'unmute' : 'mute') : action === 'hold' ? (leg.held ? 'unhold' : 'hold') : action);
      });
    }
  }
  const leg = agentLeg(call);
  const alerting = leg.state === 'alerting';
  body.querySelector('.call-line').textContent = customerLeg(call).address.replace(/^tel:/, '') + ' · ' + (alerting ? 'Incoming call' : (leg.held ? 'On hold ' : 'Connected ') + elapsed(leg.connectedTime));
  body.querySelector('.muted-flag').hidden = !leg.muted;
  body.querySelector('.answer-call').hidden = !alerting;
  for (const button of body.querySelectorAll('.call-controls button')) {
    button.disabled = alerting && button.dataset.callAction !== 'end';
    if (button.dataset.callAction === 'mute') button.setAttribute('aria-pressed', String(leg.muted));
    if (button.dataset.callAction === 'hold') button.setAttribute('aria-pressed', String(leg.held));
  }
}
async function poll() {
  try {
    state = await (await fetch('/__emulator/state', { cache: 'no-store' })).json();
  } catch {
    // The emulator is gone: keep what was shown.
  }
  render();
}
setInterval(poll, 500);
void poll();
`;

function embeddedClientPage(crm: string, controls: CallControl[]): string {
  // Transfer and keypad do nothing here; mute, hold and end change the emulated call.
  const acts = (control: CallControl) => control === 'mute' || control === 'hold' || control === 'end';
  const buttons = controls
    .map(
      (control) =>
        `<button type="button" class="${control === 'end' ? 'end-call' : `call-${control}`}"${acts(control) ? ` data-call-action="${control}"` : ''} aria-label="${LABELS[control]}" title="${LABELS[control]}"${control === 'mute' || control === 'hold' ? ' aria-pressed="false"' : ''}>${ICONS[control]}</button>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Genesys Cloud embedded client (emulator)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CLIENT_STYLE}</style></head>
<body class="embedded-client" data-crm="${escapeHtml(crm)}" data-call-controls="${controls.join(',')}">
<header class="softphone-header">
  <button type="button" class="presence-picker">Available</button>
  <span class="spacer"></span>
  <button type="button" class="icon-button menu-button" aria-label="Menu" title="Menu">${ICONS.menu}</button>
</header>
<nav class="softphone-tabs" role="tablist">
  <button type="button" role="tab" aria-selected="true">Calls</button>
  <button type="button" role="tab" aria-selected="false">Dialpad</button>
  <button type="button" role="tab" aria-selected="false">History</button>
</nav>
<main class="softphone-body" id="softphone-body"></main>
<footer class="softphone-footer"><span class="agent" id="agent"></span>
  <button type="button" class="icon-button settings-button" aria-label="Settings" title="Settings">${ICONS.settings}</button></footer>
<template id="idle">
  <div class="idle">No active calls</div>
  <div class="dial-row"><input type="tel" placeholder="Name or number" aria-label="Name or number"><button type="button">Call</button></div>
</template>
<template id="on-call">
  <div class="call-card"><div class="caller"></div><div class="call-line"></div><span class="muted-flag" hidden>Muted</span></div>
  <div class="call-controls" role="toolbar" aria-label="Call controls">${buttons}</div>
  <button type="button" class="answer-call" data-call-action="answer" hidden>Answer</button>
  <div class="call-notes"><label for="notes">Notes</label><textarea id="notes"></textarea></div>
</template>
<script>${CLIENT_SCRIPT}</script>
</body></html>`;
}

function webrtcPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WebRTC phone (emulator)</title>
<style>
body { margin: 0; min-height: 100vh; display: grid; place-content: center; gap: 6px; text-align: center; background: #f4f5f7;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #2e3338; }
h1 { margin: 0; font-size: 16px; }
p { margin: 0; color: #6b737c; }
</style></head>
<body class="webrtc-phone"><h1>WebRTC phone</h1><p>Keep this window open: it carries your calls' audio.</p></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const SITE_STYLE = `
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; background: #eef1f5; color: #22262b;
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.site-bar { height: 48px; display: flex; align-items: center; gap: 20px; padding: 0 18px; background: #0b5cab; color: #fff; }
.site-bar strong { font-size: 15px; }
.site-bar nav { display: flex; gap: 14px; }
.site-bar a { color: #fff; text-decoration: none; opacity: .9; }
.site-bar .note { margin-left: auto; font-size: 12px; opacity: .85; }
.site { flex: 1; display: flex; gap: 14px; padding: 14px; min-height: 0; }
.record { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 14px; }
.card { padding: 14px 16px; background: #fff; border: 1px solid #d8dde6; border-radius: 6px; }
.card h2 { margin: 0 0 8px; font-size: 14px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dt { color: #5c6670; }
dd { margin: 0; }
.knowledge { width: 100%; height: 120px; border: 0; }
.utility { flex: none; display: flex; flex-direction: column; background: #fff; border: 1px solid #d8dde6; border-radius: 6px; overflow: hidden; }
.utility h2 { margin: 0; padding: 8px 12px; font-size: 13px; border-bottom: 1px solid #d8dde6; background: #f7f9fb; }
.utility iframe { display: block; border: 0; height: 560px; }
`;

export interface CrmSitePageOptions {
  /** The embedded client to frame. */
  client: string;
  /** The softphone frame's width in px (Genesys's is typically 300–400). */
  width: number;
}

function crmSitePage({ client, width }: CrmSitePageOptions): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme Service Desk (stand-in CRM)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${SITE_STYLE}</style></head>
<body>
<header class="site-bar"><strong>Acme Service Desk</strong><nav><a href="#">Home</a><a href="#">Cases</a><a href="#">Contacts</a></nav>
  <span class="note">A stand-in CRM on its own origin (emulator), not Genesys</span></header>
<div class="site">
  <main class="record">
    <section class="card"><h2>Case 00042 · Router keeps rebooting</h2><dl>
      <dt>Contact</dt><dd>Casey Customer</dd><dt>Phone</dt><dd>+1 317 555 0100</dd>
      <dt>Status</dt><dd>Open</dd><dt>Priority</dt><dd>High</dd></dl></section>
    <section class="card"><h2>Knowledge</h2><iframe class="knowledge" title="Knowledge" src="/widget"></iframe></section>
  </main>
  <aside class="utility"><h2>Phone</h2>
    <iframe id="softphone" title="Genesys Cloud" src="${escapeHtml(client)}" style="width:${width}px" allow="microphone; autoplay"></iframe></aside>
</div>
</body></html>`;
}

/** A frame from the CRM's own origin: what a CRM page frames besides Genesys. */
function widgetPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Knowledge</title>
<style>body{margin:0;font:13px/1.45 system-ui,sans-serif;color:#22262b}ul{margin:0;padding-left:18px}</style></head>
<body class="crm-widget"><ul><li>Router reboot loop: firmware 2.1 fix</li><li>Resetting to factory settings</li></ul></body></html>`;
}

export interface CrmSite {
  /** `http://crm.localhost:<port>`: another origin (and another site) than the emulator's. */
  origin: string;
  /** The CRM page framing `client` (default: the emulator's Embeddable Framework client) at `width` px (default 340). */
  url(options?: Partial<CrmSitePageOptions>): string;
  close(): Promise<void>;
}

export interface CrmSiteOptions {
  /** The embedded client framed by default, e.g. `${emulator.origin}/crm/embeddableFramework.html`. */
  client: string;
  /** 0 (default): a free port. */
  port?: number;
}

/**
 * The stand-in CRM: a second small server on 127.0.0.1, reached by the name `crm.localhost`
 * (browsers resolve every *.localhost to loopback). So it is another origin and another site than
 * the emulator's `127.0.0.1`, and no match pattern of the extension's test build covers it (those
 * name `127.0.0.1` and `localhost` exactly): as with a real CRM, nothing is injected into its page.
 */
export async function startCrmSite(options: CrmSiteOptions): Promise<CrmSite> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://crm.localhost');
    if (req.method === 'GET' && url.pathname === '/widget') return sendHtml(res, 200, widgetPage());
    if (req.method !== 'GET' || url.pathname !== '/') {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not found');
      return;
    }
    const client = url.searchParams.get('client') ?? options.client;
    const width = Number(url.searchParams.get('width') ?? 340);
    if (!/^https?:\/\//.test(client) || !Number.isFinite(width) || width < 100 || width > 2000) {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end('client must be an http(s) URL and width a number of px');
      return;
    }
    sendHtml(res, 200, crmSitePage({ client, width }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const origin = `http://crm.localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url({ client, width } = {}) {
      const query = new URLSearchParams();
      if (client !== undefined) query.set('client', client);
      if (width !== undefined) query.set('width', String(width));
      const search = query.toString();
      return `${origin}/${search ? `?${search}` : ''}`;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
