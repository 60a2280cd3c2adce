/**
 * The piscina traps of DESIGN.md, each shown handled: an idle worker stays awake, sockets never
 * wait in piscina's queue, and the socket workers run nothing but sockets.
 */
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { describe, test } from '../helpers/node-test.js';
import { Piscina } from 'piscina';
import { EventKind, type HostEvent } from '../../src/ipc/events.js';
import type { SocketConfig } from '../../src/options.js';
import { defaultSocketOptions } from '../../src/options.js';
import { PoolTransport } from '../../src/transport/pool.js';
import { CLIENT_NAME } from '../../src/constants.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { createManager, nodeFor, USER_ID } from '../helpers/manager.js';
import { sleep, until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

function configFor(sim: LavalinkSimulator, id: string): SocketConfig {
  return {
    ...defaultSocketOptions,
    id,
    host: '127.0.0.1',
    port: sim.port,
    password: 'youshallnotpass',
    secure: false,
    ca: null,
    version: 4,
    shards: 1,
    clientName: CLIENT_NAME,
    resuming: true,
    restTimeout: 5000,
  };
}

describe('piscina, configured for long-lived socket tasks', () => {
  test('a worker whose last socket closed still runs the next one (atomics disabled)', async (t) => {
    const sim = await startSimulator(t, { statsIntervalMs: 50 });
    const events: HostEvent[] = [];
    const pool = new PoolTransport(1, (batch) => events.push(...batch));
    t.after(() => pool.close());
    const first = pool.start({ config: configFor(sim, 'first'), userId: USER_ID, resume: null, flushWindowMs: 0 });
    await until(() => events.some((e) => e.socket === 'first' && e.kind === EventKind.Ready), 5000, 'the first socket');
    await first.control.close(1000, 'done');
    await first.done;
    first.release();
    await sleep(300); // the worker now runs no task at all: with atomics it would sleep in Atomics.wait

    const second = pool.start({ config: configFor(sim, 'second'), userId: USER_ID, resume: null, flushWindowMs: 0 });
    await until(() => events.some((e) => e.socket === 'second' && e.kind === EventKind.Ready), 5000, 'the second socket');
    const statsBefore = events.filter((e) => e.socket === 'second' && e.kind === EventKind.Frame).length;
    await sleep(200);
    assert.ok(events.filter((e) => e.socket === 'second' && e.kind === EventKind.Frame).length > statsBefore, 'its timers and events keep running');
    assert.equal(pool.threads.length, 1);
    await second.control.close(1000, 'done');
  });

  test('more sockets than threads all connect (no socket waits in the task queue)', async (t) => {
    const sims = await Promise.all(Array.from({ length: 5 }, () => startSimulator(t)));
    const manager = createManager(
      t,
      'worker',
      sims.map((sim, i) => nodeFor(sim, `node-${i}`)),
      { workers: 2 },
    );
    manager.init(USER_ID);
    await Promise.all([...manager.sockets.values()].map((socket) => socket.onReady()));
    assert.equal([...manager.sockets.values()].filter((s) => s.connected).length, 5);
  });

  test('several workers: every player gets exactly its own updates (each worker names guilds its own way)', async (t) => {
    const sims = await Promise.all(Array.from({ length: 4 }, () => startSimulator(t, { playerUpdateIntervalMs: 600_000 })));
    const manager = createManager(t, 'worker', sims.map((sim, i) => nodeFor(sim, `node-${i}`)), { workers: 2 });
    manager.init(USER_ID);
    await Promise.all([...manager.sockets.values()].map((socket) => socket.onReady()));
    const players = Array.from({ length: 40 }, (_, i) => {
      const player = manager.create(String(3000000000000000000n + BigInt(i)));
      manager.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { guild_id: player.guildId, channel_id: '1', user_id: USER_ID, session_id: `s${i}` } });
      manager.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { token: `t${i}`, guild_id: player.guildId, endpoint: 'e.discord.media:443' } });
      return player;
    });
    await until(() => sims.reduce((n, sim) => n + sim.players().filter((p) => p.voiceConnected).length, 0) === 40, 5000, 'every player on its node');
    await sleep(100); // the nodes' own voice-connect updates
    const counts = new Map<string, number>();
    manager.on('playerUpdate', (player) => {
      counts.set(player.guildId, (counts.get(player.guildId) ?? 0) + 1);
    });
    const results = await Promise.all(
      sims.map((sim, i) => {
        const guildIds = players.filter((p) => p.socket.id === `node-${i}`).map((p) => p.guildId);
        return guildIds.length === 0 ? Promise.resolve(null) : sim.flood({ rate: 2000, guilds: guildIds.length, durationMs: 300, guildIds });
      }),
    );
    const expected = new Map<string, number>();
    for (const result of results) {
      if (!result) continue;
      result.guildIds.forEach((guildId, i) => expected.set(guildId, Math.floor(result.frames / result.guildIds.length) + (i < result.frames % result.guildIds.length ? 1 : 0)));
    }
    await until(() => [...expected].every(([guildId, n]) => (counts.get(guildId) ?? 0) >= n), 5000, 'every update delivered');
    await sleep(100);
    assert.deepEqual(new Map([...counts].sort()), new Map([...expected].sort()));
  });

  test('a socket worker refuses any task that is not a socket: CPU jobs cannot land on it', async (t) => {
    const workerFile = new URL('../../workers/socket-worker.ts', import.meta.url).href;
    const pool = new Piscina({ filename: workerFile, minThreads: 1, maxThreads: 1, atomics: 'disabled' });
    t.after(() => pool.destroy());
    await assert.rejects(pool.run({ fibonacci: 40 }), /Expected `task` to be a lavathread socket task/);
    const { port1, port2 } = new MessageChannel();
    port1.close();
    await assert.rejects(pool.run({ config: {}, control: 'not a port', events: port2 }, { transferList: [port2] }), /socket task/);
  });
});
