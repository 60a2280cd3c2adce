/**
 * Hostile and unlucky input: what a broken or malicious client sends must get an answer (or be
 * dropped) and never take the simulator's process down.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { describe, test } from '../helpers/node-test.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { PASSWORD, RawClient, rest, sleep, until, voice } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

type Json = Record<string, any>;

async function rawSocket(t: TestContext, sim: LavalinkSimulator): Promise<Socket> {
  const socket = connect(sim.port, '127.0.0.1');
  t.after(() => socket.destroy());
  await once(socket, 'connect');
  return socket;
}

/** A WebSocket upgrade request as bytes, for sockets the test controls down to the reset. */
function upgradeRequest(target: string): string {
  return [
    `GET ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    `Authorization: ${PASSWORD}`,
    'User-Id: 1',
    '',
    '',
  ].join('\r\n');
}

/** The first chunk the server answers on a raw socket. */
async function firstAnswer(socket: Socket): Promise<string> {
  const [chunk] = (await once(socket, 'data')) as [Buffer];
  return chunk.toString();
}

/** `[[[ … ]]]` nested `depth` levels. */
const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('simulator: hostile connections', () => {
  test('a client resetting a held or a refused upgrade socket does not crash the simulator', async (t) => {
    const sim = await startSimulator(t);
    sim.goSilent();
    const held = await rawSocket(t, sim);
    held.on('error', () => {});
    held.write(upgradeRequest('/v4/websocket'));
    await until(() => sim.heldConnections === 1, 2000, 'the upgrade to be held');
    held.resetAndDestroy();
    await until(() => sim.heldConnections === 0, 2000, 'the reset socket to be forgotten');
    sim.wake();

    const refused = await rawSocket(t, sim);
    refused.on('error', () => {});
    refused.write(upgradeRequest('/not-a-websocket'));
    assert.match(await firstAnswer(refused), /^HTTP\/1\.1 404 /);
    refused.resetAndDestroy();
    // Pacing: the reset reaches the simulator (no state of it shows that). A crash it caused would
    // be an uncaught exception that fails this file even if it came later.
    await sleep(100);
    assert.equal((await rest(sim, 'GET', '/version')).status, 200, 'the simulator is still up');
  });

  test('an unparseable request target (`//`) is refused with 400, on the upgrade and on REST', async (t) => {
    const sim = await startSimulator(t);
    const socket = await rawSocket(t, sim);
    t.after(() => socket.destroy());
    socket.write(upgradeRequest('//'));
    assert.match(await firstAnswer(socket), /^HTTP\/1\.1 400 /);
    assert.deepEqual([sim.handshakes.at(-1)!.status, sim.handshakes.at(-1)!.path], [400, '//']);

    const plain = await rawSocket(t, sim);
    t.after(() => plain.destroy());
    plain.write(`GET // HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${PASSWORD}\r\nConnection: close\r\n\r\n`);
    assert.match(await firstAnswer(plain), /^HTTP\/1\.1 400 /);
    assert.equal(sim.requests.at(-1)!.status, 400);
    assert.equal((await rest(sim, 'GET', '/version')).status, 200);
  });

  test('a bad percent-escape in a path answers 400, not 500', async (t) => {
    const sim = await startSimulator(t);
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    const { sessionId } = await client.nextOp('ready');
    const badSession = await rest(sim, 'GET', '/v4/sessions/%zz/players');
    assert.equal(badSession.status, 400);
    assert.equal((badSession.body as Json).status, 400);
    assert.equal((await rest(sim, 'PATCH', `/v4/sessions/${sessionId}/players/%E0%A4%A`, { volume: 5 })).status, 400);
  });

  test('loadtracks with an unparseable http URL answers no matches (v4 `empty`, v3 NO_MATCHES), not 500', async (t) => {
    const v4 = await startSimulator(t);
    const answer = await rest(v4, 'GET', `/v4/loadtracks?identifier=${encodeURIComponent('http://[')}`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { loadType: 'empty', data: null });
    const v3 = await startSimulator(t, { protocol: 3 });
    const old = await rest(v3, 'GET', `/loadtracks?identifier=${encodeURIComponent('https://[::1')}`);
    assert.equal(old.status, 200);
    assert.deepEqual(old.body, { loadType: 'NO_MATCHES', playlistInfo: {}, tracks: [] });
  });
});

describe('simulator: hostile bodies and frames', () => {
  test('auth is checked before the body: unauthenticated malformed or oversized bodies get 401/403, never 400/413', async (t) => {
    const sim = await startSimulator(t);
    const path = '/v4/sessions/aaaaaaaaaaaaaaaa/players/1';
    const send = (headers: Record<string, string>, body: string | Buffer) =>
      fetch(`${sim.url}${path}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json', ...headers }, body });
    assert.equal((await send({}, '{"volume": ')).status, 401);
    assert.equal((await send({ Authorization: 'wrong' }, '{"volume": ')).status, 403);
    assert.equal((await send({}, nested(5000))).status, 401);
    assert.equal((await send({}, Buffer.alloc(17 * 1024 * 1024, 0x20))).status, 401);
    const recorded = sim.requests.slice(-4).map((r) => [r.status, r.authorization, r.body]);
    assert.deepEqual(recorded, [
      [401, 'missing', undefined],
      [403, 'invalid', undefined],
      [401, 'missing', undefined],
      [401, 'missing', undefined],
    ]);
  });

  test('routes that read no body ignore a non-JSON one (DELETE, POST /routeplanner/free/all), and record it', async (t) => {
    const sim = await startSimulator(t, { routePlanner: true });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    const { sessionId } = await client.nextOp('ready');
    assert.equal((await rest(sim, 'DELETE', `/v4/sessions/${sessionId}/players/1`, 'not json at all')).status, 204);
    assert.equal(sim.requests.at(-1)!.body, 'not json at all');
    assert.equal((await rest(sim, 'POST', '/v4/routeplanner/free/all', '{"broken": ')).status, 204);
    assert.equal((await rest(sim, 'PATCH', `/v4/sessions/${sessionId}/players/1`, '{"broken": ')).status, 400, 'a route that reads a body still refuses it');
  });

  test('a REST body nested deeper than 1000 levels is refused with 400 (it would crash a later stringify)', async (t) => {
    const sim = await startSimulator(t);
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    const { sessionId } = await client.nextOp('ready');
    const path = `/v4/sessions/${sessionId}/players/1`;
    // userData travels in TrackStartEvent and TrackEndEvent, which a timer sends.
    const withUserData = (depth: number) => `{"voice":${JSON.stringify(voice)},"track":{"identifier":"sim:track?length=100","userData":{"a":${nested(depth)}}}}`;
    const deep = await rest(sim, 'PATCH', path, withUserData(200_000));
    assert.equal(deep.status, 400);
    assert.equal((deep.body as Json).message, 'Failed to read request');
    assert.equal(sim.players().length, 0);
    assert.equal(typeof sim.requests.at(-1)!.body, 'string', 'the refused body is recorded as text');

    const limit = await rest(sim, 'PATCH', path, withUserData(1000 - 3)); // 3 objects around the arrays
    assert.equal(limit.status, 200, 'exactly 1000 levels are read');
    assert.equal((await client.nextOp('event', 'TrackEndEvent')).reason, 'finished');
    assert.equal((await rest(sim, 'PATCH', path, withUserData(1000 - 2))).status, 400, '1001 levels are not');
    assert.doesNotThrow(() => JSON.stringify(sim.requests));
  });

  test('a v3 frame nested deeper than 1000 levels is ignored and kept out of the records', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    await client.nextOp('ready');
    client.ws.send(`{"op":"filters","guildId":"1","myPlugin":{"x":${nested(200_000)}}}`);
    client.send({ op: 'volume', guildId: '1', volume: 50 });
    await until(() => sim.frames.length === 2, 2000, 'both frames');
    assert.deepEqual([sim.frames[0]!.applied, sim.frames[0]!.data], [false, null]);
    assert.equal(sim.frames[1]!.applied, true);
    assert.deepEqual(sim.players()[0]!.filters, {});
    assert.doesNotThrow(() => JSON.stringify(sim.frames));
  });

  test('a v3 filters op with a wrongly typed filter is dropped, so a later equalizer op cannot crash the process', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    await client.nextOp('ready');
    client.send({ op: 'filters', guildId: '1', equalizer: 5 });
    client.send({ op: 'filters', guildId: '1', volume: 'loud' });
    client.send({ op: 'filters', guildId: '1', timescale: [1] });
    client.send({ op: 'equalizer', guildId: '1', bands: [{ band: 0, gain: 0.2 }] });
    await until(() => sim.frames.length === 4, 2000, 'four frames');
    assert.deepEqual(sim.frames.map((f) => f.applied), [false, false, false, true]);
    assert.deepEqual(sim.players()[0]!.filters, { equalizer: [{ band: 0, gain: 0.2 }] });
    assert.equal(client.ws.readyState, client.ws.OPEN);
  });

  test('frames that arrive after a restart are not applied to the ended session', async (t) => {
    const sim = await startSimulator(t, { protocol: 3, playerUpdateIntervalMs: 20 });
    const client = await RawClient.open(sim);
    client.ws.on('error', () => {});
    await client.nextOp('ready');
    const track = ((await rest(sim, 'GET', '/loadtracks?identifier=dQw4w9WgXcQ')).body as Json).tracks[0].track as string;
    sim.once('frame', () => sim.restart());
    // Sent together, so ws reads both in one chunk and hands the second over after the restart.
    client.send({ op: 'volume', guildId: '1', volume: 50 });
    client.send({ op: 'play', guildId: '1', track });
    await until(() => sim.frames.length === 2, 2000, 'both frames');
    assert.equal(sim.frames[1]!.applied, false, 'the play reached a closed session and was not applied');
    assert.equal(sim.sessions().length, 0);
    await client.closed();
  });
});

describe('simulator: long resume timeouts', () => {
  test('a resume timeout over 2147483 s keeps the session waiting instead of ending it at once', async (t) => {
    const sim = await startSimulator(t);
    const client = await RawClient.open(sim);
    const { sessionId } = await client.nextOp('ready');
    const timeout = 2_147_484; // one second more than setTimeout can wait
    assert.deepEqual((await rest(sim, 'PATCH', `/v4/sessions/${sessionId}`, { resuming: true, timeout })).body, { resuming: true, timeout });
    await client.close();
    await until(() => sim.sessions()[0]?.state === 'paused', 2000, 'the pause');
    // Pacing, not a wait for a result: a timer set longer than setTimeout can wait fires after 1 ms.
    await sleep(100);
    assert.equal(sim.sessions()[0]?.state, 'paused', 'still waiting for its client');
  });
});
