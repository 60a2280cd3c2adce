/**
 * `manager.metrics()` and the diagnostics channels against the simulator, through both
 * transports: the figures a reading gives must be the ones the simulator and the bot made.
 */
import assert from 'node:assert/strict';
import diagnostics_channel from 'node:diagnostics_channel';
import { threadId } from 'node:worker_threads';
import { describe, test } from '../helpers/node-test.js';
import type { BatchMessage, FailoverMessage, RestMessage, SocketReconnectMessage } from '../../src/index.js';
import { createManager, fastOptions, nodeFor, transports, USER_ID } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const GUILDS = ['1000000000000000001', '1000000000000000002', '1000000000000000003', '1000000000000000004', '1000000000000000005'];

/** Subscribes to a channel for the test's length. */
function collect<T>(t: { after(fn: () => void): void }, name: string): T[] {
  const seen: T[] = [];
  const listener = (message: unknown): void => void seen.push(message as T);
  diagnostics_channel.subscribe(name, listener);
  t.after(() => diagnostics_channel.unsubscribe(name, listener));
  return seen;
}

describe('manager.metrics()', () => {
  for (const transport of transports) {
    test(`${transport}: nodes, threads and event counts match what the simulator sent`, async (t) => {
      // No periodic stats or updates: every event the main thread gets is one the test caused.
      const quiet = { statsIntervalMs: 600_000, playerUpdateIntervalMs: 600_000 };
      const simA = await startSimulator(t, quiet);
      const simB = await startSimulator(t, quiet);
      // No pings either: each one's round trip is a state event.
      const manager = createManager(t, transport, [nodeFor(simA, 'a'), nodeFor(simB, 'b')], { defaultSocketOptions: { ...fastOptions, pingInterval: 60_000, deadAfter: 120_000 } });
      const batches = collect<BatchMessage>(t, 'lavathread:batch');
      const rests = collect<RestMessage>(t, 'lavathread:rest');
      manager.init(USER_ID);
      const a = manager.sockets.get('a')!;
      const b = manager.sockets.get('b')!;
      await Promise.all([a.onReady(), b.onReady()]);
      const players = GUILDS.map((guild, i) => manager.create(guild, i < 3 ? a : b));
      const loaded = await manager.load('sim:track?length=600000');
      assert.equal(loaded.loadType, 'track');
      await players[0]!.play(loaded.loadType === 'track' ? loaded.track : '');
      // A REST call is told with the host's next flush, not with the call's answer.
      const isPlay = (r: RestMessage): boolean => r.manager === manager && r.method === 'PATCH' && r.route.includes('/players/');
      await until(() => rests.some(isPlay), 5000, 'the play on lavathread:rest');

      const first = await manager.metrics();
      assert.equal(first.transport, transport);
      const nodeA = first.nodes.find((n) => n.id === 'a')!;
      const nodeB = first.nodes.find((n) => n.id === 'b')!;
      assert.deepEqual([nodeA.state, nodeA.players, nodeA.playing, nodeB.players, nodeB.playing], ['ready', 3, 1, 2, 0]);
      assert.equal(nodeA.version, 4);
      assert.ok(nodeA.ping >= -1 && nodeA.penalties >= 0 && nodeA.queued === 0);
      assert.ok(nodeA.restCalls >= 1, 'the play went over REST (v4) and was counted');
      assert.equal(nodeA.restErrors, 0);
      assert.equal(nodeA.lastErrorCode, null);
      const play = rests.find(isPlay);
      assert.deepEqual(play && { route: play.route, status: play.status, socketId: play.socketId }, { route: '/v4/sessions/:sessionId/players/:guildId', status: 200, socketId: 'a' });
      assert.ok(rests.some((r) => r.manager === manager && r.route === '/v4/loadtracks' && r.method === 'GET'));
      assert.ok(rests.every((r) => !JSON.stringify(r, (k, v: unknown) => (k === 'manager' ? undefined : v)).includes(simA.options.password)), 'never the password');
      if (transport === 'worker') {
        assert.equal(first.workers.length, 1, 'one worker thread hosts both sockets');
        const worker = first.workers[0]!;
        assert.deepEqual([...worker.sockets].sort(), ['a', 'b']);
        assert.notEqual(worker.threadId, threadId);
        assert.equal(nodeA.threadId, worker.threadId);
        assert.ok(worker.heapUsed > 0 && worker.heapTotal >= worker.heapUsed);
        assert.ok(worker.utilization >= 0 && worker.utilization <= 1);
      } else {
        assert.deepEqual(first.workers, []);
        assert.equal(nodeA.threadId, null);
      }
      assert.ok(first.mainThread.utilization > 0 && first.mainThread.utilization <= 1);

      // A flood the main thread must count to the event: each playerUpdate of a columnar run is one.
      let updates = 0;
      manager.on('playerUpdate', () => updates++);
      const flood = await simA.flood({ rate: 20_000, guilds: 3, durationMs: 400, guildIds: GUILDS.slice(0, 3) });
      assert.ok(flood.frames > 100, `a real flood (${flood.frames} frames)`);
      await until(() => updates >= flood.frames, 10_000, 'every flooded update');
      const second = await manager.metrics();
      assert.equal(second.events.total - first.events.total, flood.frames, 'events counted = frames the simulator sent');
      assert.ok(second.events.batches > first.events.batches && second.events.bytes > first.events.bytes);
      assert.ok(second.events.perSecond > 0);
      const published = batches.filter((m) => m.manager === manager);
      assert.equal(published.reduce((sum, m) => sum + m.events, 0), second.events.total, 'lavathread:batch saw every batch');
      assert.equal(published.length, second.events.batches);
      if (transport === 'worker') {
        const worker = second.workers[0]!;
        assert.ok(worker.eventsPerSecond > 0 && worker.batchesPerSecond > 0);
        assert.ok(worker.batchesPerSecond <= worker.eventsPerSecond, 'updates travel batched');
      }
    });

    test(`${transport}: reconnects, failovers and the last error are counted and published`, async (t) => {
      const simA = await startSimulator(t);
      const simB = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(simA, 'a'), nodeFor(simB, 'b')]);
      const reconnects = collect<SocketReconnectMessage>(t, 'lavathread:socket:reconnect');
      const failovers = collect<FailoverMessage>(t, 'lavathread:failover');
      manager.init(USER_ID);
      const a = manager.sockets.get('a')!;
      const b = manager.sockets.get('b')!;
      await Promise.all([a.onReady(), b.onReady()]);
      const moving = [manager.create(GUILDS[0]!, b), manager.create(GUILDS[1]!, b)];

      simA.dropConnections({ abrupt: true });
      await until(() => reconnects.some((m) => m.socket === a), 5000, 'a reconnect published');
      await a.onReady();
      assert.equal((await manager.metrics()).nodes.find((n) => n.id === 'a')!.reconnects, a.counters.reconnects);
      assert.ok(a.counters.reconnects >= 1);
      assert.equal(reconnects.find((m) => m.socket === a)!.manager, manager);

      // Node b goes away: its tries run out and its players fail over to a.
      await simB.close();
      await until(() => moving.every((p) => p.socket === a), 15_000, 'both players on node a');
      const reading = await manager.metrics();
      const nodeB = reading.nodes.find((n) => n.id === 'b')!;
      assert.equal(nodeB.failovers, 2);
      assert.notEqual(nodeB.state, 'ready');
      assert.equal(typeof nodeB.lastErrorCode, 'string', 'the error that took b down is remembered');
      assert.deepEqual(
        failovers.filter((m) => m.manager === manager).map((m) => [m.player.guildId, m.from.id, m.to.id]).sort(),
        [
          [GUILDS[0], 'b', 'a'],
          [GUILDS[1], 'b', 'a'],
        ],
      );
      assert.deepEqual([reading.nodes.find((n) => n.id === 'a')!.players, nodeB.players], [2, 0]);
    });
  }

  test('a closed manager refuses a reading with LAVALINK_MANAGER_CLOSED', async (t) => {
    const sim = await startSimulator(t);
    const manager = createManager(t, 'inline', [nodeFor(sim)]);
    await manager.close();
    await assert.rejects(() => manager.metrics(), { code: 'LAVALINK_MANAGER_CLOSED' });
  });
});
