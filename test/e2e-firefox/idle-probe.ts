// Measures, with Firefox's default idle timeout, when the background page stops and what keeps it
// running (docs/FIREFOX.md has the results). Not a test: a script that prints a table.
//   npm run build:firefox:e2e && npx tsx test/e2e-firefox/idle-probe.ts   (about 7 minutes)
import { signInThroughPopup, startFirefoxRig, waitFor, type FirefoxRig } from './harness.ts';

const HOLD_MS = 65_000;
const rig: FirefoxRig = await startFirefoxRig();
const version = await rig.browser.version();
const rows: string[] = [];
const since = (start: number) => `${((Date.now() - start) / 1000).toFixed(1)} s`;
const sockets = () => rig.emulator.requests().filter((r) => r.method === 'WS').length;

/** Waits up to `ms` for the background to stop; the row says when, or that it kept running. */
async function stopsWithin(label: string, ms: number): Promise<void> {
  await rig.background(() => 0); // running now (getBackgroundPage starts a stopped one)
  const start = Date.now();
  const result = await waitFor(label, async () => !(await rig.backgroundRunning()), ms, 250).then(
    () => `stopped after ${since(start)}`,
    () => `still running after ${ms / 1000} s`,
  );
  rows.push(`${label.padEnd(58)} ${result}`);
  console.log(rows.at(-1));
}

try {
  const popup = await signInThroughPopup(rig);
  await popup.close();
  await stopsWithin('signed in, socket open, no view open', HOLD_MS);

  // The agent desktop's content script holds a runtime.Port and reconnects it when it drops.
  const desk = await rig.agentDesktop();
  const before = sockets();
  const restarts = new Set<string>();
  const start = Date.now();
  while (Date.now() - start < 95_000) {
    const ids = await rig.extension(async () => (await chrome.runtime.getContexts({ contextTypes: ['BACKGROUND' as chrome.runtime.ContextType] })).map((c) => c.documentId ?? ''));
    ids.forEach((id) => restarts.add(id));
    await new Promise((done) => setTimeout(done, 250));
  }
  rows.push(`${'agent desktop open (content-script port), 95 s'.padEnd(58)} ${restarts.size} background documents, ${sockets() - before} socket connects`);
  console.log(rows.at(-1));
  await desk.close();

  await rig.extension(() => { (globalThis as Record<string, unknown>)['k1'] = setInterval(() => void chrome.runtime.sendMessage({ type: 'get-view' }), 20_000); });
  await stopsWithin('runtime.sendMessage from an extension page every 20 s', HOLD_MS);
  await rig.extension(() => clearInterval((globalThis as Record<string, unknown>)['k1'] as number));

  await rig.extension(() => {
    const port = chrome.runtime.connect({ name: 'mic-view' });
    (globalThis as Record<string, unknown>)['k2'] = setInterval(() => port.postMessage({ type: 'keepalive' }), 20_000);
  });
  await stopsWithin('port.postMessage to the background every 20 s', HOLD_MS);
  await rig.extension(() => clearInterval((globalThis as Record<string, unknown>)['k2'] as number));

  await rig.background((bg) => { const w = bg as unknown as typeof globalThis & Record<string, unknown>; w['k3'] = w.setInterval(() => void w.chrome.storage.session.get('x'), 10_000); return 0; });
  await stopsWithin('the background calls storage.session.get every 10 s', HOLD_MS);
  await rig.background((bg) => { const w = bg as unknown as typeof globalThis & Record<string, unknown>; w.clearInterval(w['k3'] as number); return 0; }).catch(() => undefined);

  await rig.background((bg, origin) => { const w = bg as unknown as typeof globalThis & Record<string, unknown>; w['k4'] = w.setInterval(() => void w.fetch(`${origin}/__emulator/state`), 10_000); return 0; }, rig.emulator.origin);
  await stopsWithin('the background fetches every 10 s', HOLD_MS);
} finally {
  await rig.close();
  console.log(`\n${version}, default extensions.background.idle.timeout\n${rows.join('\n')}`);
}
