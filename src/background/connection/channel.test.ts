import { describe, expect, it } from 'vitest';
import { GenesysError, type GenesysApi } from '../genesys';
import { SubscriptionRejected, usableChannel, type StoredChannel } from './channel';

const USER = '8f2e4d6a-1b3c-4e5f-a7b9-0c1d2e3f4a5b';
const NOW = Date.parse('2026-11-30T10:00:00Z');
const now = () => NOW;

/** A Genesys whose `PUT …/subscriptions` answers with `subscribe(id)` (permitted unless it throws). */
function genesys(subscribe: (id: string) => { state: string } | undefined = () => undefined) {
  const requests: string[] = [];
  let made = 0;
  const api = {
    createChannel: async () => {
      requests.push('POST channel');
      made += 1;
      return { channel: { id: `streaming-${made}`, connectUri: `wss://streaming.mypurecloud.ie/channels/streaming-${made}`, expires: new Date(NOW + 86_400_000).toISOString() }, serverNow: NOW };
    },
    setSubscriptions: async (id: string) => {
      requests.push(`PUT ${id}`);
      const answer = subscribe(id) ?? { state: 'Permitted' };
      return { entities: [{ id: `v2.users.${USER}.conversations.calls`, ...answer }] };
    },
  } as unknown as GenesysApi;
  return { api, requests };
}

const channel = (id: string, expiresAt: number): StoredChannel => ({ id, connectUri: `wss://streaming.mypurecloud.ie/channels/${id}`, createdAt: expiresAt - 86_400_000, expiresAt });

describe('a usable channel', () => {
  it('subscribes the reusable one again while it lives: no channel made', async () => {
    const { api, requests } = genesys();
    const stored = channel('kept', NOW + 3_600_000);
    await expect(usableChannel(api, USER, stored, { now })).resolves.toBe(stored);
    expect(requests).toEqual(['PUT kept']);
  });

  it('makes one when the reusable one is near its end, or Genesys no longer knows it (404)', async () => {
    const ending = genesys();
    await expect(usableChannel(ending.api, USER, channel('old', NOW + 60_000), { now })).resolves.toMatchObject({ id: 'streaming-1', expiresAt: NOW + 86_400_000 });
    expect(ending.requests).toEqual(['POST channel', 'PUT streaming-1']);
    const forgotten = genesys((id) => {
      if (id === 'gone') throw new GenesysError(404, 'not.found', 'no such channel');
      return undefined;
    });
    await expect(usableChannel(forgotten.api, USER, channel('gone', NOW + 3_600_000), { now })).resolves.toMatchObject({ id: 'streaming-1' });
    expect(forgotten.requests).toEqual(['PUT gone', 'POST channel', 'PUT streaming-1']);
  });

  it('regression: hands a new channel over before subscribing it, so a refused subscription does not lose it', async () => {
    // Before: the channel was returned only once subscribed; a refusal threw it away and the next
    // attempt made another.
    const { api, requests } = genesys(() => {
      throw new GenesysError(401, 'authentication.required', 'no');
    });
    const created: StoredChannel[] = [];
    await expect(usableChannel(api, USER, undefined, { now, created: (made) => created.push(made) })).rejects.toMatchObject({ status: 401 });
    expect(created.map((made) => made.id)).toEqual(['streaming-1']);
    // The next attempt, given it, subscribes it again.
    await expect(usableChannel(api, USER, created[0], { now })).rejects.toMatchObject({ status: 401 });
    expect(requests).toEqual(['POST channel', 'PUT streaming-1', 'PUT streaming-1']);
  });

  it('a refused topic (no permission) is a rejection, after the channel was handed over', async () => {
    const { api } = genesys(() => ({ state: 'Rejected' }));
    const created: string[] = [];
    await expect(usableChannel(api, USER, undefined, { now, created: (made) => created.push(made.id) })).rejects.toBeInstanceOf(SubscriptionRejected);
    expect(created).toEqual(['streaming-1']);
  });

  it('a channel `created` refuses (an address outside Genesys) is never subscribed', async () => {
    const { api, requests } = genesys();
    const untrusted = () => {
      throw new GenesysError(500, 'bad.response', 'outside');
    };
    await expect(usableChannel(api, USER, undefined, { now, created: untrusted })).rejects.toMatchObject({ status: 500 });
    expect(requests).toEqual(['POST channel']);
  });
});
