import { describe, expect, it } from 'vitest';
import { checkSetup } from './setup-check';

const SETTINGS = { environment: 'mypurecloud.ie', clientId: 'abc' };
const REDIRECT = 'https://id.chromiumapp.org/';

function answering(response: Response | Error): typeof fetch {
  return async () => {
    if (response instanceof Error) throw response;
    return response;
  };
}

const result = (report: Awaited<ReturnType<typeof checkSetup>>) => Object.fromEntries(report.checks.map((c) => [c.id, c.ok]));

describe('the setup check', () => {
  it('passes everything when Genesys shows its login page and the subscription is permitted', async () => {
    const report = await checkSetup(SETTINGS, REDIRECT, async () => ({ permitted: true, missing: [] }), answering(new Response('<form>', { status: 200 })));
    expect(result(report)).toEqual({ region: true, client: true, redirect: true, subscription: true });
  });

  it('says the region is unreachable and stops there', async () => {
    const report = await checkSetup(SETTINGS, REDIRECT, async () => undefined, answering(new TypeError('Failed to fetch')));
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0]).toMatchObject({ id: 'region', ok: false });
    expect(report.checks[0]!.message).toContain('login.mypurecloud.ie');
  });

  it('names an unknown client id', async () => {
    const report = await checkSetup(SETTINGS, REDIRECT, async () => undefined, answering(new Response('The client id is not valid', { status: 400 })));
    expect(result(report)).toEqual({ region: true, client: false, redirect: undefined, subscription: undefined });
    expect(report.checks[1]!.fix).toMatch(/Code Authorization/);
  });

  it('gives the exact redirect URI to register', async () => {
    const report = await checkSetup(SETTINGS, REDIRECT, async () => undefined, answering(new Response('redirect_uri is not registered', { status: 400 })));
    expect(result(report)).toMatchObject({ client: true, redirect: false });
    expect(report.checks[2]!.fix).toContain(REDIRECT);
  });

  it('names the missing permission for live call updates', async () => {
    const report = await checkSetup(SETTINGS, REDIRECT, async () => ({ permitted: false, missing: ['conversation:call:view'] }), answering(new Response('', { status: 200 })));
    expect(report.checks[3]).toMatchObject({ id: 'subscription', ok: false });
    expect(report.checks[3]!.message).toContain('conversation:call:view');
  });
});
