/** Regressions found in review, each named after what broke. */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, InvalidOptionError, Manager, type LavalinkMessage } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { commandsDelivered, createManager, fastOptions, nodeFor, transports, USER_ID, waitFor } from '../helpers/manager.js';
import { sleep, until, within } from '../helpers/raw-client.js';
import { startSimulator, startSimulatorProcess } from '../helpers/simulator.js';
import { crashWorker, hostPrototypeTouched, testWorker } from '../../src/testing/index.js';

const GUILD = '1000000000000000001';

async function encoded(sim: LavalinkSimulator, identifier: string): Promise<string> {
  const res = await fetch(`${sim.url}${sim.release.protocol === 4 ? '/v4' : ''}/loadtracks?identifier=${encodeURIComponent(identifier)}`, { headers: { Authorization: 'youshallnotpass' } });
  const body = (await res.json()) as any;
  return sim.release.protocol === 4 ? body.data.encoded : body.tracks[0].track;
}

describe('socket regressions', () => {
  for (const transport of transports) {
    test(`${transport}: a deeply nested frame from the node is refused, and crashes nothing`, async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)]);
      const errors: string[] = [];
      const frames: LavalinkMessage[] = [];
      manager.on('socketError', (_s, error) => errors.push(error.code));
      manager.on('raw', (_s, message) => frames.push(message));
      const socket = manager.init(USER_ID).sockets.get('main')!;
      await socket.onReady();
      sim.sendRaw(`{"op":"deep","a":${'['.repeat(5000)}${']'.repeat(5000)}}`);
      sim.sendRaw('{"op":"after"}');
      await until(() => frames.some((f) => f.op === 'after'), 3000, 'the next frame');
      assert.ok(errors.includes(ErrorCode.BadFrame));
      assert.equal(frames.some((f) => f.op === 'deep'), false);
      assert.equal(socket.connected, true);
    });

    test(`${transport}: a malformed stats frame does not break penalties or ideal`, async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)]);
      const socket = manager.init(USER_ID).sockets.get('main')!;
      await socket.onReady();
      sim.sendRaw('{"op":"stats","players":"lots","cpu":null}');
      await until(() => socket.stats.uptime === 0, 3000, 'the bad stats');
      assert.equal(Number.isFinite(socket.penalties), true);
      assert.deepEqual(manager.ideal, [socket]);
    });

    test(`${transport}: calls in flight when the manager closes are settled at once`, async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim, 'main', { version: 4 })]);
      const socket = manager.init(USER_ID).sockets.get('main')!;
      await socket.onReady();
      sim.delayRest(600_000); // only close() can settle the call: the node would answer in 10 minutes
      const slow = socket.rest('GET', '/v4/info').then(
        () => null,
        (error: { code?: string }) => error,
      );
      await manager.close();
      // Bounded below the call's own timeout (restTimeout + 5 s): not left to time out.
      assert.equal((await within(slow, 8000, 'the call in flight to settle'))?.code, ErrorCode.SocketClosed);
    });

    test(`${transport}: connect() during version detection opens one connection, not two`, async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)]);
      let ready = 0;
      manager.on('socketReady', () => ready++);
      sim.delayRest(300);
      const socket = manager.init(USER_ID).sockets.get('main')!;
      await sleep(100); // pacing, not a wait for a result: connect() lands while detection (GET /v4/info) waits out the 300 ms
      socket.connect(USER_ID);
      await socket.onReady();
      // A marker: a REST call the worker makes after it handled connect(), answered only after
      // the same 300 ms as any detection that connect() could have started before it.
      await socket.rest('GET', '/version');
      assert.equal(sim.requests.filter((r) => r.path === '/v4/info').length, 1, 'the version was asked once');
      assert.equal(sim.handshakes.length, 1);
      assert.equal(ready, 1);
    });
  }

  test('inline: a long stall does not make a healthy connection look dead', async (t) => {
    const sim = await startSimulatorProcess(t);
    const manager = createManager(t, 'inline', [{ id: 'main', host: '127.0.0.1', port: sim.port, password: 'youshallnotpass', version: 4 }], {
      defaultSocketOptions: { ...fastOptions, pingInterval: 200, deadAfter: 1000 },
    });
    const closes: number[] = [];
    manager.on('socketClose', (_s, code) => closes.push(code));
    const socket = manager.init(USER_ID).sockets.get('main')!;
    await socket.onReady();
    await sleep(300); // pacing, not a wait for a result: the heartbeat (200 ms) runs before the stall
    const end = Date.now() + 1500;
    while (Date.now() < end) {
      // stalled: the pong and frames of the last 1.5 s wait unread
    }
    // Pacing, not a wait for a result: the timers due during the stall run now; a dead-peer check
    // that counted the stall against the node would close the connection within these 500 ms.
    await sleep(500);
    assert.deepEqual(closes, []);
    assert.equal(socket.connected, true);
  });

  test('v3: after a worker crash, a play superseded by a later one is not played again', async (t) => {
    const sim = await startSimulator(t, { protocol: 3 });
    const manager = createManager(t, 'worker', [nodeFor(sim, 'main', { version: 3 })], { workerFile: testWorker });
    const socket = manager.init(USER_ID).sockets.get('main')!;
    await socket.onReady();
    await until(() => sim.sessions()[0]?.resumable === true, 2000, 'resuming');
    const [a, b] = [await encoded(sim, 'dQw4w9WgXcQ'), await encoded(sim, 'y6120QOlsfU')];
    await socket.send({ op: 'play', guildId: GUILD, track: a });
    await socket.send({ op: 'play', guildId: GUILD, track: b });
    await until(() => sim.players()[0]?.track?.identifier === 'y6120QOlsfU', 2000, 'B playing');
    const resumed = waitFor(manager, 'socketResumed', 5000);
    await crashWorker(socket, 'exit').catch(() => {});
    await resumed;
    // Anything the new worker replays goes out before a command sent now.
    await commandsDelivered(sim, socket);
    const plays = sim.frames.filter((f) => (f.data as any)?.op === 'play' && f.applied).map((f) => (f.data as any).track);
    assert.equal(plays.filter((track) => track === a).length, 1, 'A was not replayed');
    assert.equal(sim.players()[0]!.track?.identifier, 'y6120QOlsfU');
  });

  test('options that ws or fetch would choke on are refused at construction, without showing the password', () => {
    const node = { id: 'a', host: '127.0.0.1', port: 2333, password: 'hunter2hunter2' };
    const send = (): void => {};
    assert.throws(() => new Manager([{ ...node, password: 'secret€pw' }], { send }), (e: Error) => e instanceof InvalidOptionError && !e.message.includes('secret'));
    assert.throws(() => new Manager([{ ...node, password: 'line\nbreak' }], { send }), InvalidOptionError);
    assert.throws(() => new Manager([{ ...node, host: 'exa mple' }], { send }), InvalidOptionError);
    assert.throws(() => new Manager([{ ...node, options: { retryDelay: 0 } }], { send }), InvalidOptionError);
    assert.throws(() => new Manager(node as never, { send }), (e: Error) => e instanceof InvalidOptionError && !e.message.includes('hunter2'));
  });
});

describe('regressions found by the chaos run', () => {
  test('the queued ops of a player that moves go to its new node, in order, not late to the old one', async (t) => {
    const [simA, simB] = [await startSimulator(t), await startSimulator(t)];
    const manager = createManager(t, 'worker', [nodeFor(simA, 'A', { version: 4 }), nodeFor(simB, 'B', { version: 4 })], { workerFile: testWorker, defaultSocketOptions: { ...fastOptions, maxTries: -1, maxRetryDelay: 100 } });
    manager.init(USER_ID);
    const [a, b] = [manager.sockets.get('A')!, manager.sockets.get('B')!];
    await Promise.all([a.onReady(), b.onReady()]);
    const player = manager.create(GUILD, a);
    simA.refuseConnections(60_000);
    simA.dropConnections({ abrupt: true });
    await until(() => !a.connected, 2000, 'A down');
    const sends = [101, 102, 103].map((volume) => player.setVolume(volume));
    // A control round trip: A's worker has taken the three ops into its queue before it answers.
    await within(hostPrototypeTouched(a), 5000, "A's worker to answer");
    assert.equal(a.queue.length, 3, 'waiting on A');
    await player.moveTo(b);
    await Promise.all(sends);
    const onB = simB.requests.filter((r) => typeof (r.body as any)?.volume === 'number').map((r) => (r.body as any).volume);
    assert.deepEqual(onB.slice(0, 3), [101, 102, 103], 'on B, in order, before the restore');
    assert.deepEqual(a.queue.map((op) => op.op), ['destroy'], 'A keeps only the destroy of its copy');
    simA.acceptConnections();
    await a.onReady();
    await commandsDelivered(simA, a); // whatever A still held has reached simA before this
    assert.equal(simA.requests.filter((r) => typeof (r.body as any)?.volume === 'number').length, 0, 'A never got them');
  });

  test('a command survives a node answering 5xx several times in a row', async (t) => {
    const sim = await startSimulator(t);
    const manager = createManager(t, 'worker', [nodeFor(sim, 'main', { version: 4 })], { defaultSocketOptions: { ...fastOptions, retryDelay: 20 } });
    const socket = manager.init(USER_ID).sockets.get('main')!;
    await socket.onReady();
    await until(() => sim.sessions()[0]?.resumable === true, 2000, 'resuming');
    sim.failRest({ status: 503, count: 4 });
    await socket.send({ op: 'volume', guildId: GUILD, volume: 77 });
    assert.equal(sim.players()[0]!.volume, 77);
  });
});
