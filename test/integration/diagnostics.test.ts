/** Diagnostics on node:diagnostics_channel; the manager's `debug` event as one of its subscribers. */
import assert from 'node:assert/strict';
import diagnostics_channel from 'node:diagnostics_channel';
import { describe, test } from '../helpers/node-test.js';
import type { DebugMessage, SocketStateMessage } from '../../src/diagnostics.js';
import { createManager, nodeFor, transports, USER_ID } from '../helpers/manager.js';
import { startSimulator } from '../helpers/simulator.js';
import { until } from '../helpers/raw-client.js';

describe('diagnostics_channel', () => {
  for (const transport of transports) {
    test(`${transport}: a socket's debug lines and state changes are published; debug listeners get the same lines`, async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)]);
      const other = createManager(t, transport, [nodeFor(sim, 'other')]);
      const published: DebugMessage[] = [];
      const states: SocketStateMessage[] = [];
      const onDebug = (message: unknown): void => void published.push(message as DebugMessage);
      const onState = (message: unknown): void => void states.push(message as SocketStateMessage);
      diagnostics_channel.subscribe('lavathread:debug', onDebug);
      diagnostics_channel.subscribe('lavathread:socket:state', onState);
      t.after(() => {
        diagnostics_channel.unsubscribe('lavathread:debug', onDebug);
        diagnostics_channel.unsubscribe('lavathread:socket:state', onState);
      });
      const lines: string[] = [];
      const otherLines: string[] = [];
      manager.on('debug', (line) => lines.push(line));
      other.on('debug', (line) => otherLines.push(line));
      const socket = manager.init(USER_ID).sockets.get('main')!;
      other.init(USER_ID);
      await socket.onReady();
      assert.ok(states.some((s) => s.manager === manager && s.socket === socket && s.state === 'ready'), 'ready published');
      await until(() => published.some((m) => m.manager === manager && m.socketId === 'main' && /connected/.test(m.message)), 5000, 'a debug line');
      await until(() => lines.some((line) => line.startsWith('[socket main] ')), 5000, 'the debug event');
      assert.ok(lines.every((line) => !line.startsWith('[socket other]')), "one manager's listeners never hear another's lines");
      sim.dropConnections({ abrupt: true });
      await until(() => states.some((s) => s.socket === socket && s.state === 'closed'), 5000, 'closed published');
      assert.equal(typeof states.find((s) => s.state === 'closed')!.code, 'number');
    });
  }

  test('a manager subscribes only while it has debug listeners, and not after close', async (t) => {
    const sim = await startSimulator(t);
    const manager = createManager(t, 'inline', [nodeFor(sim)]);
    const channel = diagnostics_channel.channel('lavathread:debug');
    assert.equal(channel.hasSubscribers, false, 'nobody listens yet');
    const listener = (): void => {};
    manager.on('debug', listener);
    assert.equal(channel.hasSubscribers, true);
    manager.off('debug', listener);
    assert.equal(channel.hasSubscribers, false);
    manager.on('debug', listener);
    await manager.close();
    assert.equal(channel.hasSubscribers, false, 'close unsubscribes');
  });
});
