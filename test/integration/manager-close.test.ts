import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, test } from '../helpers/node-test.js';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '../../src/index.js';
import { createManager, nodeFor, transports, USER_ID } from '../helpers/manager.js';
import { startSimulator } from '../helpers/simulator.js';

const fixture = fileURLToPath(new URL('../fixtures/manager-lifecycle.ts', import.meta.url));

describe('Manager.close()', () => {
  for (const transport of transports) {
    test(`${transport}: releases every worker, port and timer: the process exits on its own`, async (t) => {
      const sim = await startSimulator(t);
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, String(sim.port), transport === 'worker' ? '1' : '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
      t.after(() => child.kill('SIGKILL'));
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
      clearTimeout(timer);
      assert.equal(signal, null, 'it exited by itself, not killed after the time limit');
      assert.equal(code, 0);
      assert.equal(out.trim(), 'closed');
      assert.equal(sim.requests.filter((r) => r.method === 'PATCH' && (r.body as any)?.volume === 50).length, 1);
    });

    test(`${transport}: closing right after the session opens tells no socketError (closing is asked, not an error)`, async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)]);
      const errors: string[] = [];
      manager.on('socketError', (_socket, error) => errors.push(error.code));
      await manager.init(USER_ID).sockets.get('main')!.onReady();
      manager.create('1000000000000000001');
      await manager.close();
      assert.deepEqual(errors, []);
    });

    test(`${transport}: after close, calls fail with typed errors`, async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)]);
      const socket = manager.init(USER_ID).sockets.get('main')!;
      await socket.onReady();
      await manager.close();
      await manager.close(); // idempotent
      assert.equal(socket.connected, false);
      assert.equal(manager.sockets.size, 0);
      await assert.rejects(socket.send({ op: 'volume', guildId: '1', volume: 1 }), { code: ErrorCode.SocketClosed });
      assert.throws(() => manager.init(USER_ID), { code: ErrorCode.ManagerClosed });
    });
  }
});
