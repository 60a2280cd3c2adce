/**
 * Resume after a process restart: process 1 plays on 20 players with a file store and dies;
 * process 2 (this one) with the same store takes the same sessions back, with 20 players in the
 * right state, and the node never destroyed them.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, test } from '../helpers/node-test.js';
import { storeDir } from '../helpers/store-dir.js';
import { fileURLToPath } from 'node:url';
import { FileSessionStore } from '../../src/index.js';
import { createManager, nodeFor, protocols, USER_ID, waitFor } from '../helpers/manager.js';
import { sleep, until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';
import { sameTrack } from '../../src/protocol/track-codec.js';

const fixture = fileURLToPath(new URL('../fixtures/restart-bot.ts', import.meta.url));

describe('resume after a process restart', () => {
  for (const protocol of protocols) {
    test(`v${protocol}: a new process with the same store takes the sessions and players back`, async (t) => {
      const store = await storeDir(t);
      const storePath = store.path('sessions.json');
      const sim = await startSimulator(t, { protocol });

      const child = spawn(process.execPath, ['--import', 'tsx', fixture, String(sim.port), storePath, String(protocol)], { stdio: ['ignore', 'pipe', 'inherit'] });
      t.after(() => child.kill('SIGKILL'));
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number];
      const downSince = Date.now();
      assert.equal(code, 0);
      assert.equal(out.trim(), 'saved');
      await until(() => sim.sessions()[0]?.state === 'paused', 3000, 'the node to keep the session waiting');
      const sessionId = sim.sessions()[0]!.id;
      assert.equal(sim.players().length, 20);

      // Pacing, not a wait for a result: the bot stays down a while, and the node plays on meanwhile.
      await sleep(Math.max(0, 2000 - (Date.now() - downSince)));
      const manager = store.closesBefore(createManager(t, 'worker', [nodeFor(sim, 'main', { version: protocol })], { sessionStore: new FileSessionStore(storePath) }));
      const resumed = waitFor(manager, 'socketResumed', 5000);
      manager.init(USER_ID);
      await resumed;
      await until(() => manager.players.size === 20, 5000, '20 players');
      await sleep(100);

      assert.equal(sim.sessions().length, 1);
      assert.equal(sim.sessions()[0]!.id, sessionId, 'the same session');
      assert.equal(sim.requests.filter((r) => r.method === 'DELETE').length, 0);
      assert.equal(sim.frames.filter((f) => (f.data as any)?.op === 'destroy').length, 0, 'never destroyed');
      const now = Date.now();
      for (const onNode of sim.players()) {
        const player = manager.get(onNode.guildId)!;
        assert.ok(player, onNode.guildId);
        assert.equal(player.track?.info.identifier, 'dQw4w9WgXcQ');
        assert.ok(sameTrack(player.track.encoded, onNode.track!.encoded), 'the same track (the node encodes its position into it)');
        assert.equal(player.volume, onNode.volume, `volume ${onNode.guildId}`);
        assert.equal(player.paused, onNode.paused, `paused ${onNode.guildId}`);
        assert.deepEqual(player.filters, onNode.filters, `filters ${onNode.guildId}`);
        assert.equal(player.channel, '2000000000000000002');
        assert.ok(Math.abs(player.position - onNode.position) < 1500, `position ${onNode.guildId}: ${player.position} against ${onNode.position}`);
        assert.equal(onNode.playing, !onNode.paused, 'still playing on the node');
      }
      void now;
      // The resumed players are live: a command reaches the node.
      await manager.get('1000000000000000001')!.setVolume(999);
      await until(() => sim.players().find((p) => p.guildId === '1000000000000000001')!.volume === 999, 2000, 'the command');
    });
  }

  test('a node that cannot resume (NodeLink): the new process restores every player from the store', async (t) => {
    const store = await storeDir(t);
    const storePath = store.path('sessions.json');
    const sim = await startSimulator(t, { flavour: 'nodelink' });
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, String(sim.port), storePath, '4'], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
    assert.equal(out.trim(), 'saved');
    // NodeLink drops a session and its players with the connection.
    await until(() => sim.players().length === 0, 3000, 'the node to drop the old players');

    const manager = store.closesBefore(createManager(t, 'worker', [nodeFor(sim)], { sessionStore: new FileSessionStore(storePath) }));
    const created: boolean[] = [];
    manager.on('playerCreate', (_player, restored) => created.push(restored));
    const ready = waitFor(manager, 'socketReady', 5000);
    manager.init(USER_ID);
    await ready;
    await until(() => manager.players.size === 20 && sim.players().filter((p) => p.track !== null).length === 20, 10_000, '20 players restored on the node');
    assert.deepEqual(created, Array<boolean>(20).fill(true), 'playerCreate for each, marked restored');
    for (const onNode of sim.players()) {
      const player = manager.get(onNode.guildId)!;
      assert.equal(player.track?.encoded, onNode.track!.encoded);
      await until(() => sim.players().find((p) => p.guildId === onNode.guildId)?.volume === player.volume, 3000, `volume ${onNode.guildId}`);
      const now = sim.players().find((p) => p.guildId === onNode.guildId)!;
      assert.equal(now.paused, player.paused, `paused ${onNode.guildId}`);
      assert.deepEqual(now.filters, player.filters, `filters ${onNode.guildId}`);
      assert.ok(Math.abs(player.position - now.position) < 1500, `position ${onNode.guildId}: ${player.position} against ${now.position}`);
    }
  });
});
