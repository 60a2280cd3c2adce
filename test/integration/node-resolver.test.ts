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
      assert.deepEqual(asked[0]!.request, { guildId: guild(0), player: null, reason: 'create', region: null });
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
      // Penalties count each node's stats: both must have had theirs, or the one without looks emptier by far.
      await until(() => [...manager.sockets.values()].every((s) => s.stats.cpu.cores > 0), 5000, "both nodes' first stats");

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

for (const transport of transports) {
  describe(`voice regions over the ${transport} transport`, () => {
    test('create(guild, { region }) prefers nodes serving it, and failover keeps to them', async (t) => {
      const sims = await Promise.all([startSimulator(t), startSimulator(t), startSimulator(t)]);
      const requests: NodeRequest[] = [];
      const manager = createManager(t, transport, [
        { ...nodeFor(sims[0], 'east'), regions: ['us-east'] },
        { ...nodeFor(sims[1], 'rot1'), regions: ['Rotterdam'] },
        { ...nodeFor(sims[2], 'rot2'), regions: ['rotterdam', 'frankfurt'] },
      ], {
        defaultSocketOptions: { ...fastOptions, maxTries: 2 },
        nodeResolver: (request, candidates) => {
          requests.push(request);
          return request.region === 'rotterdam' && request.reason === 'create' ? candidates.find((s) => s.id === 'rot1') : undefined;
        },
      });
      manager.init(USER_ID);
      const [east, rot1, rot2] = ['east', 'rot1', 'rot2'].map((id) => manager.sockets.get(id)!) as [Socket, Socket, Socket];
      await Promise.all([east, rot1, rot2].map((s) => s.onReady()));
      assert.deepEqual(rot2.regions, ['rotterdam', 'frankfurt']);
      assert.equal(manager.create(guild(1), { region: 'US-East' }).socket, east, 'regions match without regard to case');
      assert.equal(manager.create(guild(2), { region: 'frankfurt' }).socket, rot2);
      const dutch = manager.create(guild(3), { region: 'rotterdam' });
      assert.equal(dutch.socket, rot1);
      assert.equal(requests.at(-1)!.region, 'rotterdam');
      // rot2 now carries more than east: only the region can make failover pick it.
      for (const i of [4, 5, 6]) manager.create(guild(i), rot2);
      sims[1].refuseConnections(60_000);
      sims[1].restart({ downMs: 60_000 });
      await until(() => dutch.socket !== rot1, 10_000, 'the rotterdam player to fail over');
      assert.equal(dutch.socket, rot2, 'to the node that serves its region, not the emptier one');
      const failover = requests.find((r) => r.reason === 'failover');
      assert.equal(failover?.region, 'rotterdam');
      assert.ok(['east', 'rot2'].includes(manager.create(guild(7), { region: 'brazil' }).socket.id), 'a region no node serves: the least loaded');
    });

    test('a region must be a name; regions of a node, an array of names', async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)]);
      for (const bad of [{ region: '' }, { region: 5 }, {}, { id: 'main' }, 42, 'us-east']) {
        assert.throws(() => manager.create(guild(1), bad as never), (error: any) => error.code === ErrorCode.InvalidOption && error.option === 'socket', JSON.stringify(bad));
      }
      assert.equal(manager.players.size, 0, 'nothing was made');
      assert.throws(() => new Manager([{ ...nodeFor(sim), regions: [1] as never }], { send: () => {} }), (error: any) => error.code === ErrorCode.InvalidOption && error.option === 'nodes[0].regions');
    });
  });
}

describe('nodeResolver option', () => {
  test('must be a function', () => {
    assert.throws(() => new Manager([], { send: () => {}, nodeResolver: 42 as never }), (error: any) => error.code === ErrorCode.InvalidOption && error.option === 'options.nodeResolver');
  });
});
