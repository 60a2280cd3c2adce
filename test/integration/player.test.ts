/**
 * Players end to end: a scripted bot (no Discord: `send` records op-4 payloads, the test feeds the
 * voice events) against the simulator, through both transports and both protocols.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, type Manager, type Player, type TrackEndReason } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { commandsDelivered, createManager, framesDelivered, nodeFor, protocols, transports, USER_ID } from '../helpers/manager.js';
import { sleep, until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const GUILD = '1000000000000000001';
const CHANNEL = '2000000000000000002';

function voiceEvents(manager: Manager, guildId = GUILD, channelId: string | null = CHANNEL, token = 'voice-token'): void {
  manager.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { guild_id: guildId, channel_id: channelId, user_id: USER_ID, session_id: 'discord-session' } });
  manager.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { token, guild_id: guildId, endpoint: 'us-east1.discord.media:443' } });
}

/** Voice updates the node received, in order, as [token, channelId]. */
function voiceReceived(sim: LavalinkSimulator): (string | null)[][] {
  if (sim.release.protocol === 4) {
    return sim.requests.filter((r) => (r.body as any)?.voice).map((r) => [(r.body as any).voice.token, (r.body as any).voice.channelId]);
  }
  return sim.frames.filter((f) => (f.data as any)?.op === 'voiceUpdate').map((f) => [(f.data as any).event.token, null]);
}

function simPlayer(sim: LavalinkSimulator, guildId = GUILD) {
  return sim.players().find((p) => p.guildId === guildId);
}

for (const transport of transports) {
  for (const protocol of protocols) {
    describe(`Player over the ${transport} transport, protocol v${protocol}`, () => {
      test('a scripted bot plays a track end to end', async (t) => {
        const sim = await startSimulator(t, { protocol, playerUpdateIntervalMs: 100 });
        const sent: unknown[] = [];
        // The gateway: Discord answers an op 4 with the two voice events, after send returned.
        const send = (_guild: string, payload: unknown): void => {
          sent.push(payload);
          setImmediate(() => voiceEvents(manager));
        };
        const manager = createManager(t, transport, [nodeFor(sim)], { send });
        manager.init(USER_ID);
        await manager.sockets.get('main')!.onReady();

        const player = manager.create(GUILD);
        assert.equal(manager.get(GUILD), player);
        assert.equal(manager.create({ id: GUILD }), player, 'one player per guild');
        await player.connect(CHANNEL, { selfDeaf: true });
        assert.deepEqual(sent, [{ op: 4, d: { guild_id: GUILD, channel_id: CHANNEL, self_mute: false, self_deaf: true } }]);
        assert.equal(player.channel, CHANNEL);
        await until(() => simPlayer(sim)?.voiceConnected === true, 3000, 'the voice update to reach the node');
        if (protocol === 4) assert.equal(simPlayer(sim)!.voice!.channelId, CHANNEL, 'DAVE needs the channel id');

        const result = await manager.load('sim:track?length=2500');
        assert.equal(result.loadType, 'track');
        const track = (result).track;
        assert.equal(track.info.length, 2500);

        const started = new Promise<void>((resolve) => player.once('trackStart', (_p, t0) => (assert.equal(t0.info.identifier, track.info.identifier), resolve())));
        const ended = new Promise<[TrackEndReason, boolean]>((resolve) => player.once('trackEnd', (_p, _t, reason, next) => resolve([reason, next])));
        const positions: number[] = [];
        player.on('playerUpdate', (_p, state) => {
          if (typeof state.position === 'number') positions.push(state.position);
        });
        await player.play(track);
        await started;
        assert.equal(player.track?.info.identifier, track.info.identifier);
        assert.equal(player.playing, true);
        await until(() => player.position > 0, 3000, 'the position to move between updates');

        await player.pause();
        await until(() => simPlayer(sim)?.paused === true, 2000, 'pause on the node');
        assert.equal(player.playing, false);
        // The node's answer to the pause carries its exact position: every frame it sent so far is in.
        await framesDelivered(manager, sim);
        const frozen = player.position;
        await sleep(120); // pacing, not a wait for a result: time passes, and a paused position must not move
        assert.equal(player.position, frozen, 'a paused position stands still');
        await player.resume();
        await player.seek(1000);
        await player.setVolume(150);
        await player.setFilters({ timescale: { speed: 1.2 }, equalizer: [{ band: 0, gain: 0.2 }] });
        await until(() => simPlayer(sim)?.volume === 150 && 'timescale' in (simPlayer(sim)?.filters ?? {}), 2000, 'the node to apply the changes');
        const onNode = simPlayer(sim)!;
        assert.equal(onNode.paused, false);
        assert.ok(onNode.position >= 1000);
        assert.deepEqual(onNode.filters, { timescale: { speed: 1.2 }, equalizer: [{ band: 0, gain: 0.2 }] });
        assert.deepEqual(player.filters, onNode.filters);

        const [reason, mayStartNext] = await ended;
        assert.equal(reason, 'finished');
        assert.equal(mayStartNext, true);
        assert.equal(player.track, null);
        assert.ok(positions.length >= 2);
        assert.ok(positions.at(-1)! >= 1000, 'positions after the seek');

        assert.equal(await manager.destroy(GUILD), true);
        assert.equal(manager.players.size, 0);
        assert.deepEqual(sent.at(-1), { op: 4, d: { guild_id: GUILD, channel_id: null, self_mute: false, self_deaf: false } });
        await until(() => sim.players().length === 0, 2000, 'the player to leave the node');
        assert.equal(await manager.destroy(GUILD), false);
      });

      test('voice: both halves are needed, duplicates are not sent, moves and leaves are followed', async (t) => {
        const sim = await startSimulator(t, { protocol });
        const manager = createManager(t, transport, [nodeFor(sim)]);
        manager.init(USER_ID);
        await manager.sockets.get('main')!.onReady();
        const player = manager.create(GUILD);
        const moves: (string | null)[][] = [];
        manager.on('playerMove', (_p, from, to) => moves.push([from, to]));

        // Another user's state, and a guild without a player, change nothing.
        manager.stateUpdate({ guild_id: GUILD, channel_id: CHANNEL, user_id: '999', session_id: 'x' });
        manager.serverUpdate({ token: 'a', guild_id: '42', endpoint: 'e' });
        manager.handleRaw({ t: 'MESSAGE_CREATE', d: {} });
        manager.handleRaw(null);
        // The server half first, while Discord is still moving the voice server: wait.
        manager.serverUpdate({ token: 'voice-token', guild_id: GUILD, endpoint: null });
        manager.stateUpdate({ guild_id: GUILD, channel_id: CHANNEL, user_id: USER_ID, session_id: 'discord-session' });
        const socket = manager.sockets.get('main')!;
        await commandsDelivered(sim, socket);
        assert.deepEqual(voiceReceived(sim), [], 'nothing until both halves, with an endpoint, are known');
        manager.serverUpdate({ token: 'voice-token', guild_id: GUILD, endpoint: 'us-east1.discord.media:443' });
        voiceEvents(manager); // the same credentials again
        await commandsDelivered(sim, socket);
        assert.equal(voiceReceived(sim).length, 1, 'the same credentials are sent once');
        assert.deepEqual(moves, [[null, CHANNEL]]);

        // Moved to another channel: Discord sends a new token.
        const other = '3000000000000000003';
        voiceEvents(manager, GUILD, other, 'token-2');
        await until(() => voiceReceived(sim).length === 2, 2000, 'the new voice update');
        assert.deepEqual(voiceReceived(sim)[1], ['token-2', protocol === 4 ? other : null]);
        assert.deepEqual(moves, [[null, CHANNEL], [CHANNEL, other]]);
        assert.equal(player.channel, other);

        // Left voice: the player is disconnected and nothing stale goes out afterwards.
        manager.stateUpdate({ guild_id: GUILD, channel_id: null, user_id: USER_ID, session_id: 'discord-session' });
        assert.equal(player.channel, null);
        assert.equal(player.connected, false);
        assert.deepEqual(moves.at(-1), [other, null]);
        manager.serverUpdate({ token: 'token-3', guild_id: GUILD, endpoint: 'late.discord.media:443' });
        await commandsDelivered(sim, socket);
        assert.equal(voiceReceived(sim).length, 2, 'no voice update after leaving');
      });

      test('bad calls are refused with typed errors', async (t) => {
        const sim = await startSimulator(t, { protocol });
        const manager = createManager(t, transport, [nodeFor(sim)]);
        manager.init(USER_ID);
        await manager.sockets.get('main')!.onReady();
        const player: Player = manager.create(GUILD);
        assert.throws(() => manager.create('not-a-guild'), { code: ErrorCode.InvalidOption });
        await assert.rejects(player.setVolume(1001), { code: ErrorCode.InvalidOption });
        await assert.rejects(player.seek(10), { code: ErrorCode.BadOp }, 'nothing to seek in');
        await assert.rejects(player.play(''), { code: ErrorCode.InvalidOption });
        await assert.rejects(player.connect('nope'), { code: ErrorCode.InvalidOption });
        await assert.rejects(player.setEqualizer([{ band: 20, gain: 0 }]), { code: ErrorCode.InvalidOption });
        await assert.rejects(manager.load(''), { code: ErrorCode.InvalidOption });
        await player.destroy();
        await assert.rejects(player.play('QAAA'), { code: ErrorCode.BadOp });
      });
    });
  }
}

describe('Manager REST', () => {
  for (const protocol of protocols) {
    test(`v${protocol}: load and search answer one shape; decode is local unless asked`, async (t) => {
      const sim = await startSimulator(t, { protocol });
      const manager = createManager(t, 'worker', [nodeFor(sim)]);
      manager.init(USER_ID);
      await manager.sockets.get('main')!.onReady();
      const single = await manager.load('dQw4w9WgXcQ');
      assert.equal(single.loadType, 'track');
      const playlist = await manager.load('sim:playlist?size=25');
      assert.ok(playlist.loadType === 'playlist' && playlist.playlist.tracks.length === 25 && playlist.playlist.selectedTrack === -1);
      const search = await manager.search('never gonna');
      assert.ok(search.loadType === 'search' && search.tracks.length === 5);
      assert.equal((await manager.search('https://www.youtube.com/watch?v=dQw4w9WgXcQ')).loadType, 'track');
      assert.deepEqual(await manager.load('sim:empty'), { loadType: 'empty' });
      const failed = await manager.load('sim:error');
      assert.ok(failed.loadType === 'error' && failed.exception.severity === 'common' && failed.exception.message === 'This video is unavailable');

      const encoded = (single).track.encoded;
      const local = await manager.decode(encoded);
      assert.equal(local.info.title, 'Rick Astley - Never Gonna Give You Up');
      const before = sim.requests.length;
      const both = await manager.decode([encoded, encoded]);
      assert.equal(both.length, 2);
      assert.equal(sim.requests.length, before, 'decoded locally');
      const remote = await manager.decode([encoded], { rest: true });
      assert.equal(remote[0]!.info.title, local.info.title);
      assert.equal(sim.requests.at(-1)!.path.endsWith('/decodetracks'), true);

      // A long list is decoded on the worker, to the same tracks, still without the node.
      const tracks = playlist.loadType === 'playlist' ? playlist.playlist.tracks : [];
      const requests = sim.requests.length;
      const long = await manager.decode(tracks.map((track) => track.encoded));
      assert.deepEqual(long, tracks.map((track) => ({ ...track, pluginInfo: {}, userData: {} })));
      assert.equal(sim.requests.length, requests, 'decoded on the worker');
      // One the codec cannot read sends the list to the node (which refuses this one too).
      await assert.rejects(manager.decode([...tracks.map((track) => track.encoded), '!!']), { code: ErrorCode.RestError });
      assert.equal(sim.requests.at(-1)!.path.endsWith('/decodetracks'), true);
    });
  }

  test('errors: RestError carries status, method, path and body; non-JSON bodies; a slow node hits restTimeout', async (t) => {
    const sim = await startSimulator(t);
    // Room for a busy machine's REST calls; the slow node below never answers within it.
    const manager = createManager(t, 'worker', [nodeFor(sim)], { restTimeout: 2000 });
    manager.init(USER_ID);
    const socket = manager.sockets.get('main')!;
    await socket.onReady();
    await until(() => sim.sessions()[0]?.resumable === true, 2000, 'the socket to finish its own calls');

    sim.failRest({ status: 500, count: 1 });
    await assert.rejects(manager.load('dQw4w9WgXcQ'), (error: any) => {
      assert.equal(error.code, ErrorCode.RestError);
      assert.equal(error.status, 500);
      assert.equal(error.method, 'GET');
      assert.match(error.path, /^\/v4\/loadtracks\?identifier=/);
      assert.equal(error.body.message, 'Simulated server error');
      return true;
    });
    await assert.rejects(socket.rest('PATCH', `/v4/sessions/${socket.sessionId}/players/1`, { endTime: 0 }), (error: any) => {
      assert.equal(error.status, 400);
      assert.equal(error.body.message, 'End time must be greater than 0');
      return true;
    });
    await assert.rejects(socket.rest('GET', '/v4/sessions/nosuchsession0000/players'), (error: any) => error.status === 404 && error.body.message === 'Session not found');
    sim.failRest({ status: 502, count: 1, body: '<html>Bad Gateway</html>' });
    await assert.rejects(manager.load('dQw4w9WgXcQ'), (error: any) => error.status === 502 && error.body === '<html>Bad Gateway</html>');
    sim.delayRest(600_000); // the simulator's close() drops the waiting answer
    await assert.rejects(manager.load('dQw4w9WgXcQ'), { code: ErrorCode.Timeout });
    sim.delayRest(0);
  });
});

describe('player events from the node', () => {
  for (const protocol of protocols) {
    test(`v${protocol}: trackException, trackStuck and socketClosed reach the player and the manager`, async (t) => {
      const sim = await startSimulator(t, { protocol });
      const manager = createManager(t, 'worker', [nodeFor(sim)]);
      manager.init(USER_ID);
      await manager.sockets.get('main')!.onReady();
      const player = manager.create(GUILD);
      voiceEvents(manager);
      const seen: string[] = [];
      player.on('trackStuck', (_p, track, threshold) => seen.push(`stuck ${track?.info.identifier} ${threshold}`));
      player.on('trackException', (_p, _t, exception) => seen.push(`exception ${exception.message} ${exception.severity}`));
      player.on('trackEnd', (_p, _t, reason, next) => seen.push(`end ${reason} ${next}`));
      player.on('socketClosed', (_p, code, reason, byRemote) => seen.push(`closed ${code} ${reason} ${byRemote}`));
      let managerEvents = 0;
      manager.on('trackStuck', () => managerEvents++);
      manager.on('socketClosed', () => managerEvents++);
      const loaded = await manager.load('dQw4w9WgXcQ');
      await player.play((loaded as Extract<typeof loaded, { loadType: 'track' }>).track);
      await until(() => simPlayer(sim)?.playing === true, 2000, 'playback');
      sim.stickTrack(GUILD, 4000);
      sim.closeVoice(GUILD, 4014, 'Disconnected');
      sim.failTrack(GUILD, 'boom');
      await until(() => seen.length === 4, 3000, 'the events');
      assert.deepEqual(seen, ['stuck dQw4w9WgXcQ 4000', 'closed 4014 Disconnected true', 'exception boom common', 'end loadFailed true']);
      assert.equal(player.connected, false, 'the voice connection is down');
      assert.equal(player.track, null);
      assert.equal(managerEvents, 2);
    });
  }

  for (const transport of transports) {
    test(`${transport}: playerUpdates reach the player, the manager and raw exactly as the node sent them`, async (t) => {
      const sim = await startSimulator(t, { protocol: 4, playerUpdateIntervalMs: 600_000 });
      const manager = createManager(t, transport, [nodeFor(sim)]);
      manager.init(USER_ID);
      await manager.sockets.get('main')!.onReady();
      const player = manager.create(GUILD);
      const quiet = manager.create('1000000000000000099'); // nobody listens on it
      voiceEvents(manager);
      voiceEvents(manager, quiet.guildId, '2000000000000000099');
      // The node sends an update of its own when voice connects; ours (time < 100) go after it.
      const ours = (message: any): boolean => message.op === 'event' || message.state?.time < 100;
      const raw: unknown[] = [];
      const connected = new Set<string>();
      manager.on('raw', (_socket, message) => {
        if (ours(message)) raw.push(message);
        else if (message.op === 'playerUpdate') connected.add(String(message.guildId));
      });
      await until(() => connected.size === 2, 3000, 'the node\'s own update for each player');
      const states: unknown[] = [];
      player.on('playerUpdate', (_p, state) => {
        if (state.time < 100) states.push(state);
      });
      let managerSaw = 0;
      manager.on('playerUpdate', (_p, state) => {
        if (state.time < 100) managerSaw++;
      });
      const frames: Record<string, unknown>[] = [
        { op: 'playerUpdate', guildId: GUILD, state: { time: 1, position: 1000, connected: true, ping: 20 } },
        { op: 'playerUpdate', guildId: quiet.guildId, state: { time: 1, position: 5000, connected: false, ping: 7 } },
        { op: 'playerUpdate', guildId: GUILD, state: { time: 2, position: 2000 } },
        { op: 'event', type: 'SomePluginEvent', guildId: GUILD },
        { op: 'playerUpdate', guildId: GUILD, state: { time: 3, position: 3000, connected: true, ping: 21, extra: 'kept' } },
        { op: 'playerUpdate', guildId: '1000000000000000777', state: { time: 4, position: 1 } }, // no such player
        { op: 'playerUpdate', guildId: GUILD, state: { time: 5, position: 4000, connected: false, ping: 22 } },
      ];
      for (const frame of frames) sim.sendRaw(JSON.stringify(frame));
      await until(() => raw.length === frames.length, 3000, 'every frame on raw');
      assert.deepEqual(raw, frames, 'raw sees each frame as sent, in order');
      assert.deepEqual(states, [frames[0]!.state, frames[2]!.state, frames[4]!.state, frames[6]!.state]);
      assert.equal(managerSaw, 5, 'the manager hears every player\'s updates');
      assert.equal(player.connected, false);
      assert.equal(player.ping, 22);
      assert.equal(quiet.connected, false);
      assert.equal(quiet.ping, 7, 'players nobody listens to still take their updates');

      // Listeners that come and go, with nobody on the manager: once, events.once, off, removeAll.
      manager.removeAllListeners('playerUpdate');
      const update = (time: number): void => void sim.sendRaw(JSON.stringify({ op: 'playerUpdate', guildId: GUILD, state: { time, position: time, ping: time } }));
      const onceSeen: number[] = [];
      player.once('playerUpdate', (_p, state) => onceSeen.push(state.time));
      const awaited = once(player, 'playerUpdate');
      const counted = states.length;
      update(10);
      update(11);
      await until(() => raw.length === frames.length + 2, 3000, 'two more updates');
      assert.deepEqual(onceSeen, [10]);
      assert.equal(((await awaited) as [Player, { time: number }])[1].time, 10);
      assert.equal(states.length, counted + 2, 'the first listener still hears every update');
      player.removeAllListeners();
      update(12);
      await until(() => raw.length === frames.length + 3, 3000, 'one more update');
      assert.equal(states.length, counted + 2, 'removed listeners hear nothing');
      assert.equal(player.ping, 12, 'the update still applies');
      const late: number[] = [];
      const listener = (_p: Player, state: { time: number }): void => void late.push(state.time);
      player.on('playerUpdate', listener);
      update(13);
      await until(() => late.length === 1, 3000, 'a listener added later');
      player.off('playerUpdate', listener);
      update(14);
      await until(() => raw.length === frames.length + 5, 3000, 'the last update');
      assert.deepEqual(late, [13]);

      // A guild that had no player when its updates came (remembered as nobody's) gets one.
      const newcomer = manager.create('1000000000000000777');
      voiceEvents(manager, newcomer.guildId, '2000000000000000777');
      await until(() => sim.players().some((p) => p.guildId === newcomer.guildId), 3000, 'the newcomer on the node');
      sim.sendRaw(JSON.stringify({ op: 'playerUpdate', guildId: newcomer.guildId, state: { time: 20, position: 1, ping: 77 } }));
      await until(() => newcomer.ping === 77, 3000, 'the newcomer hears its updates');
      await manager.destroy(newcomer.guildId);
      sim.sendRaw(JSON.stringify({ op: 'playerUpdate', guildId: newcomer.guildId, state: { time: 21, position: 1, ping: 78 } }));
      await until(() => raw.length === frames.length + 7, 3000, 'the update after destroy');
      assert.equal(newcomer.ping, 77, 'a destroyed player hears nothing');
    });
  }

  test('the REST facade: info, stats, version, route planner, players of the session', async (t) => {
    const sim = await startSimulator(t, { routePlanner: true });
    sim.routePlanner!.markFailing('10.0.0.7');
    const manager = createManager(t, 'worker', [nodeFor(sim)]);
    manager.init(USER_ID);
    const socket = manager.sockets.get('main')!;
    await socket.onReady();
    manager.create(GUILD);
    voiceEvents(manager);
    await until(() => sim.players().length === 1, 2000, 'a player');
    assert.equal(((await socket.request({ kind: 'info' })) as any).version.semver, '4.2.0');
    assert.equal(((await socket.request({ kind: 'stats' })) as any).players, 1);
    assert.equal(await socket.request({ kind: 'version' }), '4.2.0');
    assert.equal(((await socket.request({ kind: 'routePlanner' })) as any).details.failingAddresses[0].failingAddress, '10.0.0.7');
    await socket.request({ kind: 'unmark', address: '10.0.0.7' });
    assert.equal(((await socket.request({ kind: 'routePlanner' })) as any).details.failingAddresses.length, 0);
    await socket.request({ kind: 'unmark', address: null });
    const players = await socket.request({ kind: 'players' });
    assert.equal(players.length, 1);
    assert.equal(players[0]!.guildId, GUILD);
    assert.equal(players[0]!.voice.channelId, CHANNEL);
  });
});
