/**
 * Close codes driving the connection (protocol/close-codes.ts), against real servers on loopback:
 * the simulator closing with a chosen code, and a bare ws server that refuses a client before any
 * frame. The connection runs as the host runs it, its events recorded; one test goes through a
 * Manager on a worker thread, to see the close code cross the thread boundary on the error.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { WebSocketServer } from 'ws';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, SocketClosedError } from '../../src/errors.js';
import { Connection } from '../../src/host/connection.js';
import type { EventSink } from '../../src/host/report.js';
import { EventKind, type HostEvent } from '../../src/ipc/events.js';
import { defaultSocketOptions, type SocketConfig } from '../../src/socket-options.js';
import { CloseDecision } from '../../src/protocol/close-codes.js';
import type { NodeFrame } from '../../src/protocol/frames.js';
import type { NodeEvent } from '../../src/protocol/node-events.js';
import { createManager, fastOptions, USER_ID, waitFor } from '../helpers/manager.js';
import { PASSWORD, until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

type Ready = Extract<HostEvent, { kind: typeof EventKind.Ready }>;

/** Records what a connection emits, frames read as the Batcher would read them. */
class Recorder implements EventSink {
  readonly events: HostEvent[] = [];

  push(event: HostEvent): void {
    this.events.push(event);
  }

  /** Every frame is read whole here, plain playerUpdates too. */
  pushUpdate(): boolean {
    return false;
  }

  pushFrame(socket: string, frame: NodeFrame, read: (frame: NodeFrame) => NodeEvent | null): void {
    this.events.push({ kind: EventKind.Frame, socketId: socket, frame, event: read(frame) });
  }

  of<K extends HostEvent['kind']>(kind: K): Extract<HostEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<HostEvent, { kind: K }> => e.kind === kind);
  }
}

function configFor(port: number, version: 3 | 4, extra: Partial<SocketConfig> = {}): SocketConfig {
  return {
    ...defaultSocketOptions,
    ...fastOptions,
    resumeKey: null,
    id: 'main',
    host: '127.0.0.1',
    port,
    password: PASSWORD,
    secure: false,
    ca: null,
    version,
    shards: 1,
    clientName: 'lavathread-test/1',
    resuming: true,
    restTimeout: 5000,
    readyTimeout: 5000,
    ...extra,
  };
}

function connect(t: TestContext, config: SocketConfig): { connection: Connection; recorder: Recorder } {
  const recorder = new Recorder();
  const connection = new Connection({ config, userId: USER_ID, resume: null, flushWindowMs: 0, resumable: true }, recorder);
  t.after(() => connection.close(1000, 'test over'));
  return { connection, recorder };
}

/** A server that upgrades every connection, then closes it with `code` before sending anything. */
async function refusingServer(t: TestContext, code: number, reason: string): Promise<{ port: number; handshakes: () => number }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  let handshakes = 0;
  server.on('connection', (ws) => {
    handshakes++;
    ws.close(code, reason);
  });
  await once(server, 'listening');
  t.after(
    () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as { port: number }).port, handshakes: () => handshakes };
}

describe('close codes drive the connection', () => {
  for (const protocol of [4, 3] as const) {
    test(`v${protocol}: a node that took the connection and closes it with 1008 or 4000 is tried again, and resumed`, async (t) => {
      const sim = await startSimulator(t, { protocol });
      const { recorder } = connect(t, configFor(sim.port, protocol));
      await until(() => sim.sessions()[0]?.resumable === true, 5000, 'resuming configured');
      for (const code of [1008, 4000]) {
        const closes = recorder.of(EventKind.Close).length;
        const readies = recorder.of(EventKind.Ready).length;
        sim.dropConnections({ code, reason: 'bye' });
        await until(() => recorder.of(EventKind.Ready).length > readies, 5000, 'back');
        const close = recorder.of(EventKind.Close)[closes]!;
        assert.deepEqual([close.code, close.reason, close.decision], [code, 'bye', CloseDecision.Retry]);
        assert.equal(recorder.of(EventKind.Ready).at(-1)!.resumed, true, 'the same session');
      }
      assert.equal(recorder.of(EventKind.Disconnect).length, 0);
    });

    test(`v${protocol}: a link that breaks (1006) under a resumable session is a resume`, async (t) => {
      const sim = await startSimulator(t, { protocol });
      const { recorder } = connect(t, configFor(sim.port, protocol));
      await until(() => sim.sessions()[0]?.resumable === true, 5000, 'resuming configured');
      sim.dropConnections({ abrupt: true });
      await until(() => recorder.of(EventKind.Ready).length === 2, 5000, 'back');
      const [close] = recorder.of(EventKind.Close);
      assert.deepEqual([close!.code, close!.decision], [1006, CloseDecision.Resume]);
      assert.equal(recorder.of(EventKind.Ready)[1]!.resumed, true);
    });
  }

  test('a node that cannot resume (NodeLink-like) closing on shutdown (1000) is a failover: the key is forgotten, a new session follows', async (t) => {
    const sim = await startSimulator(t, { flavour: 'nodelink' });
    const { recorder } = connect(t, configFor(sim.port, 4));
    await until(() => recorder.of(EventKind.State).some((e) => e.state.resumable === false), 5000, 'resuming found unsupported');
    sim.dropConnections({ code: 1000, reason: 'Server shutdown' });
    await until(() => recorder.of(EventKind.Ready).length === 2, 5000, 'back');
    const [close] = recorder.of(EventKind.Close);
    assert.deepEqual([close!.code, close!.reason, close!.decision], [1000, 'Server shutdown', CloseDecision.Failover]);
    const [first, second] = recorder.of(EventKind.Ready) as [Ready, Ready];
    assert.equal(second.resumed, false);
    assert.notEqual(second.sessionId, first.sessionId);
    assert.equal(recorder.of(EventKind.Disconnect).length, 0, 'still a node of ours: probed, not dropped');
  });

  for (const protocol of [4, 3] as const) {
    test(`v${protocol}: a node that closes with a policy violation before taking the connection is given up: one try, the close code on every error`, async (t) => {
      const server = await refusingServer(t, 1008, 'Not allowed');
      const { connection, recorder } = connect(t, configFor(server.port, protocol));
      const sent = connection.send({ op: 'volume', guildId: '1', volume: 5 }, Date.now() + 60_000).catch((e: unknown) => e);
      await connection.done;
      const [close] = recorder.of(EventKind.Close);
      assert.deepEqual([close!.code, close!.decision], [1008, CloseDecision.GiveUp]);
      const [disconnect] = recorder.of(EventKind.Disconnect);
      assert.equal(disconnect!.final, true);
      assert.deepEqual([disconnect!.error?.code, disconnect!.error?.closeCode], [ErrorCode.SocketClosed, 1008]);
      assert.match(disconnect!.error!.message, /1008 policy violation: Not allowed/);
      const rejected = await sent;
      assert.ok(rejected instanceof SocketClosedError);
      assert.equal(rejected.closeCode, 1008);
      assert.equal(server.handshakes(), 1, 'never tried again');
    });
  }

  test("Lavalink before 3.3 refusing the password with 4000: the socket stops, and the worker's error carries the close code", async (t) => {
    const server = await refusingServer(t, 4000, 'Authorization rejected');
    const manager = createManager(t, 'worker', [{ id: 'old', host: '127.0.0.1', port: server.port, password: PASSWORD, version: 3 }]);
    const closed = waitFor(manager, 'socketClose', 10_000);
    const disconnected = waitFor(manager, 'socketDisconnect', 10_000);
    manager.init(USER_ID);
    const [, code, reason] = await closed;
    assert.deepEqual([code, reason], [4000, 'Authorization rejected']);
    const [, error] = await disconnected;
    assert.ok(error instanceof SocketClosedError);
    assert.equal(error.closeCode, 4000);
    assert.equal(manager.sockets.has('old'), false, 'a node that refuses us is not ours any more');
    assert.equal(server.handshakes(), 1);
  });
});
