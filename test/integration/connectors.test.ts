/**
 * Connectors against the gateway libraries' clients: a real discord.js v14 Client (never logged
 * in) with a fake gateway behind it, and Eris- and Oceanic-shaped clients. Each bot joins voice
 * and plays with nothing but the connector between the client and the Manager.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Client, GatewayIntentBits } from 'discord.js';
import type { TestContext } from 'node:test';
import { describe, test } from '../helpers/node-test.js';
import { discordJs, eris, oceanic, seyfert, type Connector } from '../../src/index.js';
import type { Manager } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { createManager, nodeFor, transports, USER_ID, type TransportName } from '../helpers/manager.js';
import { startSimulator } from '../helpers/simulator.js';

const GUILD = '1000000000000000001';
const CHANNEL = '2000000000000000002';

/** Discord's answer to an op 4: the two voice dispatches, raw, after the send returned. */
function answer(emit: (packet: unknown) => void, payload: { op: number; d: unknown }): void {
  const { guild_id, channel_id } = payload.d as { guild_id: string; channel_id: string | null };
  setImmediate(() => {
    emit({ op: 0, t: 'VOICE_STATE_UPDATE', s: 1, d: { guild_id, channel_id, user_id: USER_ID, session_id: 'discord-session' } });
    if (channel_id !== null) emit({ op: 0, t: 'VOICE_SERVER_UPDATE', s: 2, d: { token: 'discord-token', guild_id, endpoint: 'us-east1.discord.media:443' } });
  });
}

/** Joins voice and plays through `manager`, once `ready` has made the client ready. */
async function playThrough(sim: LavalinkSimulator, manager: Manager, ready: () => void): Promise<void> {
  assert.equal(manager.userId, undefined, 'not initialised before the client is ready');
  ready();
  assert.equal(manager.userId, USER_ID, 'init() with the bot user id when the client is ready');
  await manager.sockets.get('main')!.onReady();
  const player = manager.create(GUILD);
  await player.connect(CHANNEL);
  const onNode = sim.players().find((p) => p.guildId === GUILD);
  assert.equal(onNode?.voice?.token, 'discord-token', 'the node has the voice credentials from the gateway');
  const loaded = await manager.load('sim:track?length=60000');
  assert.equal(loaded.loadType, 'track');
  await player.play(loaded.track);
  assert.equal(player.playing, true);
}

function managerWith(t: TestContext, transport: TransportName, sim: LavalinkSimulator, connector: Connector): Manager {
  const manager = createManager(t, transport, [nodeFor(sim)], { send: connector.send });
  const detach = connector.attach(manager);
  t.after(detach);
  return manager;
}

for (const transport of transports) {
  describe(`connectors over the ${transport} transport`, () => {
    test('discord.js v14: a real Client with a fake gateway', async (t) => {
      const sim = await startSimulator(t);
      const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates] });
      t.after(() => client.destroy());
      const sent: unknown[] = [];
      // The fake gateway: the guild's shard takes op 4 and Discord answers through `raw`.
      const shard = { send: (payload: { op: number; d: unknown }) => (sent.push(payload), answer((packet) => client.emit('raw', packet), payload)) };
      client.guilds.cache.set(GUILD, { id: GUILD, shard } as never);
      const manager = managerWith(t, transport, sim, discordJs(client));
      await playThrough(sim, manager, () => {
        (client as { user: unknown }).user = { id: USER_ID };
        client.emit('clientReady', client as never);
      });
      assert.deepEqual(sent, [{ op: 4, d: { guild_id: GUILD, channel_id: CHANNEL, self_mute: false, self_deaf: false } }]);
    });

    test('discord.js v14: the READY dispatch starts the manager, and nothing listens to the deprecated ready event', async (t) => {
      const sim = await startSimulator(t);
      const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates] });
      t.after(() => client.destroy());
      const shard = { send: (payload: { op: number; d: unknown }) => answer((packet) => client.emit('raw', packet), payload) };
      client.guilds.cache.set(GUILD, { id: GUILD, shard } as never);
      const manager = managerWith(t, transport, sim, discordJs(client));
      assert.equal(client.listenerCount('ready'), 0, 'discord.js 14.22+ warns as soon as anything listens to ready');
      await playThrough(sim, manager, () => client.emit('raw', { op: 0, t: 'READY', s: 1, d: { v: 10, user: { id: USER_ID }, guilds: [], session_id: 'gateway-session' } }));
    });

    test('Eris: rawWS in, sendWS(op, d) out', async (t) => {
      const sim = await startSimulator(t);
      const client = Object.assign(new EventEmitter(), { user: null as { id: string } | null, guilds: new Map<string, { shard: { sendWS(op: number, d: unknown): void } }>() });
      client.guilds.set(GUILD, { shard: { sendWS: (op, d) => answer((packet) => client.emit('rawWS', packet), { op, d }) } });
      const manager = managerWith(t, transport, sim, eris(client));
      await playThrough(sim, manager, () => {
        client.user = { id: USER_ID };
        client.emit('ready');
      });
    });

    test('Oceanic.js: packet in, send(op, d) out; a client already ready initialises at once', async (t) => {
      const sim = await startSimulator(t);
      const client = Object.assign(new EventEmitter(), { ready: false, user: { id: USER_ID }, guilds: new Map<string, { shard: { send(op: number, d: unknown): void } }>() });
      client.guilds.set(GUILD, { shard: { send: (op, d) => answer((packet) => client.emit('packet', packet), { op, d }) } });
      const manager = managerWith(t, transport, sim, oceanic(client));
      await playThrough(sim, manager, () => {
        client.ready = true;
        client.emit('ready');
      });
      const late = createManager(t, transport, [nodeFor(sim, 'late')]);
      t.after(oceanic(client).attach(late));
      assert.equal(late.userId, USER_ID, 'attached to a ready client: init() at once');
    });

    test("Seyfert: a raw event beside the bot's own, op 4 through the guild's shard; init() with READY", async (t) => {
      const sim = await startSimulator(t);
      const ownRaw: unknown[] = [];
      const sent: [number, unknown][] = [];
      const own = { data: { name: 'raw' }, run: (packet: unknown) => void ownRaw.push(packet) };
      const client = {
        events: { values: { RAW: own as { data: { name: string }; run: (...args: never[]) => unknown } | undefined } },
        gateway: {
          calculateShardId: (guildId: string) => Number(BigInt(guildId) >> 22n) % 4,
          send: (shardId: number, payload: { op: number; d: unknown }) => {
            sent.push([shardId, payload]);
            answer((packet) => client.events.values.RAW!.run(packet as never, client as never, shardId as never), payload);
          },
        },
        // Seyfert reads the bot id from the token: before login there is none, and reading it throws.
        get botId(): string {
          throw new Error('no token');
        },
      };
      const manager = managerWith(t, transport, sim, seyfert(client));
      await playThrough(sim, manager, () => client.events.values.RAW!.run({ op: 0, t: 'READY', d: { user: { id: USER_ID } } } as never));
      assert.deepEqual(sent, [[Number(BigInt(GUILD) >> 22n) % 4, { op: 4, d: { guild_id: GUILD, channel_id: CHANNEL, self_mute: false, self_deaf: false } }]]);
      assert.deepEqual(ownRaw.map((p) => (p as { t: string }).t), ['READY', 'VOICE_STATE_UPDATE', 'VOICE_SERVER_UPDATE'], "the bot's own raw event still runs");
    });
  });
}
