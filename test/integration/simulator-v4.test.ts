import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { decodeTrack } from '../../src/protocol/track-codec.js';
import { RawClient, rest, sleep, until, voice, type Frame } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';

type Json = Record<string, any>;

async function readySession(sim: LavalinkSimulator, headers: Record<string, string> = {}): Promise<{ client: RawClient; sessionId: string }> {
  const client = await RawClient.open(sim, headers);
  const ready = await client.nextOp('ready');
  return { client, sessionId: ready.sessionId as string };
}

async function loadOne(sim: LavalinkSimulator, identifier: string): Promise<string> {
  const answer = await rest(sim, 'GET', `/v4/loadtracks?identifier=${encodeURIComponent(identifier)}`);
  const body = answer.body as Json;
  assert.equal(body.loadType, 'track', `expected a track for ${identifier}`);
  return body.data.encoded as string;
}

const patch = (sim: LavalinkSimulator, sessionId: string, guildId: string, body: unknown, query = '') =>
  rest(sim, 'PATCH', `/v4/sessions/${sessionId}/players/${guildId}${query}`, body);

describe('v4 simulator: handshake and auth', () => {
  test('refuses a bad path, a missing or wrong password, and a missing or zero User-Id', async (t) => {
    const sim = await startSimulator(t);
    const base = { Authorization: 'youshallnotpass', 'User-Id': '1' };
    const status = async (url: string, headers: Record<string, string>) =>
      RawClient.connect(url, headers).then(
        async (c) => {
          await c.close();
          return 101;
        },
        (error: { status?: number }) => error.status,
      );
    assert.equal(await status(`ws://127.0.0.1:${sim.port}/`, base), 404);
    assert.equal(await status(`ws://127.0.0.1:${sim.port}/v3/websocket`, base), 404);
    assert.equal(await status(sim.wsUrl, { 'User-Id': '1' }), 401);
    assert.equal(await status(sim.wsUrl, { ...base, Authorization: 'wrong' }), 401);
    assert.equal(await status(sim.wsUrl, { Authorization: 'youshallnotpass' }), 400);
    assert.equal(await status(sim.wsUrl, { ...base, 'User-Id': '0' }), 400);
    assert.equal(await status(sim.wsUrl, base), 101);
    assert.deepEqual(
      sim.handshakes.map((h) => [h.status, h.authorization]),
      [[404, 'valid'], [404, 'valid'], [401, 'missing'], [401, 'invalid'], [400, 'valid'], [400, 'valid'], [101, 'valid']],
    );
  });

  test('answers the handshake with Session-Resumed and Lavalink-Api-Version, then ready and stats', async (t) => {
    const sim = await startSimulator(t);
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    assert.equal(client.upgradeHeaders['session-resumed'], 'false');
    assert.equal(client.upgradeHeaders['lavalink-api-version'], '4');
    const ready = await client.next();
    assert.equal(ready.op, 'ready');
    assert.equal(ready.resumed, false);
    assert.match(ready.sessionId as string, /^[a-z0-9]{16}$/);
    const stats = await client.next();
    assert.equal(stats.op, 'stats');
    assert.deepEqual(Object.keys(stats).sort(), ['cpu', 'frameStats', 'memory', 'op', 'players', 'playingPlayers', 'uptime']);
    assert.equal(stats.frameStats, null);
    const handshake = sim.handshakes.at(-1)!;
    assert.equal(handshake.headers['client-name'], 'raw-client/1.0');
    assert.equal(handshake.headers['user-id'], '170939974227541168');
    assert.equal('authorization' in handshake.headers, false, 'the password is never recorded');
    assert.equal(sim.sessions()[0]!.clientName, 'raw-client/1.0');
  });

  test('REST needs the password: 401 without it, 403 when wrong; every answer names API version 4', async (t) => {
    const sim = await startSimulator(t);
    const missing = await fetch(`${sim.url}/v4/info`);
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('lavalink-api-version'), '4');
    const wrong = await fetch(`${sim.url}/v4/info`, { headers: { Authorization: 'nope' } });
    assert.equal(wrong.status, 403);
    const version = await rest(sim, 'GET', '/version');
    assert.equal(version.status, 200);
    assert.equal(version.text, '4.2.0');
    assert.equal(version.headers.get('lavalink-api-version'), '4');
    const unknown = await rest(sim, 'GET', '/v4/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal((unknown.body as Json).path, '/v4/nothing-here');
  });
});

describe('v4 simulator: stats', () => {
  test('sends stats on connect and every statsInterval, counting players and playing players', async (t) => {
    const sim = await startSimulator(t, { statsIntervalMs: 100 });
    const { client, sessionId } = await readySession(sim);
    t.after(() => client.close());
    const first = await client.nextOp('stats');
    assert.equal(first.players, 0);
    const encoded = await loadOne(sim, 'dQw4w9WgXcQ');
    await patch(sim, sessionId, '1', { voice, track: { encoded } });
    await patch(sim, sessionId, '2', { voice });
    const counted = await client.next((f) => f.op === 'stats' && f.players === 2);
    assert.equal(counted.playingPlayers, 1);
    assert.deepEqual(counted.frameStats, { sent: 3000, nulled: 0, deficit: 0 });
    const started = Date.now();
    await client.nextOp('stats');
    await client.nextOp('stats');
    assert.ok(Date.now() - started >= 100, 'two more stats take at least one interval');
    const restStats = (await rest(sim, 'GET', '/v4/stats')).body as Json;
    assert.equal(restStats.players, 2);
    assert.equal(restStats.frameStats, null);
    assert.equal(restStats.op, undefined);
  });
});

describe('v4 simulator: playback', () => {
  test('plays a short track: TrackStartEvent, playerUpdates with rising positions, TrackEndEvent finished', async (t) => {
    const sim = await startSimulator(t, { playerUpdateIntervalMs: 50 });
    const { client, sessionId } = await readySession(sim);
    t.after(() => client.close());
    const created = await patch(sim, sessionId, '42', { voice });
    assert.equal(created.status, 200);
    assert.deepEqual((created.body as Json).voice, voice);
    assert.equal((created.body as Json).track, null);

    const started = Date.now();
    const played = await patch(sim, sessionId, '42', { track: { identifier: 'sim:track?length=600', userData: { requester: 'me' } } });
    assert.equal(played.status, 200);
    const start = await client.nextOp('event', 'TrackStartEvent');
    assert.equal(start.guildId, '42');
    const track = start.track as Json;
    assert.equal(track.info.length, 600);
    assert.deepEqual(track.userData, { requester: 'me' });
    assert.deepEqual(track.pluginInfo, {});
    assert.equal(decodeTrack(track.encoded as string).version, 3, 'a v4 server writes version-3 tracks');

    const updates: Frame[] = [];
    let end: Frame | undefined;
    while (!end) {
      const frame = await client.next((f) => f.op === 'playerUpdate' || (f.op === 'event' && f.type === 'TrackEndEvent'));
      if (frame.op === 'playerUpdate') updates.push(frame);
      else end = frame;
    }
    assert.ok(Date.now() - started >= 595, 'the track ends no sooner than its length');
    assert.equal(end.reason, 'finished');
    assert.ok(updates.length >= 4, `expected several playerUpdates at a 50 ms interval, got ${updates.length}`);
    const positions = updates.map((u) => (u.state as Json).position as number);
    for (let i = 1; i < positions.length; i++) assert.ok(positions[i]! >= positions[i - 1]!, `positions rise: ${positions.join(',')}`);
    assert.ok(positions.at(-1)! > positions[0]!);
    const state = updates[0]!.state as Json;
    assert.deepEqual(Object.keys(state).sort(), ['connected', 'ping', 'position', 'time']);
    assert.equal(state.connected, true);
    assert.equal(sim.players(sessionId)[0]!.track, null);
  });

  test('pause freezes the position, seek moves it, volume and filters show in the player', async (t) => {
    const sim = await startSimulator(t, { playerUpdateIntervalMs: 1000 });
    const { client, sessionId } = await readySession(sim);
    t.after(() => client.close());
    await patch(sim, sessionId, '7', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    await client.nextOp('event', 'TrackStartEvent');
    await client.nextOp('playerUpdate'); // the one a track start sends at once

    const paused = await patch(sim, sessionId, '7', { paused: true });
    assert.equal((paused.body as Json).paused, true);
    const atPause = (await client.nextOp('playerUpdate')).state as Json;
    const frozen = sim.players(sessionId)[0]!.position;
    await sleep(150); // pacing, not a wait for a result: time passes, and a paused player must not advance
    assert.equal(sim.players(sessionId)[0]!.position, frozen, 'a paused player does not advance');
    assert.ok(frozen >= (atPause.position as number));

    await patch(sim, sessionId, '7', { position: 90_000 });
    const sought = (await client.nextOp('playerUpdate')).state as Json;
    assert.equal(sought.position, 90_000);
    await patch(sim, sessionId, '7', { paused: false, volume: 250, filters: { timescale: { speed: 1.25 }, volume: 0.8 } });
    await until(() => sim.players(sessionId)[0]!.position > 90_000, 3000, 'the position to move on from the seek');
    const player = (await rest(sim, 'GET', `/v4/sessions/${sessionId}/players/7`)).body as Json;
    assert.equal(player.paused, false);
    assert.equal(player.volume, 250);
    assert.deepEqual(player.filters, { timescale: { speed: 1.25 }, volume: 0.8 });
    assert.ok(player.state.position > 90_000, 'unpaused, the position moves on from the seek');
    assert.ok(player.track.info.position > 90_000);
    const all = (await rest(sim, 'GET', `/v4/sessions/${sessionId}/players`)).body as Json[];
    assert.equal(all.length, 1);
  });

  test('noReplace keeps the current track; without it the old one ends `replaced` before the new one starts', async (t) => {
    const sim = await startSimulator(t);
    const { client, sessionId } = await readySession(sim);
    t.after(() => client.close());
    await patch(sim, sessionId, '9', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    await client.nextOp('event', 'TrackStartEvent');
    const kept = await patch(sim, sessionId, '9', { track: { identifier: 'y6120QOlsfU' }, volume: 50 }, '?noReplace=true');
    assert.equal((kept.body as Json).track.info.identifier, 'dQw4w9WgXcQ');
    assert.equal((kept.body as Json).volume, 50, 'other fields still apply');
    const replaced = await patch(sim, sessionId, '9', { track: { identifier: 'y6120QOlsfU' } }, '?noReplace=false');
    assert.equal((replaced.body as Json).track.info.identifier, 'y6120QOlsfU');
    const end = await client.nextOp('event');
    assert.equal(end.type, 'TrackEndEvent');
    assert.equal(end.reason, 'replaced');
    assert.equal((end.track as Json).info.identifier, 'dQw4w9WgXcQ');
    const start = await client.nextOp('event');
    assert.equal(start.type, 'TrackStartEvent');
  });

  test('`encoded: null` stops with `stopped`; endTime ends the track `finished`; a new track unpauses', async (t) => {
    const sim = await startSimulator(t);
    const { client, sessionId } = await readySession(sim);
    t.after(() => client.close());
    const encoded = await loadOne(sim, 'dQw4w9WgXcQ');
    await patch(sim, sessionId, '5', { voice, track: { encoded }, paused: true });
    await client.nextOp('event', 'TrackStartEvent');
    assert.equal(sim.players(sessionId)[0]!.paused, true);
    await patch(sim, sessionId, '5', { track: { encoded: null } });
    assert.equal((await client.nextOp('event', 'TrackEndEvent')).reason, 'stopped');

    const started = Date.now();
    const answer = await patch(sim, sessionId, '5', { track: { encoded }, position: 1000, endTime: 1300 });
    assert.equal((answer.body as Json).paused, false, 'a new track unpauses unless paused is given');
    const end = await client.nextOp('event', 'TrackEndEvent');
    assert.equal(end.reason, 'finished');
    assert.ok(Date.now() - started >= 295);
  });

  test('DELETE destroys a player (its track ends `stopped`) and answers 204 even when it did not exist', async (t) => {
    const sim = await startSimulator(t);
    const { client, sessionId } = await readySession(sim);
    t.after(() => client.close());
    await patch(sim, sessionId, '3', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    await client.nextOp('event', 'TrackStartEvent');
    assert.equal((await rest(sim, 'DELETE', `/v4/sessions/${sessionId}/players/3`)).status, 204);
    assert.equal((await client.nextOp('event', 'TrackEndEvent')).reason, 'stopped');
    assert.equal(sim.players().length, 0);
    assert.equal((await rest(sim, 'DELETE', `/v4/sessions/${sessionId}/players/3`)).status, 204);
    assert.equal((await rest(sim, 'DELETE', '/v4/sessions/nosuchsession0000/players/3')).status, 404);
  });
});

describe('v4 simulator: PATCH validation (spec §4.4)', () => {
  test('answers each invalid update with the status and message Lavalink gives, in Spring error form', async (t) => {
    const sim = await startSimulator(t, { disabledFilters: ['karaoke'] });
    const { client, sessionId } = await readySession(sim);
    t.after(() => client.close());
    const encoded = await loadOne(sim, 'dQw4w9WgXcQ');
    const cases: [name: string, body: unknown, status: number, message: string | RegExp][] = [
      ['track with top-level encodedTrack', { track: { encoded }, encodedTrack: encoded }, 400, 'Cannot specify both track and encodedTrack/identifier'],
      ['track with top-level identifier', { track: { encoded }, identifier: 'x' }, 400, 'Cannot specify both track and encodedTrack/identifier'],
      ['track.encoded with track.identifier', { track: { encoded, identifier: 'dQw4w9WgXcQ' } }, 400, 'Cannot specify both encodedTrack and identifier'],
      ['encodedTrack with identifier', { encodedTrack: encoded, identifier: 'dQw4w9WgXcQ' }, 400, 'Cannot specify both encodedTrack and identifier'],
      ['a playlist identifier', { track: { identifier: 'https://www.youtube.com/playlist?list=PLsim' } }, 400, 'Cannot play a playlist or search result'],
      ['a search identifier', { track: { identifier: 'ytsearch:never gonna' } }, 400, 'Cannot play a playlist or search result'],
      ['an identifier with no matches', { track: { identifier: 'sim:empty' } }, 400, 'No matches found for identifier'],
      ['an identifier that fails to load', { track: { identifier: 'sim:error?message=Video unavailable' } }, 500, 'Video unavailable'],
      ['endTime 0', { endTime: 0 }, 400, 'End time must be greater than 0'],
      ['a negative endTime', { track: { encoded }, endTime: -5 }, 400, 'End time must be greater than 0'],
      ['voice without channelId', { voice: { ...voice, channelId: undefined } }, 400, /^Partial Lavalink voice state: VoiceState\(token=voice-token, endpoint=.*channelId=null\)$/],
      ['voice with a blank token', { voice: { ...voice, token: '' } }, 400, /^Partial Lavalink voice state/],
      ['a disabled filter', { filters: { karaoke: { level: 1 } } }, 400, 'Following filters are disabled in the config: karaoke'],
      ['volume as a string', { volume: 'loud' }, 400, 'Failed to read request'],
      ['paused as a number', { paused: 1 }, 400, 'Failed to read request'],
      ['a body that is not an object', [1, 2], 400, 'Failed to read request'],
      ['malformed JSON', '{"volume": ', 400, 'Failed to read request'],
      ['an undecodable track', { track: { encoded: 'not-a-track' } }, 400, /^Failed to decode track/],
    ];
    for (const [name, body, status, message] of cases) {
      const answer = await patch(sim, sessionId, '11', body);
      assert.equal(answer.status, status, name);
      const error = answer.body as Json;
      assert.equal(error.status, status, name);
      assert.equal(error.error, status === 400 ? 'Bad Request' : 'Internal Server Error', name);
      assert.equal(error.path, `/v4/sessions/${sessionId}/players/11`, name);
      assert.equal(typeof error.timestamp, 'number', name);
      assert.equal('trace' in error, false, name);
      if (typeof message === 'string') assert.equal(error.message, message, name);
      else assert.match(error.message as string, message, name);
    }
    // The validations that come before the player is looked up leave no player behind.
    assert.equal(sim.players(sessionId).filter((p) => p.track !== null).length, 0);

    const traced = await patch(sim, sessionId, '11', { endTime: 0 }, '?trace=true');
    assert.match((traced.body as Json).trace as string, /End time must be greater than 0/);
    const badGuild = await patch(sim, sessionId, 'not-a-guild', { volume: 5 });
    assert.equal(badGuild.status, 400);
  });

  test('404 for an unknown session or player', async (t) => {
    const sim = await startSimulator(t);
    const { client, sessionId } = await readySession(sim);
    t.after(() => client.close());
    const noSession = await patch(sim, 'aaaaaaaaaaaaaaaa', '1', { volume: 10 });
    assert.equal(noSession.status, 404);
    assert.equal((noSession.body as Json).message, 'Session not found');
    const noPlayer = await rest(sim, 'GET', `/v4/sessions/${sessionId}/players/1`);
    assert.equal(noPlayer.status, 404);
    assert.equal((noPlayer.body as Json).message, 'Player not found');
    assert.equal((await rest(sim, 'GET', '/v4/sessions/aaaaaaaaaaaaaaaa/players')).status, 404);
  });

  test('4.0 mode accepts voice without channelId and does not report one', async (t) => {
    const sim = await startSimulator(t, { release: '4.0' });
    const { client, sessionId } = await readySession(sim);
    t.after(() => client.close());
    const { channelId: _dropped, ...oldVoice } = voice;
    const answer = await patch(sim, sessionId, '1', { voice: oldVoice });
    assert.equal(answer.status, 200);
    assert.deepEqual((answer.body as Json).voice, oldVoice);
    assert.equal((await rest(sim, 'GET', '/version')).text, '4.0.8');
  });
});

describe('v4 simulator: loading and decoding', () => {
  test('loadtracks answers every load type', async (t) => {
    const sim = await startSimulator(t);
    const load = async (identifier: string) => (await rest(sim, 'GET', `/v4/loadtracks?identifier=${encodeURIComponent(identifier)}`)).body as Json;

    const track = await load('dQw4w9WgXcQ');
    assert.equal(track.loadType, 'track');
    assert.deepEqual(track.data.info, {
      identifier: 'dQw4w9WgXcQ',
      isSeekable: true,
      author: 'RickAstleyVEVO',
      length: 212000,
      isStream: false,
      position: 0,
      title: 'Rick Astley - Never Gonna Give You Up',
      uri: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      sourceName: 'youtube',
      artworkUrl: 'https://i.ytimg.com/vi/dQw4w9WgXcQ/maxresdefault.jpg',
      isrc: 'GBARL9300135',
    });
    assert.equal((await load('https://www.youtube.com/watch?v=dQw4w9WgXcQ')).data.encoded, track.data.encoded);

    const playlist = await load('https://www.youtube.com/playlist?list=PLsim&index=1');
    assert.equal(playlist.loadType, 'playlist');
    assert.deepEqual(playlist.data.info, { name: 'Simulator classics', selectedTrack: 1 });
    assert.equal(playlist.data.tracks.length, 3);
    assert.equal((await load('sim:playlist?size=1000')).data.tracks.length, 1000);

    const search = await load('ytsearch:never gonna');
    assert.equal(search.loadType, 'search');
    assert.equal(search.data.length, 5);
    assert.match(search.data[0].info.title as string, /never gonna/);
    assert.equal((await load('scsearch:x')).data[0].info.sourceName, 'soundcloud');

    assert.deepEqual(await load('sim:empty'), { loadType: 'empty', data: null });
    const error = await load('sim:error');
    assert.equal(error.loadType, 'error');
    assert.equal(error.data.severity, 'common');
    assert.equal(error.data.message, 'This video is unavailable');
    assert.equal(typeof error.data.cause, 'string');
    assert.equal(typeof error.data.causeStackTrace, 'string');

    const http = await load('https://cdn.example.com/music/song.mp3');
    assert.equal(http.data.info.sourceName, 'http');
    assert.equal(decodeTrack(http.data.encoded as string).probeInfo, 'mp3');
    const stream = await load('sim:stream');
    assert.equal(stream.data.info.isStream, true);
    assert.equal(stream.data.info.isSeekable, false);
    assert.equal((await rest(sim, 'GET', '/v4/loadtracks')).status, 400);
  });

  test('decodetrack and decodetracks', async (t) => {
    const sim = await startSimulator(t);
    const encoded = await loadOne(sim, 'dQw4w9WgXcQ');
    const one = await rest(sim, 'GET', `/v4/decodetrack?encodedTrack=${encodeURIComponent(encoded)}`);
    assert.equal(one.status, 200);
    assert.equal((one.body as Json).info.title, 'Rick Astley - Never Gonna Give You Up');
    const legacy = await rest(sim, 'GET', `/v4/decodetrack?track=${encodeURIComponent(encoded)}`);
    assert.deepEqual(legacy.body, one.body);
    assert.equal((await rest(sim, 'GET', '/v4/decodetrack')).status, 400);
    assert.equal((await rest(sim, 'GET', '/v4/decodetrack?encodedTrack=%21%21')).status, 400);
    const many = await rest(sim, 'POST', '/v4/decodetracks', [encoded, encoded]);
    assert.equal((many.body as Json[]).length, 2);
    assert.equal((await rest(sim, 'POST', '/v4/decodetracks', [])).status, 400);
    assert.equal((await rest(sim, 'POST', '/v4/decodetracks', { not: 'an array' })).status, 400);
  });

  test('info, and the route planner: 204 when none, status and unmarking when there is one', async (t) => {
    const sim = await startSimulator(t, { disabledFilters: ['karaoke'] });
    const info = (await rest(sim, 'GET', '/v4/info')).body as Json;
    assert.deepEqual(info.version, { semver: '4.2.0', major: 4, minor: 2, patch: 0, preRelease: null, build: null });
    assert.equal(info.filters.includes('karaoke'), false);
    assert.equal(info.filters.includes('timescale'), true);
    assert.equal((await rest(sim, 'GET', '/v4/routeplanner/status')).status, 204);
    assert.equal((await rest(sim, 'POST', '/v4/routeplanner/free/all')).status, 500);

    const planned = await startSimulator(t, { routePlanner: true });
    planned.routePlanner!.markFailing('10.0.0.1');
    planned.routePlanner!.markFailing('10.0.0.2');
    const status = (await rest(planned, 'GET', '/v4/routeplanner/status')).body as Json;
    assert.equal(status.class, 'RotatingNanoIpRoutePlanner');
    assert.deepEqual(status.details.failingAddresses.map((a: Json) => a.failingAddress), ['10.0.0.1', '10.0.0.2']);
    assert.equal((await rest(planned, 'POST', '/v4/routeplanner/free/address', { address: '10.0.0.1' })).status, 204);
    const after = (await rest(planned, 'GET', '/v4/routeplanner/status')).body as Json;
    assert.deepEqual(after.details.failingAddresses.map((a: Json) => a.failingAddress), ['10.0.0.2']);
    assert.equal((await rest(planned, 'POST', '/v4/routeplanner/free/all')).status, 204);
    assert.equal(((await rest(planned, 'GET', '/v4/routeplanner/status')).body as Json).details.failingAddresses.length, 0);
  });
});

describe('v4 simulator: resuming (spec §4.5)', () => {
  test('a resumable session keeps its players and replays the events it queued', async (t) => {
    const sim = await startSimulator(t, { playerUpdateIntervalMs: 50 });
    const { client, sessionId } = await readySession(sim);
    const configured = await rest(sim, 'PATCH', `/v4/sessions/${sessionId}`, { resuming: true, timeout: 5 });
    assert.deepEqual(configured.body, { resuming: true, timeout: 5 });
    await patch(sim, sessionId, '1', { voice, track: { identifier: 'sim:track?length=300' } });
    await patch(sim, sessionId, '2', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    await client.nextOp('event', 'TrackStartEvent');
    client.ws.terminate();
    await until(() => sim.sessions()[0]?.state === 'paused', 2000, 'the session to pause');
    assert.equal((await patch(sim, sessionId, '2', { volume: 1 })).status, 404, 'a waiting session is not reachable over REST');
    await until(() => sim.sessions()[0]!.queued > 0, 2000, 'the end event to be queued');

    const back = await RawClient.open(sim, { 'Session-Id': sessionId });
    t.after(() => back.close());
    assert.equal(back.upgradeHeaders['session-resumed'], 'true');
    const ready = await back.next();
    assert.deepEqual([ready.op, ready.resumed, ready.sessionId], ['ready', true, sessionId]);
    const replayed = await back.next();
    assert.equal(replayed.op, 'event');
    assert.equal(replayed.type, 'TrackEndEvent');
    assert.equal(replayed.guildId, '1');
    assert.equal(replayed.reason, 'finished');
    const updates = [await back.nextOp('playerUpdate'), await back.nextOp('playerUpdate')].map((f) => f.guildId).sort();
    assert.deepEqual(updates, ['1', '2'], 'one playerUpdate per player after the replay');
    assert.equal(sim.players(sessionId).length, 2);
    assert.equal(sim.players(sessionId).find((p) => p.guildId === '2')!.playing, true);
    assert.equal(sim.sessions().length, 1);
  });

  test('after the timeout the players are gone, and the old id opens a new session', async (t) => {
    const sim = await startSimulator(t);
    const { client, sessionId } = await readySession(sim);
    await rest(sim, 'PATCH', `/v4/sessions/${sessionId}`, { resuming: true, timeout: 1 });
    await patch(sim, sessionId, '1', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    await client.close();
    assert.equal(sim.players().length, 1, 'kept while the timeout runs');
    await until(() => sim.players().length === 0, 3000, 'the timeout to end the session');
    const late = await RawClient.open(sim, { 'Session-Id': sessionId });
    t.after(() => late.close());
    assert.equal(late.upgradeHeaders['session-resumed'], 'false');
    const ready = await late.nextOp('ready');
    assert.equal(ready.resumed, false);
    assert.notEqual(ready.sessionId, sessionId);
  });

  test('a non-resumable session loses its players as soon as it closes', async (t) => {
    const sim = await startSimulator(t);
    const { client, sessionId } = await readySession(sim);
    await patch(sim, sessionId, '1', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    assert.equal(sim.players().length, 1);
    await client.close();
    await until(() => sim.sessions().length === 0, 2000, 'the session to end');
    assert.equal(sim.players().length, 0);
  });
});

describe('v4 simulator: voice and release details', () => {
  test('a voice connection that changes sends an immediate playerUpdate; the same voice again sends none', async (t) => {
    const sim = await startSimulator(t);
    const { client, sessionId } = await readySession(sim);
    t.after(() => client.close());
    await patch(sim, sessionId, '1', { voice });
    const ready = (await client.nextOp('playerUpdate', undefined, 1000)).state as Json;
    assert.equal(ready.connected, true, 'the voice gateway is ready');
    await patch(sim, sessionId, '1', { voice, volume: 90 });
    await client.caughtUp(sim);
    assert.equal(client.frames.filter((f) => f.op === 'playerUpdate').length, 1, 'an unchanged connection is not renewed');
    await patch(sim, sessionId, '1', { voice: { ...voice, token: 'new-token' } });
    assert.equal((await client.nextOp('playerUpdate', undefined, 1000)).guildId, '1');
    sim.closeVoice('1', 4006, 'Session no longer valid');
    await client.nextOp('playerUpdate', undefined, 1000); // the one that follows WebSocketClosedEvent
    await patch(sim, sessionId, '1', { voice: { ...voice, token: 'new-token' } });
    assert.equal(((await client.nextOp('playerUpdate', undefined, 1000)).state as Json).connected, true, 'a closed connection is renewed');
  });

  test('4.0 sends no causeStackTrace (added in 4.1.0), in load errors or exception events', async (t) => {
    const sim = await startSimulator(t, { release: '4.0' });
    const { client, sessionId } = await readySession(sim);
    t.after(() => client.close());
    const error = (await rest(sim, 'GET', '/v4/loadtracks?identifier=sim:error')).body as Json;
    assert.deepEqual(Object.keys(error.data).sort(), ['cause', 'message', 'severity']);
    await patch(sim, sessionId, '1', { voice, track: { identifier: 'dQw4w9WgXcQ' } });
    sim.failTrack('1', 'boom');
    const event = await client.nextOp('event', 'TrackExceptionEvent');
    assert.equal('causeStackTrace' in (event.exception as Json), false);
  });

  test('a non-resumable close emits sessionDisconnect before sessionEnd', async (t) => {
    const sim = await startSimulator(t);
    const { client, sessionId } = await readySession(sim);
    const events: string[] = [];
    sim.on('sessionDisconnect', (id, code) => events.push(`disconnect ${id} ${code}`));
    sim.on('sessionEnd', (id) => events.push(`end ${id}`));
    await client.close();
    await until(() => events.length === 2, 2000, 'both events');
    assert.deepEqual(events, [`disconnect ${sessionId} 1005`, `end ${sessionId}`]);
  });
});
