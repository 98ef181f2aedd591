// The embedded clients under /crm/ and the stand-in CRM that frames them from another origin.
import { afterEach, describe, expect, it } from 'vitest';
import { CALL_CONTROLS, EMBEDDED_CLIENT_PATHS, WEBRTC_POPOUT_PATH, crmPage, startCrmSite, type CrmSite } from './crm.ts';
import { startEmulator, type Emulator } from './server.ts';

let emulator: Emulator | undefined;
let site: CrmSite | undefined;
afterEach(async () => {
  await site?.close();
  await emulator?.close();
  site = emulator = undefined;
});

const controlsOf = (html: string | undefined) => /data-call-controls="([^"]*)"/.exec(html ?? '')?.[1];

describe('the embedded clients', () => {
  it('are served at every path Genesys uses, a partner’s own included, and nowhere else under /crm/', async () => {
    emulator = await startEmulator();
    for (const path of [...EMBEDDED_CLIENT_PATHS, '/crm/salesforce/index.html', '/crm/zendesk/index.html', '/crm/index.html?crm=dynamics', WEBRTC_POPOUT_PATH]) {
      const response = await fetch(`${emulator.origin}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      // Nothing stops a CRM from framing them.
      expect(response.headers.get('x-frame-options')).toBeNull();
    }
    for (const path of ['/crm/', '/crm/nothing.html', '/crm/a/b/index.html', '/crm/../directory/x']) expect((await fetch(`${emulator.origin}${path}`)).status, path).toBe(404);
  });

  it('have a DOM of their own, not the agent desktop’s', () => {
    const html = crmPage('/crm/embeddableFramework.html', new URLSearchParams())!;
    expect(html).not.toContain('selected-interaction-container');
    expect(html).not.toContain('interaction-controls-primary');
    expect(html).toContain('call-controls');
  });

  it('show every call control, or only those the admin allowed (callControls)', () => {
    expect(controlsOf(crmPage('/crm/index.html', new URLSearchParams()))).toBe(CALL_CONTROLS.join(','));
    const hidden = crmPage('/crm/index.html', new URLSearchParams('callControls=hold,transfer,keypad,end'));
    expect(controlsOf(hidden)).toBe('hold,transfer,keypad,end');
    expect(hidden).not.toContain('call-mute');
  });
});

describe('the stand-in CRM', () => {
  it('is another origin and another site than the emulator, and frames the embedded client at the width asked', async () => {
    emulator = await startEmulator();
    site = await startCrmSite({ client: `${emulator.origin}/crm/embeddableFramework.html` });
    expect(site.origin).toMatch(/^http:\/\/crm\.localhost:\d+$/);
    expect(new URL(site.origin).hostname).not.toBe(new URL(emulator.origin).hostname);
    // crm.localhost is loopback to a browser; Node is asked for 127.0.0.1 directly.
    const local = (url: string) => url.replace('crm.localhost', '127.0.0.1');
    const page = await (await fetch(local(site.url({ width: 300 })))).text();
    expect(page).toContain(`src="${emulator.origin}/crm/embeddableFramework.html"`);
    expect(page).toContain('width:300px');
    expect(page).toContain('allow="microphone');
    expect((await fetch(local(`${site.origin}/widget`))).status).toBe(200);
    expect((await fetch(local(site.url({ client: 'javascript:alert(1)' })))).status).toBe(400);
    expect((await fetch(local(site.url({ width: 5 })))).status).toBe(400);
  });
});
