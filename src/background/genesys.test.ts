import { describe, expect, it } from 'vitest';
import { GenesysApi, GenesysError, parseRetryAfter, RequestBudget, type Fetch } from './genesys';

interface Seen {
  url: string;
  init: RequestInit;
}

function api(answer: Response | Error) {
  const seen: Seen[] = [];
  const fetchImpl: Fetch = async (url, init) => {
    seen.push({ url, init });
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { client: new GenesysApi('https://api.mypurecloud.ie', 'tok', fetchImpl), seen };
}

async function failure(promise: Promise<unknown>): Promise<GenesysError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GenesysError) return error;
    throw error;
  }
  throw new Error('expected a GenesysError');
}

describe('the Genesys HTTP client', () => {
  const CONVERSATION = '5b1f6a9e-2f0c-4d5e-9a43-0f6d2c8b7e11';
  const PARTICIPANT = 'c3e0d2a1-7b8f-4e6a-b1c9-2d3e4f5a6b7c';

  it('PATCHes exactly {"muted": true} with the bearer token and accepts 202 with an empty body', async () => {
    const { client, seen } = api(new Response(null, { status: 202 }));
    await client.setParticipantMuted(CONVERSATION, PARTICIPANT, true);
    expect(seen[0]?.url).toBe(`https://api.mypurecloud.ie/api/v2/conversations/calls/${CONVERSATION}/participants/${PARTICIPANT}`);
    expect(seen[0]?.init.method).toBe('PATCH');
    expect(seen[0]?.init.body).toBe('{"muted":true}');
    expect(seen[0]?.init.headers).toEqual({ Authorization: 'Bearer tok', 'Content-Type': 'application/json' });
  });

  it('never follows a redirect: it would carry the token to wherever it points', async () => {
    const { client, seen } = api(new Response(null, { status: 202 }));
    await client.setParticipantMuted(CONVERSATION, PARTICIPANT, false);
    await client.getCalls();
    expect(seen.map((s) => s.init.redirect)).toEqual(['error', 'error']);
  });

  it.each([
    ['../../tokens/me', PARTICIPANT],
    [CONVERSATION, '..'],
    [`${CONVERSATION}/participants/${PARTICIPANT}`, PARTICIPANT],
    ['conv 1', PARTICIPANT],
  ])('refuses to build a path from an id that is not a Genesys id: %s / %s', async (conversation, participant) => {
    const { client, seen } = api(new Response(null, { status: 202 }));
    const error = await failure(client.setParticipantMuted(conversation, participant, true));
    expect([error.status, error.code]).toEqual([400, 'bad.id']);
    expect(seen).toEqual([]);
  });

  it('takes channel ids as Genesys makes them, and nothing with a dot or a slash', async () => {
    const { client, seen } = api(Response.json({ entities: [] }));
    await client.setSubscriptions('streaming-0-fmtdmf8cdis7jh14udg5p89t6z', ['v2.users.x.conversations.calls']);
    expect(seen[0]?.url).toBe('https://api.mypurecloud.ie/api/v2/notifications/channels/streaming-0-fmtdmf8cdis7jh14udg5p89t6z/subscriptions');
    expect((await failure(client.setSubscriptions('../../users/me', []))).code).toBe('bad.id');
  });

  it("reads the server's clock when it makes a channel", async () => {
    const { client } = api(Response.json({ id: 'c', connectUri: 'wss://x' }, { headers: { Date: 'Mon, 30 Nov 2026 10:00:00 GMT' } }));
    expect(await client.createChannel()).toEqual({ channel: { id: 'c', connectUri: 'wss://x' }, serverNow: Date.parse('2026-11-30T10:00:00Z') });
  });

  it('parses JSON answers', async () => {
    const { client } = api(Response.json({ id: 'u1', name: 'Avery', extra: true }));
    expect(await client.getMe()).toEqual({ id: 'u1', name: 'Avery', extra: true });
  });

  it.each([
    [403, { message: 'Not allowed', code: 'missing.permissions', status: 403 }, 'missing.permissions', 'Not allowed'],
    [404, { message: 'Gone', code: 'not.found', status: 404 }, 'not.found', 'Gone'],
    [401, { message: 'Auth', code: 'authentication.required', status: 401 }, 'authentication.required', 'Auth'],
  ])('keeps Genesys\'s code and message for %i', async (status, body, code, message) => {
    const { client } = api(Response.json(body, { status }));
    const error = await failure(client.getCalls());
    expect([error.status, error.code, error.message]).toEqual([status, code, message]);
  });

  it('reads Retry-After on 429', async () => {
    const { client } = api(Response.json({ code: 'too.many.requests' }, { status: 429, headers: { 'Retry-After': '3' } }));
    const error = await failure(client.getCalls());
    expect(error.retryAfterSeconds).toBe(3);
  });

  it('copes with a non-JSON error body', async () => {
    const { client } = api(new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = await failure(client.getCalls());
    expect([error.status, error.code]).toEqual([502, 'http.502']);
  });

  it('maps a network failure to status 0', async () => {
    const { client } = api(new TypeError('Failed to fetch'));
    const error = await failure(client.getCalls());
    expect([error.status, error.code]).toEqual([0, 'network']);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, and ignores nonsense', () => {
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('the request budget', () => {
  it('lets `limit` requests a minute through, then says how long to wait', () => {
    let now = 0;
    const budget = new RequestBudget(3, 60_000, () => now);
    expect([budget.take(), budget.take(), budget.take()]).toEqual([0, 0, 0]);
    now = 1_000;
    expect(budget.take()).toBe(59_000);
    now = 60_000;
    expect(budget.take()).toBe(0);
  });
});
