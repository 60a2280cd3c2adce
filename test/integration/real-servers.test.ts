/**
 * What real Lavalink-compatible servers do that a spec-perfect simulator hid, each a regression
 * named after what it protects, through both transports (and both protocols where both apply).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, type LavalinkError, type Manager, type Player, type Socket, type Track } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { createManager, fastOptions, nodeFor, protocols, transports, USER_ID, waitFor } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const guild = (i: number): string => String(1000000000000000000n + BigInt(i));
const CHANNEL = '2000000000000000002';

function joinVoice(manager: Manager, guildId: string, i = 0): void {
  manager.stateUpdate({ guild_id: guildId, channel_id: CHANNEL, user_id: USER_ID, session_id: `session-${i}` });
  manager.serverUpdate({ token: `token-${i}`, guild_id: guildId, endpoint: 'us-east1.discord.media:443' });
}

async function loadTrack(manager: Manager, identifier = 'dQw4w9WgXcQ'): Promise<Track> {
  const result = await manager.load(identifier);
  assert.equal(result.loadType, 'track');
  return result.track;
}

function playingOn(sim: LavalinkSimulator): number {
  return sim.players().filter((p) => p.track !== null).length;
}

for (const transport of transports) {
  describe(`real servers, ${transport} transport`, () => {
    for (const protocol of protocols) {
      test(`v${protocol}: inside trackStart, the position is where play() asked to start, not 0`, async (t) => {
        const sim = await startSimulator(t, { protocol, playerUpdateIntervalMs: 600_000 });
        const manager = createManager(t, transport, [nodeFor(sim)]);
        manager.init(USER_ID);
        const track = await loadTrack(manager);
        const player = manager.create(guild(1));
        joinVoice(manager, player.guildId);
        const seen = new Promise<number>((resolve) => player.once('trackStart', (p) => resolve(p.position)));
        await player.play(track, { startTime: 30_000 });
        const position = await seen;
        assert.ok(position >= 30_000 && position < 60_000, `position in trackStart: ${position}`);
      });

      test(`v${protocol}: a failover is not a new track: the moved player emits no trackStart`, async (t) => {
        const simA = await startSimulator(t, { protocol });
        const simB = await startSimulator(t, { protocol });
        const manager = createManager(t, transport, [nodeFor(simA, 'A'), nodeFor(simB, 'B')], { defaultSocketOptions: { ...fastOptions, maxTries: 1 } });
        manager.init(USER_ID);
        const [a, b] = [manager.sockets.get('A')!, manager.sockets.get('B')!];
        await Promise.all([a.onReady(), b.onReady()]);
        const track = await loadTrack(manager);
        const players = [0, 1, 2].map((i) => {
          const player = manager.create(guild(i), a);
          joinVoice(manager, player.guildId, i);
          return player;
        });
        const starts: string[] = [];
        manager.on('trackStart', (player) => starts.push(player.guildId));
        await Promise.all(players.map((player) => player.play(track, { startTime: 10_000 })));
        await until(() => starts.length === 3, 5000, 'the three starts');
        simA.refuseConnections(60_000);
        simA.restart({ downMs: 60_000 });
        await until(() => playingOn(simB) === 3 && players.every((p) => p.socket === b), 10_000, 'the players on B');
        // A positive marker on B's ordered event path: a fresh track after the restores.
        const fresh = manager.create(guild(9), b);
        joinVoice(manager, fresh.guildId, 9);
        await fresh.play(track);
        await until(() => starts.includes(fresh.guildId), 5000, 'the fresh start');
        assert.deepEqual(starts.slice(3), [fresh.guildId], 'no trackStart for a restored track');
        for (const player of players) assert.equal(player.track?.encoded, track.encoded);
      });
    }

    test('a failed restore is retried on another node, and where none takes it, the player ends clearly stopped', async (t) => {
      const [simA, simB, simC] = await Promise.all([startSimulator(t), startSimulator(t), startSimulator(t)]);
      const manager = createManager(t, transport, [nodeFor(simA, 'A'), nodeFor(simB, 'B'), nodeFor(simC, 'C')], { defaultSocketOptions: { ...fastOptions, maxTries: 1 } });
      manager.init(USER_ID);
      const [a, b, c] = ['A', 'B', 'C'].map((id) => manager.sockets.get(id)!) as [Socket, Socket, Socket];
      await Promise.all([a.onReady(), b.onReady(), c.onReady()]);
      const track = await loadTrack(manager);
      const players = [0, 1, 2, 3].map((i) => {
        const player = manager.create(guild(i), a);
        joinVoice(manager, player.guildId, i);
        return player;
      });
      await Promise.all(players.map((player) => player.play(track)));
      // B refuses every command (as a node that cannot load the track would): its players go on to C.
      simB.failRest({ status: 400 });
      const failures: Player[] = [];
      manager.on('playerRestoreFailed', (player) => failures.push(player));
      const moved = new Set<string>();
      manager.on('playerNodeMove', (player, _from, to) => {
        if (to === c) moved.add(player.guildId);
      });
      simA.refuseConnections(60_000);
      simA.restart({ downMs: 60_000 });
      await until(() => playingOn(simC) === 4 && moved.size === 4, 10_000, 'every player on C');
      assert.deepEqual(failures, []);
      for (const player of players) assert.equal(player.playing, true);

      // Now C goes too, and B still refuses: nothing can play them.
      const lost = new Promise<[Player, Track | null, LavalinkError][]>((resolve) => {
        const all: [Player, Track | null, LavalinkError][] = [];
        manager.on('playerRestoreFailed', (...args) => {
          all.push(args);
          if (all.length === 4) resolve(all);
        });
      });
      simC.refuseConnections(60_000);
      simC.restart({ downMs: 60_000 });
      const told = await lost;
      for (const [player, lostTrack, error] of told) {
        assert.equal(lostTrack?.encoded, track.encoded, 'told which track was lost');
        assert.equal(error.code, ErrorCode.RestError);
        assert.equal(player.track, null, 'the player says nothing plays');
        assert.equal(player.playing, false);
      }
      assert.equal(playingOn(simB), 0);
    });

    test('a node whose tries ran out is probed, rejoins when it answers, and was reported once', async (t) => {
      const simA = await startSimulator(t);
      const simB = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(simA, 'A'), nodeFor(simB, 'B')], { defaultSocketOptions: { ...fastOptions, maxTries: 2, maxRetryDelay: 100 } });
      const events: string[] = [];
      for (const name of ['socketError', 'socketClose', 'socketDisconnect', 'socketReady', 'socketResumed'] as const) {
        manager.on(name, (socket: Socket) => {
          if (socket.id === 'A') events.push(name);
        });
      }
      manager.init(USER_ID);
      const a = manager.sockets.get('A')!;
      await Promise.all([a.onReady(), manager.sockets.get('B')!.onReady()]);
      simA.refuseConnections(60_000);
      simA.dropConnections({ abrupt: true });
      await waitFor(manager, 'socketDisconnect', 10_000);
      assert.equal(manager.sockets.get('A'), a, 'still a socket of the manager');
      simA.acceptConnections();
      await until(() => a.ready, 10_000, 'A back');
      assert.deepEqual(events.slice(0, 4), ['socketReady', 'socketClose', 'socketError', 'socketDisconnect']);
      assert.equal(events.length, 5);
      assert.match(events[4]!, /^socket(Ready|Resumed)$/, 'back, with its session or a new one');
      assert.equal(manager.create(guild(5)).socket, a, 'the idle node takes new players');
    });

    for (const protocol of protocols) {
      for (const pinned of [true, false]) {
        test(`v${protocol}, version ${pinned ? 'pinned' : 'detected'}: a wrong password is LAVALINK_AUTH_FAILED once, never retried, and a warning without listeners`, async (t) => {
          const sim = await startSimulator(t, { protocol, password: 'right' });
          const manager = createManager(t, transport, [{ ...nodeFor(sim, 'main', pinned ? { version: protocol } : {}), password: 'wrong' }], { readyTimeout: 200 });
          const warning = once(process, 'warning') as Promise<[Error & { code?: string }]>;
          const disconnected = waitFor(manager, 'socketDisconnect', 10_000);
          manager.init(USER_ID);
          const [, error] = await disconnected;
          assert.equal(error?.code, ErrorCode.AuthFailed);
          assert.match(error.message, /main/);
          assert.doesNotMatch(error.message, /wrong/, 'never the password');
          const [warned] = await warning;
          assert.equal(warned.code, ErrorCode.AuthFailed);
          assert.equal(manager.sockets.has('main'), false, 'a node that refuses us is not ours any more');
          const load = await manager.load('dQw4w9WgXcQ').catch((e: unknown) => e as LavalinkError);
          assert.equal((load as LavalinkError).code, ErrorCode.NoNode);
          assert.match((load as LavalinkError).message, /refused the password/);
          const tries = sim.handshakes.length + sim.requests.length;
          assert.equal(tries, 1, 'one try, not retried');
        });
      }
    }

    test('commands with no node ready wait readyTimeout, then fail with LAVALINK_NO_NODE', async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)], { readyTimeout: 300 });
      const player = manager.create(guild(1));
      // play() before init(): the command handler gets an answer, not a hang.
      await assert.rejects(player.play('QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAB3lvdXR1YmUAAAAAAAAAAA=='), { code: ErrorCode.NoNode });
      await assert.rejects(player.setVolume(50), { code: ErrorCode.NoNode });
      assert.equal(player.volume, 100, 'a command that failed changed nothing');
      await assert.rejects(manager.load('dQw4w9WgXcQ'), { code: ErrorCode.NoNode });
      // Every node down: the same.
      manager.init(USER_ID);
      const socket = manager.sockets.get('main')!;
      await socket.onReady();
      sim.refuseConnections(60_000);
      sim.dropConnections({ abrupt: true });
      await until(() => !socket.ready, 5000, 'the node down');
      await assert.rejects(player.setVolume(60), { code: ErrorCode.NoNode });
      await assert.rejects(manager.search('anything'), { code: ErrorCode.NoNode });
    });

    test('destroy() removes the player: create() then gives a fresh one', async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)]);
      manager.init(USER_ID);
      await manager.sockets.get('main')!.onReady();
      const player = manager.create(guild(1));
      await player.setVolume(50);
      await player.destroy();
      assert.equal(player.destroyed, true);
      assert.equal(manager.players.has(guild(1)), false);
      const fresh = manager.create(guild(1));
      assert.notEqual(fresh, player);
      await fresh.setVolume(70);
      await until(() => sim.players().find((p) => p.guildId === guild(1))?.volume === 70, 3000, 'the fresh player works');
    });
  });
}

/** A local file as NodeLink 2.3 encodes it: message version 3, length -1, no probe string. */
const NODELINK_LOCAL_TRACK = 'QAAAWAMACHNvbmcubXAzAA5Vbmtub3duIGFydGlzdP//////////AA8vbXVzaWMvc29uZy5tcDMAAQAPL211c2ljL3NvbmcubXAzAAAABWxvY2FsAAAAAAAAAAA=';

for (const transport of transports) {
  describe(`a NodeLink-like server, ${transport} transport`, () => {
    test('a bot that never pins version speaks v4 to it, though its /version is not Lavalink’s; no resuming is noticed once, without an error', async (t) => {
      const sim = await startSimulator(t, { flavour: 'nodelink' });
      const manager = createManager(t, transport, [nodeFor(sim)]);
      const errors: LavalinkError[] = [];
      const notes: string[] = [];
      manager.on('socketError', (_socket, error) => errors.push(error));
      manager.on('debug', (line) => {
        if (line.includes('cannot resume')) notes.push(line);
      });
      manager.init(USER_ID);
      const socket = manager.sockets.get('main')!;
      await socket.onReady();
      assert.equal(socket.version, 4);
      await until(() => !socket.resumable, 5000, 'resuming found unsupported');
      // A new session on the same node: still one note, still no error.
      sim.dropConnections();
      await waitFor(manager, 'socketReady', 5000);
      const player = manager.create(guild(1));
      joinVoice(manager, player.guildId);
      await player.setVolume(80); // a command after the second session's resuming attempt
      assert.deepEqual(errors, []);
      assert.equal(notes.length, 1, notes.join('\n'));
    });

    test('a track of unknown length (-1) plays with a position that is never negative, and fails over within its position, as the same track', async (t) => {
      const simA = await startSimulator(t, { flavour: 'nodelink', playerUpdateIntervalMs: 600_000 });
      const simB = await startSimulator(t, { flavour: 'nodelink', playerUpdateIntervalMs: 600_000 });
      const manager = createManager(t, transport, [nodeFor(simA, 'A'), nodeFor(simB, 'B')], { defaultSocketOptions: { ...fastOptions, maxTries: 3 } });
      manager.init(USER_ID);
      const [a, b] = [manager.sockets.get('A')!, manager.sockets.get('B')!];
      await Promise.all([a.onReady(), b.onReady()]);
      const track = await loadTrack(manager, '/music/song.mp3');
      assert.equal(track.info.length, -1);
      const player = manager.create(guild(1), a);
      joinVoice(manager, player.guildId);
      const starts: Track[] = [];
      player.on('trackStart', (_p, started) => starts.push(started));
      await player.play(track, { startTime: 20_000 });
      await until(() => starts.length >= 1, 5000, 'the start');
      assert.ok(player.position >= 20_000, `position ${player.position}`);
      // NodeLink cannot resume: when it drops, the player moves at once, where it was.
      const before = player.position;
      const killedAt = performance.now();
      simA.refuseConnections(60_000);
      simA.restart({ downMs: 60_000 });
      await until(() => simB.players().some((p) => p.guildId === player.guildId && p.playing), 10_000, 'the player playing on B');
      const movedMs = performance.now() - killedAt;
      t.diagnostic(`played again on B ${Math.round(movedMs)} ms after A was killed`);
      const onB = simB.players().find((p) => p.guildId === player.guildId)!;
      const expected = before + (performance.now() - killedAt);
      assert.ok(Math.abs(onB.position - expected) < 1000, `position on B ${onB.position} against ${Math.round(expected)}`);
      assert.equal(player.socket, b);
      assert.equal(player.track?.encoded, track.encoded);
      assert.ok(player.position >= 0);
      // A marker on B's ordered event path: a fresh track for another guild.
      const other = manager.create(guild(2), b);
      joinVoice(manager, other.guildId, 2);
      const freshStart = waitFor(manager, 'trackStart', 5000, (p) => p === other);
      await other.play(track);
      await freshStart;
      assert.equal(starts.length, 1, 'the moved track did not start again for the bot (NodeLink sends two starts on a replace)');
    });

    test('a voice close without code or reason reaches the bot as code -1, not NaN', async (t) => {
      const sim = await startSimulator(t, { flavour: 'nodelink' });
      const manager = createManager(t, transport, [nodeFor(sim)]);
      manager.init(USER_ID);
      await manager.sockets.get('main')!.onReady();
      const player = manager.create(guild(1));
      joinVoice(manager, player.guildId);
      await until(() => sim.players().some((p) => p.guildId === player.guildId && p.voiceConnected), 5000, 'voice on the node');
      const closed = new Promise<[number, string]>((resolve) => player.once('socketClosed', (_p, code, reason) => resolve([code, reason])));
      sim.closeVoice(player.guildId, 4014);
      assert.deepEqual(await closed, [-1, '']);
    });

    test('tracks NodeLink encodes (no probe string, length -1) decode and play', async (t) => {
      const sim = await startSimulator(t, { flavour: 'nodelink' });
      const manager = createManager(t, transport, [nodeFor(sim)]);
      manager.init(USER_ID);
      await manager.sockets.get('main')!.onReady();
      const decoded = await manager.decode(NODELINK_LOCAL_TRACK);
      assert.equal(decoded.info.uri, '/music/song.mp3');
      assert.equal(decoded.info.length, -1);
      const player = manager.create(guild(1));
      joinVoice(manager, player.guildId);
      await player.play(NODELINK_LOCAL_TRACK);
      assert.equal(player.track?.info.length, -1);
      await until(() => sim.players().some((p) => p.guildId === player.guildId && p.playing), 5000, 'the track playing');
      assert.ok(player.position >= 0);
    });
  });
}
