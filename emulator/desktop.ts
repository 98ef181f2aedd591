// The stand-in agent desktop at /directory/. It reproduces the publicly known DOM of Genesys's
// agent desktop (docs/GENESYS.md) so the content script has something real to
// attach to; it renders server-side state from /__emulator/state and its native buttons change
// that state through the control surface. The extension never reads this page's state.
//
// Like Ember, it rebuilds the open interaction only when the selection changes and otherwise
// updates attributes in place, so nodes the extension inserts survive a poll.

const STYLE = `
:root { --blue: #2a60c8; --line: #dde1e6; --muted: #6b737c; --bg: #f4f5f7; }
* { box-sizing: border-box; }
body { margin: 0; height: 100vh; display: flex; flex-direction: column; background: var(--bg);
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #2e3338; }
.top-bar { height: 44px; flex: none; display: flex; align-items: center; gap: 12px; padding: 0 16px;
  background: #fff; border-bottom: 1px solid var(--line); }
.top-bar .brand { font-weight: 600; color: var(--blue); }
.top-bar .spacer { flex: 1; }
.presence { display: flex; align-items: center; gap: 6px; color: var(--muted); }
.presence::before { content: ""; width: 9px; height: 9px; border-radius: 50%; background: #2fa84f; }
.offline { display: none; padding: 6px 16px; background: #fdecea; color: #8a1f17; }
body.is-offline .offline { display: block; }
.layout { flex: 1; display: flex; min-height: 0; }
.side-nav { width: 52px; flex: none; background: #263042; }
.command-panel { flex: 1; display: flex; min-width: 0; }
.interactions { flex: 1; display: flex; min-width: 0; }
.left-chat-rail { width: 240px; flex: none; background: #fff; border-right: 1px solid var(--line); overflow-y: auto; }
.rail-title { padding: 12px 14px; font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.interaction-group { display: flex; align-items: center; gap: 8px; padding: 10px 14px; border-left: 3px solid transparent; cursor: pointer; }
.interaction-group:hover { background: #f7f8fa; }
.interaction-group.is-selected { background: #eef3fc; border-left-color: var(--blue); }
.interaction-group .details { flex: 1; min-width: 0; }
.participant-name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.interaction-group .status { color: var(--muted); font-size: 12px; }
.rail-empty { padding: 12px 14px; color: var(--muted); }
.interaction-container { flex: 1; display: flex; flex-direction: column; min-width: 0; }
.selected-interaction-container { flex: 1; display: flex; flex-direction: column; }
.acd-interaction { display: flex; flex-direction: column; flex: 1; }
.interaction-header { display: flex; align-items: center; gap: 12px; padding: 14px 18px; background: #fff; border-bottom: 1px solid var(--line); }
.interaction-header .who { flex: 1; min-width: 0; }
#interaction-header-participant-name { font-size: 16px; font-weight: 600; }
.interaction-header .sub { color: var(--muted); }
.badge { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 8px; font-size: 11px; background: #e8ebef; color: #44505c; }
.badge[hidden] { display: none; }
.interaction-controls-primary { display: flex; gap: 6px; padding: 10px 18px; background: #fff; border-bottom: 1px solid var(--line); }
.interaction-controls-primary button { width: 38px; height: 34px; display: grid; place-items: center; border: 1px solid #c9d0d8;
  border-radius: 4px; background: #fff; color: #44505c; cursor: pointer; }
.interaction-controls-primary button:hover:not(:disabled) { border-color: var(--blue); color: var(--blue); }
.interaction-controls-primary button[aria-pressed="true"],
.interaction-controls-primary button[aria-pressed="true"]:hover:not(:disabled) { background: var(--blue); border-color: var(--blue); color: #fff; }
.interaction-controls-primary .slash { display: none; }
.interaction-controls-primary button[aria-pressed="true"] .slash { display: inline; }
.interaction-controls-primary button:disabled { opacity: .45; cursor: default; }
.interaction-controls-primary .interaction-end-btn { color: #c0392b; }
.interaction-controls-primary .interaction-end-btn:hover:not(:disabled) { background: #c0392b; border-color: #c0392b; color: #fff; }
.interaction-body { padding: 16px 18px; color: var(--muted); }
.interaction-body dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
.interaction-body dt { color: var(--muted); }
.interaction-body dd { margin: 0; color: #2e3338; }
.answer { padding: 6px 14px; border: 0; border-radius: 4px; background: #2fa84f; color: #fff; font: inherit; cursor: pointer; }
.empty-state { margin: auto; text-align: center; color: var(--muted); }
.empty-state strong { display: block; font-size: 15px; color: #44505c; margin-bottom: 4px; }
.emulator-controls { position: fixed; right: 16px; bottom: 16px; width: 250px; padding: 10px 12px 12px; background: #fffdf5;
  border: 1px dashed #c79a2b; border-radius: 6px; box-shadow: 0 2px 10px rgba(0,0,0,.08); font-size: 12px; }
.emulator-controls h2 { margin: 0 0 2px; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: #8a6a16; }
.emulator-controls p { margin: 0 0 8px; color: var(--muted); }
.emulator-controls .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 6px; }
.emulator-controls button { padding: 5px 6px; border: 1px solid #c9d0d8; border-radius: 4px; background: #fff; font: inherit; cursor: pointer; }
.emulator-controls button:disabled { opacity: .45; cursor: default; }
.emulator-controls .wide { grid-column: 1 / -1; }
.emulator-controls details { margin-top: 8px; }
.emulator-controls summary { cursor: pointer; color: var(--muted); }
.emulator-controls details .grid { margin-top: 6px; }
`;

const ICONS = {
  mic: '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><rect x="5.5" y="1.5" width="5" height="8" rx="2.5" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M3.5 7.5a4.5 4.5 0 0 0 9 0M8 12v2.5" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/><path class="slash" d="M2.5 2.5l11 11" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>',
  hold: '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><rect x="4" y="3" width="2.5" height="10" rx=".8" fill="currentColor"/><rect x="9.5" y="3" width="2.5" height="10" rx=".8" fill="currentColor"/></svg>',
  end: '<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true"><path d="M2 10.2c3.9-3.3 10.1-3.3 14 0l-1.7 2.2-2.9-1.2V9.3a8 8 0 0 0-4.8 0v1.9l-2.9 1.2z" fill="currentColor"/></svg>',
};

// Runs in the page. Plain ES2020, no imports: the emulator serves it inline.
const SCRIPT = `
const ICONS = ${JSON.stringify(ICONS)};
let state = { calls: [], agent: null };
let selectedId = null;
let renderedId = null;
let railKey = '';

const $ = (selector) => document.querySelector(selector);
const esc = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
const agentLeg = (call) => call.participants.find((p) => p.purpose === 'agent');
const customerLeg = (call) => call.participants.find((p) => p.purpose === 'customer');
const selected = () => state.calls.find((c) => c.id === selectedId);

async function control(path, body) {
  await fetch('/__emulator' + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  await poll();
}
const act = (action) => { const call = selected(); if (call) void control('/calls/' + encodeURIComponent(call.id) + '/' + action); };

function elapsed(since) {
  if (!since) return '';
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 1000));
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}
function status(call) {
  const leg = agentLeg(call);
  if (leg.state === 'alerting') return 'Incoming call';
  return (leg.held ? 'On hold' : 'Connected') + ' · ' + elapsed(leg.connectedTime);
}

function renderRail() {
  const key = state.calls.map((c) => c.id + customerLeg(c).name).join('|');
  const list = $('#interaction-list');
  if (key !== railKey) {
    railKey = key;
    list.innerHTML = state.calls.length === 0 ? '<div class="rail-empty">No interactions</div>' : state.calls.map((call) =>
      '<div class="interaction-group" data-id="' + esc(call.id) + '">' +
        '<div class="details"><div class="participant-name">' + esc(customerLeg(call).name) + '</div><div class="status"></div></div>' +
      '</div>').join('');
  }
  for (const item of list.querySelectorAll('.interaction-group')) {
    const call = state.calls.find((c) => c.id === item.dataset.id);
    if (!call) continue;
    item.classList.toggle('is-selected', call.id === selectedId);
    item.querySelector('.status').textContent = status(call);
  }
}

function renderInteraction() {
  const host = $('.interaction-container');
  const call = selected();
  if (!call) {
    if (renderedId !== '') host.innerHTML = '<div class="empty-state"><strong>No active interactions</strong>Calls you receive appear here.</div>';
    renderedId = '';
    return;
  }
  if (renderedId !== call.id) {
    renderedId = call.id;
    const customer = customerLeg(call);
    host.innerHTML =
      '<div class="selected-interaction-container"><div class="acd-interaction">' +
        '<div class="interaction-header"><div class="who">' +
          '<div id="interaction-header-participant-name">' + esc(customer.name) + '</div>' +
          '<div class="sub"><span class="line-status"></span><span class="badge muted-badge" hidden>Muted</span></div></div>' +
          '<button type="button" class="answer" data-action="answerInteraction">Answer</button>' +
        '</div>' +
        '<div role="toolbar" label="Primary" aria-label="Call controls" class="interaction-controls-primary toggle-item-container">' +
          '<button type="button" class="interaction-mute-btn" aria-label="Mute" title="Mute" aria-pressed="false">' + ICONS.mic + '</button>' +
          '<button type="button" class="interaction-hold-btn" aria-label="Hold" title="Hold" aria-pressed="false">' + ICONS.hold + '</button>' +
          '<button type="button" class="interaction-end-btn" aria-label="Disconnect" title="Disconnect">' + ICONS.end + '</button>' +
        '</div>' +
        '<div class="interaction-body"><dl>' +
          '<dt>Direction</dt><dd>' + esc(agentLeg(call).direction) + '</dd>' +
          '<dt>Number</dt><dd>' + esc(customer.address.replace(/^tel:/, '')) + '</dd>' +
          '<dt>Conversation</dt><dd>' + esc(call.id) + '</dd>' +
        '</dl></div>' +
      '</div></div>';
    host.querySelector('.interaction-mute-btn').addEventListener('click', () => act(agentLeg(selected()).muted ? 'unmute' : 'mute'));
    host.querySelector('.interaction-hold-btn').addEventListener('click', () => act(agentLeg(selected()).held ? 'unhold' : 'hold'));
    host.querySelector('.interaction-end-btn').addEventListener('click', () => act('end'));
    host.querySelector('[data-action="answerInteraction"]').addEventListener('click', () => act('answer'));
  }
  const leg = agentLeg(call);
  const alerting = leg.state === 'alerting';
  const setButton = (selector, pressed, disabled) => {
    const button = host.querySelector(selector);
    if (pressed !== undefined) button.setAttribute('aria-pressed', String(pressed));
    button.disabled = disabled;
    button.setAttribute('aria-disabled', String(disabled));
  };
  setButton('.interaction-mute-btn', leg.muted, alerting);
  setButton('.interaction-hold-btn', leg.held, alerting);
  setButton('.interaction-end-btn', undefined, false);
  host.querySelector('[data-action="answerInteraction"]').hidden = !alerting;
  host.querySelector('.line-status').textContent = status(call);
  host.querySelector('.muted-badge').hidden = !leg.muted;
}

function renderControls() {
  const call = selected();
  const leg = call && agentLeg(call);
  const set = (id, enabled, label) => { const b = document.getElementById(id); b.disabled = !enabled; if (label) b.textContent = label; };
  set('emu-answer', leg && leg.state === 'alerting');
  set('emu-mute', leg && leg.state !== 'alerting', leg && leg.muted ? 'Unmute from elsewhere' : 'Mute from elsewhere');
  set('emu-hold', leg && leg.state !== 'alerting', leg && leg.held ? 'Resume' : 'Hold');
  set('emu-end', Boolean(call));
}

function render() {
  if (!selected()) selectedId = state.calls[0]?.id ?? null;
  if (state.agent) $('#agent-name').textContent = state.agent.name;
  renderRail();
  renderInteraction();
  renderControls();
}

async function poll() {
  try {
    const response = await fetch('/__emulator/state', { cache: 'no-store' });
    state = await response.json();
    document.body.classList.remove('is-offline');
  } catch {
    document.body.classList.add('is-offline');
  }
  render();
}

$('#interaction-list').addEventListener('click', (event) => {
  const item = event.target.closest('.interaction-group');
  if (item) { selectedId = item.dataset.id; render(); }
});
$('#emu-incoming').addEventListener('click', () => control('/calls', { state: 'alerting' }));
$('#emu-answer').addEventListener('click', () => act('answer'));
$('#emu-mute').addEventListener('click', () => { const c = selected(); if (c) act(agentLeg(c).muted ? 'unmute' : 'mute'); });
$('#emu-hold').addEventListener('click', () => { const c = selected(); if (c) act(agentLeg(c).held ? 'unhold' : 'hold'); });
$('#emu-end').addEventListener('click', () => act('end'));
$('#emu-drop').addEventListener('click', () => control('/sockets/close'));
$('#emu-closing').addEventListener('click', () => control('/sockets/closing'));
$('#emu-revoke').addEventListener('click', () => control('/tokens/revoke'));
setInterval(poll, 500);
void poll();
`;

export function desktopPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Genesys Cloud (emulator)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style></head>
<body class="ember-application command">
<header class="top-bar"><span class="brand">Genesys Cloud</span><span class="spacer"></span>
  <span class="presence">On Queue</span><span id="agent-name"></span></header>
<div class="offline">The emulator is not answering.</div>
<div class="layout">
  <nav class="side-nav" aria-hidden="true"></nav>
  <div class="command-panel active agent">
    <div class="interactions chat-container">
      <div class="left-chat-rail"><div class="rail-title">Interactions</div><div id="interaction-list"></div></div>
      <div class="interaction-container"></div>
    </div>
  </div>
</div>
<aside class="emulator-controls" aria-label="Emulator controls">
  <h2>Emulator controls</h2>
  <p>Not part of Genesys: drives the emulated org.</p>
  <div class="grid">
    <button type="button" id="emu-incoming" class="wide">Simulate incoming call</button>
    <button type="button" id="emu-answer">Answer</button>
    <button type="button" id="emu-hold">Hold</button>
    <button type="button" id="emu-mute" class="wide">Mute from elsewhere</button>
    <button type="button" id="emu-end" class="wide">End call</button>
  </div>
  <details><summary>Faults</summary><div class="grid">
    <button type="button" id="emu-drop" class="wide">Drop notification sockets</button>
    <button type="button" id="emu-closing" class="wide">Send socket_closing</button>
    <button type="button" id="emu-revoke" class="wide">Revoke all tokens</button>
  </div></details>
</aside>
<script>${SCRIPT}</script>
</body></html>`;
}
