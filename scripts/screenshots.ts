// `npm run screenshots`: the README's pictures, taken in real Chromium against the emulator so
// they always show the current build (the CRM one in the emulator's stand-in CRM). Writes
// docs/images/*.png.
import { resolve } from 'node:path';
import { signInThroughPopup, startRig } from '../test/e2e/harness.ts';
import { startCrmSite } from '../emulator/crm.ts';

const OUT = resolve(import.meta.dirname, '../docs/images');

const rig = await startRig();
try {
  const popup = await signInThroughPopup(rig);
  const desk = await rig.agentDesktop();
  rig.emulator.startCall({ customerName: 'Casey Customer' });
  const control = desk.getByRole('button', { name: 'Mute microphone' });
  await desk.waitForFunction(() => document.querySelector('genesys-mic-control')?.getAttribute('data-placement') === 'toolbar');
  await control.click();
  await desk.waitForFunction(() => document.querySelector('genesys-mic-control')?.shadowRoot?.querySelector('[data-status="muted"]'));
  await desk.waitForTimeout(700); // the stand-in page polls its own state twice a second
  await desk.screenshot({ path: `${OUT}/agent-desktop.png`, clip: { x: 0, y: 0, width: 900, height: 320 } });

  // Genesys inside a CRM: the stand-in CRM page (another origin) framing the embedded client, on
  // the same call, muted.
  const crm = await startCrmSite({ client: `${rig.emulator.origin}/crm/embeddableFramework.html` });
  try {
    const crmPage = await rig.context.newPage();
    await crmPage.setViewportSize({ width: 900, height: 640 });
    await crmPage.goto(crm.url({ width: 340 }));
    const softphone = crmPage.frameLocator('#softphone');
    await softphone.getByRole('button', { name: 'Mute microphone', pressed: true }).waitFor();
    await softphone.locator('.muted-flag:not([hidden])').waitFor();
    await crmPage.waitForTimeout(400); // the control re-places within 250 ms of the client's changes
    await crmPage.screenshot({ path: `${OUT}/crm.png`, clip: { x: 0, y: 0, width: 900, height: 450 } });
    await crmPage.close();
  } finally {
    await crm.close();
  }

  await popup.setViewportSize({ width: 340, height: 250 });
  await popup.reload();
  await popup.getByTestId('call').getByText('Casey Customer').waitFor();
  await popup.screenshot({ path: `${OUT}/popup.png` });
  await popup.emulateMedia({ colorScheme: 'dark' });
  await popup.waitForTimeout(200);
  await popup.screenshot({ path: `${OUT}/popup-dark.png` });

  const options = await rig.extensionPage('options');
  await options.setViewportSize({ width: 820, height: 1100 });
  await options.getByTestId('redirect-uri').waitFor();
  await options.locator('#client-id').waitFor();
  await options.screenshot({ path: `${OUT}/options.png`, fullPage: true });
  console.log(`Screenshots written to ${OUT}`);
} finally {
  await rig.close();
}
