import { afterEach, describe, expect, it } from 'vitest';
import type { Models } from 'purecloud-platform-client-v2';
import { PARTICIPANT_REQUEST_FIELDS, WRAPUP_INPUT_FIELDS } from './participant-request.ts';
import { DEFAULT_AGENT, startEmulator, type Emulator, type EmulatorOptions } from './server.ts';
import { api, conforms, definition, signIn, swagger } from './test-support.ts';

let emulator: Emulator | undefined;
async function start(options: EmulatorOptions = {}): Promise<{ emu: Emulator; token: string }> {
  emulator = await startEmulator({ confirmDelayMs: 20, autoApprove: true, ...options });
  return { emu: emulator, token: await signIn(emulator) };
}
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const participantPath = (conversationId: string, participantId: string): string =>
  `/api/v2/conversations/calls/${conversationId}/participants/${participantId}`;
const agentLeg = (call: Models.CallConversation | undefined): Models.CallMediaParticipant | undefined =>
  call?.participants?.find((p) => p.purpose === 'agent');

describe('payloads conform to the Genesys Swagger', () => {
  it('GET /api/v2/users/me is a UserMe with a correlation id and CORS', async () => {
    const { emu, token } = await start();
    const response = await api(emu, token, 'GET', '/api/v2/users/me');
    expect(response.status).toBe(200);
    expect(response.headers.get('inin-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const me = (await response.json()) as Models.UserMe;
    conforms(definition('UserMe'), me);
    expect(() => conforms(definition('UserMe'), { id: 7 })).toThrow(); // the validator can fail
    expect(me).toMatchObject({ id: DEFAULT_AGENT.id, name: 'Avery Agent', email: DEFAULT_AGENT.email, state: 'active' });
  });

  it('GET /api/v2/conversations/calls lists active calls with both participants', async () => {
    const { emu, token } = await start();
    const empty = (await (await api(emu, token, 'GET', '/api/v2/conversations/calls')).json()) as Models.CallConversationEntityListing;
    conforms(definition('CallConversationEntityListing'), empty);
    expect(empty.entities).toEqual([]);

    const id = emu.startCall({ customerName: 'Rita Caller' });
    const listing = (await (await api(emu, token, 'GET', '/api/v2/conversations/calls')).json()) as Models.CallConversationEntityListing;
    conforms(definition('CallConversationEntityListing'), listing);
    expect(listing.total).toBe(1);
    const call = listing.entities?.[0];
    expect(call?.id).toBe(id);
    expect(agentLeg(call)).toMatchObject({ state: 'connected', muted: false, held: false, user: { id: DEFAULT_AGENT.id } });
    expect(call?.participants?.find((p) => p.purpose === 'customer')).toMatchObject({ name: 'Rita Caller', state: 'connected' });

    emu.endCall(id);
    const after = (await (await api(emu, token, 'GET', '/api/v2/conversations/calls')).json()) as Models.CallConversationEntityListing;
    expect(after.entities).toEqual([]);
    expect(agentLeg(emu.call(id))).toMatchObject({ state: 'disconnected', endTime: expect.any(String) });
  });

  it('channels and subscriptions', async () => {
    const { emu, token } = await start();
    const created = await api(emu, token, 'POST', '/api/v2/notifications/channels');
    const channel = (await created.json()) as Models.Channel;
    conforms(definition('Channel'), channel);
    expect(channel.connectUri).toBe(`ws://127.0.0.1:${emu.port}/channels/${channel.id ?? ''}`);
    expect(Date.parse(channel.expires ?? '') - Date.now()).toBeGreaterThan(23 * 3600 * 1000);

    const list = (await (await api(emu, token, 'GET', '/api/v2/notifications/channels')).json()) as Models.ChannelEntityListing;
    conforms(definition('ChannelEntityListing'), list);
    expect(list.entities?.map((c) => c.id)).toEqual([channel.id]);

    const subscriptions = `/api/v2/notifications/channels/${channel.id ?? ''}/subscriptions`;
    const own = `v2.users.${DEFAULT_AGENT.id}.conversations.calls`;
    const other = 'v2.users.00000000-0000-0000-0000-000000000000.conversations.calls';
    const put = (await (await api(emu, token, 'PUT', subscriptions, [{ id: own }, { id: other }])).json()) as Models.ChannelTopicEntityListing;
    conforms(definition('ChannelTopicEntityListing'), put);
    expect(put.entities).toEqual([
      { id: own, state: 'Permitted' },
      expect.objectContaining({ id: other, state: 'Rejected', rejectionReason: expect.any(String) }),
    ]);

    const conversations = `v2.users.${DEFAULT_AGENT.id}.conversations`;
    const post = (await (await api(emu, token, 'POST', subscriptions, [{ id: conversations }])).json()) as Models.ChannelTopicEntityListing;
    expect(post.entities?.map((t) => t.id)).toEqual([own, other, conversations]);
    const get = (await (await api(emu, token, 'GET', subscriptions)).json()) as Models.ChannelTopicEntityListing;
    conforms(definition('ChannelTopicEntityListing'), get);
    expect(get.entities).toHaveLength(3);

    const replaced = (await (await api(emu, token, 'PUT', subscriptions, [{ id: own }])).json()) as Models.ChannelTopicEntityListing;
    expect(replaced.entities?.map((t) => t.id)).toEqual([own]);

    const deleted = await api(emu, token, 'DELETE', subscriptions);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect(((await (await api(emu, token, 'GET', subscriptions)).json()) as Models.ChannelTopicEntityListing).entities).toEqual([]);
  });

  it('rejects the calls topic with missing permissions when told to', async () => {
    const { emu, token } = await start();
    emu.setSubscriptionsRejected(true);
    const channel = (await (await api(emu, token, 'POST', '/api/v2/notifications/channels')).json()) as Models.Channel;
    const topic = `v2.users.${DEFAULT_AGENT.id}.conversations.calls`;
    const answer = await api(emu, token, 'PUT', `/api/v2/notifications/channels/${channel.id ?? ''}/subscriptions`, [{ id: topic }]);
    const body = (await answer.json()) as Models.ChannelTopicEntityListing;
    conforms(definition('ChannelTopicEntityListing'), body);
    expect(body.entities?.[0]).toMatchObject({ id: topic, state: 'Rejected', missingPermissions: ['conversation:call:view'] });
  });

  it('answers 404 for an unknown channel and 400 for a malformed topic list', async () => {
    const { emu, token } = await start();
    const unknown = await api(emu, token, 'PUT', '/api/v2/notifications/channels/nope/subscriptions', [{ id: 'x' }]);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'not.found', status: 404 });
    const channel = (await (await api(emu, token, 'POST', '/api/v2/notifications/channels')).json()) as Models.Channel;
    const bad = await api(emu, token, 'PUT', `/api/v2/notifications/channels/${channel.id ?? ''}/subscriptions`, { id: 'not-a-list' });
    expect(bad.status).toBe(400);
  });
});

describe('PATCH participant', () => {
  it('answers 202 with an empty body, then applies the mute and publishes', async () => {
    const { emu, token } = await start({ confirmDelayMs: 60 });
    const id = emu.startCall();
    const response = await api(emu, token, 'PATCH', participantPath(id, emu.agentParticipantId(id)), { muted: true });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    expect(agentLeg(emu.call(id))?.muted).toBe(false); // not yet: confirmation is asynchronous
    await sleep(120);
    expect(agentLeg(emu.call(id))?.muted).toBe(true);
  });

  it('applies held too', async () => {
    const { emu, token } = await start();
    const id = emu.startCall();
    await api(emu, token, 'PATCH', participantPath(id, emu.agentParticipantId(id)), { held: true });
    await sleep(60);
    expect(agentLeg(emu.call(id))).toMatchObject({ held: true, startHoldTime: expect.any(String) });
  });

  it.each([
    ['an unknown key', { muted: true, volume: 3 }],
    ['a wrong type', { muted: 'yes' }],
    ['a list', [{ muted: true }]],
    ['a state that cannot be set', { state: 'alerting' }],
    ['broken JSON', '{"muted":'],
  ])('answers 400 bad.request for %s', async (_, body) => {
    const { emu, token } = await start();
    const id = emu.startCall();
    const response = await api(emu, token, 'PATCH', participantPath(id, emu.agentParticipantId(id)), body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const error = (await response.json()) as Models.ErrorBody;
    conforms(definition('ErrorBody'), error);
    expect(error).toMatchObject({ code: 'bad.request', status: 400, message: expect.any(String) });
  });

  it('answers 403 for another participant', async () => {
    const { emu, token } = await start();
    const id = emu.startCall();
    const customer = emu.call(id)?.participants?.find((p) => p.purpose === 'customer')?.id ?? '';
    const response = await api(emu, token, 'PATCH', participantPath(id, customer), { muted: true });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'missing.permissions', status: 403 });
  });

  it('answers 404 for an unknown or ended call', async () => {
    const { emu, token } = await start();
    const unknown = await api(emu, token, 'PATCH', participantPath('00000000-0000-0000-0000-000000000000', 'p'), { muted: true });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'not.found', status: 404 });
    const id = emu.startCall();
    emu.endCall(id);
    expect((await api(emu, token, 'PATCH', participantPath(id, emu.agentParticipantId(id)), { muted: true })).status).toBe(404);
  });

  it('answers 415 without a JSON content type', async () => {
    const { emu, token } = await start();
    const id = emu.startCall();
    const response = await fetch(`${emu.origin}${participantPath(id, emu.agentParticipantId(id))}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}` },
      body: '{"muted":true}',
    });
    expect(response.status).toBe(415);
  });

  it('knows exactly the fields of MediaParticipantRequest and WrapupInput in the Genesys Swagger', () => {
    const fields = (name: string): string[] => Object.keys(swagger.definitions[name]?.properties ?? {}).sort();
    expect(Object.keys(PARTICIPANT_REQUEST_FIELDS).sort()).toEqual(fields('MediaParticipantRequest'));
    expect(Object.keys(WRAPUP_INPUT_FIELDS).sort()).toEqual(fields('WrapupInput'));
  });
});

describe('authentication, faults and limits', () => {
  it('answers 401 authentication.required without a token, with an unknown one and after revocation', async () => {
    const { emu, token } = await start();
    const none = await fetch(`${emu.origin}/api/v2/users/me`);
    expect(none.status).toBe(401);
    const body = (await none.json()) as Models.ErrorBody;
    conforms(definition('ErrorBody'), body);
    expect(body).toMatchObject({ code: 'authentication.required', status: 401, contextId: expect.any(String), details: [], errors: [] });
    expect((await api(emu, 'made-up', 'GET', '/api/v2/users/me')).status).toBe(401);

    expect((await api(emu, token, 'GET', '/api/v2/users/me')).status).toBe(200);
    emu.revokeAllTokens();
    expect((await api(emu, token, 'GET', '/api/v2/users/me')).status).toBe(401);
  });

  it('revokes the token used for DELETE /api/v2/tokens/me', async () => {
    const { emu, token } = await start();
    expect((await api(emu, token, 'DELETE', '/api/v2/tokens/me')).status).toBe(204);
    expect((await api(emu, token, 'GET', '/api/v2/users/me')).status).toBe(401);
  });

  it('injects a 429 with Retry-After, the given number of times', async () => {
    const { emu, token } = await start();
    emu.failNext({ method: 'GET', path: '/api/v2/conversations/calls', status: 429, retryAfterSeconds: 7, times: 2 });
    for (let i = 0; i < 2; i++) {
      const response = await api(emu, token, 'GET', '/api/v2/conversations/calls');
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await response.json()).toMatchObject({ code: 'too.many.requests', status: 429 });
    }
    expect((await api(emu, token, 'GET', '/api/v2/conversations/calls')).status).toBe(200);
  });

  it('injects other failures by method and path pattern', async () => {
    const { emu, token } = await start();
    const id = emu.startCall();
    emu.failNext({ method: 'PATCH', path: /\/participants\//, status: 503 });
    const response = await api(emu, token, 'PATCH', participantPath(id, emu.agentParticipantId(id)), { muted: true });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'service.unavailable', status: 503 });
    expect((await api(emu, token, 'GET', '/api/v2/users/me')).status).toBe(200);
  });

  it('injects an outage with a known end: every matching request fails until then, Retry-After says how long is left', async () => {
    const { emu, token } = await start();
    emu.failNext({ path: '/api/v2/conversations/calls', status: 429, forMs: 1_500 });
    for (let i = 0; i < 3; i++) {
      const response = await api(emu, token, 'GET', '/api/v2/conversations/calls');
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('2');
    }
    await sleep(1_600);
    expect((await api(emu, token, 'GET', '/api/v2/conversations/calls')).status).toBe(200);
    expect(emu.requests().filter((r) => r.path === '/api/v2/conversations/calls').map((r) => r.status)).toEqual([429, 429, 429, 200]);
  });

  it('injects an intermittent outage: one matching request in `every` fails, the others are answered', async () => {
    const { emu, token } = await start();
    emu.failNext({ path: /^\/api\/v2\//, status: 401, every: 2, forMs: 5_000 });
    for (let i = 0; i < 4; i++) await api(emu, token, 'GET', '/api/v2/users/me');
    expect(emu.requests().filter((r) => r.path === '/api/v2/users/me').map((r) => r.status)).toEqual([401, 200, 401, 200]);
  });

  it('injects requests that hang and then die without an answer', async () => {
    const { emu, token } = await start();
    emu.failNext({ path: '/api/v2/users/me', status: 0, delayMs: 200 });
    const started = performance.now();
    await expect(api(emu, token, 'GET', '/api/v2/users/me')).rejects.toThrow();
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(emu.requests().at(-1)?.status).toBe(0);
    expect((await api(emu, token, 'GET', '/api/v2/users/me')).status).toBe(200);
  });

  it('remembers every token it issued and every channel it made', async () => {
    const { emu, token } = await start();
    const channel = (await (await api(emu, token, 'POST', '/api/v2/notifications/channels')).json()) as Models.Channel;
    expect(emu.issuedTokens()).toEqual([token]);
    expect(emu.channels().map((c) => c.id)).toEqual([channel.id]);
  });

  it('limits each token to its requests per rolling minute', async () => {
    const { emu, token } = await start({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await api(emu, token, 'GET', '/api/v2/users/me')).status).toBe(200);
    const limited = await api(emu, token, 'GET', '/api/v2/users/me');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ code: 'too.many.requests' });
    const other = await signIn(emu);
    expect((await api(emu, other, 'GET', '/api/v2/users/me')).status).toBe(200);
  });

  it('records OAuth and API requests in order, not control or page requests', async () => {
    const { emu, token } = await start();
    await fetch(`${emu.origin}/__emulator/state`);
    await fetch(`${emu.origin}/directory/`);
    await api(emu, token, 'GET', '/api/v2/users/me?expand=presence');
    const paths = emu.requests().map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(['GET /oauth/authorize', 'POST /oauth/token', 'GET /api/v2/users/me']);
    const last = await emu.waitForRequest((r) => r.path === '/api/v2/users/me');
    expect(last).toMatchObject({ query: { expand: 'presence' }, authorization: `Bearer ${token}` });
    const pending = emu.waitForRequest((r) => r.path === '/api/v2/conversations/calls', 1000);
    await api(emu, token, 'GET', '/api/v2/conversations/calls');
    expect((await pending).method).toBe('GET');
    emu.clearRequests();
    expect(emu.requests()).toEqual([]);
  });
});

describe('control surface', () => {
  it('drives calls over HTTP and reports state', async () => {
    const { emu } = await start();
    const post = (path: string, body?: object): Promise<Response> =>
      fetch(`${emu.origin}/__emulator${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
    const { conversationId } = (await (await post('/calls', { state: 'alerting', customerName: 'Pat' })).json()) as { conversationId: string };
    expect(agentLeg(emu.call(conversationId))?.state).toBe('alerting');
    await post(`/calls/${conversationId}/answer`);
    await post(`/calls/${conversationId}/mute`);
    await post(`/calls/${conversationId}/hold`);
    expect(agentLeg(emu.call(conversationId))).toMatchObject({ state: 'connected', muted: true, held: true, connectedTime: expect.any(String) });
    const state = (await (await fetch(`${emu.origin}/__emulator/state`)).json()) as { calls: Models.CallConversation[]; agent: { name: string } };
    expect(state.agent.name).toBe('Avery Agent');
    expect(state.calls.map((c) => c.id)).toEqual([conversationId]);
    await post(`/calls/${conversationId}/end`);
    expect(((await (await fetch(`${emu.origin}/__emulator/state`)).json()) as { calls: unknown[] }).calls).toEqual([]);
    expect((await post(`/calls/${conversationId}/mute`)).status).toBe(404);
  });

  it('serves the stand-in agent desktop with the known Genesys DOM hooks', async () => {
    const { emu } = await start();
    const root = await fetch(`${emu.origin}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/directory/');
    const html = await (await fetch(`${emu.origin}/directory/`)).text();
    for (const hook of [
      'class="ember-application command"',
      'class="command-panel active agent"',
      'class="interactions chat-container"',
      'class="left-chat-rail"',
      'interaction-group',
      'is-selected',
      'participant-name',
      'class="interaction-container"',
      'selected-interaction-container',
      'acd-interaction',
      'interaction-header-participant-name',
      'role="toolbar"',
      'interaction-controls-primary toggle-item-container',
      'interaction-mute-btn',
      'aria-pressed',
      'interaction-hold-btn',
      'interaction-end-btn',
      'data-action="answerInteraction"',
      'Emulator controls',
    ]) {
      expect(html).toContain(hook);
    }
    expect(html).not.toMatch(/<(link|script)[^>]+(src|href)=/); // inline only
  });
});
