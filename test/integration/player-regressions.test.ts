/**
 * Player regressions, each named after what broke, through both transports and both protocols.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import type { Track, TrackEndReason } from '../../src/index.js';
import type { TestContext } from 'node:test';
import type { Manager } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { createManager, fastOptions, nodeFor, protocols, transports, USER_ID, waitFor, type TransportName } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const GUILD = '1000000000000000001';

/** A node that refuses connections, and a manager whose commands wait 300 ms for it. */
async function nodeDown(t: TestContext, transport: TransportName): Promise<{ sim: LavalinkSimulator; manager: Manager }> {
  const sim = await startSimulator(t);
  sim.refuseConnections(60_000);
  const manager = createManager(t, transport, [nodeFor(sim, 'main', { version: 4 })], { readyTimeout: 300, defaultSocketOptions: { ...fastOptions, maxTries: -1, maxRetryDelay: 100 } });
  return { sim, manager };
}

for (const transport of transports) {
  for (const protocol of protocols) {
    describe(`player regressions, ${transport} transport, v${protocol}`, () => {
      test('playing the track that plays again keeps it: a replaced end never clears the current track', async (t) => {
        const sim = await startSimulator(t, { protocol });
        const manager = createManager(t, transport, [nodeFor(sim)]);
        manager.init(USER_ID);
        await manager.sockets.get('main')!.onReady();
        const result = await manager.load('sim:track?length=600000');
        assert.equal(result.loadType, 'track');
        const track = result.track;
        const player = manager.create(GUILD);
        const started = waitFor(manager, 'trackStart');
        await player.play(track);
        await started;
        // What a restore does: the same track again, further in.
        const replaced = new Promise<[Track | null, TrackEndReason]>((resolve) => player.once('trackEnd', (p, _t, reason) => resolve([p.track, reason])));
        await player.play(track, { startTime: 1000 });
        const [current, reason] = await replaced;
        assert.equal(reason, 'replaced');
        assert.equal(current?.encoded, track.encoded, 'the player still holds its track');
        await player.seek(2000); // threw "not playing anything to seek in" when the end cleared it
        await until(() => (sim.players().find((p) => p.guildId === GUILD)?.position ?? 0) >= 2000, 3000, 'the seek on the node');
      });
    });
  }
}

for (const transport of transports) {
  describe(`player state against refused commands, ${transport} transport`, () => {
    test('a refused play does not take back a later volume the node took', async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)]);
      manager.init(USER_ID);
      const result = await manager.load('dQw4w9WgXcQ');
      assert.equal(result.loadType, 'track');
      const player = manager.create(GUILD);
      const unplayable = `${result.track.encoded.slice(0, 12)}AAAAAAAA`;
      const [played, volume] = await Promise.allSettled([player.play(unplayable), player.setVolume(80)]);
      assert.equal(played.status, 'rejected');
      assert.equal(volume.status, 'fulfilled');
      assert.equal(player.volume, 80);
      assert.equal(player.track, null, 'the refused track is not the player’s');
      await until(() => sim.players().find((p) => p.guildId === GUILD)?.volume === 80, 3000, 'volume 80 on the node');
    });

    test('a chain of commands refused with no node ready leaves the state the node has, not an intermediate one', async (t) => {
      const { manager } = await nodeDown(t, transport);
      manager.init(USER_ID);
      const player = manager.create(GUILD);
      const results = await Promise.allSettled([player.setVolume(50), player.setVolume(80), player.pause(true), player.pause(false)]);
      assert.deepEqual(results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok')), Array(4).fill('LAVALINK_NO_NODE'));
      assert.equal(player.volume, 100);
      assert.equal(player.paused, false);
    });

    test('voice credentials given while the node is down reach it when it is back, past readyTimeout', async (t) => {
      const { sim, manager } = await nodeDown(t, transport);
      manager.init(USER_ID);
      const player = manager.create(GUILD);
      manager.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { guild_id: GUILD, channel_id: '2000000000000000002', user_id: USER_ID, session_id: 'discord-session' } });
      manager.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { token: 'token', guild_id: GUILD, endpoint: 'us-east1.discord.media:443' } });
      // A command sent at the same moment expires (it waited readyTimeout): the voice update does not.
      await assert.rejects(player.setVolume(70), { code: 'LAVALINK_NO_NODE' });
      sim.acceptConnections();
      await manager.sockets.get('main')!.onReady();
      await until(() => sim.players().find((p) => p.guildId === GUILD)?.voiceConnected === true, 5000, 'voice on the node');
    });

    test('before init(), a voice update or destroy sent on a socket waits readyTimeout like any op, then LAVALINK_NO_NODE', async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim, 'main', { version: 4 })], { readyTimeout: 300 });
      const socket = manager.sockets.get('main')!;
      const voice = socket.send({ op: 'voiceUpdate', guildId: GUILD, sessionId: 'discord-session', event: { token: 'token', guild_id: GUILD, endpoint: 'us-east1.discord.media:443' } });
      const destroy = socket.send({ op: 'destroy', guildId: GUILD });
      // Bounded by `until`, not a sleep: each must settle with the code, well before close().
      const outcomes: string[] = [];
      for (const sent of [voice, destroy]) void sent.then(() => outcomes.push('ok'), (error: { code: string }) => outcomes.push(error.code));
      await until(() => outcomes.length === 2, 5000, 'both ops to settle');
      assert.deepEqual(outcomes, ['LAVALINK_NO_NODE', 'LAVALINK_NO_NODE']);
    });

    test('calls waiting for a ready node settle when the manager closes, with no listener left behind', async (t) => {
      const sim = await startSimulator(t);
      sim.refuseConnections(60_000);
      const manager = createManager(t, transport, [nodeFor(sim, 'main', { version: 4 })], { readyTimeout: 60_000 });
      manager.init(USER_ID);
      const loads = Array.from({ length: 20 }, () => manager.load('dQw4w9WgXcQ').then(() => 'ok', (error: { code: string }) => error.code));
      assert.equal(manager.listenerCount('socketReady'), 0);
      await manager.close();
      assert.deepEqual(await Promise.all(loads), Array(20).fill('LAVALINK_MANAGER_CLOSED'));
    });
  });
}
