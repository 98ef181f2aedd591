import { describe, expect, it } from 'vitest';
import { answer, viewerOf, type handlers, type Sender } from './handlers';

type Table = ReturnType<typeof handlers>;

describe('who may ask what', () => {
  const asked: string[] = [];
  const table = new Proxy({} as Table, {
    get: (_target, type: string) => async () => {
      asked.push(type);
      return { ok: true };
    },
  });

  it('answers the diagnostics only to the extension\'s own pages, never to the page control', async () => {
    expect(answer(table, { type: 'get-diagnostics' }, 'page')).toBeUndefined();
    expect(answer(table, { type: 'get-diagnostics' }, undefined)).toBeUndefined();
    await answer(table, { type: 'get-diagnostics' }, 'extension');
    expect(asked).toEqual(['get-diagnostics']);
  });
});

describe('viewerOf: who the sender is', () => {
  const ID = 'palaebnopndlohdhpbjmeopgkididbbo';
  const EXTENSION = `chrome-extension://${ID}/`;
  const DESKTOP = 'https://apps.mypurecloud.ie';
  const judge = (sender: Sender) => viewerOf({ id: ID, ...sender }, ID, EXTENSION, DESKTOP);

  it("knows the extension's own pages", () => {
    expect(judge({ url: `${EXTENSION}src/popup/index.html`, origin: EXTENSION.slice(0, -1) })).toBe('extension');
  });

  it('serves the agent desktop in its top frame, and its top-level WebRTC pop-out', () => {
    expect(judge({ url: `${DESKTOP}/directory/#/`, origin: DESKTOP, frameId: 0 })).toBe('page');
    expect(judge({ url: `${DESKTOP}/crm/webrtc.html`, origin: DESKTOP, frameId: 0 })).toBe('page');
  });

  it('serves the embedded client in a frame of any page, under /crm/ on the configured origin only', () => {
    for (const path of ['/crm/embeddableFramework.html', '/crm/index.html?crm=salesforce', '/crm/zendesk/index.html', '/crm/softphoneGenericCRM/index.html']) {
      expect(judge({ url: `${DESKTOP}${path}`, origin: DESKTOP, frameId: 7 }), path).toBe('page');
    }
  });

  it('serves no other frame of the agent desktop, nor one whose path only pretends', () => {
    expect(judge({ url: `${DESKTOP}/directory/#/`, origin: DESKTOP, frameId: 3 })).toBeUndefined();
    expect(judge({ url: `${DESKTOP}/crmx/index.html`, origin: DESKTOP, frameId: 3 })).toBeUndefined();
    expect(judge({ url: `${DESKTOP}/crm/../directory/`, origin: DESKTOP, frameId: 3 })).toBeUndefined();
    expect(judge({ origin: DESKTOP, frameId: 3 })).toBeUndefined();
  });

  it("serves nothing to another org's embedded client, nor to any other origin", () => {
    expect(judge({ url: 'https://apps.mypurecloud.de/crm/index.html', origin: 'https://apps.mypurecloud.de', frameId: 2 })).toBeUndefined();
    expect(judge({ url: 'https://apps.mypurecloud.de/directory/', origin: 'https://apps.mypurecloud.de', frameId: 0 })).toBeUndefined();
    expect(judge({ url: 'https://acme.my.salesforce.com/crm/index.html', origin: 'https://acme.my.salesforce.com', frameId: 0 })).toBeUndefined();
    expect(judge({ url: 'https://acme.my.salesforce.com/lightning/page', origin: 'https://acme.my.salesforce.com', frameId: 2 })).toBeUndefined();
    // The frame's own origin decides, not a URL it claims: Chrome's `origin` wins over `url`.
    expect(judge({ url: `${DESKTOP}/crm/index.html`, origin: 'https://acme.my.salesforce.com', frameId: 2 })).toBeUndefined();
  });

  it('serves no page at all before an environment is configured, nor another extension', () => {
    expect(viewerOf({ id: ID, url: `${DESKTOP}/crm/index.html`, origin: DESKTOP, frameId: 2 }, ID, EXTENSION, undefined)).toBeUndefined();
    expect(viewerOf({ id: 'another', url: `${DESKTOP}/crm/index.html`, origin: DESKTOP, frameId: 2 }, ID, EXTENSION, DESKTOP)).toBeUndefined();
  });
});
