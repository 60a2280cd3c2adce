/**
 * Failover: players of a node that is gone move to the remaining node with their whole state, and
 * a node that comes back takes new players again.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import type { Manager, Player, Socket } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { createManager, fastOptions, nodeFor, USER_ID } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const guild = (i: number): string => String(1000000000000000000n + BigInt(i));

async function setUpPlayers(manager: Manager, socket: Socket, count: number): Promise<Player[]> {
  const load = await manager.load('dQw4w9WgXcQ');
  assert.equal(load.loadType, 'track');
  const track = (load).track;
  const players: Player[] = [];
  for (let i = 0; i < count; i++) {
    const player = manager.create(guild(i), socket);
    manager.stateUpdate({ guild_id: guild(i), channel_id: '2000000000000000002', user_id: USER_ID, session_id: `session-${i}` });
    manager.serverUpdate({ token: `token-${i}`, guild_id: guild(i), endpoint: 'us-east1.discord.media:443' });
    players.push(player);
  }
  await Promise.all(
    players.map(async (player, i) => {
      await player.play(track, { startTime: i * 1000 });
      if (i % 3 === 0) await player.setVolume(50 + i);
      if (i % 4 === 0) await player.setFilters({ timescale: { speed: 1 + i / 100 } });
      if (i % 5 === 0) await player.pause();
    }),
  );
  return players;
}

function expectMoved(simA: LavalinkSimulator, simB: LavalinkSimulator, before: Map<string, { position: number; paused: boolean; volume: number; filters: unknown; at: number }>): void {
  const onB = simB.players();
  assert.equal(onB.length, before.size, 'every player, once');
  assert.equal(new Set(onB.map((p) => p.guildId)).size, before.size, 'no duplicates');
  const now = Date.now();
  for (const p of onB) {
    const was = before.get(p.guildId)!;
    assert.equal(p.track?.identifier, 'dQw4w9WgXcQ', p.guildId);
    assert.equal(p.paused, was.paused, `paused ${p.guildId}`);
    assert.equal(p.volume, was.volume, `volume ${p.guildId}`);
    assert.deepEqual(p.filters, was.filters, `filters ${p.guildId}`);
    assert.equal(p.voiceConnected, true, `voice ${p.guildId}`);
    const expected = was.paused ? was.position : was.position + (now - was.at);
    assert.ok(Math.abs(p.position - expected) < 1000, `position of ${p.guildId}: ${p.position} against ${Math.round(expected)}`);
  }
  void simA;
}

/** Waits until the moved players look right (their ops arrive one by one), then asserts it. */
async function settled(simA: LavalinkSimulator, simB: LavalinkSimulator, before: Parameters<typeof expectMoved>[2]): Promise<void> {
  await until(
    () => {
      try {
        expectMoved(simA, simB, before);
        return true;
      } catch {
        return false;
      }
    },
    5000,
    'the moved players to settle',
  ).catch(() => {});
  expectMoved(simA, simB, before);
}

function snapshot(sim: LavalinkSimulator) {
  const at = Date.now();
  return new Map(sim.players().map((p) => [p.guildId, { position: p.position, paused: p.paused, volume: p.volume, filters: p.filters, at }]));
}

describe('failover', () => {
  test('50 players on a node that is gone for good move to the other node with their state', async (t) => {
    const simA = await startSimulator(t);
    const simB = await startSimulator(t);
    const manager = createManager(t, 'worker', [nodeFor(simA, 'A'), nodeFor(simB, 'B')], { defaultSocketOptions: { ...fastOptions, maxTries: 2 } });
    manager.init(USER_ID);
    const [a, b] = [manager.sockets.get('A')!, manager.sockets.get('B')!];
    await Promise.all([a.onReady(), b.onReady()]);
    await setUpPlayers(manager, a, 50);
    await until(() => simA.players().filter((p) => p.track !== null).length === 50, 5000, '50 players on A');
    const moves: string[] = [];
    manager.on('playerNodeMove', (player, from, to) => {
      assert.equal(from, a);
      assert.equal(to, b);
      moves.push(player.guildId);
    });

    const before = snapshot(simA);
    simA.refuseConnections(60_000);
    simA.restart({ downMs: 60_000 });
    await until(() => simB.players().filter((p) => p.track !== null).length === 50 && moves.length === 50, 10_000, 'every player on B');
    await settled(simA, simB, before);
    assert.equal(new Set(moves).size, 50, 'the bot was told of each move, once');
    assert.equal(manager.sockets.has('A'), true, 'A is still probed');
    assert.equal(a.ready, false);
    assert.ok([...manager.players.values()].every((p) => p.socket === b));
  });

  test('a node down past its resume timeout hands its players over, and takes new ones when back', async (t) => {
    const simA = await startSimulator(t);
    const simB = await startSimulator(t);
    const manager = createManager(t, 'worker', [nodeFor(simA, 'A'), nodeFor(simB, 'B')], {
      defaultSocketOptions: { ...fastOptions, maxTries: -1, maxRetryDelay: 100, resumeTimeout: 1 },
    });
    manager.init(USER_ID);
    const [a, b] = [manager.sockets.get('A')!, manager.sockets.get('B')!];
    await Promise.all([a.onReady(), b.onReady()]);
    await setUpPlayers(manager, a, 6);
    await until(() => simA.players().filter((p) => p.track !== null).length === 6, 5000, 'players on A');
    const before = snapshot(simA);
    simA.restart({ downMs: 1800 });
    await until(() => simB.players().filter((p) => p.track !== null).length === 6, 6000, 'the players on B');
    await settled(simA, simB, before);
    assert.equal(manager.sockets.has('A'), true, 'A is still tried');
    await a.onReady();
    const fresh = manager.create(guild(100));
    assert.equal(fresh.socket, a, 'the idle node that came back takes the new player');
  });

  test('a node that lost its session (restarted within the retries) gets its players back from our state', async (t) => {
    const sim = await startSimulator(t);
    const manager = createManager(t, 'inline', [nodeFor(sim, 'A')], { defaultSocketOptions: { ...fastOptions, maxTries: 20 } });
    manager.init(USER_ID);
    const socket = manager.sockets.get('A')!;
    await socket.onReady();
    await setUpPlayers(manager, socket, 5);
    await until(() => sim.players().filter((p) => p.track !== null).length === 5, 5000, 'players');
    const before = snapshot(sim);
    sim.restart({ downMs: 200 });
    await until(() => sim.players().filter((p) => p.track !== null).length === 5 && sim.sessions().length === 1, 5000, 'the players rebuilt');
    await settled(sim, sim, before);
  });
});
