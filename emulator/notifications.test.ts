import { afterEach, describe, expect, it } from 'vitest';
import type { Models } from 'purecloud-platform-client-v2';
import { WebSocket } from 'ws';
import { DEFAULT_AGENT, startEmulator, type CallEventBody, type Emulator, type EmulatorOptions } from './server.ts';
import { api, callsTopic, conformsToCallsTopic, isTopic, signIn, subscribedSocket, TestSocket } from './test-support.ts';

let emulator: Emulator | undefined;
const sockets: TestSocket[] = [];
async function start(options: EmulatorOptions = {}): Promise<{ emu: Emulator; token: string }> {
  emulator = await startEmulator({ confirmDelayMs: 20, autoApprove: true, ...options });
  return { emu: emulator, token: await signIn(emulator) };
}
async function connect(emu: Emulator, token: string): Promise<{ channel: Models.Channel; socket: TestSocket }> {
  const opened = await subscribedSocket(emu, token, DEFAULT_AGENT.id);
  sockets.push(opened.socket);
  return opened;
}
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await emulator?.close();
  emulator = undefined;
});

const TOPIC = callsTopic(DEFAULT_AGENT.id);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const agentOf = (body: unknown) => (body as CallEventBody).participants.find((p) => p.purpose === 'agent');
/** The HTTP status a socket upgrade gets (101 when it opens). */
const upgradeStatus = (url: string): Promise<number> =>
  new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(101));
    ws.on('error', () => undefined);
  });
const newChannel = async (emu: Emulator, token: string): Promise<Models.Channel> =>
  (await (await api(emu, token, 'POST', '/api/v2/notifications/channels')).json()) as Models.Channel;

describe('call events', () => {
  it('confirm a PATCH mute on the socket with the whole conversation, in the Genesys topic schema', async () => {
    const { emu, token } = await start();
    const { socket } = await connect(emu, token);
    const id = emu.startCall();
    const started = await socket.next(isTopic(TOPIC));
    conformsToCallsTopic(started);
    expect(started).toMatchObject({ version: '2', metadata: { CorrelationId: expect.any(String) } });

    const patch = await api(emu, token, 'PATCH', `/api/v2/conversations/calls/${id}/participants/${emu.agentParticipantId(id)}`, { muted: true });
    expect(patch.status).toBe(202);
    const event = await socket.next(isTopic(TOPIC));
    conformsToCallsTopic(event);
    const body = event.eventBody as CallEventBody;
    expect(body.id).toBe(id);
    expect(body.participants).toHaveLength(2);
    expect(body.additionalProperties).toEqual({});
    expect(agentOf(body)).toMatchObject({ id: emu.agentParticipantId(id), state: 'connected', muted: true, user: { id: DEFAULT_AGENT.id } });
  });

  it('publish even when nothing changed', async () => {
    const { emu, token } = await start();
    const { socket } = await connect(emu, token);
    const id = emu.startCall();
    await socket.next(isTopic(TOPIC));
    await api(emu, token, 'PATCH', `/api/v2/conversations/calls/${id}/participants/${emu.agentParticipantId(id)}`, { muted: false });
    expect(agentOf((await socket.next(isTopic(TOPIC))).eventBody)?.muted).toBe(false);
  });

  it('follow the call lifecycle: alerting, connected, held, muted elsewhere, disconnected', async () => {
    const { emu, token } = await start();
    const { socket } = await connect(emu, token);
    const id = emu.startCall({ state: 'alerting' });
    const states: unknown[] = [];
    const nextAgent = async () => {
      const frame = await socket.next(isTopic(TOPIC));
      conformsToCallsTopic(frame);
      const leg = agentOf(frame.eventBody);
      states.push(leg?.state);
      return leg;
    };
    expect(await nextAgent()).toMatchObject({ state: 'alerting', initialState: 'alerting' });
    emu.answerCall(id);
    expect(await nextAgent()).toMatchObject({ state: 'connected', connectedTime: expect.any(String) });
    emu.setHeld(id, true);
    expect(await nextAgent()).toMatchObject({ held: true });
    emu.setMuted(id, true);
    expect(await nextAgent()).toMatchObject({ muted: true });
    emu.endCall(id);
    expect(await nextAgent()).toMatchObject({ state: 'disconnected', endTime: expect.any(String) });
    expect(states).toEqual(['alerting', 'connected', 'connected', 'connected', 'disconnected']);
  });

  it('can send participant states in upper case to test tolerance', async () => {
    const { emu, token } = await start({ eventStateCase: 'upper' });
    const { socket } = await connect(emu, token);
    emu.startCall();
    expect(agentOf((await socket.next(isTopic(TOPIC))).eventBody)?.state).toBe('CONNECTED');
  });

  it('go only to channels with the topic Permitted', async () => {
    const { emu, token } = await start();
    emu.setSubscriptionsRejected(true);
    const { socket } = await connect(emu, token);
    emu.startCall();
    await expect(socket.next(isTopic(TOPIC), 150)).rejects.toThrow();
  });
});

describe('socket', () => {
  it('sends heartbeats', async () => {
    const { emu, token } = await start({ heartbeatIntervalMs: 50 });
    const { socket } = await connect(emu, token);
    const beat = await socket.next(isTopic('channel.metadata'));
    expect(beat).toMatchObject({ topicName: 'channel.metadata', version: '2', eventBody: { message: 'WebSocket Heartbeat' } });
  });

  it('answers a ping with a pong and ignores anything else', async () => {
    const { emu, token } = await start();
    const { socket } = await connect(emu, token);
    socket.ws.send('hello');
    socket.ws.send('{"type":"auth","token":"x"}');
    socket.ws.send(JSON.stringify({ message: 'ping' }));
    const pong = await socket.next(isTopic('channel.metadata'));
    expect(pong.eventBody).toEqual({ message: 'pong' });
    expect(socket.frames).toEqual([]);
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('keeps one socket per channel: a second connection drops the first', async () => {
    const { emu, token } = await start();
    const { channel, socket: first } = await connect(emu, token);
    const second = await TestSocket.open(channel.connectUri ?? '');
    sockets.push(second);
    await first.closed;
    emu.startCall();
    await second.next(isTopic(TOPIC));
  });

  it('warns with v2.system.socket_closing, then closes after the grace period', async () => {
    const { emu, token } = await start({ socketClosingGraceMs: 80 });
    const { socket } = await connect(emu, token);
    emu.sendSocketClosing();
    const warning = await socket.next(isTopic('v2.system.socket_closing'));
    expect(warning.eventBody).toEqual({ message: expect.any(String) });
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    await socket.closed;
  });

  it('closeSockets drops every socket, abruptly or with a code; the channel stays usable', async () => {
    const { emu, token } = await start();
    const { channel, socket } = await connect(emu, token);
    emu.closeSockets();
    expect((await socket.closed).code).toBe(1006);
    const again = await TestSocket.open(channel.connectUri ?? '');
    sockets.push(again);
    emu.closeSockets(4001);
    expect((await again.closed).code).toBe(4001);
  });

  it('keeps a channel\'s subscription across its sockets: a new socket after a drop hears the calls with no PUT', async () => {
    // What the extension's reconnect rests on: the first attempt after a lost socket opens a new
    // one on the same channel without subscribing it again (Genesys: the subscription lives as long
    // as the channel, 24 h; the channel id in connectUri is the socket's credential).
    const { emu, token } = await start();
    const { channel, socket } = await connect(emu, token);
    emu.closeSockets(); // dropped, no close frame
    await socket.closed;
    emu.clearRequests();
    const second = await TestSocket.open(channel.connectUri ?? '');
    sockets.push(second);
    emu.closeSockets(1001);
    await second.closed;
    const again = await TestSocket.open(channel.connectUri ?? '');
    sockets.push(again);
    emu.startCall();
    conformsToCallsTopic(await again.next(isTopic(TOPIC)));
    expect(emu.requests().map((r) => `${r.method} ${r.path}`)).toEqual([`WS /channels/${channel.id}`, `WS /channels/${channel.id}`]);
    // Once the channel is gone (ended, evicted), a socket on it is refused: the reopen fails, and the
    // extension subscribes again (404: a new channel).
    emu.expireChannels();
    await again.closed;
    expect(await upgradeStatus(channel.connectUri ?? '')).toBe(404);
  });

  it('counts live channels and the sockets open on them', async () => {
    const { emu, token } = await start();
    expect(emu.connections()).toEqual({ channels: 0, sockets: 0 });
    const { socket } = await connect(emu, token);
    await newChannel(emu, token);
    expect(emu.connections()).toEqual({ channels: 2, sockets: 1 });
    emu.closeSockets();
    await socket.closed;
    expect(emu.connections()).toEqual({ channels: 2, sockets: 0 });
  });

  it('refuses an unknown channel with 404', async () => {
    const { emu } = await start();
    expect(await upgradeStatus(`ws://127.0.0.1:${emu.port}/channels/streaming-0-nope`)).toBe(404);
    expect(emu.requests().at(-1)).toMatchObject({ method: 'WS', path: '/channels/streaming-0-nope' });
  });

  it('at the 21st channel evicts the oldest one without a socket', async () => {
    const { emu, token } = await start();
    const { channel: connected } = await connect(emu, token);
    const unused = await newChannel(emu, token);
    for (let i = 0; i < 18; i++) await newChannel(emu, token);
    await newChannel(emu, token);
    const list = (await (await api(emu, token, 'GET', '/api/v2/notifications/channels')).json()) as Models.ChannelEntityListing;
    expect(list.entities).toHaveLength(20);
    expect(list.entities?.map((c) => c.id)).toContain(connected.id);
    expect(list.entities?.map((c) => c.id)).not.toContain(unused.id);
    expect(await upgradeStatus(unused.connectUri ?? '')).toBe(404);
  });

  it('at the 21st channel evicts the oldest when all have sockets, closing its socket', async () => {
    const { emu, token } = await start();
    const { channel: oldest, socket } = await connect(emu, token);
    for (let i = 0; i < 19; i++) {
      const channel = await newChannel(emu, token);
      sockets.push(await TestSocket.open(channel.connectUri ?? ''));
    }
    await newChannel(emu, token);
    await socket.closed;
    expect(await upgradeStatus(oldest.connectUri ?? '')).toBe(404);
  });

  it('goes silent on request: no heartbeats, no pongs, still open', async () => {
    const { emu, token } = await start({ heartbeatIntervalMs: 30 });
    const { socket } = await connect(emu, token);
    await socket.next(isTopic('channel.metadata'));
    emu.setSilent(true);
    await sleep(40); // let a heartbeat already in flight arrive
    socket.frames.length = 0;
    socket.ws.send(JSON.stringify({ message: 'ping' }));
    let protocolPong = false;
    socket.ws.on('pong', () => (protocolPong = true));
    socket.ws.ping();
    await sleep(150);
    expect(socket.frames).toEqual([]);
    expect(protocolPong).toBe(false);
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('silences the sockets open now, and only those: no frame of any kind reaches them, they stay open', async () => {
    const { emu, token } = await start({ heartbeatIntervalMs: 30 });
    const { channel, socket } = await connect(emu, token);
    await socket.next(isTopic('channel.metadata'));
    emu.silenceOpenSockets();
    await sleep(40);
    socket.frames.length = 0;
    emu.startCall();
    socket.ws.send(JSON.stringify({ message: 'ping' }));
    await sleep(150);
    expect(socket.frames).toEqual([]);
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    // A new socket on the channel is a live one (and replaces the dead one, as on Genesys).
    const fresh = await TestSocket.open(channel.connectUri ?? '');
    sockets.push(fresh);
    await fresh.next(isTopic('channel.metadata'));
    await socket.closed;
    const records = emu.sockets();
    expect(records).toHaveLength(2);
    expect(records[0]?.closedAt).toBeGreaterThan(records[0]!.openedAt);
    expect(records[1]?.closedAt).toBeUndefined();
  });

  it('ends every channel early on request: the socket closes, the channel is gone (404)', async () => {
    const { emu, token } = await start();
    const { channel, socket } = await connect(emu, token);
    emu.expireChannels();
    expect((await socket.closed).code).toBe(1000);
    expect((await api(emu, token, 'PUT', `/api/v2/notifications/channels/${channel.id}/subscriptions`, [{ id: TOPIC }])).status).toBe(404);
    expect(await upgradeStatus(channel.connectUri ?? '')).toBe(404);
  });

  it('keeps the history of the agent leg: every published change', async () => {
    const { emu } = await start();
    const id = emu.startCall();
    emu.setMuted(id, true);
    emu.endCall(id);
    expect(emu.callHistory().map(({ state, muted }) => `${state} ${muted}`)).toEqual(['connected false', 'connected true', 'disconnected true']);
  });

  it('passes raw frames through for garbage tests', async () => {
    const { emu, token } = await start();
    const { socket } = await connect(emu, token);
    const raw = new Promise<string>((resolve) => socket.ws.once('message', (data) => resolve(data.toString())));
    emu.sendRaw('not json');
    expect(await raw).toBe('not json');
  });
});
