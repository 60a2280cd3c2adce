import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, InvalidOptionError } from '../../src/errors.js';
import { RawClient, rest, until, type Frame } from '../helpers/raw-client.js';
import { startSimulator, startSimulatorProcess } from '../helpers/simulator.js';
import { LavalinkSimulator, type SimulatorPlugin } from '../../src/testing/index.js';
import type { TestContext } from 'node:test';

type Json = Record<string, any>;

const ALL: SimulatorPlugin[] = ['lavasrc', 'lavasearch', 'sponsorblock', 'lavalyrics'];
const GUILD = '1000000000000000042';

/** A YouTube track whose times are easy to check: segment 1000–2000, chapters split at 2000. */
const shortVideo = {
  title: 'Short video',
  author: 'Simulator',
  length: 4000,
  identifier: 'short-video-4000',
  isStream: false,
  uri: 'https://www.youtube.com/watch?v=short-video-4000',
  sourceName: 'youtube',
};

async function session(t: TestContext, sim: LavalinkSimulator, headers: Record<string, string> = {}): Promise<{ client: RawClient; sessionId: string }> {
  const client = await RawClient.open(sim, headers);
  t.after(() => client.close());
  const ready = await client.nextOp('ready');
  return { client, sessionId: ready.sessionId as string };
}

const load = async (sim: LavalinkSimulator, identifier: string): Promise<Json> => (await rest(sim, 'GET', `/v4/loadtracks?identifier=${encodeURIComponent(identifier)}`)).body as Json;

const play = (sim: LavalinkSimulator, sessionId: string, body: Json, guildId = GUILD) => rest(sim, 'PATCH', `/v4/sessions/${sessionId}/players/${guildId}`, body);

const events = (client: RawClient, ...types: string[]): Frame[] => client.frames.filter((f) => f.op === 'event' && (types.length === 0 || types.includes(f.type as string)));

describe('simulator plugins: switched on one by one', () => {
  test('each plugin alone is listed in /v4/info and serves its routes; the others answer 404 or load nothing', async (t) => {
    const probe = async (sim: LavalinkSimulator): Promise<Record<SimulatorPlugin, boolean>> => {
      const encoded = (await load(sim, 'dQw4w9WgXcQ')).data.encoded as string;
      const categories = await rest(sim, 'GET', `/v4/sessions/nosuchsession/players/${GUILD}/sponsorblock/categories`);
      return {
        lavasrc: (await load(sim, 'spsearch:never gonna')).loadType === 'search',
        lavasearch: (await rest(sim, 'GET', '/v4/loadsearch?query=ytsearch:never')).status === 200,
        // A plugin route checks the session; a missing route is Spring's plain 404.
        sponsorblock: (categories.body as Json).message === 'Session not found',
        lavalyrics: (await rest(sim, 'GET', `/v4/lyrics?track=${encodeURIComponent(encoded)}`)).status === 200,
      };
    };
    for (const name of ALL) {
      const sim = await startSimulator(t, { plugins: [name] });
      const info = (await rest(sim, 'GET', '/v4/info')).body as Json;
      assert.equal(info.plugins.length, 1, name);
      assert.equal(info.sourceManagers.includes('spotify'), name === 'lavasrc', name);
      assert.deepEqual(await probe(sim), { lavasrc: false, lavasearch: false, sponsorblock: false, lavalyrics: false, [name]: true }, name);
    }
    const none = await startSimulator(t);
    const info = (await rest(none, 'GET', '/v4/info')).body as Json;
    assert.deepEqual(info.plugins, []);
    assert.deepEqual(info.sourceManagers, ['youtube', 'soundcloud', 'http', 'local']);
    assert.deepEqual(await probe(none), { lavasrc: false, lavasearch: false, sponsorblock: false, lavalyrics: false });
    for (const prefix of ['spsearch', 'amsearch', 'dzsearch']) assert.deepEqual(await load(none, `${prefix}:anything`), { loadType: 'empty', data: null });
    assert.equal((await load(none, 'https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy')).loadType, 'empty');
    assert.equal((await rest(none, 'GET', '/v4/loadsearch?query=ytsearch:x')).status, 404);
  });

  test('all four: listed with their versions, in a fixed order; LavaSrc sources join the node own', async (t) => {
    const sim = await startSimulator(t, { plugins: ['lavalyrics', 'lavasrc', 'sponsorblock', 'lavasearch', 'lavasrc'] });
    const info = (await rest(sim, 'GET', '/v4/info')).body as Json;
    assert.deepEqual(info.plugins, [
      { name: 'lavasrc-plugin', version: '4.8.1' },
      { name: 'lavasearch-plugin', version: '1.0.0' },
      { name: 'sponsorblock-plugin', version: '3.0.1' },
      { name: 'lavalyrics-plugin', version: '1.1.0' },
    ]);
    assert.deepEqual(info.sourceManagers, ['youtube', 'soundcloud', 'http', 'local', 'spotify', 'applemusic', 'deezer']);
    assert.deepEqual(sim.options.plugins, ALL);

    // NodeLink's info keeps its own shape and already lists Spotify and Deezer.
    const nodelink = await startSimulator(t, { flavour: 'nodelink', plugins: ['lavasrc'] });
    const nodelinkInfo = (await rest(nodelink, 'GET', '/v4/info')).body as Json;
    assert.equal(nodelinkInfo.isNodeLink, true);
    assert.deepEqual(nodelinkInfo.sourceManagers, ['youtube', 'spotify', 'deezer', 'bandcamp', 'soundcloud', 'twitch', 'http', 'applemusic']);
    assert.deepEqual(nodelinkInfo.plugins, [{ name: 'lavasrc-plugin', version: '4.8.1' }]);
  });

  test('plugins with protocol 3, unknown names and non-arrays are refused with InvalidOptionError', () => {
    const cases: [options: object, message: string][] = [
      [{ protocol: 3, plugins: ['lavasrc'] }, 'Expected `plugins` to be empty for protocol 3 (the plugins are those of Lavalink 4)'],
      [{ plugins: ['lavasrc', 'lyrics'] }, "Expected `plugins` to be an array of plugin names ('lavasrc', 'lavasearch', 'sponsorblock', 'lavalyrics'), got `\"lyrics\"` (string)"],
      [{ plugins: 'lavasrc' }, 'Expected `plugins` to be an array of plugin names'],
    ];
    for (const [options, message] of cases) {
      assert.throws(
        () => new LavalinkSimulator(options),
        (error: unknown) => error instanceof InvalidOptionError && error.code === ErrorCode.InvalidOption && error.message.startsWith(message),
        message,
      );
    }
    assert.deepEqual(new LavalinkSimulator({ protocol: 3, plugins: [] }).options.plugins, []);
  });

  test('the CLI takes --plugins; the control API sends a player event', async (t) => {
    const proc = await startSimulatorProcess(t, ['--plugins', 'lavasrc, lavalyrics']);
    const info = (await (await fetch(`${proc.url}/v4/info`, { headers: { Authorization: 'youshallnotpass' } })).json()) as Json;
    assert.deepEqual(info.plugins.map((p: Json) => p.name), ['lavasrc-plugin', 'lavalyrics-plugin']);
    assert.deepEqual(await proc.control('POST', 'player-event', { guildId: GUILD, type: 'LyricsNotFoundEvent' }), { sent: 0 });
    const refused = await proc.control('POST', 'player-event', { guildId: GUILD });
    assert.equal(refused.code, 'LAVALINK_INVALID_OPTION');
  });
});

describe('simulator plugins: LavaSrc', () => {
  test('spsearch, amsearch and dzsearch answer five tracks of their source with LavaSrc pluginInfo, the same each time', async (t) => {
    const sim = await startSimulator(t, { plugins: ['lavasrc'] });
    const uris = { spsearch: /^https:\/\/open\.spotify\.com\/track\/[0-9A-Za-z]{22}$/, amsearch: /^https:\/\/music\.apple\.com\/us\/song\/\d+$/, dzsearch: /^https:\/\/www\.deezer\.com\/track\/\d+$/ };
    const sources = { spsearch: 'spotify', amsearch: 'applemusic', dzsearch: 'deezer' };
    for (const [prefix, uri] of Object.entries(uris)) {
      const result = await load(sim, `${prefix}:daft punk`);
      assert.equal(result.loadType, 'search');
      assert.equal(result.data.length, 5);
      for (const track of result.data as Json[]) {
        assert.equal(track.info.sourceName, sources[prefix as keyof typeof sources]);
        assert.match(track.info.uri, uri);
        assert.match(track.info.isrc, /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/);
        assert.deepEqual(Object.keys(track.pluginInfo).sort(), ['albumName', 'albumUrl', 'artistArtworkUrl', 'artistUrl', 'isPreview', 'previewUrl']);
        assert.equal(track.pluginInfo.isPreview, false);
        for (const key of ['albumName', 'albumUrl', 'artistUrl', 'artistArtworkUrl', 'previewUrl']) assert.equal(typeof track.pluginInfo[key], 'string', key);
      }
      assert.deepEqual(await load(sim, `${prefix}:daft punk`), result, 'the same query answers the same tracks');
      assert.deepEqual(await load(sim, `${prefix}:   `), { loadType: 'empty', data: null });
    }
  });

  test('a Spotify album URL loads a playlist with album pluginInfo; its tracks name the album', async (t) => {
    const sim = await startSimulator(t, { plugins: ['lavasrc'] });
    const url = 'https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy';
    const result = await load(sim, url);
    assert.equal(result.loadType, 'playlist');
    const { info, pluginInfo, tracks } = result.data as Json;
    assert.equal(info.selectedTrack, -1);
    assert.deepEqual(Object.keys(pluginInfo).sort(), ['artworkUrl', 'author', 'totalTracks', 'type', 'url']);
    assert.equal(pluginInfo.type, 'album');
    assert.equal(pluginInfo.url, url);
    assert.equal(pluginInfo.totalTracks, tracks.length);
    for (const track of tracks as Json[]) {
      assert.equal(track.info.sourceName, 'spotify');
      assert.equal(track.pluginInfo.albumUrl, url);
      assert.equal(track.pluginInfo.albumName, info.name);
    }
  });

  test('LavaSrc tracks decode and play like any other, with the same pluginInfo everywhere', async (t) => {
    const sim = await startSimulator(t, { plugins: ['lavasrc'] });
    const { client, sessionId } = await session(t, sim);
    const track = (await load(sim, 'dzsearch:one more time')).data[2] as Json;

    const decoded = await rest(sim, 'GET', `/v4/decodetrack?encodedTrack=${encodeURIComponent(track.encoded)}`);
    assert.deepEqual((decoded.body as Json).pluginInfo, track.pluginInfo);
    const many = await rest(sim, 'POST', '/v4/decodetracks', [track.encoded]);
    assert.deepEqual((many.body as Json[])[0]!.pluginInfo, track.pluginInfo);

    const answer = await play(sim, sessionId, { track: { encoded: track.encoded } });
    assert.equal(answer.status, 200);
    assert.deepEqual((answer.body as Json).track.pluginInfo, track.pluginInfo);
    const start = await client.nextOp('event', 'TrackStartEvent');
    assert.deepEqual(start.track.pluginInfo, track.pluginInfo);
    assert.equal(start.track.info.sourceName, 'deezer');
    const player = await rest(sim, 'GET', `/v4/sessions/${sessionId}/players/${GUILD}`);
    assert.deepEqual((player.body as Json).track.pluginInfo, track.pluginInfo);
    await play(sim, sessionId, { track: { encoded: null } });
    const end = await client.nextOp('event', 'TrackEndEvent');
    assert.deepEqual(end.track.pluginInfo, track.pluginInfo);

    // Tracks of the built-in sources keep an empty pluginInfo.
    assert.deepEqual((await load(sim, 'ytsearch:one more time')).data[0].pluginInfo, {});
  });
});

describe('simulator plugins: LavaSearch', () => {
  test('answers every type by default; tracks are what the same search loads', async (t) => {
    const sim = await startSimulator(t, { plugins: ['lavasearch', 'lavasrc'] });
    const answer = await rest(sim, 'GET', `/v4/loadsearch?query=${encodeURIComponent('spsearch:around the world')}`);
    assert.equal(answer.status, 200);
    const body = answer.body as Json;
    assert.deepEqual(Object.keys(body).sort(), ['albums', 'artists', 'playlists', 'plugin', 'texts', 'tracks']);
    assert.deepEqual(body.tracks, (await load(sim, 'spsearch:around the world')).data);
    assert.deepEqual(body.texts, [{ text: 'around the world remix', plugin: {} }]);
    assert.deepEqual(body.plugin, {});
    for (const [key, type] of [['albums', 'album'], ['artists', 'artist'], ['playlists', 'playlist']] as const) {
      assert.equal(body[key].length, 1, key);
      const item = body[key][0] as Json;
      assert.equal(item.info.selectedTrack, -1);
      assert.equal(typeof item.info.name, 'string');
      assert.deepEqual(item.tracks, []);
      assert.equal(item.pluginInfo.type, type);
      assert.deepEqual(Object.keys(item.pluginInfo).sort(), ['artworkUrl', 'author', 'totalTracks', 'type', 'url']);
    }
    // The album a Spotify search names loads, with as many tracks as it said.
    const album = body.albums[0] as Json;
    const loaded = await load(sim, album.pluginInfo.url);
    assert.equal(loaded.loadType, 'playlist');
    assert.equal(loaded.data.tracks.length, album.pluginInfo.totalTracks);
    assert.equal(loaded.data.info.name, album.info.name);
  });

  test('types filters (spaces allowed, unknown values dropped, none left = all); 204, 404 and 400', async (t) => {
    const sim = await startSimulator(t, { plugins: ['lavasearch'] });
    const search = async (query: string) => rest(sim, 'GET', `/v4/loadsearch?${query}`);
    const counts = (body: Json) => [body.tracks.length, body.albums.length, body.artists.length, body.playlists.length, body.texts.length];

    assert.deepEqual(counts((await search('query=ytsearch:lofi&types=track,%20album')).body as Json), [5, 1, 0, 0, 0]);
    assert.deepEqual(counts((await search('query=ytmsearch:lofi&types=text,bogus')).body as Json), [0, 0, 0, 0, 1]);
    assert.deepEqual(counts((await search('query=scsearch:lofi&types=artist,playlist')).body as Json), [0, 0, 1, 1, 0]);
    assert.deepEqual(counts((await search('query=ytsearch:lofi&types=TRACK,bogus')).body as Json), [5, 1, 1, 1, 1]);
    assert.deepEqual(counts((await search('query=ytsearch:lofi&types=')).body as Json), [5, 1, 1, 1, 1]);
    assert.equal(((await search('query=scsearch:lofi&types=track')).body as Json).tracks[0].info.sourceName, 'soundcloud');

    const empty = await search('query=ytsearch:');
    assert.equal(empty.status, 204);
    assert.equal(empty.text, '');
    assert.equal((await search(`query=${encodeURIComponent('ytsearch:   ')}`)).status, 204);

    for (const query of ['lofi', 'spsearch:lofi', 'http:lofi', 'constructor:lofi']) {
      const missing = await search(`query=${encodeURIComponent(query)}`);
      assert.equal(missing.status, 404, query);
      assert.equal((missing.body as Json).status, 404);
      assert.equal(typeof (missing.body as Json).message, 'string');
    }
    const bad = await search('types=track');
    assert.equal(bad.status, 400);
    assert.equal((bad.body as Json).path, '/v4/loadsearch');
  });
});

describe('simulator plugins: SponsorBlock', () => {
  test('categories round trip per session and guild, validated; gone with the session', async (t) => {
    const sim = await startSimulator(t, { plugins: ['sponsorblock'] });
    const { client, sessionId } = await session(t, sim);
    const path = (guildId = GUILD, sid = sessionId) => `/v4/sessions/${sid}/players/${guildId}/sponsorblock/categories`;

    const before = await rest(sim, 'GET', path());
    assert.equal(before.status, 404);
    assert.equal((before.body as Json).message, 'Guild not found');
    assert.equal((await rest(sim, 'PUT', path(), ['sponsor', 'intro'])).status, 204, 'no player needed');
    assert.deepEqual((await rest(sim, 'GET', path())).body, ['sponsor', 'intro']);
    assert.equal((await rest(sim, 'GET', path('1000000000000000043'))).status, 404, 'another guild has none');

    for (const body of [['sponsor', 'ads'], 'sponsor', { sponsor: true }, [1], '[not json']) {
      const refused = await rest(sim, 'PUT', path(), body);
      assert.equal(refused.status, 400, JSON.stringify(body));
    }
    assert.equal((await rest(sim, 'PUT', path())).status, 400, 'no body');
    assert.deepEqual((await rest(sim, 'GET', path())).body, ['sponsor', 'intro'], 'a refused PUT changes nothing');
    assert.equal((await rest(sim, 'PUT', path('not-a-guild'), ['sponsor'])).status, 400);
    assert.equal((await rest(sim, 'POST', path(), ['sponsor'])).status, 405);

    assert.equal((await rest(sim, 'PUT', path(), ['filler', 'music_offtopic', 'selfpromo', 'interaction', 'outro', 'preview'])).status, 204);
    assert.deepEqual((await rest(sim, 'GET', path())).body, ['filler', 'music_offtopic', 'selfpromo', 'interaction', 'outro', 'preview']);
    assert.equal((await rest(sim, 'DELETE', path())).status, 204);
    assert.deepEqual((await rest(sim, 'GET', path())).body, []);

    for (const method of ['GET', 'PUT', 'DELETE']) {
      const unknown = await rest(sim, method, path(GUILD, 'nosuchsession'), method === 'PUT' ? ['sponsor'] : undefined);
      assert.equal(unknown.status, 404, method);
      assert.equal((unknown.body as Json).message, 'Session not found');
    }
    await client.close();
    await until(() => sim.sessions().length === 0, 5000, 'the session to end');
    assert.equal(((await rest(sim, 'GET', path())).body as Json).message, 'Session not found');
  });

  test('a YouTube track: segments and chapters at its start, the segment skipped with a seek, the second chapter at the middle', async (t) => {
    const sim = await startSimulator(t, { plugins: ['sponsorblock'], tracks: [shortVideo] });
    const { client, sessionId } = await session(t, sim);
    assert.equal((await rest(sim, 'PUT', `/v4/sessions/${sessionId}/players/${GUILD}/sponsorblock/categories`, ['intro', 'sponsor'])).status, 204);
    const started = Date.now();
    assert.equal((await play(sim, sessionId, { identifier: shortVideo.identifier })).status, 200);

    await client.nextOp('event', 'TrackStartEvent');
    const loaded = await client.next();
    assert.deepEqual(loaded, { op: 'event', type: 'SegmentsLoaded', guildId: GUILD, segments: [{ category: 'intro', start: 1000, end: 2000 }] });
    const chapters = await client.next();
    const intro = { name: 'Intro', start: 0, end: 2000, duration: 2000 };
    const main = { name: 'Main', start: 2000, end: 4000, duration: 2000 };
    assert.deepEqual(chapters, { op: 'event', type: 'ChaptersLoaded', guildId: GUILD, chapters: [intro, main] });
    assert.deepEqual(await client.next((f) => f.op === 'event'), { op: 'event', type: 'ChapterStarted', guildId: GUILD, chapter: intro });

    const skipped = await client.nextOp('event', 'SegmentSkipped', 5000);
    assert.deepEqual(skipped.segment, { category: 'intro', start: 1000, end: 2000 });
    const update = await client.nextOp('playerUpdate');
    assert.ok(update.state.position >= 2000 && update.state.position < 2500, `the skip jumped to 2000, got ${update.state.position}`);
    assert.deepEqual((await client.nextOp('event', 'ChapterStarted')).chapter, main);
    const end = await client.nextOp('event', 'TrackEndEvent', 5000);
    assert.equal(end.reason, 'finished');
    assert.ok(Date.now() - started < 3950, 'the skipped second was not played');
    assert.deepEqual(
      events(client).map((f) => f.type),
      ['TrackStartEvent', 'SegmentsLoaded', 'ChaptersLoaded', 'ChapterStarted', 'SegmentSkipped', 'ChapterStarted', 'TrackEndEvent'],
    );
  });

  test('nothing for a track not from YouTube, nor for a guild without categories', async (t) => {
    const sim = await startSimulator(t, { plugins: ['sponsorblock'], tracks: [shortVideo] });
    const { client, sessionId } = await session(t, sim);
    await rest(sim, 'PUT', `/v4/sessions/${sessionId}/players/${GUILD}/sponsorblock/categories`, ['sponsor']);
    const other = '1000000000000000043';
    await play(sim, sessionId, { identifier: 'sim:track?length=1500' });
    await play(sim, sessionId, { identifier: shortVideo.identifier }, other);
    await client.next((f) => f.type === 'TrackEndEvent' && f.guildId === GUILD, 5000);
    await client.caughtUp(sim);
    assert.deepEqual(
      events(client).map((f) => f.type),
      ['TrackStartEvent', 'TrackStartEvent', 'TrackEndEvent'],
    );
  });
});

describe('simulator plugins: LavaLyrics', () => {
  test('lyrics of the current track or of an encoded track: 200, 204, 404, 400', async (t) => {
    const sim = await startSimulator(t, { plugins: ['lavalyrics'] });
    const { sessionId } = await session(t, sim);
    const current = () => rest(sim, 'GET', `/v4/sessions/${sessionId}/players/${GUILD}/track/lyrics?skipTrackSource=true`);

    assert.equal((await current()).status, 404, 'no player');
    await play(sim, sessionId, { volume: 50 });
    assert.equal((await current()).status, 404, 'no track');
    await play(sim, sessionId, { identifier: 'sim:track?length=8000&title=Song' });
    const answer = await current();
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      sourceName: 'http',
      provider: 'Simulated',
      text: 'Line 1 of Song\nLine 2 of Song\nLine 3 of Song\nLine 4 of Song',
      lines: [0, 2000, 4000, 6000].map((timestamp, i) => ({ timestamp, duration: 2000, line: `Line ${i + 1} of Song`, plugin: {} })),
      plugin: {},
    });
    await play(sim, sessionId, { identifier: 'sim:track?length=8000&title=Piano%20(Instrumental)' });
    assert.equal((await current()).status, 204);
    await play(sim, sessionId, { identifier: 'sim:stream' });
    assert.equal((await current()).status, 204);
    assert.equal((await rest(sim, 'GET', `/v4/sessions/nosuchsession/players/${GUILD}/track/lyrics`)).status, 404);
    assert.equal((await rest(sim, 'GET', `/v4/sessions/${sessionId}/players/${GUILD}/track/lyrics?skipTrackSource=maybe`)).status, 400);

    const rick = (await load(sim, 'dQw4w9WgXcQ')).data as Json;
    const byTrack = await rest(sim, 'GET', `/v4/lyrics?track=${encodeURIComponent(rick.encoded)}&skipTrackSource=false`);
    assert.equal(byTrack.status, 200);
    assert.equal((byTrack.body as Json).sourceName, 'youtube');
    assert.equal((byTrack.body as Json).lines[3].timestamp, 159000);
    const stream = (await load(sim, 'sim:stream')).data as Json;
    assert.equal((await rest(sim, 'GET', `/v4/lyrics?track=${encodeURIComponent(stream.encoded)}`)).status, 204);
    assert.equal((await rest(sim, 'GET', '/v4/lyrics')).status, 400);
    assert.equal((await rest(sim, 'GET', '/v4/lyrics?track=not-a-track')).status, 400);
  });

  test('subscribed: found at each track start, then each line as playback reaches it; not found; unsubscribed: nothing', async (t) => {
    const sim = await startSimulator(t, { plugins: ['lavalyrics'] });
    const { client, sessionId } = await session(t, sim);
    const subscription = `/v4/sessions/${sessionId}/players/${GUILD}/lyrics/subscribe`;
    assert.equal((await rest(sim, 'POST', `/v4/sessions/nosuchsession/players/${GUILD}/lyrics/subscribe`)).status, 404);
    assert.equal((await rest(sim, 'POST', subscription)).status, 204, 'no player needed');
    assert.equal((await rest(sim, 'POST', subscription)).status, 204, 'twice is once');

    await play(sim, sessionId, { identifier: 'sim:track?length=1200&title=Song' });
    const found = await client.next((f) => f.op === 'event' && f.type !== 'TrackStartEvent');
    assert.equal(found.type, 'LyricsFoundEvent');
    assert.equal(found.guildId, GUILD);
    assert.deepEqual(found.lyrics.lines.map((l: Json) => l.timestamp), [0, 300, 600, 900]);
    for (let i = 0; i < 4; i++) {
      const line = await client.nextOp('event', 'LyricsLineEvent');
      assert.deepEqual(line, { op: 'event', type: 'LyricsLineEvent', guildId: GUILD, lineIndex: i, line: found.lyrics.lines[i], skipped: false });
    }
    await client.nextOp('event', 'TrackEndEvent');

    await play(sim, sessionId, { identifier: 'sim:track?length=600&title=Instrumental' });
    assert.deepEqual(await client.next((f) => f.op === 'event' && f.type !== 'TrackStartEvent'), { op: 'event', type: 'LyricsNotFoundEvent', guildId: GUILD });
    await client.nextOp('event', 'TrackEndEvent');

    assert.equal((await rest(sim, 'DELETE', subscription)).status, 204);
    await play(sim, sessionId, { identifier: 'sim:track?length=600&title=Song' });
    await client.nextOp('event', 'TrackEndEvent');
    await client.caughtUp(sim);
    assert.deepEqual(
      events(client).map((f) => f.type).slice(-2),
      ['TrackStartEvent', 'TrackEndEvent'],
    );
    assert.equal(events(client, 'LyricsLineEvent').length, 4);
  });

  test('line cues wait while paused, drop what a seek passes, and go with a replaced track', async (t) => {
    const sim = await startSimulator(t, { plugins: ['lavalyrics'] });
    const { client, sessionId } = await session(t, sim);
    await play(sim, sessionId, { identifier: 'sim:track?length=4000&title=Song', paused: true });
    await client.nextOp('event', 'TrackStartEvent');
    assert.equal((await rest(sim, 'POST', `/v4/sessions/${sessionId}/players/${GUILD}/lyrics/subscribe`)).status, 204);
    assert.equal((await client.next((f) => f.op === 'event')).type, 'LyricsFoundEvent', 'at once for the loaded track');
    await client.caughtUp(sim);
    assert.equal(events(client, 'LyricsLineEvent').length, 0, 'paused: the first line waits');

    await play(sim, sessionId, { paused: false });
    assert.equal((await client.nextOp('event', 'LyricsLineEvent')).lineIndex, 0);
    await play(sim, sessionId, { position: 2500 });
    assert.equal((await client.nextOp('event', 'LyricsLineEvent')).lineIndex, 3, 'lines 1 and 2 were passed by the seek');
    await client.nextOp('event', 'TrackEndEvent');

    // A replaced track takes its cues along: line 1 of the first (at 1000 ms) never comes.
    await play(sim, sessionId, { identifier: 'sim:track?length=4000&title=First' });
    assert.equal((await client.nextOp('event', 'LyricsLineEvent')).line.line, 'Line 1 of First');
    await play(sim, sessionId, { identifier: 'sim:track?length=1500&title=Second%20instrumental' });
    await client.nextOp('event', 'LyricsNotFoundEvent');
    await client.next((f) => f.type === 'TrackEndEvent' && f.reason === 'finished', 5000);
    assert.deepEqual(
      events(client, 'LyricsLineEvent').map((f) => f.line.line),
      ['Line 1 of Song', 'Line 4 of Song', 'Line 1 of First'],
    );
  });
});

describe('simulator plugins: sendPlayerEvent', () => {
  test('goes to every session with a player for the guild, queued for one waiting for a resume', async (t) => {
    const sim = await startSimulator(t);
    const a = await session(t, sim);
    const b = await session(t, sim);
    const c = await session(t, sim);
    await play(sim, a.sessionId, { volume: 10 });
    await play(sim, b.sessionId, { volume: 10 });
    await play(sim, c.sessionId, { volume: 10 }, '1000000000000000043');

    assert.equal(sim.sendPlayerEvent(GUILD, 'ChapterStarted', { chapter: { name: 'Intro' }, op: 'not-event', guildId: '1' }), 2);
    for (const { client } of [a, b]) {
      assert.deepEqual(await client.nextOp('event', 'ChapterStarted'), { op: 'event', type: 'ChapterStarted', guildId: GUILD, chapter: { name: 'Intro' } });
    }
    await c.client.caughtUp(sim);
    assert.equal(events(c.client).length, 0);
    assert.equal(sim.sendPlayerEvent('1000000000000000099', 'Anything'), 0);

    assert.equal((await rest(sim, 'PATCH', `/v4/sessions/${a.sessionId}`, { resuming: true, timeout: 60 })).status, 200);
    await a.client.close();
    await until(() => sim.sessions().find((s) => s.id === a.sessionId)?.state === 'paused', 5000, 'the session to wait for a resume');
    assert.equal(sim.sendPlayerEvent(GUILD, 'LyricsNotFoundEvent'), 2);
    const back = await RawClient.open(sim, { 'Session-Id': a.sessionId });
    t.after(() => back.close());
    assert.equal((await back.nextOp('ready')).resumed, true);
    assert.deepEqual(await back.nextOp('event'), { op: 'event', type: 'LyricsNotFoundEvent', guildId: GUILD });

    for (const call of [() => sim.sendPlayerEvent('', 'X'), () => sim.sendPlayerEvent(GUILD, ''), () => sim.sendPlayerEvent(GUILD, 'X', null as never)]) {
      assert.throws(call, InvalidOptionError);
    }
  });
});
