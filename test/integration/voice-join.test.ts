/**
 * `await player.connect()`: it resolves once the node has the voice credentials Discord answered
 * op 4 with, rejects LAVALINK_VOICE_TIMEOUT (leaving the channel, with nothing half joined) when
 * they do not come, and LAVALINK_VOICE_CANCELLED when something else comes first. A fake gateway
 * answers op 4 as Discord does, with the two voice events; both transports, v4 and v3 nodes.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, LavalinkError, Manager, type Player } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { createManager, nodeFor, transports, USER_ID, type TransportName } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const GUILD = '1000000000000000001';
const CHANNEL = '2000000000000000002';
const OTHER_CHANNEL = '2000000000000000003';

type Op4 = { op: 4; d: { guild_id: string; channel_id: string | null } };

/** What Discord sends back for an op 4: `state` and `server` switch either event off. */
interface Gateway {
  answers: { state: boolean; server: boolean };
  /** How long send takes to settle (a gateway library's rate limit), ms; 0: at once. */
  sendMs: number;
  readonly sent: Op4[];
}

async function setup(t: TestContext, transport: TransportName, protocol: 3 | 4): Promise<{ sim: LavalinkSimulator; manager: Manager; player: Player; gateway: Gateway }> {
  const sim = await startSimulator(t, { protocol });
  const gateway: Gateway = { answers: { state: true, server: true }, sendMs: 0, sent: [] };
  let tokens = 0;
  const manager = createManager(t, transport, [nodeFor(sim)], {
    send: (_guild, payload) => {
      const op = payload as Op4;
      gateway.sent.push(op);
      const { guild_id, channel_id } = op.d;
      // Discord answers on its own time, after send returned.
      setImmediate(() => {
        if (gateway.answers.state) manager.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { guild_id, channel_id, user_id: USER_ID, session_id: 'discord-session' } });
        if (gateway.answers.server && channel_id !== null) manager.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { token: `token-${++tokens}`, guild_id, endpoint: 'us-east1.discord.media:443' } });
      });
      return gateway.sendMs > 0 ? new Promise<void>((resolve) => setTimeout(resolve, gateway.sendMs)) : undefined;
    },
  });
  manager.init(USER_ID);
  await manager.sockets.get('main')!.onReady();
  return { sim, manager, player: manager.create(GUILD), gateway };
}

/** The voice credentials the node holds for the guild (null: none). */
function nodeVoice(sim: LavalinkSimulator): { token: string; channelId?: string | null } | null {
  const player = sim.players().find((p) => p.guildId === GUILD);
  return player?.voice ?? null;
}

for (const transport of transports) {
  for (const protocol of [4, 3] as const) {
    describe(`player.connect() over the ${transport} transport, protocol v${protocol}`, () => {
      test('resolves once the node has the credentials Discord answered with', async (t) => {
        const { sim, player } = await setup(t, transport, protocol);
        assert.equal(await player.connect(CHANNEL), player);
        assert.equal(nodeVoice(sim)?.token, 'token-1', 'the node had them when connect() resolved');
        if (protocol === 4) assert.equal(nodeVoice(sim)?.channelId, CHANNEL);
        assert.equal(player.channel, CHANNEL);
      });

      test('to the channel it is already in, it resolves without new voice events', async (t) => {
        const { player, gateway } = await setup(t, transport, protocol);
        await player.connect(CHANNEL);
        gateway.answers = { state: false, server: false };
        await player.connect(CHANNEL, { timeout: 200 });
        assert.equal(gateway.sent.length, 2, 'op 4 still goes (self-mute and self-deaf may change)');
      });

      test('without a VOICE_SERVER_UPDATE it rejects LAVALINK_VOICE_TIMEOUT, leaves the channel, and nothing reaches the node later', async (t) => {
        const { sim, manager, player, gateway } = await setup(t, transport, protocol);
        gateway.answers = { state: true, server: false };
        await assert.rejects(player.connect(CHANNEL, { timeout: 300 }), (error: unknown) => {
          assert.ok(error instanceof LavalinkError);
          assert.equal(error.code, ErrorCode.VoiceTimeout);
          assert.deepEqual((error as LavalinkError & { received: unknown }).received, { state: true, server: false });
          assert.match(error.message, /no VOICE_SERVER_UPDATE/);
          return true;
        });
        assert.equal(player.channel, null, 'the player is out of the channel');
        await until(() => gateway.sent.some((op) => op.d.channel_id === null), 5000, 'the op 4 that leaves the channel');
        // A server update that comes late has no session to go with: nothing is sent.
        manager.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { token: 'late', guild_id: GUILD, endpoint: 'us-east1.discord.media:443' } });
        const checked = await manager.sockets.get('main')!.rest.info();
        assert.ok(checked, 'a later call went through the node');
        assert.equal(nodeVoice(sim), null, 'the node never got voice credentials');
        assert.equal(player.destroyed, false, 'the player itself stays');
      });

      test('with no voice event at all, the error says handleRaw may not be wired', async (t) => {
        const { player, gateway } = await setup(t, transport, protocol);
        gateway.answers = { state: false, server: false };
        await assert.rejects(player.connect(CHANNEL, { timeout: 200 }), (error: any) => error.code === ErrorCode.VoiceTimeout && /VOICE_STATE_UPDATE or VOICE_SERVER_UPDATE/.test(error.message) && /handleRaw/.test(error.message));
      });

      test('a timeout that comes while the gateway send is still pending rejects connect(), and nothing is left unhandled', async (t) => {
        const { player, gateway } = await setup(t, transport, protocol);
        gateway.answers = { state: false, server: false };
        gateway.sendMs = 400;
        await assert.rejects(player.connect(CHANNEL, { timeout: 50 }), { code: ErrorCode.VoiceTimeout });
      });

      test('a second connect, a disconnect or a destroy cancels a pending one with LAVALINK_VOICE_CANCELLED', async (t) => {
        const { sim, player, gateway } = await setup(t, transport, protocol);
        gateway.answers = { state: false, server: false };
        // Each outcome is watched from the start: a cancel rejects at once.
        const first = assert.rejects(player.connect(CHANNEL, { timeout: 5000 }), { code: ErrorCode.VoiceCancelled });
        gateway.answers = { state: true, server: true };
        const second = player.connect(OTHER_CHANNEL);
        await first;
        await second;
        assert.equal(player.channel, OTHER_CHANNEL);
        if (protocol === 4) assert.equal(nodeVoice(sim)?.channelId, OTHER_CHANNEL);

        gateway.answers = { state: false, server: false };
        const third = assert.rejects(player.connect(CHANNEL, { timeout: 5000 }), { code: ErrorCode.VoiceCancelled });
        await player.disconnect();
        await third;

        const fourth = assert.rejects(player.connect(CHANNEL, { timeout: 5000 }), { code: ErrorCode.VoiceCancelled });
        await player.destroy();
        await fourth;
      });
    });
  }
}

describe('voice timeout options', () => {
  test('voiceTimeout and connect({ timeout }) take whole milliseconds only', async (t) => {
    assert.throws(() => new Manager([], { send: () => {}, voiceTimeout: 0 }), { code: ErrorCode.InvalidOption });
    assert.throws(() => new Manager([], { send: () => {}, voiceTimeout: 1.5 }), { code: ErrorCode.InvalidOption });
    const manager = createManager(t, 'inline', [{ id: 'n', host: '127.0.0.1', port: 1, password: 'p' }]);
    const player = manager.create(GUILD);
    await assert.rejects(player.connect(CHANNEL, { timeout: -1 }), (error: any) => error.code === ErrorCode.InvalidOption && error.option === 'options.timeout');
  });
});
