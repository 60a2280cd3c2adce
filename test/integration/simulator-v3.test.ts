import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { decodeTrack, withPosition } from '../../src/protocol/track-codec.js';
import { Catalogue } from '../../src/testing/catalogue.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { RawClient, rest, sleep, until, type Frame } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

type Json = Record<string, any>;

const voiceUpdate = (guildId: string) => ({
  op: 'voiceUpdate',
  guildId,
  sessionId: 'discord-session',
  event: { token: 'voice-token', guild_id: guildId, endpoint: 'us-east1.discord.media:443' },
});

async function encodedFor(sim: LavalinkSimulator, identifier: string): Promise<string> {
  const body = (await rest(sim, 'GET', `/loadtracks?identifier=${encodeURIComponent(identifier)}`)).body as Json;
  assert.equal(body.loadType, 'TRACK_LOADED', identifier);
  return body.tracks[0].track as string;
}

describe('v3 simulator (3.7): handshake', () => {
  test('accepts / and /v3/websocket, refuses a wrong password or a missing User-Id, sends ready then stats', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    assert.equal(sim.release.name, '3.7');
    const status = (url: string, headers: Record<string, string>) =>
      RawClient.connect(url, headers).then(
        async (c) => {
          await c.close();
          return 101;
        },
        (e: { status?: number }) => e.status,
      );
    const base = { Authorization: 'youshallnotpass', 'User-Id': '1' };
    assert.equal(await status(`ws://127.0.0.1:${sim.port}/v3/websocket`, base), 101);
    assert.equal(await status(`ws://127.0.0.1:${sim.port}/v4/websocket`, base), 404);
    assert.equal(await status(sim.wsUrl, { ...base, Authorization: 'nope' }), 401);
    assert.equal(await status(sim.wsUrl, { Authorization: 'youshallnotpass' }), 400);

    const client = await RawClient.open(sim);
    t.after(() => client.close());
    assert.equal(client.upgradeHeaders['lavalink-api-version'], '3');
    assert.equal(client.upgradeHeaders['session-resumed'], 'false');
    const ready = await client.next();
    assert.equal(ready.op, 'ready');
    assert.equal(ready.resumed, false);
    const stats = await client.next();
    assert.equal(stats.op, 'stats');
    assert.equal('frameStats' in stats, false, 'v3 leaves frameStats out when nothing plays');
    assert.equal((await rest(sim, 'GET', '/version')).text, '3.7.13');
  });

  test('3.3 mode requires Num-Shards, sends no ready, and has no /version', async (t) => {
    const sim = await startSimulator(t, { protocol: 3, release: '3.3' });
    await assert.rejects(RawClient.connect(sim.wsUrl, { Authorization: 'youshallnotpass', 'User-Id': '1' }), { status: 500 });
    const client = await RawClient.open(sim); // adds Num-Shards
    t.after(() => client.close());
    assert.equal((await client.next()).op, 'stats');
    assert.equal((await rest(sim, 'GET', '/version')).status, 404);
    assert.equal((await rest(sim, 'GET', '/v3/info')).status, 404);
  });
});

describe('v3 simulator: ops on the socket (spec §3.2)', () => {
  test('voiceUpdate, play, playerUpdates, pause, seek, volume, filters, stop, destroy', async (t) => {
    const sim = await startSimulator(t, { protocol: 3, playerUpdateIntervalMs: 40 });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    await client.nextOp('ready');

    client.send({ op: 'voiceUpdate', guildId: '1', sessionId: 's', event: { token: 't', guild_id: '1', endpoint: null } });
    client.send(voiceUpdate('1'));
    const track = await encodedFor(sim, 'dQw4w9WgXcQ');
    assert.equal(decodeTrack(track).version, 2, 'a v3 server writes version-2 tracks');
    client.send({ op: 'play', guildId: '1', track, startTime: '60000', volume: 80 });
    const start = await client.nextOp('event', 'TrackStartEvent');
    // As Lavalink does: the track comes back with the position it starts at in its last 8 bytes.
    assert.equal(start.track, withPosition(track, 60000));
    assert.equal(start.encodedTrack, start.track, '3.7 also sends encodedTrack');
    const first = (await client.nextOp('playerUpdate')).state as Json;
    assert.ok(first.position >= 60000, 'startTime given as a numeric string is honoured');
    assert.deepEqual(Object.keys(first).sort(), ['connected', 'ping', 'position', 'time']);
    assert.equal(first.connected, true);
    const frames = sim.frames.map((f) => [(f.data as Json).op, f.applied]);
    assert.deepEqual(frames.slice(0, 3), [['voiceUpdate', false], ['voiceUpdate', true], ['play', true]], 'the partial voice update was ignored');

    const later = (await client.nextOp('playerUpdate')).state as Json;
    assert.ok(later.position >= first.position);

    client.send({ op: 'pause', guildId: '1', pause: true });
    await until(() => sim.players()[0]!.paused, 2000, 'pause');
    const frozen = sim.players()[0]!.position;
    const before = client.frames.filter((f) => f.op === 'playerUpdate').length;
    await sleep(150); // pacing, not a wait for a result: several update intervals (40 ms) pass while paused
    await client.caughtUp(sim);
    assert.equal(sim.players()[0]!.position, frozen);
    assert.ok(client.frames.filter((f) => f.op === 'playerUpdate').length <= before + 1, 'v3 sends no periodic updates while paused');

    client.send({ op: 'seek', guildId: '1', position: 120000 });
    client.send({ op: 'volume', guildId: '1', volume: 1500 });
    client.send({ op: 'filters', guildId: '1', timescale: { speed: 1.1 } });
    client.send({ op: 'equalizer', guildId: '1', bands: [{ band: 2, gain: 0.25 }] });
    await until(() => sim.players()[0]!.position === 120000 && sim.players()[0]!.volume === 1000, 2000, 'seek and volume');
    await until(() => 'equalizer' in sim.players()[0]!.filters, 2000, 'equalizer');
    assert.deepEqual(sim.players()[0]!.filters, { timescale: { speed: 1.1 }, equalizer: [{ band: 2, gain: 0.25 }] });

    client.send({ op: 'play', guildId: '1', track, noReplace: true });
    client.send({ op: 'stop', guildId: '1' });
    const end = await client.nextOp('event', 'TrackEndEvent');
    assert.equal(end.reason, 'STOPPED', 'noReplace left the track playing until stop');
    client.send({ op: 'destroy', guildId: '1' });
    await until(() => sim.players().length === 0, 2000, 'destroy');
  });

  test('a track plays to its end (FINISHED), a replaced one ends REPLACED, an endTime marker ends FINISHED', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    client.send(voiceUpdate('2'));
    const short = await encodedFor(sim, 'sim:track?length=250');
    const long = await encodedFor(sim, 'dQw4w9WgXcQ');
    const started = Date.now();
    client.send({ op: 'play', guildId: '2', track: short });
    const finished = await client.nextOp('event', 'TrackEndEvent');
    assert.equal(finished.reason, 'FINISHED');
    assert.ok(Date.now() - started >= 245);

    client.send({ op: 'play', guildId: '2', track: long });
    client.send({ op: 'play', guildId: '2', track: long, endTime: 300, pause: false });
    assert.equal((await client.nextOp('event', 'TrackEndEvent')).reason, 'REPLACED');
    assert.equal((await client.nextOp('event', 'TrackEndEvent')).reason, 'FINISHED');
  });

  test('3.3 mode: events carry only `track`, an endTime marker ends STOPPED, `filters` is unknown, `error` is a string', async (t) => {
    const sim = await startSimulator(t, { protocol: 3, release: '3.3' });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    client.send(voiceUpdate('3'));
    const track = await encodedFor(sim, 'sim:track?length=60000&fail=400');
    client.send({ op: 'play', guildId: '3', track, endTime: 200 });
    const start = await client.nextOp('event', 'TrackStartEvent');
    assert.equal('encodedTrack' in start, false);
    const update = (await client.nextOp('playerUpdate')).state as Json;
    assert.deepEqual(Object.keys(update).sort(), ['position', 'time']);
    assert.equal((await client.nextOp('event', 'TrackEndEvent')).reason, 'STOPPED');

    client.send({ op: 'filters', guildId: '3', timescale: { speed: 2 } });
    client.send({ op: 'play', guildId: '3', track });
    const exception = await client.nextOp('event', 'TrackExceptionEvent');
    assert.equal(exception.error, 'Simulated playback failure');
    assert.equal((await client.nextOp('event', 'TrackEndEvent')).reason, 'LOAD_FAILED');
    assert.deepEqual(sim.players()[0]!.filters, {});
    const filtersFrame = sim.frames.find((f) => (f.data as Json).op === 'filters')!;
    assert.equal(filtersFrame.applied, false);
  });

  test('malformed frames and unknown ops are dropped without a reply', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    await client.nextOp('stats');
    client.ws.send('{not json');
    client.send({ op: 'teleport', guildId: '1' });
    client.send({ op: 'play', guildId: '1', track: 'garbage' });
    client.send({ op: 'volume', guildId: 'not-a-guild', volume: 5 });
    client.ws.send(Buffer.from([1, 2, 3]));
    await until(() => sim.frames.length === 5, 2000, 'five frames');
    assert.deepEqual(sim.frames.map((f) => f.applied), [false, false, false, false, false]);
    assert.equal(sim.frames[0]!.data, null);
    assert.equal(sim.frames[4]!.binary, true);
    assert.equal(sim.players().length, 0);
    assert.equal(client.ws.readyState, client.ws.OPEN);
  });
});

describe('v3 simulator: resuming (spec §3.6)', () => {
  test('configureResuming + Resume-Key: players kept, queued events replayed in order, then one update each', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    const client = await RawClient.open(sim);
    const { sessionId } = await client.nextOp('ready');
    client.send({ op: 'configureResuming', key: 'my-resume-key', timeout: 5 });
    client.send(voiceUpdate('1'));
    client.send({ op: 'play', guildId: '1', track: await encodedFor(sim, 'sim:track?length=200') });
    client.send(voiceUpdate('2'));
    client.send({ op: 'play', guildId: '2', track: await encodedFor(sim, 'dQw4w9WgXcQ') });
    await client.nextOp('event', 'TrackStartEvent');
    await until(() => sim.sessions()[0]?.resumeKey === 'my-resume-key' && sim.players().length === 2, 2000, 'the ops');
    client.ws.terminate();
    await until(() => sim.sessions()[0]!.state === 'paused', 2000, 'the pause');
    await until(() => sim.sessions()[0]!.queued >= 1, 2000, 'a queued end event');

    const back = await RawClient.open(sim, { 'Resume-Key': 'my-resume-key' });
    t.after(() => back.close());
    assert.equal(back.upgradeHeaders['session-resumed'], 'true');
    const ready = await back.next();
    assert.deepEqual([ready.op, ready.resumed, ready.sessionId], ['ready', true, sessionId]);
    const replay: Frame = await back.next();
    assert.deepEqual([replay.type, replay.guildId, replay.reason], ['TrackEndEvent', '1', 'FINISHED']);
    const updates = [await back.nextOp('playerUpdate'), await back.nextOp('playerUpdate')].map((f) => f.guildId).sort();
    assert.deepEqual(updates, ['1', '2']);
    assert.equal(sim.players().length, 2);
  });

  test('without a key the players go at once; with one they go after the timeout', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    const plain = await RawClient.open(sim);
    plain.send(voiceUpdate('1'));
    await until(() => sim.players().length === 1, 2000, 'a player');
    await plain.close();
    await until(() => sim.players().length === 0, 2000, 'the players to go');

    const keyed = await RawClient.open(sim);
    keyed.send({ op: 'configureResuming', key: 'k', timeout: 1 });
    keyed.send(voiceUpdate('1'));
    await until(() => sim.players().length === 1, 2000, 'a player');
    await keyed.close();
    await until(() => sim.sessions()[0]?.state === 'paused', 2000, 'the session to wait for its client');
    assert.equal(sim.players().length, 1, 'kept during the timeout');
    await until(() => sim.players().length === 0, 3000, 'the timeout');
  });
});

describe('v3 simulator: REST', () => {
  test('loadtracks answers the v3 load types; decodetrack answers per release', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    const load = async (id: string) => (await rest(sim, 'GET', `/loadtracks?identifier=${encodeURIComponent(id)}`)).body as Json;
    const track = await load('dQw4w9WgXcQ');
    assert.equal(track.loadType, 'TRACK_LOADED');
    assert.deepEqual(track.playlistInfo, {});
    assert.equal(track.tracks[0].encoded, track.tracks[0].track);
    assert.equal('artworkUrl' in track.tracks[0].info, false, 'no v4-only fields');
    assert.equal(track.tracks[0].info.sourceName, 'youtube');
    const playlist = await load('https://www.youtube.com/playlist?list=PLsim');
    assert.equal(playlist.loadType, 'PLAYLIST_LOADED');
    assert.deepEqual(playlist.playlistInfo, { name: 'Simulator classics', selectedTrack: -1 });
    assert.equal((await load('ytsearch:abc')).loadType, 'SEARCH_RESULT');
    assert.deepEqual(await load('sim:empty'), { loadType: 'NO_MATCHES', playlistInfo: {}, tracks: [] });
    const failed = await load('sim:error');
    assert.equal(failed.loadType, 'LOAD_FAILED');
    assert.equal(failed.exception.severity, 'COMMON');
    assert.deepEqual(await load('dQw4w9WgXcQ'), (await rest(sim, 'GET', '/v3/loadtracks?identifier=dQw4w9WgXcQ')).body);

    const decoded = (await rest(sim, 'GET', `/decodetrack?encodedTrack=${encodeURIComponent(track.tracks[0].track as string)}`)).body as Json;
    assert.equal(decoded.encoded, track.tracks[0].track);
    assert.equal(decoded.title, decoded.info.title, '3.7 repeats the info at the top level');
    const many = (await rest(sim, 'POST', '/decodetracks', [track.tracks[0].track])).body as Json[];
    assert.equal(many[0]!.info.identifier, 'dQw4w9WgXcQ');
    assert.deepEqual((await rest(sim, 'GET', '/routeplanner/status')).body, { class: null, details: null });

    const old = await startSimulator(t, { protocol: 3, release: '3.3' });
    const oldTrack = ((await rest(old, 'GET', '/loadtracks?identifier=dQw4w9WgXcQ')).body as Json).tracks[0];
    assert.equal('encoded' in oldTrack, false);
    assert.equal('sourceName' in oldTrack.info, false, '3.3 has no sourceName');
    const flat = (await rest(old, 'GET', `/decodetrack?track=${encodeURIComponent(oldTrack.track as string)}`)).body as Json;
    assert.equal(flat.title, 'Rick Astley - Never Gonna Give You Up');
    assert.equal('info' in flat, false, '3.3 answers the flat info');
  });

  test('3.7 session REST: PATCH /v3/sessions/{id} and the player routes', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    const { sessionId } = await client.nextOp('ready');
    const session = await rest(sim, 'PATCH', `/v3/sessions/${sessionId}`, { resumingKey: 'abc', timeout: 30 });
    assert.deepEqual(session.body, { resumingKey: 'abc', timeout: 30 });
    assert.equal(sim.sessions()[0]!.resumable, true);

    const patched = await rest(sim, 'PATCH', `/v3/sessions/${sessionId}/players/5`, {
      identifier: 'dQw4w9WgXcQ',
      volume: 70,
      voice: { token: 't', endpoint: 'e', sessionId: 's' },
    });
    assert.equal(patched.status, 200);
    const player = patched.body as Json;
    assert.equal(player.track.info.identifier, 'dQw4w9WgXcQ');
    assert.deepEqual(player.voice, { token: 't', endpoint: 'e', sessionId: 's', connected: true, ping: 20 });
    assert.equal((await client.nextOp('event', 'TrackStartEvent')).guildId, '5');
    const playlist = await rest(sim, 'PATCH', `/v3/sessions/${sessionId}/players/5`, { identifier: 'https://www.youtube.com/playlist?list=PLsim' });
    assert.equal(playlist.status, 500, '3.7 answers 500 where v4 answers 400');
    const both = await rest(sim, 'PATCH', `/v3/sessions/${sessionId}/players/5`, { identifier: 'a', encodedTrack: 'b' });
    assert.equal(both.status, 400);
    assert.equal((both.body as Json).message, 'Cannot specify both encodedTrack and identifier');
    assert.equal(((await rest(sim, 'GET', `/v3/sessions/${sessionId}/players`)).body as Json[]).length, 1);
    assert.equal((await rest(sim, 'DELETE', `/v3/sessions/${sessionId}/players/5`)).status, 204);
    assert.equal(((await rest(sim, 'GET', '/v3/info')).body as Json).version.semver, '3.7.13');
  });
});

describe('v3 simulator: op details', () => {
  test('voiceUpdate that changes the connection sends an immediate playerUpdate; the same one again sends none', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    await client.nextOp('ready');
    client.send(voiceUpdate('1'));
    assert.equal(((await client.nextOp('playerUpdate', undefined, 1000)).state as Json).connected, true);
    client.send(voiceUpdate('1'));
    await until(() => sim.frames.length === 2, 2000, 'both voice updates');
    await client.caughtUp(sim);
    assert.equal(client.frames.filter((f) => f.op === 'playerUpdate').length, 1);
  });

  test('a pause op without a boolean `pause` is ignored, not taken as an unpause', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    client.send(voiceUpdate('1'));
    client.send({ op: 'play', guildId: '1', track: await encodedFor(sim, 'dQw4w9WgXcQ'), pause: true });
    client.send({ op: 'pause', guildId: '1' });
    client.send({ op: 'pause', guildId: '1', pause: 'false' });
    await until(() => sim.frames.length === 4, 2000, 'four frames');
    assert.deepEqual(sim.frames.map((f) => f.applied), [true, true, false, false]);
    assert.equal(sim.players()[0]!.paused, true);
  });

  test('the filters op is ignored as a whole when it names a filter disabled in the config', async (t) => {
    const sim = await startSimulator(t, { protocol: 3, disabledFilters: ['karaoke'] });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    client.send({ op: 'filters', guildId: '1', timescale: { speed: 1.5 } });
    client.send({ op: 'filters', guildId: '1', karaoke: { level: 1 }, rotation: { rotationHz: 0.2 } });
    await until(() => sim.frames.length === 2, 2000, 'both frames');
    assert.deepEqual(sim.frames.map((f) => f.applied), [true, false]);
    assert.deepEqual(sim.players()[0]!.filters, { timescale: { speed: 1.5 } });
  });

  test('WebSocketClosedEvent is followed by a playerUpdate in 3.7 but not in 3.3', async (t) => {
    for (const release of ['3.7', '3.3'] as const) {
      const sim = await startSimulator(t, { protocol: 3, release });
      const client = await RawClient.open(sim);
      t.after(() => client.close());
      client.send(voiceUpdate('1'));
      await client.nextOp('playerUpdate'); // the voice gateway is ready
      sim.closeVoice('1', 4014, 'Disconnected');
      await client.nextOp('event', 'WebSocketClosedEvent');
      if (release === '3.7') {
        await client.nextOp('playerUpdate', undefined, 1000);
      } else {
        await client.caughtUp(sim);
        assert.equal(client.frames.at(-1)!.type, 'WebSocketClosedEvent', '3.3 sends nothing after the event');
      }
    }
  });
});

describe('v3 simulator: encoded track versions (spec §7.1)', () => {
  test('a v3 server refuses version-3 tracks: decodetrack(s) 500, the play op ignored, 3.7 PATCH 500', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    const { sessionId } = await client.nextOp('ready');
    const loaded = new Catalogue(3).load('dQw4w9WgXcQ');
    assert.ok(loaded.kind === 'track');
    const v3Track = loaded.track.encoded;
    assert.equal(decodeTrack(v3Track).version, 3);

    for (const path of [`/decodetrack?track=${encodeURIComponent(v3Track)}`, `/v3/decodetrack?encodedTrack=${encodeURIComponent(v3Track)}`]) {
      const answer = await rest(sim, 'GET', path);
      assert.equal(answer.status, 500, path);
      assert.match((answer.body as Json).message as string, /version 3 is newer than this server reads \(1-2\)/);
    }
    assert.equal((await rest(sim, 'POST', '/decodetracks', [await encodedFor(sim, 'dQw4w9WgXcQ'), v3Track])).status, 500);
    assert.equal((await rest(sim, 'PATCH', `/v3/sessions/${sessionId}/players/1`, { encodedTrack: v3Track })).status, 500);

    client.send({ op: 'play', guildId: '2', track: v3Track });
    await until(() => sim.frames.length === 1, 2000, 'the play frame');
    assert.equal(sim.frames[0]!.applied, false);
    assert.equal(sim.players().find((p) => p.guildId === '2'), undefined);
  });
});
