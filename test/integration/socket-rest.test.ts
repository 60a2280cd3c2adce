/**
 * `socket.rest`, the typed REST facade: every method against the real simulator, for a v4 node
 * (4.2), a v3 node with REST (3.7) and one without (3.3), through both transports.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, RestError, type Manager, type NodeInfo, type Socket } from '../../src/index.js';
import type { LavalinkSimulator, SimulatorOptions } from '../../src/testing/index.js';
import { createManager, nodeFor, transports, USER_ID, type TransportName } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';
import { sameTrack } from '../../src/protocol/track-codec.js';

const GUILD = '1000000000000000001';
const CHANNEL = '2000000000000000002';
const RICK = 'Rick Astley - Never Gonna Give You Up';

type ReleaseName = '4.2' | '3.7';
const releases: readonly ReleaseName[] = ['4.2', '3.7'];

async function setup(t: TestContext, transport: TransportName, options: SimulatorOptions): Promise<{ sim: LavalinkSimulator; manager: Manager; socket: Socket }> {
  const sim = await startSimulator(t, options);
  const manager = createManager(t, transport, [nodeFor(sim)]);
  manager.init(USER_ID);
  const socket = manager.sockets.get('main')!;
  await socket.onReady();
  // The socket's own resuming setup is done (it would overwrite a session update made before it).
  await until(() => socket.resumeKey !== undefined, 5000, 'the socket to configure resuming');
  if (sim.release.sendsReady) await until(() => socket.sessionId !== null, 5000, 'the session id');
  return { sim, manager, socket };
}

const simOptions = (release: ReleaseName, extra: SimulatorOptions = {}): SimulatorOptions => ({ protocol: release === '3.7' ? 3 : 4, release, ...extra });

function rejectsWith404(path: string, why: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof RestError, `a RestError, got ${String(error)}`);
    assert.equal(error.code, ErrorCode.RestError);
    assert.equal(error.status, 404);
    assert.equal(error.path, path);
    assert.match(error.message, why);
    return true;
  };
}

for (const transport of transports) {
  for (const release of releases) {
    const v4 = release === '4.2';
    describe(`socket.rest over the ${transport} transport, Lavalink ${release}`, () => {
      test("info, version and stats are the node's own; no route planner is null; the raw call answers as before", async (t) => {
        const { sim, socket } = await setup(t, transport, simOptions(release));
        const info: NodeInfo = await socket.rest.info();
        const semver = sim.release.semver;
        const [major, minor, patch] = semver.split('.').map(Number);
        assert.deepEqual(info.version, { semver, major, minor, patch, preRelease: null, build: null });
        assert.equal(info.lavaplayer, v4 ? '2.2.7' : '1.5.6');
        assert.equal(info.jvm, '17.0.15');
        assert.deepEqual(info.git.branch, 'main');
        assert.deepEqual(info.sourceManagers, ['youtube', 'soundcloud', 'http', 'local']);
        assert.deepEqual(info.filters, (sim.info() as { filters: string[] }).filters);
        assert.deepEqual(info.plugins, []);
        assert.deepEqual(await socket.request({ kind: 'info' }), info, 'request() answers the same');

        assert.equal(await socket.rest.version(), semver);

        const stats = await socket.rest.stats();
        const expected = sim.nodeStats();
        assert.equal(stats.players, 0);
        assert.equal(stats.playingPlayers, 0);
        assert.deepEqual(stats.cpu, expected.cpu);
        assert.equal(stats.memory.reservable, expected.memory.reservable);
        assert.equal(stats.frameStats, null);

        assert.equal(await socket.rest.routePlanner(), null);

        const raw = (await socket.rest('GET', v4 ? '/v4/info' : '/v3/info')) as { version: { semver: string } };
        assert.equal(raw.version.semver, semver);
        assert.equal(await socket.rest('get', '/version'), semver, 'the method in any case, as before');
        assert.equal(await socket.rest.call<string>('GET', '/version'), semver);
      });

      test('load, search and decode: the node answers with its tracks, and a decode gives back what was loaded', async (t) => {
        const { sim, socket, manager } = await setup(t, transport, simOptions(release));
        const loaded = await socket.rest.load('dQw4w9WgXcQ');
        assert.equal(loaded.loadType, 'track');
        if (loaded.loadType !== 'track') return;
        assert.equal(loaded.track.info.title, RICK);

        const found = await socket.rest.search('never gonna');
        assert.equal(found.loadType, 'search');
        if (found.loadType !== 'search') return;
        assert.deepEqual(found.tracks.map((track) => track.info.title), [1, 2, 3, 4, 5].map((n) => `never gonna (result ${n})`));
        const soundcloud = await socket.rest.search('flicker', 'scsearch');
        assert.equal(soundcloud.loadType === 'search' && soundcloud.tracks[0]!.info.sourceName, 'soundcloud');
        const byUrl = await socket.rest.search('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
        assert.equal(byUrl.loadType === 'track' && byUrl.track.info.title, RICK);
        const identifiers = sim.requests.filter((r) => r.path.endsWith('/loadtracks')).map((r) => r.query.identifier);
        assert.deepEqual(identifiers, ['dQw4w9WgXcQ', 'ytsearch:never gonna', 'scsearch:flicker', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ']);

        const one = await socket.rest.decode(loaded.track.encoded);
        assert.equal(one.encoded, loaded.track.encoded);
        assert.deepEqual(one.info, loaded.track.info);
        const many = await socket.rest.decode([found.tracks[1]!.encoded, loaded.track.encoded]);
        assert.deepEqual(many.map((track) => track.info.title), ['never gonna (result 2)', RICK]);
        assert.deepEqual(await manager.decode([loaded.track.encoded], { rest: true }), [one], 'Manager.decode by the node agrees');

        const before = sim.requests.length;
        assert.deepEqual(await socket.rest.decode([]), []);
        assert.equal(sim.requests.length, before, 'an empty list asks nothing');
      });

      test('route planner: its status by class, one address freed, then all', async (t) => {
        const { sim, socket } = await setup(t, transport, simOptions(release, { routePlanner: true }));
        sim.routePlanner!.markFailing('10.0.0.7', 1_700_000_000_000);
        sim.routePlanner!.markFailing('10.0.0.8', 1_700_000_000_500);
        const status = await socket.rest.routePlanner();
        assert.ok(status !== null);
        assert.equal(status.class, 'RotatingNanoIpRoutePlanner');
        if (status.class !== 'RotatingNanoIpRoutePlanner') return;
        assert.deepEqual(status.details.ipBlock, { type: 'Inet6Address', size: '18446744073709551616' });
        assert.equal(status.details.blockIndex, '0');
        assert.equal(status.details.currentAddressIndex, '36792023813');
        assert.deepEqual(
          status.details.failingAddresses.map((f) => [f.failingAddress, f.failingTimestamp]),
          [
            ['10.0.0.7', 1_700_000_000_000],
            ['10.0.0.8', 1_700_000_000_500],
          ],
        );
        assert.equal(typeof status.details.failingAddresses[0]!.failingTime, 'string');

        await socket.rest.unmark('10.0.0.7');
        const after = await socket.rest.routePlanner();
        assert.deepEqual(after?.details.failingAddresses.map((f) => f.failingAddress), ['10.0.0.8']);
        await socket.rest.unmark();
        assert.deepEqual((await socket.rest.routePlanner())?.details.failingAddresses, []);
      });

      test("players: the session's players after playing, one guild's, none for another; the session's resuming updated", async (t) => {
        const { sim, socket, manager } = await setup(t, transport, simOptions(release));
        assert.deepEqual(await socket.rest.players.list(), []);
        const player = manager.create(GUILD);
        manager.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { guild_id: GUILD, channel_id: CHANNEL, user_id: USER_ID, session_id: 'discord-session' } });
        manager.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { token: 'voice-token', guild_id: GUILD, endpoint: 'us-east1.discord.media:443' } });
        await until(() => sim.players()[0]?.voiceConnected === true, 5000, 'the voice update to reach the node');
        const loaded = await socket.rest.load('dQw4w9WgXcQ');
        assert.ok(loaded.loadType === 'track');
        await player.play(loaded.track, { volume: 80 });
        await player.setFilters({ timescale: { speed: 1.25 } });
        await until(() => sim.players()[0]?.filters.timescale !== undefined, 5000, 'the filters to reach the node');

        const players = await socket.rest.players.list();
        assert.equal(players.length, 1);
        const [listed] = players;
        assert.equal(listed!.guildId, GUILD);
        assert.equal(listed!.track?.info.title, RICK);
        // With its position in its bytes, as Lavalink encodes a playing track.
        assert.ok(sameTrack(listed!.track.encoded, loaded.track.encoded));
        assert.equal(listed!.volume, 80);
        assert.equal(listed!.paused, false);
        assert.equal(listed!.connected, true);
        assert.equal(typeof listed!.position, 'number');
        assert.deepEqual(listed!.filters, { timescale: { speed: 1.25 } });
        assert.deepEqual(listed!.voice, { token: 'voice-token', endpoint: 'us-east1.discord.media:443', sessionId: 'discord-session', channelId: v4 ? CHANNEL : null });

        const one = await socket.rest.players.get(GUILD);
        assert.equal(one?.guildId, GUILD);
        assert.equal(one?.track?.info.title, RICK);
        assert.equal(await socket.rest.players.get('1000000000000000099'), null, 'a guild without a player');

        const session = (): { resumable: boolean; timeout: number; resumeKey: string | null } => sim.sessions().find((s) => s.state === 'open')!;
        assert.deepEqual(await socket.rest.sessions.update({ timeout: 42 }), { resuming: true, timeout: 42 });
        assert.equal(session().timeout, 42);
        assert.deepEqual(await socket.rest.sessions.update({ resuming: false }), { resuming: false, timeout: 42 });
        assert.equal(session().resumable, false);
        assert.deepEqual(await socket.rest.sessions.update({ resuming: true, timeout: 7 }), { resuming: true, timeout: 7 });
        assert.equal(session().resumable, true);
        assert.equal(session().timeout, 7);
        // v3 resumes by key: the one set is the socket's own, which its reconnects present.
        if (!v4) assert.equal(session().resumeKey, socket.resumeKey);
      });
    });
  }

  describe(`socket.rest over the ${transport} transport, Lavalink 3.3 (no info, stats or session REST)`, () => {
    test("what 3.3 lacks rejects with its own 404 (LAVALINK_REST_ERROR); tracks, the route planner and resuming work", async (t) => {
      const { sim, socket } = await setup(t, transport, { protocol: 3, release: '3.3' });
      await assert.rejects(socket.rest.info(), rejectsWith404('/v3/info', /before 3\.7 has no info route/));
      await assert.rejects(socket.rest.stats(), rejectsWith404('/v3/stats', /before 3\.7 has no stats route/));
      await assert.rejects(socket.rest.players.list(), rejectsWith404('/v3/info', /before 3\.7 has no session REST/));
      await assert.rejects(socket.rest.players.get(GUILD), rejectsWith404('/v3/info', /before 3\.7 has no session REST/));
      assert.equal(await socket.rest.version(), '3.3');

      const loaded = await socket.rest.load('dQw4w9WgXcQ');
      assert.ok(loaded.loadType === 'track');
      assert.equal(loaded.track.info.title, RICK);
      assert.equal(loaded.track.info.sourceName, '', '3.3 sends no sourceName');
      assert.deepEqual((await socket.rest.decode(loaded.track.encoded)).info, loaded.track.info);
      assert.equal(await socket.rest.routePlanner(), null);

      // No session REST: the configureResuming frame, which sets key and timeout together.
      const session = (): { timeout: number; resumeKey: string | null } => sim.sessions()[0]!;
      assert.deepEqual(await socket.rest.sessions.update({ timeout: 30 }), { resuming: true, timeout: 30 });
      await until(() => session().timeout === 30, 5000, 'the frame to reach the node');
      assert.equal(session().resumeKey, socket.resumeKey);
      assert.deepEqual(await socket.rest.sessions.update({ resuming: false }), { resuming: false, timeout: 60 });
      await until(() => session().resumeKey === null, 5000, 'resuming to be turned off');
      assert.equal(session().timeout, 60);
    });
  });
}
