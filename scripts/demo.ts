// `npm start`: the product against the bundled emulator. Starts the emulator with a simulated
// call, opens Chromium with the e2e build of the extension, signs in and shows the agent desktop.
// Headed when a display exists (until Ctrl+C or the window closes); otherwise headless, printing
// what happened and saving a screenshot. `npm test` runs this file both ways (test/e2e/demo.test.ts).
import { resolve } from 'node:path';
import { pageControl, signInThroughPopup, startRig } from '../test/e2e/harness.ts';
import { hasDisplay } from './chromium.ts';

const SCREENSHOT = resolve(import.meta.dirname, '../artifacts/demo.png');
const port = Number(process.env['PORT'] ?? 8787);

const say = (line: string): void => console.log(`[demo] ${line}`);

const headless = !hasDisplay();
const rig = await startRig({
  // The agent's Genesys login session lives, as it does on a real agent's machine after the first
  // sign-in of the day: the extension may sign in by itself before anyone clicks.
  emulator: { port, autoApprove: true, ...(process.env['DEMO_VERBOSE'] ? { log: say } : {}) },
  headless,
  viewport: headless ? { width: 1200, height: 800 } : null,
  // Chromium's sandbox needs a normal user; as root (containers, CI) it cannot start with it.
  sandbox: process.getuid?.() !== 0,
  ownSignals: true,
});
const { emulator } = rig;
say(`Genesys Cloud emulator at ${emulator.origin} (agent desktop: ${emulator.origin}/directory/)`);
say(headless ? 'No display found: running Chromium headless.' : 'Chromium is open.');
say('Extension loaded; settings: region = the emulator, client id = gmc-demo-client.');

const popup = await signInThroughPopup(rig);
say(`Signed in as ${(await popup.getByTestId('agent-name').textContent())?.trim()} (Authorization Code + PKCE).`);

const desk = await rig.agentDesktop();
const conversationId = emulator.startCall({ customerName: 'Casey Customer' });
say('A call from Casey Customer arrived.');
const control = pageControl(desk);
await control.and(desk.locator(':enabled')).waitFor();

if (headless) {
  await control.click();
  await desk.waitForFunction(() => document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('[data-status="muted"]'));
  const patch = emulator.requests().find((r) => r.method === 'PATCH');
  say(`Clicked "Mute microphone" on the agent desktop: PATCH ${patch?.path} ${patch?.body} → muted, confirmed by the notification event.`);
  await desk.waitForTimeout(600); // the stand-in page polls its own state twice a second
  await desk.screenshot({ path: SCREENSHOT });
  say(`Screenshot: ${SCREENSHOT}`);
  emulator.endCall(conversationId);
  await rig.close();
} else {
  await popup.close();
  await desk.bringToFront();
  say('Try it: the mute button sits beside the call controls; the toolbar popup and Alt+Shift+M work too.');
  say('The "Emulator controls" panel on the page starts calls and mutes from elsewhere. Ctrl+C to stop.');
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await rig.close();
    say('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  rig.context.on('close', () => void stop());
}
