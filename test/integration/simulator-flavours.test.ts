/**
 * The simulator's flavours and quirks (real-servers.md), each seen through a bare client: what a
 * switch changes is observable on the wire, the nodelink flavour turns every switch on, switches
 * override it, and the default stays Lavalink. "Did not happen" is always checked against a later
 * frame on the same socket, never after a sleep.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { describe, test } from '../helpers/node-test.js';
import { decodeTrack, encodeTrack } from '../../src/protocol/track-codec.js';
import { RawClient, rest, until, voice, type Frame } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';
import type { LavalinkSimulator, Quirks, SimulatorOptions } from '../../src/testing/index.js';

type Json = Record<string, any>;

/** NodeLink 2.3's encoding of a local file (see test/unit/track-codec.test.ts): version 3, length -1, no probe string. */
const NODELINK_LOCAL =
  'QAAAWAMACHNvbmcubXAzAA5Vbmtub3duIGFydGlzdP//////////AA8vbXVzaWMvc29uZy5tcDMAAQAPL211c2ljL3NvbmcubXAzAAAABWxvY2FsAAAAAAAAAAA=';

async function readySession(t: TestContext, sim: LavalinkSimulator, headers: Record<string, string> = {}) {
  const client = await RawClient.open(sim, headers);
  t.after(() => client.close());
  const ready = await client.nextOp('ready');
  return { client, sessionId: ready.sessionId as string, ready };
}

async function loadOne(sim: LavalinkSimulator, identifier: string): Promise<Json> {
  const answer = await rest(sim, 'GET', `/v4/loadtracks?identifier=${encodeURIComponent(identifier)}`);
  const body = answer.body as Json;
  assert.equal(body.loadType, 'track', `expected a track for ${identifier}`);
  return body.data as Json;
}

const patch = (sim: LavalinkSimulator, sessionId: string, guildId: string, body: unknown, query = '') =>
  rest(sim, 'PATCH', `/v4/sessions/${sessionId}/players/${guildId}${query}`, body);

const only = (quirks: Partial<Quirks>, extra: SimulatorOptions = {}): SimulatorOptions => ({ quirks, ...extra });

/** The frames up to and including the first that matches `marker`, waiting for it. */
async function framesUntil(client: RawClient, marker: (f: Frame) => boolean): Promise<Frame[]> {
  await client.next(marker);
  const end = client.frames.findIndex(marker);
  return client.frames.slice(0, end + 1);
}

const isEvent = (type: string, extra: (f: Frame) => boolean = () => true) => (f: Frame) => f.op === 'event' && f.type === type && extra(f);

describe('simulator flavours: presets', () => {
  test('the default is Lavalink: no quirk on, Lavalink /version and /v4/info', async (t) => {
    const sim = await startSimulator(t);
    assert.equal(sim.options.flavour, 'lavalink');
    assert.ok(Object.values(sim.options.quirks).every((on) => on === false));
    const version = await rest(sim, 'GET', '/version');
    assert.equal(version.text, '4.2.0');
    assert.equal(version.headers.get('lavalink-api-version'), '4');
    const info = (await rest(sim, 'GET', '/v4/info')).body as Json;
    assert.equal(info.isNodeLink, undefined);
    assert.equal(info.version.major, 4);
    const local = await loadOne(sim, '/music/song.mp3');
    assert.equal(local.info.length, 180000);
    assert.equal(local.info.sourceName, 'local');
    assert.equal(decodeTrack(local.encoded).probeInfo, 'mp3', 'Lavalink writes a probe string for local files');
  });

  test("flavour 'nodelink' turns every quirk on; a switch given one by one overrides it", async (t) => {
    const sim = await startSimulator(t, { flavour: 'nodelink', quirks: { noResuming: false } });
    const { noResuming, ...others } = sim.options.quirks;
    assert.equal(noResuming, false);
    assert.ok(Object.values(others).every((on) => on === true), JSON.stringify(sim.options.quirks));
    const { sessionId } = await readySession(t, sim);
    const resuming = await rest(sim, 'PATCH', `/v4/sessions/${sessionId}`, { resuming: true, timeout: 10 });
    assert.equal(resuming.status, 200, 'the overridden switch is off: session routes are back');
    assert.equal((await rest(sim, 'GET', '/version')).text, '2.3.0', 'the other switches stay on');
  });

  test('the nodelink flavour, end to end: no resuming, a local file of unknown length, extra starts, no early updates', async (t) => {
    const sim = await startSimulator(t, { flavour: 'nodelink', statsIntervalMs: 600_000, playerUpdateIntervalMs: 600_000 });
    const { client, sessionId } = await readySession(t, sim);
    assert.equal(client.upgradeHeaders['session-resumed'], 'false');
    assert.equal((await rest(sim, 'PATCH', `/v4/sessions/${sessionId}`, { resuming: true })).status, 404);

    const local = await loadOne(sim, '/music/song.mp3');
    assert.equal(local.encoded, NODELINK_LOCAL, 'the nodelink flavour encodes local files exactly as NodeLink does');
    assert.equal(local.info.length, -1);
    assert.equal((await patch(sim, sessionId, '1', { voice, track: { encoded: local.encoded, userData: { by: 'me' } } })).status, 200);
    const replaced = await patch(sim, sessionId, '1', { encodedTrack: (await loadOne(sim, 'dQw4w9WgXcQ')).encoded }, '?noReplace=true');
    assert.equal((replaced.body as Json).track.info.identifier, 'dQw4w9WgXcQ', 'noReplace is ignored');
    await patch(sim, sessionId, '1', { encodedTrack: null });
    const frames = await framesUntil(client, isEvent('TrackEndEvent', (f) => f.reason === 'stopped'));
    assert.deepEqual(
      frames.map((f) => (f.op === 'event' ? `${f.type}:${f.track.info.identifier}${f.reason ? `:${f.reason}` : ''}` : f.op)),
      [
        'ready',
        'TrackStartEvent:/music/song.mp3',
        'TrackEndEvent:/music/song.mp3:replaced',
        'TrackStartEvent:dQw4w9WgXcQ',
        'TrackStartEvent:dQw4w9WgXcQ',
        'TrackEndEvent:dQw4w9WgXcQ:stopped',
      ],
      'no stats on connect, no playerUpdate out of the interval, two starts after a replace',
    );
    assert.deepEqual(frames[1]!.track.userData, {}, 'userData is not kept');

    const ended = new Promise<string>((resolve) => sim.once('sessionEnd', resolve));
    await client.close();
    assert.equal(await ended, sessionId, 'the session ends with its socket');
    assert.equal(sim.players().length, 0);
  });
});

describe('simulator quirks: identity and errors', () => {
  test('nodeLinkIdentity: /version is 2.3.0 without Lavalink-Api-Version; /v4/info is NodeLink-shaped', async (t) => {
    const sim = await startSimulator(t, only({ nodeLinkIdentity: true }));
    const version = await rest(sim, 'GET', '/version');
    assert.equal(version.status, 200);
    assert.equal(version.text, '2.3.0');
    assert.equal(version.headers.get('lavalink-api-version'), null);
    assert.match(version.headers.get('content-type') ?? '', /^text\/plain/);
    const info = await rest(sim, 'GET', '/v4/info');
    assert.equal(info.status, 200);
    const body = info.body as Json;
    assert.equal(body.isNodeLink, true);
    assert.deepEqual(body.version, { semver: '2.3.0', major: '2', minor: '3', patch: '0', preRelease: null });
    assert.equal(body.jvm, '0.0.0');
    assert.equal(body.lavaplayer, '0.0.0');
    assert.ok(Array.isArray(body.sourceManagers));
    assert.ok(Array.isArray(body.filters) && body.filters.includes('timescale'));
  });

  test('traceOnlyErrors: error bodies carry trace and no error', async (t) => {
    const sim = await startSimulator(t, only({ traceOnlyErrors: true }));
    const missing = await rest(sim, 'GET', '/v4/sessions/nope/players');
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys(missing.body as Json).sort(), ['message', 'path', 'status', 'timestamp', 'trace']);
    assert.equal((missing.body as Json).message, 'Session not found');
    sim.failRest({ count: 1 });
    const failed = await rest(sim, 'GET', '/v4/info');
    assert.equal(failed.status, 500);
    assert.equal((failed.body as Json).error, undefined);
    assert.equal(typeof (failed.body as Json).trace, 'string');
    const lavalink = await startSimulator(t);
    assert.equal(((await rest(lavalink, 'GET', '/v4/sessions/nope/players')).body as Json).error, 'Not Found');
  });
});

describe('simulator quirks: sessions', () => {
  test('noResuming: session routes answer 404, Session-Id is ignored, players go with the socket', async (t) => {
    const lavalink = await startSimulator(t);
    const plain = await readySession(t, lavalink);
    assert.equal((await rest(lavalink, 'GET', `/v4/sessions/${plain.sessionId}`)).status, 405, 'Lavalink: the route exists, for PATCH');

    const sim = await startSimulator(t, only({ noResuming: true }));
    const first = await readySession(t, sim);
    assert.equal((await rest(sim, 'PATCH', `/v4/sessions/${first.sessionId}`, { resuming: true, timeout: 60 })).status, 404);
    assert.equal((await rest(sim, 'GET', `/v4/sessions/${first.sessionId}`)).status, 404);
    assert.equal((await patch(sim, first.sessionId, '5', { voice, track: { identifier: 'dQw4w9WgXcQ' } })).status, 200);
    const ended = new Promise<string>((resolve) => sim.once('sessionEnd', resolve));
    await first.client.close();
    assert.equal(await ended, first.sessionId);
    assert.deepEqual(sim.players(), []);
    assert.deepEqual(sim.sessions(), []);

    const second = await readySession(t, sim, { 'Session-Id': first.sessionId });
    assert.equal(second.ready.resumed, false);
    assert.notEqual(second.sessionId, first.sessionId);
    assert.equal(second.client.upgradeHeaders['session-resumed'], 'false');
    assert.equal(sim.handshakes.at(-1)!.resumed, false);
  });

  test('statsAfterInterval: no stats on connect; the first comes on the interval', async (t) => {
    const slow = await startSimulator(t, only({ statsAfterInterval: true }, { statsIntervalMs: 600_000 }));
    const { client, sessionId } = await readySession(t, slow);
    await patch(slow, sessionId, '1', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    const frames = await framesUntil(client, isEvent('TrackStartEvent'));
    assert.deepEqual(frames.filter((f) => f.op === 'stats'), [], 'no stats before the track started');

    const fast = await startSimulator(t, only({ statsAfterInterval: true }, { statsIntervalMs: 50 }));
    const other = await readySession(t, fast);
    const stats = await other.client.nextOp('stats', undefined, 10_000);
    assert.equal(stats.players, 0);
    assert.equal(other.client.frames[0]!.op, 'ready');
  });

  test('statsCountPlayingOnly: players counts playing players only, over WebSocket and REST', async (t) => {
    const sim = await startSimulator(t, only({ statsCountPlayingOnly: true }, { statsIntervalMs: 50 }));
    const { client, sessionId } = await readySession(t, sim);
    await patch(sim, sessionId, '1', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    await patch(sim, sessionId, '2', { voice });
    assert.equal(sim.players().length, 2);
    const stats = (await rest(sim, 'GET', '/v4/stats')).body as Json;
    assert.deepEqual([stats.players, stats.playingPlayers], [1, 1]);
    const frame = await client.next((f) => f.op === 'stats' && f.playingPlayers === 1, 10_000);
    assert.equal(frame.players, 1);
  });
});

describe('simulator quirks: playback', () => {
  test('unknownLengths: local files load with length -1, play until stopped, and their position keeps growing', async (t) => {
    const sim = await startSimulator(t, only({ unknownLengths: true }, { playerUpdateIntervalMs: 20 }));
    const local = await loadOne(sim, '/music/a/b.flac');
    assert.equal(local.info.length, -1);
    assert.equal(local.info.uri, '/music/a/b.flac');
    assert.equal(decodeTrack(local.encoded).info.length, -1, 'encoded with length -1');
    assert.equal(decodeTrack(local.encoded).probeInfo, 'flac', 'this switch alone keeps the probe string');
    assert.equal((await loadOne(sim, 'dQw4w9WgXcQ')).info.length, 212000, 'other tracks keep their length');
    assert.equal(((await rest(sim, 'GET', '/v4/loadtracks?identifier=/music/notes.txt')).body as Json).loadType, 'empty');

    const { client, sessionId } = await readySession(t, sim);
    await patch(sim, sessionId, '3', { voice, track: { encoded: local.encoded } });
    const past = await client.next((f) => f.op === 'playerUpdate' && f.state.position >= 200, 10_000);
    assert.equal(client.frames.filter(isEvent('TrackEndEvent')).length, 0, 'no end before the position passed 200 ms');
    const later = await client.next((f) => f.op === 'playerUpdate' && f.state.position > past.state.position, 10_000);
    assert.ok(later.state.position > 200);
    const player = (await rest(sim, 'GET', `/v4/sessions/${sessionId}/players/3`)).body as Json;
    assert.equal(player.track.info.length, -1);
    assert.ok(player.state.position >= later.state.position);

    await patch(sim, sessionId, '3', { encodedTrack: null });
    const end = await client.next(isEvent('TrackEndEvent'));
    assert.equal(end.reason, 'stopped');
  });

  test('a NodeLink-encoded local track plays on a Lavalink simulator too, until stopped or its end marker', async (t) => {
    const sim = await startSimulator(t, { playerUpdateIntervalMs: 20 });
    const decoded = (await rest(sim, 'GET', `/v4/decodetrack?encodedTrack=${encodeURIComponent(NODELINK_LOCAL)}`)).body as Json;
    assert.equal(decoded.info.length, -1);
    assert.equal(decoded.info.sourceName, 'local');
    assert.equal(decoded.encoded, NODELINK_LOCAL);
    const { client, sessionId } = await readySession(t, sim);
    assert.equal((await patch(sim, sessionId, '4', { voice, track: { encoded: NODELINK_LOCAL } })).status, 200);
    await client.next((f) => f.op === 'playerUpdate' && f.state.position >= 100, 10_000);
    assert.equal(client.frames.filter(isEvent('TrackEndEvent')).length, 0, 'still playing past 100 ms');
    await patch(sim, sessionId, '4', { encodedTrack: null });
    assert.equal((await client.next(isEvent('TrackEndEvent'))).reason, 'stopped');

    // An end marker still ends a track of unknown length.
    await patch(sim, sessionId, '4', { track: { encoded: NODELINK_LOCAL }, endTime: 50 });
    assert.equal((await client.next(isEvent('TrackEndEvent'), 10_000)).reason, 'finished');
  });

  test('updatesOnIntervalOnly: no playerUpdate after a play, a seek, a pause or a voice change; the interval still sends them', async (t) => {
    const quiet = await startSimulator(t, only({ updatesOnIntervalOnly: true }, { playerUpdateIntervalMs: 600_000 }));
    const { client, sessionId } = await readySession(t, quiet);
    await patch(quiet, sessionId, '1', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    await patch(quiet, sessionId, '1', { position: 60_000 });
    await patch(quiet, sessionId, '1', { paused: true });
    await patch(quiet, sessionId, '1', { filters: { volume: 0.5 } });
    await patch(quiet, sessionId, '1', { encodedTrack: null });
    const frames = await framesUntil(client, isEvent('TrackEndEvent'));
    assert.deepEqual(frames.filter((f) => f.op === 'playerUpdate'), []);

    const lavalink = await startSimulator(t, { playerUpdateIntervalMs: 600_000 });
    const plain = await readySession(t, lavalink);
    await patch(lavalink, plain.sessionId, '1', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    await patch(lavalink, plain.sessionId, '1', { encodedTrack: null });
    const lavalinkFrames = await framesUntil(plain.client, isEvent('TrackEndEvent'));
    assert.ok(lavalinkFrames.some((f) => f.op === 'playerUpdate'), 'Lavalink sends one at once');

    const ticking = await startSimulator(t, only({ updatesOnIntervalOnly: true }, { playerUpdateIntervalMs: 30 }));
    const live = await readySession(t, ticking);
    await patch(ticking, live.sessionId, '2', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    const update = await live.client.nextOp('playerUpdate', undefined, 10_000);
    assert.equal(update.guildId, '2');
  });

  test('extraTrackStarts: two starts after a replace, one more per seek or filters change while playing', async (t) => {
    const sim = await startSimulator(t, only({ extraTrackStarts: true }, { playerUpdateIntervalMs: 600_000 }));
    const { client, sessionId } = await readySession(t, sim);
    await patch(sim, sessionId, '8', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    await patch(sim, sessionId, '8', { track: { identifier: 'y6120QOlsfU' } });
    await patch(sim, sessionId, '8', { position: 10_000 });
    await patch(sim, sessionId, '8', { filters: { timescale: { speed: 1.1 } } });
    await patch(sim, sessionId, '8', { paused: true });
    await patch(sim, sessionId, '8', { position: 20_000 }); // paused: not playing, no restart
    await patch(sim, sessionId, '8', { encodedTrack: null });
    const events = (await framesUntil(client, isEvent('TrackEndEvent', (f) => f.reason === 'stopped')))
      .filter((f) => f.op === 'event')
      .map((f) => `${f.type}:${f.track.info.identifier}`);
    assert.deepEqual(events, [
      'TrackStartEvent:dQw4w9WgXcQ',
      'TrackEndEvent:dQw4w9WgXcQ',
      'TrackStartEvent:y6120QOlsfU',
      'TrackStartEvent:y6120QOlsfU',
      'TrackStartEvent:y6120QOlsfU', // the seek
      'TrackStartEvent:y6120QOlsfU', // the filters
      'TrackEndEvent:y6120QOlsfU',
    ]);
  });

  test('trackStartBeforeReply: the answer waits for the TrackStartEvent, even behind a backed-up socket', async (t) => {
    const sim = await startSimulator(t, only({ trackStartBeforeReply: true }, { playerUpdateIntervalMs: 600_000, record: false }));
    const { client, sessionId } = await readySession(t, sim);
    // The client stops reading, and a flood fills the socket: the event will queue behind it.
    const socket = (client.ws as any)._socket as Socket;
    socket.pause();
    t.after(() => socket.resume());
    await sim.flood({ rate: 200_000, guilds: 10, durationMs: 250 });
    const body = JSON.stringify({ voice, track: { identifier: 'dQw4w9WgXcQ' } });
    // node:http emits `response` as the answer's head is parsed, before any later read of the socket.
    const seenAtAnswer = new Promise<number>((resolve, reject) => {
      const req = request(
        `${sim.url}/v4/sessions/${sessionId}/players/6`,
        { method: 'PATCH', agent: false, headers: { Authorization: sim.options.password, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          resolve(client.frames.filter(isEvent('TrackStartEvent')).length);
          res.resume();
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    await until(() => (sim.players(sessionId)[0]?.track ?? null) !== null, 10_000, 'the PATCH to be applied');
    socket.resume();
    assert.equal(await seenAtAnswer, 1, 'the TrackStartEvent was in before the answer');
  });

  test('probelessLocalTracks: local files are version 3 with no probe string; they decode and play', async (t) => {
    const sim = await startSimulator(t, only({ probelessLocalTracks: true }));
    const local = await loadOne(sim, '/music/song.mp3');
    const decoded = decodeTrack(local.encoded);
    assert.equal(decoded.version, 3);
    assert.equal(decoded.probeInfo, null);
    assert.equal(decoded.sourceData.length, 0);
    assert.equal(local.info.length, 180000, 'this switch alone keeps the length');
    assert.equal(local.encoded, encodeTrack({ ...decoded.info, probeInfo: null }, 3));
    assert.equal(decodeTrack((await loadOne(sim, 'https://example.com/a.mp3')).encoded).probeInfo, 'mp3', 'http tracks keep theirs');
    const { client, sessionId } = await readySession(t, sim);
    assert.equal((await patch(sim, sessionId, '1', { voice, track: { encoded: local.encoded } })).status, 200);
    const start = await client.next(isEvent('TrackStartEvent'));
    assert.equal(start.track.encoded, local.encoded);
  });

  test('bareVoiceClosed: WebSocketClosedEvent comes without code and reason', async (t) => {
    const sim = await startSimulator(t, only({ bareVoiceClosed: true }));
    const { client, sessionId } = await readySession(t, sim);
    await patch(sim, sessionId, '11', { voice });
    assert.equal(sim.closeVoice('11', 4006, 'Session is no longer valid'), true);
    const closed = await client.next(isEvent('WebSocketClosedEvent'));
    assert.deepEqual(Object.keys(closed).sort(), ['byRemote', 'guildId', 'op', 'type']);
    assert.equal(closed.byRemote, true);
  });
});

describe('simulator quirks: player requests', () => {
  test('pauseNeedsVoice: paused without a live voice connection answers 400 and applies nothing', async (t) => {
    const sim = await startSimulator(t, only({ pauseNeedsVoice: true }));
    const { sessionId } = await readySession(t, sim);
    const refused = await patch(sim, sessionId, '1', { paused: true, volume: 50 });
    assert.equal(refused.status, 400);
    assert.deepEqual(sim.players(), [], 'nothing applied, not even the player');
    assert.equal((await patch(sim, sessionId, '1', { track: { identifier: 'dQw4w9WgXcQ' }, paused: false })).status, 400);
    assert.equal((await patch(sim, sessionId, '1', { voice, paused: true })).status, 200, 'voice in the same PATCH counts');
    assert.equal((await patch(sim, sessionId, '1', { paused: false })).status, 200);
    sim.closeVoice('1', 4014);
    assert.equal((await patch(sim, sessionId, '1', { paused: true })).status, 400, 'a closed voice connection is not live');
  });

  test('ignoresNoReplace: noReplace=true still replaces', async (t) => {
    const sim = await startSimulator(t, only({ ignoresNoReplace: true }));
    const { client, sessionId } = await readySession(t, sim);
    await patch(sim, sessionId, '1', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    const answer = await patch(sim, sessionId, '1', { track: { identifier: 'y6120QOlsfU' } }, '?noReplace=true');
    assert.equal((answer.body as Json).track.info.identifier, 'y6120QOlsfU');
    const end = await client.next(isEvent('TrackEndEvent'));
    assert.equal(end.reason, 'replaced');
  });

  test('dropsUserData: userData sent with a track is not echoed', async (t) => {
    const sim = await startSimulator(t, only({ dropsUserData: true }));
    const { client, sessionId } = await readySession(t, sim);
    const answer = await patch(sim, sessionId, '1', { voice, track: { identifier: 'dQw4w9WgXcQ', userData: { requester: 'me' } } });
    assert.deepEqual((answer.body as Json).track.userData, {});
    assert.deepEqual((await client.next(isEvent('TrackStartEvent'))).track.userData, {});
  });

  test('getCreatesPlayer: GET of an unknown player creates it', async (t) => {
    const sim = await startSimulator(t, only({ getCreatesPlayer: true }));
    const { sessionId } = await readySession(t, sim);
    const got = await rest(sim, 'GET', `/v4/sessions/${sessionId}/players/77`);
    assert.equal(got.status, 200);
    assert.equal((got.body as Json).guildId, '77');
    assert.equal((got.body as Json).track, null);
    assert.deepEqual(sim.players().map((p) => p.guildId), ['77']);
    assert.equal((await rest(sim, 'GET', `/v4/sessions/${sessionId}/players/abc`)).status, 400, 'a bad guild id is still refused');
  });

  test('volatileFilters: filters sent while idle are dropped, and a seek clears them', async (t) => {
    const sim = await startSimulator(t, only({ volatileFilters: true }));
    const { sessionId } = await readySession(t, sim);
    const idle = await patch(sim, sessionId, '1', { voice, filters: { volume: 0.5 } });
    assert.deepEqual((idle.body as Json).filters, {});
    const withTrack = await patch(sim, sessionId, '1', { track: { identifier: 'dQw4w9WgXcQ' }, filters: { volume: 0.5 } });
    assert.deepEqual((withTrack.body as Json).filters, {}, 'applied before the track starts, so dropped');
    const playing = await patch(sim, sessionId, '1', { filters: { volume: 0.5 } });
    assert.deepEqual((playing.body as Json).filters, { volume: 0.5 });
    const sought = await patch(sim, sessionId, '1', { position: 1000 });
    assert.deepEqual((sought.body as Json).filters, {});
    const both = await patch(sim, sessionId, '1', { position: 2000, filters: { volume: 0.7 } });
    assert.deepEqual((both.body as Json).filters, { volume: 0.7 }, 'filters in the seek PATCH come after the seek');
  });
});
