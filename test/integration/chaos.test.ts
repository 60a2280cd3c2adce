/**
 * The chaos run: 3 nodes, 100 players, a scripted bot issuing a steady mix of commands while a
 * seeded random schedule breaks things (drops, silence, refused reconnects, restarts with and
 * without resume, 5xx and slow REST, malformed frames, a killed worker, a stalled main thread).
 * Afterwards every command reached a node, in order per guild, every player exists once with the
 * state the bot last set, nothing went unhandled, memory came back, and the password never showed.
 *
 * The suite runs seed 7 for 60 s and seed 1234 for 15 s. Replay or extend with
 * CHAOS_SEEDS=3,42,99 (each `seed` or `seed:seconds`) and CHAOS_SECONDS=60 (for all).
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { catchUnhandled } from '../helpers/unhandled.js';
import { inspect } from 'node:util';
import type { Manager, Player } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { createManager, nodeFor, USER_ID } from '../helpers/manager.js';
import { sleep, until } from '../helpers/raw-client.js';
import { prng } from '../helpers/prng.js';
import { startSimulator } from '../helpers/simulator.js';
import { crashWorker, testWorker } from '../../src/testing/index.js';

const RUNS = (process.env.CHAOS_SEEDS ?? '7:60,1234:15').split(',').map((entry) => {
  const [seed, seconds] = entry.split(':').map(Number);
  return { seed: seed!, seconds: Number(process.env.CHAOS_SECONDS ?? seconds ?? 15) };
});
const PLAYERS = 100;
const SECRET = 'chaos-password-never-shown';

const guild = (i: number): string => String(1000000000000000000n + BigInt(i));

interface Intent {
  volume: number;
  paused: boolean;
  speed: number | null;
  volumes: number[];
}

/**
 * Volume commands each node received for a guild, in arrival order (PATCH bodies answered 200
 * that carry only a volume: a restore sends the volume inside its play, so it is not counted).
 */
function received(sims: readonly LavalinkSimulator[], guildId: string): { at: number; volume: number }[] {
  const command = (body: unknown): boolean => typeof (body as any)?.volume === 'number' && Object.keys(body as object).length === 1;
  return sims
    .flatMap((sim) => sim.requests.filter((r) => r.method === 'PATCH' && r.status === 200 && r.path.endsWith(`/players/${guildId}`) && command(r.body)))
    .map((r) => ({ at: r.at, volume: (r.body as any).volume as number }))
    .sort((a, b) => a.at - b.at);
}

describe('chaos', () => {
  for (const { seed, seconds: SECONDS } of RUNS) {
    test(`seed ${seed}: ${SECONDS} s of faults lose no command and no player`, { timeout: (SECONDS + 90) * 1000 }, async (t) => {
      console.log(`chaos seed ${seed} (replay with CHAOS_SEEDS=${seed})`);
      const random = prng(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const unhandled = catchUnhandled(t);

      const sims = await Promise.all([0, 1, 2].map(() => startSimulator(t, { password: SECRET, playerUpdateIntervalMs: 1000, statsIntervalMs: 1000 })));
      const manager: Manager = createManager(
        t,
        'worker',
        sims.map((sim, i) => nodeFor(sim, `node-${i}`, { version: 4 })),
        { workers: 2, workerFile: testWorker, defaultSocketOptions: { retryDelay: 50, maxRetryDelay: 400, maxTries: -1, pingInterval: 200, deadAfter: 1000, resumeTimeout: 3 }, restTimeout: 2000 },
      );
      const captured: string[] = [];
      manager.on('debug', (line) => captured.push(line));
      manager.on('socketError', (_s, error) => captured.push(error.message, inspect(error), JSON.stringify(error)));
      manager.init(USER_ID);
      await Promise.all([...manager.sockets.values()].map((s) => s.onReady()));
      const load = await manager.load('dQw4w9WgXcQ');
      assert.equal(load.loadType, 'track');
      const track = (load).track;

      const intents = new Map<string, Intent>();
      const players: Player[] = [];
      for (let i = 0; i < PLAYERS; i++) {
        const player = manager.create(guild(i));
        manager.stateUpdate({ guild_id: guild(i), channel_id: '2000000000000000002', user_id: USER_ID, session_id: `s-${i}` });
        manager.serverUpdate({ token: `t-${i}`, guild_id: guild(i), endpoint: 'chaos.discord.media:443' });
        players.push(player);
        intents.set(guild(i), { volume: 100, paused: false, speed: null, volumes: [] });
      }
      await Promise.all(players.map((p) => p.play(track)));
      const heapBefore = process.memoryUsage().heapUsed;

      // The bot: a steady mix of commands; each guild's volumes are new numbers (its own count),
      // so the logs can say which command arrived and in what order.
      let commands = 0;
      let moves = 0;
      const failures: string[] = [];
      const bot = async (until: number): Promise<void> => {
        while (Date.now() < until) {
          const player = pick(players);
          const intent = intents.get(player.guildId)!;
          const roll = random();
          const run = async (): Promise<void> => {
            if (roll < 0.5) {
              const volume = 101 + intent.volumes.length; // never the default 100, never twice
              if (volume > 1000) return;
              intent.volume = volume;
              intent.volumes.push(volume);
              await player.setVolume(volume);
            } else if (roll < 0.7) {
              intent.paused = !intent.paused;
              await player.pause(intent.paused);
            } else if (roll < 0.85) {
              intent.speed = Math.round((0.8 + random() * 0.4) * 100) / 100;
              await player.setFilters({ timescale: { speed: intent.speed } });
            } else if (roll < 0.95) {
              await player.seek(Math.floor(random() * 100_000));
            } else {
              const others = manager.ideal.filter((s) => s !== player.socket);
              if (others.length > 0) {
                moves++;
                await player.moveTo(pick(others));
              }
            }
          };
          commands++;
          // Commands are not awaited one by one: a bot fires them as users ask.
          run().catch((error: unknown) => failures.push(String(error)));
          await sleep(5); // pacing, not a wait for a result: the bot's command rate
        }
      };

      // The faults: one every ~600 ms, each undone by the schedule itself.
      const faults: string[] = [];
      const chaos = async (until: number): Promise<void> => {
        while (Date.now() < until - 1500) {
          await sleep(300 + random() * 600); // pacing, not a wait for a result: the fault schedule
          const sim = pick(sims);
          const which = pick(['drop', 'silence', 'refuse', 'restart-resume', 'restart', '5xx', 'slow', 'malformed', 'crash', 'stall']);
          faults.push(which);
          switch (which) {
            case 'drop':
              sim.dropConnections({ abrupt: random() < 0.5 });
              break;
            case 'silence':
              sim.goSilent();
              setTimeout(() => sim.wake(), 400 + random() * 800);
              break;
            case 'refuse':
              sim.dropConnections({ abrupt: true });
              sim.refuseConnections(300 + random() * 700);
              break;
            case 'restart-resume':
              sim.restart({ downMs: 200, keepSessions: true });
              break;
            case 'restart':
              sim.restart({ downMs: 300 });
              break;
            case '5xx':
              sim.failRest({ status: pick([500, 502, 503]), count: 2 });
              break;
            case 'slow':
              sim.delayRest(300);
              setTimeout(() => sim.delayRest(0), 1000);
              break;
            case 'malformed':
              sim.sendRaw(pick(['{"op":', '{"op":"mystery"}', '[1,2]', '{"op":"playerUpdate","guildId":5}']));
              break;
            case 'crash': {
              const socket = pick([...manager.sockets.values()]);
              crashWorker(socket, 'exit').catch(() => {});
              break;
            }
            case 'stall': {
              const end = Date.now() + 300 + random() * 400;
              while (Date.now() < end) {
                // the main thread is busy
              }
              break;
            }
          }
        }
      };

      const end = Date.now() + SECONDS * 1000;
      await Promise.all([bot(end), chaos(end)]);
      // Calm: every fault undone, every node reachable; the queues drain.
      for (const sim of sims) {
        sim.wake();
        sim.acceptConnections();
        sim.clearRestFaults();
      }
      await until(() => [...manager.sockets.values()].every((s) => s.ready && s.queue.length === 0), 30_000, 'every socket ready with an empty queue');
      // Settle time: after a resume the manager may still be between its REST call for the node's
      // players and the restore ops that follow (sent in batches), and no state shows that.
      await sleep(500);

      console.log(`chaos seed ${seed}: ${commands} commands, ${faults.length} faults (${[...new Set(faults)].join(', ')})`);
      assert.deepEqual(failures, [], 'no command failed');
      assert.deepEqual(unhandled, [], 'no unhandled rejection or exception');

      // Every volume command reached a node, and in the order the bot issued them.
      let repeats = 0;
      for (const guildId of intents.keys()) {
        const all = received(sims, guildId).map((r) => r.volume);
        repeats += all.length - new Set(all).size;
      }
      // Exactly once, but for the window DESIGN names: an op a dying worker (or the node a player
      // just left) had taken but not acknowledged may arrive again; it is idempotent.
      const crashes = faults.filter((f) => f === 'crash').length;
      console.log(`chaos seed ${seed}: ${repeats} volume commands arrived twice (${crashes} worker crashes, ${moves} moves)`);
      assert.ok(repeats <= crashes + moves, `${repeats} repeats, more than the ${crashes + moves} crashes and moves that can cause one`);
      for (const [guildId, intent] of intents) {
        const got = received(sims, guildId).map((r) => r.volume);
        const firsts = got.filter((v, i) => got.indexOf(v) === i && intent.volumes.includes(v));
        assert.deepEqual(firsts, intent.volumes, `guild ${guildId}: every volume once, in order (got ${got.join(',')})`);
      }

      // A session the bot no longer holds (it opened a new one rather than resume it) keeps its
      // players on the node until its resume timeout; Lavalink drops it then, and so do we.
      await until(() => sims.every((sim) => sim.sessions().every((session) => session.state !== 'paused')), 10_000, 'detached sessions to time out');

      // Every player exists once, on the node its handle names, with the state last set.
      const states = new Map(sims.flatMap((sim) => sim.sessions().map((session) => [session.id, session.state] as const)));
      const onNodes = sims.flatMap((sim, i) => sim.players().map((p) => ({ ...p, node: `node-${i}` })));
      for (const player of players) {
        const copies = onNodes.filter((p) => p.guildId === player.guildId && p.track !== null);
        const where = copies.map((c) => `${c.node} session ${c.sessionId} ${states.get(c.sessionId)}`).join(', ');
        assert.equal(copies.length, 1, `guild ${player.guildId} plays on exactly one node (${where})`);
        const [copy] = copies;
        const intent = intents.get(player.guildId)!;
        assert.equal(copy!.node, player.socket.id, `guild ${player.guildId} is where its handle says`);
        assert.equal(copy!.volume, intent.volume, `volume of ${player.guildId}`);
        assert.equal(copy!.paused, intent.paused, `paused of ${player.guildId}`);
        if (intent.speed !== null) assert.deepEqual(copy!.filters, { timescale: { speed: intent.speed } }, `filters of ${player.guildId}`);
      }

      // Secrets: nothing printed, logged or inspected carries the password.
      captured.push(inspect(manager, { depth: 3 }), ...[...manager.sockets.values()].map((s) => `${String(s)} ${JSON.stringify(s)} ${inspect(s, { showHidden: true })}`));
      for (const line of captured) assert.equal(line.includes(SECRET), false, `leaked: ${line.slice(0, 120)}`);

      // Memory comes back once the storm is over (bounded growth, measured after a forced GC).
      global.gc?.();
      await sleep(100); // pacing, not a wait for a result: a turn of the loop for what the first GC freed
      global.gc?.();
      const grown = process.memoryUsage().heapUsed - heapBefore;
      assert.ok(grown < 64 * 1024 * 1024, `heap grew ${Math.round(grown / 1024 / 1024)} MiB`);
    });
  }
});
