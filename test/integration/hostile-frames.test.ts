/**
 * Hostile frames from a node: prototype keys at any depth pollute nothing on the main thread and
 * arrive as plain data; a frame over the size limit closes the connection with a typed error,
 * and the socket comes back.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, type LavalinkMessage } from '../../src/index.js';
import { createManager, fastOptions, nodeFor, transports, USER_ID, waitFor } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';
import { hostPrototypeTouched, testWorker } from '../../src/testing/index.js';

const GUILD = '1000000000000000001';

describe('hostile frames', () => {
  for (const transport of transports) {
    test(`${transport}: __proto__, constructor and prototype keys at any depth pollute nothing`, async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)], { workerFile: testWorker });
      const frames: LavalinkMessage[] = [];
      manager.on('raw', (_s, message) => frames.push(message));
      const socket = manager.init(USER_ID).sockets.get('main')!;
      await socket.onReady();
      const player = manager.create(GUILD);
      const hostile = [
        `{"op":"playerUpdate","guildId":"${GUILD}","state":{"time":1,"position":5,"__proto__":{"polluted":1}},"__proto__":{"polluted":2}}`,
        `{"op":"event","type":"TrackStuckEvent","guildId":"${GUILD}","thresholdMs":1,"track":{"encoded":"x","info":{"constructor":{"prototype":{"polluted":3}}}}}`,
        '{"op":"stats","players":1,"constructor":{"prototype":{"polluted":4}},"prototype":{"polluted":5},"cpu":{"__proto__":{"polluted":6}}}',
        '{"op":"custom","a":[{"b":{"__proto__":{"polluted":7}}}]}',
        '{"op":"after"}',
      ];
      for (const frame of hostile) sim.sendRaw(frame);
      await until(() => frames.some((f) => f.op === 'after'), 3000, 'the frames');
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
      assert.equal(await hostPrototypeTouched(socket), false, "the hosting thread's Object.prototype untouched too");
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
      for (const frame of frames) {
        assert.equal(Object.getPrototypeOf(frame), Object.prototype, 'plain objects');
        assert.equal((frame as Record<string, unknown>).polluted, undefined);
      }
      assert.equal(player.position >= 0, true);
      assert.equal((player as unknown as Record<string, unknown>).polluted, undefined);
      assert.equal((socket.stats as unknown as Record<string, unknown>).polluted, undefined);
      assert.equal(socket.stats.players, 1);
      assert.equal(socket.connected, true);
    });

    test(`${transport}: a frame over maxFrameBytes ends the connection with LAVALINK_BAD_FRAME, and the socket comes back`, async (t) => {
      const sim = await startSimulator(t);
      const manager = createManager(t, transport, [nodeFor(sim)], { defaultSocketOptions: { ...fastOptions, maxFrameBytes: 64 * 1024 } });
      const errors: string[] = [];
      manager.on('socketError', (_s, error) => errors.push(error.code));
      const socket = manager.init(USER_ID).sockets.get('main')!;
      await socket.onReady();
      await until(() => sim.sessions()[0]?.resumable === true, 2000, 'resuming');
      const closed = waitFor(manager, 'socketClose');
      const back = waitFor(manager, 'socketResumed', 5000);
      back.catch(() => {}); // awaited below
      sim.sendRaw(JSON.stringify({ op: 'huge', data: 'x'.repeat(100 * 1024) }));
      await closed; // ws answers 1009 to the node and cuts the connection (1006 on this side)
      assert.ok(errors.includes(ErrorCode.BadFrame));
      await back;
      assert.equal(socket.connected, true);
    });
  }
});
