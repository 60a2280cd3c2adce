import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, test } from '../helpers/node-test.js';
import { LavalinkSimulator } from '../../src/testing/index.js';
import { PASSWORD, RawClient, rest, sleep, until, voice, within } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

type Json = Record<string, any>;

/** Timers keeping the process alive right now. */
const activeTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('simulator fault switches', () => {
  test('dropConnections closes with the given code, or abruptly (1006)', async (t) => {
    const sim = await startSimulator(t);
    const a = await RawClient.open(sim);
    assert.equal(sim.dropConnections({ code: 4000, reason: 'bye' }), 1);
    assert.equal(await a.closed(), 4000);
    const b = await RawClient.open(sim);
    sim.dropConnections({ abrupt: true });
    assert.equal(await b.closed(), 1006);
  });

  test('goSilent keeps TCP open but answers no ping, no REST and sends nothing; wake ends it', async (t) => {
    const sim = await startSimulator(t, { statsIntervalMs: 30 });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    await client.nextOp('stats');
    sim.goSilent();
    // Frames made before the silence may still be on their way; stats made after it carry a later uptime.
    const silentAt = sim.nodeStats().uptime;
    let ponged = false;
    client.ws.once('pong', () => (ponged = true));
    client.ws.ping();
    const answer = fetch(`${sim.url}/v4/info`, { headers: { Authorization: 'youshallnotpass' }, signal: AbortSignal.timeout(300) });
    await assert.rejects(answer, { name: 'TimeoutError' });
    assert.equal(ponged, false);
    const madeLater = client.frames.filter((f) => f.op !== 'ready' && !(f.op === 'stats' && f.uptime <= silentAt));
    assert.deepEqual(madeLater, [], 'nothing is sent while silent');
    assert.equal(client.ws.readyState, client.ws.OPEN, 'the connection stays up');
    assert.equal(sim.requests.length, 0, 'a request that arrived while silent was lost, not recorded');

    sim.wake();
    await client.nextOp('stats');
    assert.equal((await rest(sim, 'GET', '/v4/info')).status, 200);
  });

  test('refuseConnections resets new connections for a while, then accepts them again', async (t) => {
    const sim = await startSimulator(t);
    sim.refuseConnections(300);
    await assert.rejects(RawClient.open(sim));
    await assert.rejects(fetch(`${sim.url}/version`, { headers: { Authorization: 'youshallnotpass' } }));
    await sleep(350); // pacing, not a wait for a result: the 300 ms refusal runs out
    const client = await RawClient.open(sim);
    await client.close();
  });

  test('delayRest slows every answer; failRest answers 5xx (JSON or a raw page) without applying the request', async (t) => {
    const sim = await startSimulator(t);
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    const { sessionId } = await client.nextOp('ready');

    sim.delayRest(200);
    const started = Date.now();
    assert.equal((await rest(sim, 'GET', '/v4/info')).status, 200);
    assert.ok(Date.now() - started >= 195);
    sim.delayRest(0);

    sim.failRest({ status: 503, count: 2 });
    const first = await rest(sim, 'PATCH', `/v4/sessions/${sessionId}/players/1`, { voice });
    assert.equal(first.status, 503);
    assert.equal((first.body as Json).error, 'Service Unavailable');
    assert.equal((await rest(sim, 'GET', '/v4/stats')).status, 503);
    assert.equal(sim.players().length, 0, 'a failed request is not applied');
    assert.equal((await rest(sim, 'PATCH', `/v4/sessions/${sessionId}/players/1`, { voice })).status, 200);

    sim.failRest({ status: 502, count: 1, body: '<html><body>Bad Gateway</body></html>' });
    const page = await rest(sim, 'GET', '/v4/info');
    assert.equal(page.status, 502);
    assert.equal(page.headers.get('content-type'), 'text/html');
    assert.equal(page.text, '<html><body>Bad Gateway</body></html>');
    assert.deepEqual(sim.requests.map((r) => r.status).slice(-5), [200, 503, 503, 200, 502]);
  });

  test('sendRaw delivers malformed JSON, unknown ops and binary frames as they are', async (t) => {
    const sim = await startSimulator(t);
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    await client.nextOp('stats');
    const raw: (string | Buffer)[] = [];
    client.ws.on('message', (data, binary) => raw.push(binary ? (data as Buffer) : (data as Buffer).toString()));
    sim.sendRaw('{"op":');
    sim.sendRaw('{"op":"teleport"}');
    sim.sendRaw(Buffer.from([0xde, 0xad]));
    await until(() => raw.length === 3, 2000, 'three frames');
    assert.deepEqual(raw.slice(0, 2), ['{"op":', '{"op":"teleport"}']);
    assert.deepEqual(raw[2], Buffer.from([0xde, 0xad]));
  });

  test('flood sends playerUpdates at the asked rate over N guilds, exactly as many as it reports', async (t) => {
    const sim = await startSimulator(t, { record: false });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    await client.nextOp('stats');
    const result = await sim.flood({ rate: 4000, guilds: 7, durationMs: 500 });
    assert.equal(result.frames, 2000);
    assert.equal(result.sessions, 1);
    await until(() => client.frames.filter((f) => f.op === 'playerUpdate').length === result.frames, 5000, 'every flood frame');
    const perGuild = new Map<string, number>();
    for (const f of client.frames) if (f.op === 'playerUpdate') perGuild.set(f.guildId as string, (perGuild.get(f.guildId as string) ?? 0) + 1);
    result.guildIds.forEach((id, i) => {
      const expected = Math.floor(result.frames / 7) + (i < result.frames % 7 ? 1 : 0);
      assert.equal(perGuild.get(id), expected, `guild ${id}`);
    });
    assert.throws(() => sim.flood({ rate: 0, guilds: 1, durationMs: 10 }), { code: 'LAVALINK_INVALID_OPTION' });
    assert.throws(() => sim.flood({ rate: 10, guilds: 1, durationMs: 10 ** 9 }), { code: 'LAVALINK_INVALID_OPTION' });
  });

  test('heartbeat drops a client that does not pong in time and keeps one that does', async (t) => {
    const sim = await startSimulator(t, { heartbeat: { intervalMs: 50, timeoutMs: 150 } });
    const deaf = await RawClient.connect(sim.wsUrl, { Authorization: 'youshallnotpass', 'User-Id': '1' }, { autoPong: false });
    const healthy = await RawClient.open(sim);
    t.after(() => healthy.close());
    assert.equal(await deaf.closed(3000), 1006);
    await sleep(200); // pacing, not a wait for a result: more heartbeats (50 ms, 150 ms timeout) go by
    assert.equal(healthy.ws.readyState, healthy.ws.OPEN);
    assert.equal(sim.heartbeatDrops, 1);
  });

  test('restart loses the sessions and refuses connections while down', async (t) => {
    const sim = await startSimulator(t);
    const client = await RawClient.open(sim);
    const { sessionId } = await client.nextOp('ready');
    await rest(sim, 'PATCH', `/v4/sessions/${sessionId}`, { resuming: true, timeout: 60 });
    await rest(sim, 'PATCH', `/v4/sessions/${sessionId}/players/1`, { voice });
    sim.restart({ downMs: 250 });
    assert.equal(await client.closed(), 1006);
    assert.equal(sim.sessions().length, 0, 'even a resumable session is gone after a restart');
    await assert.rejects(RawClient.open(sim, { 'Session-Id': sessionId }));
    await sleep(300); // pacing, not a wait for a result: the 250 ms downtime runs out
    const back = await RawClient.open(sim, { 'Session-Id': sessionId });
    t.after(() => back.close());
    assert.equal(back.upgradeHeaders['session-resumed'], 'false');
  });

  test('voice closed, stuck and failing tracks raise their events', async (t) => {
    const sim = await startSimulator(t);
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    const { sessionId } = await client.nextOp('ready');
    await rest(sim, 'PATCH', `/v4/sessions/${sessionId}/players/1`, { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    assert.equal(sim.closeVoice('1', 4014, 'Disconnected'), true);
    const closed = await client.nextOp('event', 'WebSocketClosedEvent');
    assert.deepEqual([closed.code, closed.reason, closed.byRemote], [4014, 'Disconnected', true]);
    assert.equal(((await client.nextOp('playerUpdate')).state as Json).connected, false);
    assert.equal(sim.stickTrack('1', 5000), true);
    assert.equal((await client.nextOp('event', 'TrackStuckEvent')).thresholdMs, 5000);
    assert.equal(sim.failTrack('1', 'boom'), true);
    const exception = await client.nextOp('event', 'TrackExceptionEvent');
    assert.deepEqual([exception.exception.message, exception.exception.severity], ['boom', 'common']);
    assert.equal((await client.nextOp('event', 'TrackEndEvent')).reason, 'loadFailed');
    assert.equal(sim.closeVoice('404', 4006), false);

    await rest(sim, 'PATCH', `/v4/sessions/${sessionId}/players/2`, { voice, track: { identifier: 'sim:track?length=10000&stuck=30' } });
    assert.equal((await client.nextOp('event', 'TrackStuckEvent')).guildId, '2');
  });

  test('records requests without the password and emits them', async (t) => {
    const sim = await startSimulator(t);
    const seen = once(sim, 'request');
    await rest(sim, 'GET', '/v4/loadtracks?identifier=abc', undefined, { 'X-Test': '1' });
    const [request] = (await seen) as [Json];
    assert.equal(request.path, '/v4/loadtracks');
    assert.deepEqual(request.query, { identifier: 'abc' });
    assert.equal(request.headers['x-test'], '1');
    assert.equal(request.authorization, 'valid');
    assert.equal(JSON.stringify(sim.requests).includes('youshallnotpass'), false);
    sim.clearRecords();
    assert.equal(sim.requests.length, 0);
  });

  test('a held connection the client closes during a silence is forgotten at once', async (t) => {
    const sim = await startSimulator(t);
    sim.goSilent();
    const socket = connect(sim.port, '127.0.0.1');
    t.after(() => socket.destroy());
    await once(socket, 'connect');
    socket.write(`GET /v4/info HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${PASSWORD}\r\n\r\n`);
    await until(() => sim.heldConnections === 1, 2000, 'the request to be held');
    socket.end();
    await until(() => sim.heldConnections === 0, 2000, 'the closed socket to be forgotten');
  });
});

describe('simulator timers after close()', () => {
  test('flood stops and resolves as soon as the simulator closes', async (t) => {
    const sim = await startSimulator(t, { record: false });
    const client = await RawClient.open(sim);
    await client.nextOp('stats');
    const flooding = sim.flood({ rate: 100, guilds: 1, durationMs: 60_000 });
    await sleep(100); // pacing, not a wait for a result: the flood runs a while
    await sim.close();
    // Bounded far below the flood's 60 s, so a flood that close() did not stop fails here.
    const result = await within(flooding, 10_000, 'the flood to resolve once the simulator closed');
    assert.ok(result.frames < 6000, `stopped early: ${JSON.stringify(result)}`);
    assert.equal((await sim.flood({ rate: 100, guilds: 1, durationMs: 60_000 })).frames, 0, 'a flood after close ends at once');
  });

  test('a REST answer waiting on delayRest leaves no timer behind after close', async (t) => {
    const sim = new LavalinkSimulator();
    t.after(() => sim.close()); // closed below already; this is for a test that fails before
    await sim.start();
    sim.delayRest(600_000);
    let settled = false;
    const answer = fetch(`${sim.url}/version`, { headers: { Authorization: PASSWORD } })
      .catch(() => null)
      .finally(() => (settled = true));
    // Pacing: the request reaches the simulator and starts its delay. No state shows that moment
    // (a request is recorded when answered); if it came late, close() would refuse it instead and
    // the test would pass without proving anything, never fail wrongly.
    await sleep(200);
    assert.equal(settled, false, 'the answer is being delayed');
    await sim.close();
    await answer;
    // Without the abort, the ten-minute wait would still hold a timer (and the process) here.
    await until(() => activeTimers() === 0, 2000, 'every timer to stop');
  });

  test('setHeartbeat after close starts no timer', async (t) => {
    const sim = new LavalinkSimulator();
    t.after(() => sim.close());
    await sim.start();
    await sim.close();
    const before = activeTimers();
    sim.setHeartbeat({ intervalMs: 1000, timeoutMs: 1000 });
    assert.equal(activeTimers(), before);
    assert.equal(sim.heartbeatDrops, 0);
  });
});
