// `npm start`: the product against the bundled emulator. Starts the emulator with a simulated
// call, opens Chromium with the e2e build of the extension, signs in and shows the agent desktop.
// Headed when a display exists; otherwise headless, printing what happened and saving a screenshot.
import { chromium, type Page } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '../emulator/server.ts';
import { ensureChromium, hasDisplay } from './chromium.ts';

const EXTENSION_ID = 'palaebnopndlohdhpbjmeopgkididbbo';
const EXTENSION_PATH = resolve(import.meta.dirname, '../dist-e2e');
const SCREENSHOT = resolve(import.meta.dirname, '../artifacts/demo.png');
const port = Number(process.env['PORT'] ?? 8787);

const say = (line: string): void => console.log(`[demo] ${line}`);

const emulator = await startEmulator({ port, autoApprove: true, log: process.env['DEMO_VERBOSE'] ? say : undefined });
say(`Genesys Cloud emulator at ${emulator.origin} (agent desktop: ${emulator.origin}/directory/)`);
const headless = !hasDisplay();
say(headless ? 'No display found: running Chromium headless.' : 'Opening Chromium…');

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'gmc-demo-')), {
  executablePath: ensureChromium(say),
  headless,
  viewport: headless ? { width: 1200, height: 800 } : null,
  args: [
    `--disable-extensions-except=${EXTENSION_PATH}`,
    `--load-extension=${EXTENSION_PATH}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ],
});
const isOurs = (url: string): boolean => url.startsWith(`chrome-extension://${EXTENSION_ID}/`);
const worker = context.serviceWorkers().find((w) => isOurs(w.url())) ?? (await context.waitForEvent('serviceworker', { predicate: (w) => isOurs(w.url()) }));
await worker.evaluate((settings) => chrome.storage.local.set({ settings }), { environment: emulator.origin, clientId: 'gmc-demo-client' });
say(`Extension loaded (id ${EXTENSION_ID}); settings: region = the emulator, client id = gmc-demo-client.`);

const popup = await context.newPage();
await popup.goto(`chrome-extension://${EXTENSION_ID}/src/popup/index.html`);
await popup.getByRole('button', { name: 'Sign in', exact: true }).click();
await popup.getByTestId('agent-name').waitFor({ timeout: 20_000 });
say(`Signed in as ${(await popup.getByTestId('agent-name').textContent())?.trim()} (Authorization Code + PKCE).`);

const desk: Page = await context.newPage();
await desk.goto(`${emulator.origin}/directory/`);
const conversationId = emulator.startCall({ customerName: 'Casey Customer' });
say('A call from Casey Customer arrived.');
const control = desk.getByRole('button', { name: 'Mute microphone' });
await control.waitFor();
await desk.waitForFunction(() => document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('button:not([disabled])'));

if (headless) {
  await control.click();
  await desk.waitForFunction(() => document.querySelector('genesys-mic-control')?.getAttribute('hidden') === null &&
    document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('[data-status="muted"]'));
  const patch = emulator.requests().find((r) => r.method === 'PATCH');
  say(`Clicked "Mute microphone" on the agent desktop: PATCH ${patch?.path} ${patch?.body} → muted, confirmed by the notification event.`);
  await desk.waitForTimeout(600);
  await desk.screenshot({ path: SCREENSHOT });
  say(`Screenshot: ${SCREENSHOT}`);
  emulator.endCall(conversationId);
  await context.close();
  await emulator.close();
} else {
  await desk.bringToFront();
  say('Try it: the mute button sits beside the call controls; the toolbar popup and Alt+Shift+M work too.');
  say('The "Emulator controls" panel on the page starts calls and mutes from elsewhere. Ctrl+C to stop.');
  const stop = async (): Promise<void> => {
    await context.close().catch(() => undefined);
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  context.on('close', () => void stop());
}
