/**
 * Lavalink plugins through lavathread, against the simulator with each plugin switched on and off:
 * LavaSrc (prefixes, pluginInfo), LavaSearch, SponsorBlock (categories, events), LavaLyrics
 * (lyrics, live lines), and plugin events nobody knows. A node without the plugin is refused with
 * `LAVALINK_PLUGIN_MISSING` before anything is sent. Both transports.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { describe, test } from '../helpers/node-test.js';
import {
  ErrorCode,
  FileSessionStore,
  lavaSrcPlaylistInfo,
  lavaSrcTrackInfo,
  PluginMissingError,
  type Manager,
  type ManagerOptions,
  type Player,
  type PluginEvent,
  type Track,
} from '../../src/index.js';
import type { LavalinkSimulator, SimulatorOptions } from '../../src/testing/index.js';
import { createManager, fastOptions, nodeFor, transports, USER_ID, type TransportName } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { storeDir } from '../helpers/store-dir.js';
import { startSimulator } from '../helpers/simulator.js';

const GUILD = '1000000000000000001';
const ALL = ['lavasrc', 'lavasearch', 'sponsorblock', 'lavalyrics'] as const;

async function setUp(t: TestContext, transport: TransportName, sim: SimulatorOptions = {}, options: Partial<ManagerOptions> = {}): Promise<{ sim: LavalinkSimulator; manager: Manager; player: Player; events: PluginEvent[] }> {
  const simulator = await startSimulator(t, sim);
  const manager = createManager(t, transport, [nodeFor(simulator)], options);
  manager.init(USER_ID);
  await manager.sockets.get('main')!.onReady();
  const player = manager.create(GUILD);
  manager.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { guild_id: GUILD, channel_id: '2000000000000000002', user_id: USER_ID, session_id: 'session-1' } });
  manager.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { token: 'token-1', guild_id: GUILD, endpoint: 'us-east1.discord.media:443' } });
  const events: PluginEvent[] = [];
  player.on('pluginEvent', (_player, event) => events.push(event));
  return { sim: simulator, manager, player, events };
}

async function youtubeTrack(manager: Manager): Promise<Track> {
  const result = await manager.search('plugin test');
  assert.equal(result.loadType, 'search');
  const track = result.tracks[0]!;
  assert.equal(track.info.sourceName, 'youtube');
  return track;
}

const missing = (plugin: string) => (error: unknown): boolean => {
  assert.ok(error instanceof PluginMissingError, String(error));
  assert.equal(error.code, ErrorCode.PluginMissing);
  assert.equal(error.plugin, plugin);
  assert.equal(error.node, 'main');
  return true;
};

/** The events of `type` so far. */
const of = <T extends PluginEvent['type']>(events: PluginEvent[], type: T): Extract<PluginEvent, { type: T }>[] => events.filter((e): e is Extract<PluginEvent, { type: T }> => e.type === type);

for (const transport of transports) {
  describe(`plugins over the ${transport} transport`, () => {
    test('LavaSrc: its prefixes load with its pluginInfo, read typed; a node without it refuses them before asking', async (t) => {
      const { manager, player } = await setUp(t, transport, { plugins: ['lavasrc'] });
      const found = await manager.search('never gonna give you up', 'spsearch');
      assert.equal(found.loadType, 'search');
      const track = found.tracks[0]!;
      assert.equal(track.info.sourceName, 'spotify');
      const info = lavaSrcTrackInfo(track);
      assert.ok(info && typeof info.albumName === 'string' && info.isPreview === false, JSON.stringify(track.pluginInfo));
      assert.equal(lavaSrcTrackInfo(await youtubeTrack(manager)), null, 'a track LavaSrc did not load');
      const started = new Promise<Track>((resolve) => player.once('trackStart', (_p, t) => resolve(t)));
      await player.play(track);
      assert.deepEqual(lavaSrcTrackInfo(await started), info, 'the start event carries the same pluginInfo');
      const album = await manager.load('https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy');
      assert.equal(album.loadType, 'playlist');
      assert.equal(lavaSrcPlaylistInfo(album.playlist)?.type, 'album');

      const { manager: plain, sim } = await setUp(t, transport);
      await assert.rejects(plain.search('never gonna give you up', 'spsearch'), missing('lavasrc-plugin'));
      await assert.rejects(plain.load('dzsearch:sandstorm'), missing('lavasrc-plugin'));
      assert.equal(sim.requests.filter((r) => r.path.includes('loadtracks')).length, 0, 'nothing asked of the node');
      assert.equal((await plain.search('sandstorm')).loadType, 'search', 'other searches go on');
    });

    test('LavaSearch: each kind of result, typed; only the kinds asked for; nothing found is an empty result; refused without the plugin', async (t) => {
      const { manager } = await setUp(t, transport, { plugins: ['lavasrc', 'lavasearch'] });
      const all = await manager.loadSearch('architects');
      assert.equal(all.tracks.length, 5);
      assert.equal(all.albums.length, 1);
      assert.equal(all.albums[0]!.tracks.length, 0);
      assert.equal(lavaSrcPlaylistInfo(all.albums[0]!)?.type, 'album');
      assert.equal(lavaSrcPlaylistInfo(all.artists[0]!)?.type, 'artist');
      assert.equal(all.playlists.length, 1);
      assert.deepEqual(all.texts, [{ text: 'architects remix', plugin: {} }]);
      const some = await manager.loadSearch('architects', { types: ['track', 'text'], source: 'spsearch' });
      assert.deepEqual([some.tracks.length, some.albums.length, some.artists.length, some.playlists.length, some.texts.length], [5, 0, 0, 0, 1]);
      assert.equal(some.tracks[0]!.info.sourceName, 'spotify');
      const none = await manager.loadSearch('xxsearch:nobody serves this prefix');
      assert.deepEqual(none, { tracks: [], albums: [], artists: [], playlists: [], texts: [], plugin: {} });
      await assert.rejects(manager.loadSearch('q', { types: ['song' as never] }), { code: ErrorCode.InvalidOption });
      await assert.rejects(manager.loadSearch('  '), { code: ErrorCode.InvalidOption });

      const { manager: plain, sim } = await setUp(t, transport, { plugins: ['lavasrc'] });
      await assert.rejects(plain.loadSearch('architects'), missing('lavasearch-plugin'));
      assert.equal(sim.requests.filter((r) => r.path.includes('loadsearch')).length, 0);
    });

    test('SponsorBlock: categories round trip; a YouTube track gets its segments and chapters as typed events, the segment skipped', async (t) => {
      const { manager, player, events } = await setUp(t, transport, { plugins: ['sponsorblock'] });
      assert.deepEqual(await player.sponsorBlock.categories(), [], 'none set yet');
      await player.sponsorBlock.setCategories(['sponsor', 'intro', 'sponsor']);
      assert.deepEqual(await player.sponsorBlock.categories(), ['sponsor', 'intro']);
      await assert.rejects(player.sponsorBlock.setCategories(['ads' as never]), { code: ErrorCode.InvalidOption });
      const track = await youtubeTrack(manager);
      await player.play(track);
      await until(() => of(events, 'SegmentSkipped').length === 1, 10_000, 'the segment skipped');
      const [loaded] = of(events, 'SegmentsLoaded');
      assert.deepEqual(loaded?.segments, [{ category: 'sponsor', start: 1000, end: 2000 }]);
      assert.deepEqual(of(events, 'SegmentSkipped')[0]!.segment, { category: 'sponsor', start: 1000, end: 2000 });
      const chapters = of(events, 'ChaptersLoaded')[0]!.chapters;
      assert.deepEqual(chapters.map((c) => c.name), ['Intro', 'Main']);
      assert.deepEqual(of(events, 'ChapterStarted').map((e) => e.chapter.name), ['Intro']);
      await player.seek(chapters[1]!.start - 100);
      await until(() => of(events, 'ChapterStarted').length === 2, 5000, 'the second chapter');
      assert.deepEqual(events.map((e) => e.type).slice(0, 3), ['SegmentsLoaded', 'ChaptersLoaded', 'ChapterStarted']);
      await player.sponsorBlock.clear();
      assert.deepEqual(await player.sponsorBlock.categories(), []);

      const { player: plain, sim } = await setUp(t, transport);
      await assert.rejects(plain.sponsorBlock.setCategories(['sponsor']), missing('sponsorblock-plugin'));
      await assert.rejects(plain.sponsorBlock.categories(), missing('sponsorblock-plugin'));
      assert.equal(sim.requests.filter((r) => r.path.includes('sponsorblock')).length, 0);
    });

    test('LavaLyrics: lyrics of the current track and of any track, null for none; live lines in order; refused without the plugin', async (t) => {
      const { manager, player, events } = await setUp(t, transport, { plugins: ['lavalyrics'] });
      const load = async (title: string): Promise<Track> => {
        const result = await manager.load(`sim:track?length=2000&title=${title}`);
        assert.equal(result.loadType, 'track');
        return result.track;
      };
      const [song, instrumental] = [await load('Song'), await load('Instrumental%20piece')];
      const lyrics = await manager.lyrics(song);
      assert.equal(lyrics?.lines?.length, 4);
      assert.deepEqual(lyrics?.lines?.map((l) => l.timestamp), [0, 500, 1000, 1500]);
      assert.equal(lyrics?.lines?.[0]?.line, 'Line 1 of Song');
      assert.equal(lyrics?.provider, 'Simulated');
      assert.equal(await manager.lyrics(instrumental.encoded), null);
      // Subscribed first: lines already passed when a subscription starts are not sent.
      await player.lyrics.subscribe();
      await player.play(song);
      assert.equal((await player.lyrics.current())?.text?.split('\n').length, 4);
      await until(() => of(events, 'LyricsLineEvent').length === 4 || player.track === null, 10_000, 'the live lines');
      assert.equal(of(events, 'LyricsFoundEvent').length, 1);
      assert.deepEqual(of(events, 'LyricsLineEvent').map((e) => [e.lineIndex, e.line.line]), [
        [0, 'Line 1 of Song'],
        [1, 'Line 2 of Song'],
        [2, 'Line 3 of Song'],
        [3, 'Line 4 of Song'],
      ]);
      await player.play(instrumental);
      await until(() => of(events, 'LyricsNotFoundEvent').length === 1, 5000, 'no lyrics for the next track');
      await player.lyrics.unsubscribe();
      await assert.rejects(player.lyrics.subscribe({ skipTrackSource: 'yes' as never }), { code: ErrorCode.InvalidOption });

      const { manager: plain, player: plainPlayer } = await setUp(t, transport);
      await assert.rejects(plain.lyrics(song), missing('lavalyrics-plugin'));
      await assert.rejects(plainPlayer.lyrics.current(), missing('lavalyrics-plugin'));
      await assert.rejects(plainPlayer.lyrics.subscribe(), missing('lavalyrics-plugin'));
    });

    test('an event of a plugin nobody knows reaches the bot as unknown, with its fields; a known one it cannot read too', async (t) => {
      const { sim, manager, player, events } = await setUp(t, transport);
      const managerHeard: PluginEvent[] = [];
      manager.on('pluginEvent', (_p, e) => managerHeard.push(e));
      await player.play(await youtubeTrack(manager));
      await until(() => sim.players().some((p) => p.guildId === GUILD), 5000, 'the player on the node');
      assert.equal(sim.sendPlayerEvent(GUILD, 'MixerStarted', { mix: { id: 7 }, volume: 0.5 }), 1);
      assert.equal(sim.sendPlayerEvent(GUILD, 'SegmentSkipped', { segment: 'not an object' }), 1);
      await until(() => events.length === 2, 5000, 'both events');
      assert.deepEqual(events, [
        { type: 'unknown', name: 'MixerStarted', data: { mix: { id: 7 }, volume: 0.5 } },
        { type: 'unknown', name: 'SegmentSkipped', data: { segment: 'not an object' } },
      ]);
      assert.deepEqual(managerHeard, events);
    });
  });
}

describe('plugins across nodes and versions', () => {
  test('a v3 node is refused the plugin routes with the reason; its LavaSrc loads go through', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    const manager = createManager(t, 'inline', [nodeFor(sim)]);
    manager.init(USER_ID);
    await manager.sockets.get('main')!.onReady();
    const player = manager.create(GUILD);
    await assert.rejects(player.sponsorBlock.setCategories(['sponsor']), (error: unknown) => missing('sponsorblock-plugin')(error) && /v3/.test((error as Error).message));
    await assert.rejects(manager.loadSearch('q'), missing('lavasearch-plugin'));
    assert.equal((await manager.load('spsearch:q')).loadType, 'empty', 'the node answers for itself');
  });

  test('a failover asks the new node for the categories and the live lyrics the player had', async (t) => {
    const plugins = [...ALL];
    const [simA, simB] = [await startSimulator(t, { plugins }), await startSimulator(t, { plugins })];
    const manager = createManager(t, 'worker', [nodeFor(simA, 'A'), nodeFor(simB, 'B')], { defaultSocketOptions: { ...fastOptions, maxTries: 2 } });
    manager.init(USER_ID);
    const [a, b] = [manager.sockets.get('A')!, manager.sockets.get('B')!];
    await Promise.all([a.onReady(), b.onReady()]);
    const player = manager.create(GUILD, a);
    manager.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { guild_id: GUILD, channel_id: '2000000000000000002', user_id: USER_ID, session_id: 'session-1' } });
    manager.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { token: 'token-1', guild_id: GUILD, endpoint: 'us-east1.discord.media:443' } });
    await player.play(await youtubeTrack(manager));
    await player.sponsorBlock.setCategories(['selfpromo']);
    await player.lyrics.subscribe({ skipTrackSource: true });
    simA.refuseConnections(60_000);
    simA.restart({ downMs: 60_000 });
    await until(() => player.socket === b && simB.requests.some((r) => r.path.endsWith('/lyrics/subscribe')), 10_000, 'the player on B, subscribed again');
    assert.deepEqual(await player.sponsorBlock.categories(), ['selfpromo']);
    const subscribe = simB.requests.find((r) => r.path.endsWith('/lyrics/subscribe'))!;
    assert.equal(subscribe.query.skipTrackSource, 'true');
  });

  test('a restarted process asks a node that lost the session for the categories and the live lyrics its player had: the session store keeps them', async (t) => {
    const store = await storeDir(t, 'lavathread-plugins-');
    const storePath = store.path('sessions.json');
    const sim = await startSimulator(t, { plugins: [...ALL] });
    const first = store.closesBefore(createManager(t, 'worker', [nodeFor(sim)], { sessionStore: new FileSessionStore(storePath) }));
    first.init(USER_ID);
    await first.sockets.get('main')!.onReady();
    const player = first.create(GUILD);
    first.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { guild_id: GUILD, channel_id: '2000000000000000002', user_id: USER_ID, session_id: 'session-1' } });
    first.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { token: 'token-1', guild_id: GUILD, endpoint: 'us-east1.discord.media:443' } });
    await player.play(await youtubeTrack(first));
    await player.sponsorBlock.setCategories(['selfpromo', 'intro']);
    await player.lyrics.subscribe({ skipTrackSource: true });
    await first.close(); // the final save
    sim.restart(); // the node's sessions are gone: the next process restores its players on a new one
    sim.clearRecords();

    const second = store.closesBefore(createManager(t, 'worker', [nodeFor(sim)], { sessionStore: new FileSessionStore(storePath) }));
    second.init(USER_ID);
    await until(() => sim.players().some((p) => p.guildId === GUILD && p.track !== null) && sim.requests.some((r) => r.path.endsWith('/lyrics/subscribe')), 10_000, 'the player restored and subscribed again');
    const back = second.get(GUILD)!;
    assert.deepEqual(await back.sponsorBlock.categories(), ['selfpromo', 'intro']);
    assert.equal(sim.requests.find((r) => r.path.endsWith('/lyrics/subscribe'))!.query.skipTrackSource, 'true');
    // Categories first: SponsorBlock reads them when the track starts.
    const order = sim.requests.filter((r) => r.path.includes(`/players/${GUILD}`)).map((r) => (r.path.endsWith('/sponsorblock/categories') ? 'categories' : r.method === 'PATCH' ? 'play' : null)).filter((x) => x !== null);
    assert.equal(order[0], 'categories', `categories before the play (${order.join(', ')})`);
  });
});
