import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { Manager, type NodeStats } from '../../src/index.js';
import { hubOf } from '../../src/wiring.js';
import { EventKind } from '../../src/ipc/events.js';
import { emptyStats } from '../../src/protocol/messages.js';

const nodes = ['idle', 'busy-cpu', 'many-players', 'dropping-frames', 'down'].map((id, i) => ({ id, host: '127.0.0.1', port: 2333 + i, password: 'pw' }));

function stats(change: Partial<NodeStats>): NodeStats {
  return { ...emptyStats(), uptime: 1000, cpu: { cores: 4, systemLoad: 0.05, lavalinkLoad: 0.01 }, ...change };
}

describe('Manager.ideal', () => {
  test('orders ready nodes by penalties (players, CPU curve, frame deficit and nulled) and skips the rest', (t) => {
    const manager = new Manager(nodes, { send: () => {}, workers: 0 });
    t.after(() => manager.close());
    const feed = (id: string, ready: boolean, s: NodeStats): void => {
      // As the manager's router would: the host's ready event, then the node's stats.
      const driver = hubOf(manager)!.socketDriver(manager.sockets.get(id))!;
      if (ready) driver.handle({ kind: EventKind.Ready, socketId: id, resumed: false, sessionId: 'session' });
      driver.setStats(s);
    };
    feed('idle', true, stats({}));
    feed('busy-cpu', true, stats({ cpu: { cores: 4, systemLoad: 0.9, lavalinkLoad: 0.5 } }));
    feed('many-players', true, stats({ players: 40, playingPlayers: 30 }));
    feed('dropping-frames', true, stats({ playingPlayers: 2, frameStats: { sent: 2000, nulled: 600, deficit: 1000 } }));
    feed('down', false, stats({}));

    const order = manager.ideal.map((s) => s.id);
    assert.deepEqual(order, ['idle', 'many-players', 'busy-cpu', 'dropping-frames']);
    const penalties = Object.fromEntries([...manager.sockets.values()].map((s) => [s.id, s.penalties]));
    assert.ok(Math.abs(penalties.idle! - (1.05 ** 5 * 10 - 10)) < 1e-9, 'the CPU curve of a 5% load');
    assert.equal(penalties['many-players']! - penalties.idle!, 30, 'one point per playing player');
    assert.equal(penalties.down, Number.MAX_SAFE_INTEGER);
    assert.equal(order.includes('down'), false);
  });
});
