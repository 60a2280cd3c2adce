/**
 * A worker dies mid-traffic (it exits, or throws an uncaught error): pending calls reject with
 * WorkerExitedError, the socket comes back on a new worker and resumes, and every op that was not
 * acknowledged reaches the node.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { createManager, nodeFor, protocols, USER_ID, waitFor } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';
import { crashWorker, testWorker } from '../../src/testing/index.js';

const GUILD = '1000000000000000001';

function volumes(sim: LavalinkSimulator): number[] {
  if (sim.release.protocol === 4) {
    return sim.requests.filter((r) => r.method === 'PATCH' && r.status === 200 && typeof (r.body as any)?.volume === 'number').map((r) => (r.body as any).volume as number);
  }
  return sim.frames.filter((f) => (f.data as any)?.op === 'volume' && f.applied).map((f) => (f.data as any).volume as number);
}

describe('worker crash recovery', () => {
  for (const protocol of protocols) {
    for (const kind of ['exit', 'throw'] as const) {
      test(`v${protocol}: a worker that ${kind === 'exit' ? 'exits' : 'throws an uncaught error'} mid-traffic loses nothing`, async (t) => {
        const unhandled: unknown[] = [];
        const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
        process.on('unhandledRejection', onUnhandled);
        t.after(() => process.off('unhandledRejection', onUnhandled));

        const sim = await startSimulator(t, { protocol });
        const manager = createManager(t, 'worker', [nodeFor(sim, 'main', { version: protocol })], { workerFile: testWorker });
        const errors: string[] = [];
        manager.on('socketError', (_s, error) => errors.push(error.code));
        const socket = manager.init(USER_ID).sockets.get('main')!;
        await socket.onReady();
        await socket.send({ op: 'voiceUpdate', guildId: GUILD, sessionId: 's', event: { token: 't', guild_id: GUILD, endpoint: 'e' }, channelId: '2' });
        await until(() => socket.resumeKey !== undefined, 3000, 'resuming to be configured');
        const session = sim.sessions()[0]!.id;

        sim.delayRest(300); // keeps a REST call (and v4 PATCHes) in flight across the crash
        const pendingRest = socket.rest('GET', '/version');
        const sends = Array.from({ length: 15 }, (_, i) => socket.send({ op: 'volume', guildId: GUILD, volume: i + 1 }));
        const resumed = waitFor(manager, 'socketResumed', 10_000);
        resumed.catch(() => {}); // awaited below; a failure before then must not leave it unhandled
        // An exit kills the worker before it can answer; a throw happens just after it answered.
        await crashWorker(socket, kind).then(
          () => assert.equal(kind, 'throw'),
          (error: { code?: string }) => assert.equal(error.code, ErrorCode.WorkerExited),
        );
        await assert.rejects(pendingRest, { code: ErrorCode.WorkerExited });
        sends.push(...Array.from({ length: 15 }, (_, i) => socket.send({ op: 'volume', guildId: GUILD, volume: i + 16 })));
        sim.delayRest(0);
        await resumed;
        await Promise.all(sends);
        await until(() => new Set(volumes(sim)).size === 30, 2000, 'the node to apply every op');

        assert.equal(socket.connected, true);
        assert.deepEqual(socket.queue, []);
        assert.equal(sim.sessions().length, 1);
        assert.equal(sim.sessions()[0]!.id, session, 'the same session, resumed from the new worker');
        const got = volumes(sim);
        const firstSeen = got.filter((v, i) => got.indexOf(v) === i);
        assert.deepEqual(firstSeen, Array.from({ length: 30 }, (_, i) => i + 1), 'every op arrived, in order (a replay may repeat one)');
        assert.equal(sim.players()[0]!.volume, 30, 'the last op wins');
        assert.ok(errors.includes(ErrorCode.WorkerExited), 'the crash was reported');
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(unhandled, []);
      });
    }
  }
});

describe('a worker crash loop', () => {
  test('a host that keeps dying right after its start backs off, then counts against maxTries', async (t) => {
    const sim = await startSimulator(t);
    const manager = createManager(t, 'worker', [nodeFor(sim, 'main', { version: 4 })], { workerFile: testWorker, defaultSocketOptions: { retryDelay: 20, maxRetryDelay: 100, maxTries: 2, pingInterval: 100, deadAfter: 600 } });
    const socket = manager.init(USER_ID).sockets.get('main')!;
    const disconnected = waitFor(manager, 'socketDisconnect', 10_000);
    disconnected.catch(() => {});
    let crashes = 0;
    const crash = (): void => {
      crashes++;
      crashWorker(socket, 'exit').catch(() => {});
    };
    manager.on('socketReady', crash);
    manager.on('socketResumed', crash);
    await socket.onReady().catch(() => {});
    const [gone, error] = await disconnected;
    assert.equal(gone, socket);
    assert.equal(error?.code, ErrorCode.WorkerExited, 'told why');
    assert.equal(crashes, 3, 'two restarts, then the socket gives up');
    assert.equal(manager.sockets.has('main'), false);
  });
});
