// `npm start`: the product against the bundled emulator. Starts the emulator with a simulated
// call, opens Chromium with the e2e build of the extension, signs in and shows the agent desktop.
// `npm start -- --crm` shows Genesys inside a CRM instead: the emulator's stand-in CRM page (another
// origin) framing its embedded client, with the control in that frame (the agent desktop stays
// open in another tab, with the emulator's controls).
// Headed when a display exists (until Ctrl+C or the window closes); otherwise headless, printing
// what happened and saving a screenshot. `npm test` runs this file both ways (test/e2e/demo.test.ts).
import { resolve } from 'node:path';
import { pageControl, signInThroughPopup, startRig } from '../test/e2e/harness.ts';
import { startCrmSite } from '../emulator/crm.ts';
import { hasDisplay } from './chromium.ts';

const crmMode = process.argv.includes('--crm');
const SCREENSHOT = resolve(import.meta.dirname, `../artifacts/${crmMode ? 'demo-crm' : 'demo'}.png`);
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
await pageControl(desk).and(desk.locator(':enabled')).waitFor();

// With --crm: the stand-in CRM, on another origin, framing the embedded client.
const crm = crmMode ? await startCrmSite({ client: `${emulator.origin}/crm/embeddableFramework.html` }) : undefined;
const crmPage = crm ? await rig.context.newPage() : undefined;
if (crm && crmPage) {
  await crmPage.goto(crm.url());
  say(`A CRM page at ${crm.origin} frames Genesys's embedded client (${emulator.origin}/crm/embeddableFramework.html).`);
}
const shown = crmPage ?? desk;
const scope = crmPage ? crmPage.frameLocator('#softphone') : desk;
const control = scope.getByRole('button', { name: 'Mute microphone' });
await control.and(scope.locator(':enabled')).waitFor();
const closeAll = async (): Promise<void> => {
  await crm?.close();
  await rig.close();
};

if (headless) {
  await shown.waitForTimeout(600); // the client re-renders as the call comes
  await control.click();
  const patch = await waitForPatch();
  await control.and(scope.locator('[aria-pressed="true"]')).waitFor();
  say(`Clicked "Mute microphone" ${crmPage ? "in the CRM's Genesys frame" : 'on the agent desktop'}: PATCH ${patch?.path} ${patch?.body} → muted, confirmed by the notification event.`);
  await shown.waitForTimeout(600); // the stand-in page polls its own state twice a second
  await shown.screenshot({ path: SCREENSHOT });
  say(`Screenshot: ${SCREENSHOT}`);
  emulator.endCall(conversationId);
  await closeAll();
} else {
  await popup.close();
  await shown.bringToFront();
  say(
    crmPage
      ? "Try it: the mute button sits in the Genesys frame of the CRM page; the agent desktop tab shows the same state, and the popup and Alt+Shift+M work too."
      : 'Try it: the mute button sits beside the call controls; the toolbar popup and Alt+Shift+M work too.',
  );
  say('The "Emulator controls" panel on the agent desktop starts calls and mutes from elsewhere. Ctrl+C to stop.');
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await closeAll();
    say('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  rig.context.on('close', () => void stop());
}

/** The mute PATCH, once Genesys (the emulator) has confirmed it. */
async function waitForPatch() {
  const patch = await emulator.waitForRequest((r) => r.method === 'PATCH', 5_000);
  for (let tries = 0; tries < 50 && !emulator.call(conversationId)?.participants?.find((p) => p.purpose === 'agent')?.muted; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return patch;
}
