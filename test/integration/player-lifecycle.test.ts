/**
 * playerCreate and playerDestroy, with the reason; the autoDestroy rules (Discord took the bot
 * out of voice; no node could take a player back). Both transports.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, Manager, type Player, type PlayerDestroyReason, type Socket } from '../../src/index.js';
import { createManager, fastOptions, nodeFor, transports, USER_ID } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const guild = (i: number): string => String(1000000000000000000n + BigInt(i));
const CHANNEL = '2000000000000000002';

function joinVoice(manager: Manager, guildId: string, channel: string | null = CHANNEL): void {
  manager.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { guild_id: guildId, channel_id: channel, user_id: USER_ID, session_id: `session-${guildId}` } });
  if (channel !== null) manager.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { token: `token-${guildId}`, guild_id: guildId, endpoint: 'us-east1.discord.media:443' } });
}

function destroyed(manager: Manager): [Player, PlayerDestroyReason][] {
  const seen: [Player, PlayerDestroyReason][] = [];
  manager.on('playerDestroy', (player, reason) => seen.push([player, reason]));
  return seen;
}

for (const transport of transports) {
  describe(`player lifecycle over the ${transport} transport`, () => {
    test('playerCreate once per new player; playerDestroy once, reason bot, from player.destroy() and manager.destroy()', async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)]);
      manager.init(USER_ID);
      await manager.sockets.get('main')!.onReady();
      const created: [Player, boolean][] = [];
      manager.on('playerCreate', (player, restored) => created.push([player, restored]));
      const gone = destroyed(manager);
      const [a, b] = [manager.create(guild(1)), manager.create(guild(2))];
      manager.create(guild(1));
      assert.deepEqual(created, [[a, false], [b, false]]);
      await a.destroy();
      await a.destroy();
      assert.equal(await manager.destroy(guild(2)), true);
      assert.deepEqual(gone, [[a, 'bot'], [b, 'bot']]);
      assert.equal(manager.players.size, 0);
    });

    test('autoDestroy.voiceLost: Discord taking the bot out of voice destroys the player; its own disconnect() does not; off by default', async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)], { autoDestroy: { voiceLost: true } });
      manager.init(USER_ID);
      await manager.sockets.get('main')!.onReady();
      const gone = destroyed(manager);
      const kicked = manager.create(guild(1));
      const leaving = manager.create(guild(2));
      for (const player of [kicked, leaving]) joinVoice(manager, player.guildId);
      await until(() => sim.players().filter((p) => p.voiceConnected).length === 2, 5000, 'both in voice on the node');

      joinVoice(manager, kicked.guildId, null); // Discord: the bot is out of the channel
      await until(() => gone.length === 1, 5000, 'the kicked player destroyed');
      assert.deepEqual(gone, [[kicked, 'voiceLost']]);
      assert.equal(manager.get(kicked.guildId), undefined);
      await until(() => !sim.players().some((p) => p.guildId === kicked.guildId), 5000, 'the node to drop it');

      await leaving.disconnect();
      joinVoice(manager, leaving.guildId, null); // Discord's answer to the bot's own op 4
      await manager.sockets.get('main')!.rest.info(); // a round trip for anything that would follow
      assert.equal(gone.length, 1, 'leaving on purpose is not losing voice');
      assert.equal(manager.get(leaving.guildId), leaving);

      const plain = createManager(t, transport, [nodeFor(sim, 'other')]);
      plain.init(USER_ID);
      await plain.sockets.get('other')!.onReady();
      const kept = plain.create(guild(3));
      joinVoice(plain, kept.guildId);
      joinVoice(plain, kept.guildId, null);
      assert.equal(plain.get(kept.guildId), kept, 'off by default: the player stays, out of voice');
      assert.equal(kept.channel, null);
    });

    test('autoDestroy.nodeGone: a player no node takes back is destroyed instead of left stopped', async (t) => {
      const [simA, simB] = await Promise.all([startSimulator(t), startSimulator(t)]);
      const manager = createManager(t, transport, [nodeFor(simA, 'A'), nodeFor(simB, 'B')], { defaultSocketOptions: { ...fastOptions, maxTries: 1 }, autoDestroy: { nodeGone: true } });
      manager.init(USER_ID);
      const [a, b] = ['A', 'B'].map((id) => manager.sockets.get(id)!) as [Socket, Socket];
      await Promise.all([a.onReady(), b.onReady()]);
      const loaded = await manager.load('dQw4w9WgXcQ');
      assert.equal(loaded.loadType, 'track');
      const players = [1, 2].map((i) => manager.create(guild(i), a));
      for (const player of players) joinVoice(manager, player.guildId);
      await Promise.all(players.map((player) => player.play(loaded.track)));
      const gone = destroyed(manager);
      const failed: string[] = [];
      manager.on('playerRestoreFailed', (player, _track, error) => {
        assert.equal(error.code, ErrorCode.RestError);
        failed.push(player.guildId);
      });
      simB.failRest({ status: 400 }); // B takes nothing: nowhere to restore them
      simA.refuseConnections(60_000);
      simA.restart({ downMs: 60_000 });
      await until(() => gone.length === 2, 10_000, 'both players destroyed');
      assert.deepEqual(gone.map(([p, reason]) => [p.guildId, reason]).sort(), [[guild(1), 'nodeGone'], [guild(2), 'nodeGone']]);
      assert.deepEqual(failed.sort(), [guild(1), guild(2)], 'restoreFailed told first');
      assert.equal(manager.players.size, 0);
    });
  });
}

describe('autoDestroy option', () => {
  test('takes booleans only', () => {
    for (const bad of [true, { voiceLost: 'yes' }, { nodeGone: 1 }]) {
      assert.throws(() => new Manager([], { send: () => {}, autoDestroy: bad as never }), { code: ErrorCode.InvalidOption });
    }
  });
});
