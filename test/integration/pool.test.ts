/**
 * The piscina traps of DESIGN.md, each shown handled: an idle worker stays awake, sockets never
 * wait in piscina's queue, and the socket workers run nothing but sockets.
 */
import assert from 'node:assert/strict';
import { MessageChannel, type Worker } from 'node:worker_threads';
import { describe, test } from '../helpers/node-test.js';
import { Piscina } from 'piscina';
import { SocketClosedError } from '../../src/errors.js';
import { EventKind, type HostEvent } from '../../src/ipc/events.js';
import type { SocketConfig } from '../../src/socket-options.js';
import { defaultSocketOptions } from '../../src/socket-options.js';
import { PoolTransport } from '../../src/transport/pool.js';
import type { WorkerLink } from '../../src/transport/worker-link.js';
import { CLIENT_NAME } from '../../src/constants.js';
import type { Player } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { createManager, nodeFor, USER_ID } from '../helpers/manager.js';
import { sleep, until, within } from '../helpers/raw-client.js';
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
    readyTimeout: 10_000,
  };
}

/**
 * Closes the pool, or, if that does not end in time (a worker frozen by a wrong setting may never
 * answer), terminates its threads: a failing test still ends.
 */
async function closePool(pool: PoolTransport): Promise<void> {
  try {
    await within(pool.close(), 5000, 'the pool to close');
  } catch {
    await Promise.all((pool.threads as unknown as Worker[]).map((worker) => worker.terminate()));
  }
}

describe('piscina, configured for long-lived socket tasks', () => {
  test('an idle worker keeps its event loop (atomics disabled): the last close() answers, the next socket runs', async (t) => {
    const sim = await startSimulator(t, { statsIntervalMs: 50 });
    const events: HostEvent[] = [];
    const pool = new PoolTransport(1, (batch) => events.push(...batch));
    t.after(() => closePool(pool));
    const start = (id: string): WorkerLink => {
      const link = pool.start({ config: configFor(sim, id), userId: USER_ID, resume: null, flushWindowMs: 0, resumable: true });
      t.after(() => link.release(new SocketClosedError('the test is over')));
      return link;
    };
    const ready = (id: string): boolean => events.some((e) => e.socketId === id && e.kind === EventKind.Ready);
    const frames = (id: string): number => events.filter((e) => e.socketId === id && e.kind === EventKind.Frame).length;
    const keepsReceiving = async (id: string): Promise<void> => {
      const before = frames(id);
      await until(() => frames(id) >= before + 2, 10_000, `more frames (stats every 50 ms) for socket ${id}`);
    };
    const closes = async (link: WorkerLink, what: string): Promise<void> => {
      const outcome = await link.call((control) => control.close(1000, 'done'), 10_000, what);
      assert.equal(outcome.ok, true);
      await within(link.done, 10_000, `${what} (its task)`);
    };

    const [a, b] = [start('a'), start('b')];
    await until(() => ready('a') && ready('b'), 10_000, 'both sockets ready');
    assert.equal(pool.threads.length, 1, 'both sockets on one worker');
    await closes(a, 'the close() of one of two sockets on the worker');
    await keepsReceiving('b');
    // The worker now runs no task at all. Piscina's default (atomics: 'sync') parks it in
    // Atomics.wait at this point, before its last replies and timers have run.
    await closes(b, "the close() of the worker's last socket: an idle worker's event loop must keep running (atomics: 'disabled')");
    const c = start('c');
    await until(() => ready('c'), 10_000, 'the next socket on the idle worker');
    await keepsReceiving('c');
    assert.equal(pool.threads.length, 1);
    await closes(c, 'the close() of the next socket');
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

  test('several workers: each player gets only its own updates, in order, ending with its latest (each worker names guilds its own way)', async (t) => {
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
    await until(() => sims.reduce((n, sim) => n + sim.players().filter((p) => p.voiceConnected).length, 0) === 40, 10_000, 'every player on its node');

    // Each of our updates says whose it is and which round sent it: time = round + 1 (the node's
    // own updates carry the wall clock), position = round * 1000 + the player's index. Halfway, each
    // guild also gets an event, which is never dropped and keeps its place among the updates.
    const ROUNDS = 60;
    const EVENT_ROUND = 30;
    const indexOf = new Map(players.map((p, i) => [p.guildId, i]));
    const seen = new Map<string, { round: number; index: number; socket: string }[]>(players.map((p) => [p.guildId, []]));
    const stray: string[] = [];
    manager.on('playerUpdate', (player, state) => {
      if (state.time > ROUNDS) return; // the node's own
      const list = seen.get(player.guildId);
      if (!list) return void stray.push(`an update of ${player.guildId}, which is none of ours`);
      list.push({ round: state.time - 1, index: (state.position ?? -1) % 1000, socket: player.socket.id });
    });
    const events: { guildId: string; socket: string; after: number }[] = [];
    manager.on('raw', (socket, message: any) => {
      if (message.op !== 'event' || message.type !== 'SomePluginEvent') return;
      const list = seen.get(message.guildId) ?? [];
      events.push({ guildId: message.guildId, socket: socket.id, after: list.length });
    });
    const nodeOf = (player: Player): LavalinkSimulator => sims[Number(player.socket.id.slice('node-'.length))]!;
    for (let round = 0; round < ROUNDS; round++) {
      players.forEach((player, i) => {
        if (round === EVENT_ROUND) nodeOf(player).sendRaw(JSON.stringify({ op: 'event', type: 'SomePluginEvent', guildId: player.guildId }));
        nodeOf(player).sendRaw(JSON.stringify({ op: 'playerUpdate', guildId: player.guildId, state: { time: round + 1, position: round * 1000 + i, connected: true, ping: 1 } }));
      });
      // Pacing, not a wait for a result: the updates come over ~0.3 s as a busy node's would,
      // so the batcher sees a stream (and may coalesce it), not one burst.
      await sleep(5);
    }
    const latest = (player: Player): number | undefined => seen.get(player.guildId)!.at(-1)?.round;
    await until(() => players.every((p) => latest(p) === ROUNDS - 1) && events.length >= players.length, 10_000, "every player's latest update and every event");

    assert.deepEqual(stray, []);
    for (const player of players) {
      const list = seen.get(player.guildId)!;
      const i = indexOf.get(player.guildId)!;
      assert.deepEqual(list.filter((u) => u.index !== i), [], `player ${i} got only its own updates`);
      assert.ok(list.every((u) => u.socket === player.socket.id));
      const rounds = list.map((u) => u.round);
      assert.ok(rounds.every((r, k) => k === 0 || r > rounds[k - 1]!), `player ${i}: in order, none twice (${rounds.join(',')})`);
      assert.equal(rounds.at(-1), ROUNDS - 1, `player ${i}: its latest update arrived`);
      // What is missing was coalesced away: an older update of the same guild, whose latest came.
      const own = events.filter((e) => e.guildId === player.guildId);
      assert.equal(own.length, 1, `player ${i}: its event arrived, once`);
      assert.equal(own[0]!.socket, player.socket.id);
      const before = rounds.slice(0, own[0]!.after);
      const after = rounds.slice(own[0]!.after);
      assert.ok(before.every((r) => r < EVENT_ROUND) && after.every((r) => r >= EVENT_ROUND), `player ${i}: the event between rounds ${EVENT_ROUND - 1} and ${EVENT_ROUND} (${before.join(',')} | ${after.join(',')})`);
    }
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
