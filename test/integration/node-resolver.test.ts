/**
 * ManagerOptions.nodeResolver: the bot picks the node of each new player and of each player that
 * fails over; whatever it answers that is not a ready node falls back to the least loaded one.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, Manager, type NodeRequest, type Socket } from '../../src/index.js';
import { createManager, fastOptions, nodeFor, transports, USER_ID } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const guild = (i: number): string => String(1000000000000000000n + BigInt(i));

for (const transport of transports) {
  describe(`nodeResolver over the ${transport} transport`, () => {
    test('places new players where it says, and is asked again with the player when its node is gone', async (t) => {
      const sims = await Promise.all(['A', 'B', 'C'].map(() => startSimulator(t)));
      const asked: { request: NodeRequest; candidates: string[] }[] = [];
      // Even guilds on A, odd on B; whatever fails over goes to C.
      const manager = createManager(t, transport, sims.map((sim, i) => nodeFor(sim, 'ABC'[i])), {
        defaultSocketOptions: { ...fastOptions, maxTries: 2 },
        nodeResolver: (request, candidates) => {
          asked.push({ request, candidates: candidates.map((s) => s.id) });
          if (request.reason === 'failover') return candidates.find((s) => s.id === 'C');
          return candidates.find((s) => s.id === (Number(BigInt(request.guildId) % 2n) === 0 ? 'A' : 'B'));
        },
      });
      manager.init(USER_ID);
      const [a, b, c] = ['A', 'B', 'C'].map((id) => manager.sockets.get(id)!) as [Socket, Socket, Socket];
      await Promise.all([a.onReady(), b.onReady(), c.onReady()]);

      const players = Array.from({ length: 6 }, (_, i) => manager.create(guild(i)));
      assert.deepEqual(players.map((p) => p.socket.id), ['A', 'B', 'A', 'B', 'A', 'B']);
      assert.deepEqual(asked[0]!.request, { guildId: guild(0), player: null, reason: 'create' });
      assert.deepEqual([...asked[0]!.candidates].sort(), ['A', 'B', 'C'], 'every ready node is a candidate');
      assert.equal(manager.create(guild(0)), players[0], 'an existing player is not placed again');
      assert.equal(asked.length, 6);

      // Node A goes for good: its players are offered to the resolver again, one by one.
      sims[0]!.refuseConnections(60_000);
      sims[0]!.restart({ downMs: 60_000 });
      await until(() => players.filter((_, i) => i % 2 === 0).every((p) => p.socket === c), 10_000, "A's players on C");
      const failovers = asked.filter((x) => x.request.reason === 'failover');
      assert.deepEqual(failovers.map((x) => x.request.guildId).sort(), [guild(0), guild(2), guild(4)]);
      assert.ok(failovers.every((x) => x.request.player === manager.get(x.request.guildId) && !x.candidates.includes('A')), 'the player itself, and only ready nodes');
      assert.ok(players.filter((_, i) => i % 2 === 1).every((p) => p.socket === b), "B's players stay");
    });

    test('an answer that is not a ready node, or a throw, falls back to the least loaded node and says so in debug', async (t) => {
      const sims = await Promise.all([startSimulator(t), startSimulator(t)]);
      const other = new Manager([{ id: 'X', host: '127.0.0.1', port: 1, password: 'p' }], { send: () => {}, workers: 0 });
      t.after(() => other.close());
      let answer: (candidates: readonly Socket[]) => unknown = () => undefined;
      const manager = createManager(t, transport, [nodeFor(sims[0], 'A'), nodeFor(sims[1], 'B')], {
        nodeResolver: (_request, candidates) => answer(candidates) as Socket,
      });
      const debug: string[] = [];
      manager.on('debug', (line) => debug.push(line));
      manager.init(USER_ID);
      await Promise.all([...manager.sockets.values()].map((s) => s.onReady()));

      answer = () => other.sockets.get('X');
      const first = manager.create(guild(1));
      answer = () => {
        throw new Error('resolver bug');
      };
      const second = manager.create(guild(2));
      answer = () => undefined;
      const third = manager.create(guild(3));
      // Least loaded, counting the players placed so far: the second goes where the first did not.
      assert.notEqual(first.socket, second.socket);
      assert.ok(['A', 'B'].includes(third.socket.id));
      assert.ok(debug.some((line) => /nodeResolver answered something other than a ready node/.test(line)));
      assert.ok(debug.some((line) => /nodeResolver threw .*resolver bug/.test(line)));
    });
  });
}

describe('nodeResolver option', () => {
  test('must be a function', () => {
    assert.throws(() => new Manager([], { send: () => {}, nodeResolver: 42 as never }), (error: any) => error.code === ErrorCode.InvalidOption && error.option === 'options.nodeResolver');
  });
});
