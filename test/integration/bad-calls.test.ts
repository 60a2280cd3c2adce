/**
 * Wrong inputs for every public constructor and method, each answered by its typed error with a
 * clear message: synchronously where the API is synchronous, as a rejection where it is async.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, FileSessionStore, LavalinkError, Manager, decodeTrack, encodeTrack } from '../../src/index.js';
import { LavalinkSimulator } from '../../src/testing/index.js';
import { createManager, nodeFor, USER_ID } from '../helpers/manager.js';
import { startSimulator } from '../helpers/simulator.js';

const GUILD = '1000000000000000001';
type Case = [what: string, call: () => unknown, code: string, message?: RegExp];

function expectSync(cases: Case[]): void {
  for (const [what, call, code, message] of cases) {
    assert.throws(call, (error: unknown) => {
      assert.ok(error instanceof LavalinkError, `${what}: a LavalinkError, got ${String(error)}`);
      assert.equal(error.code, code, what);
      if (message) assert.match(error.message, message, what);
      return true;
    }, what);
  }
}

async function expectAsync(cases: Case[]): Promise<void> {
  for (const [what, call, code, message] of cases) {
    let result: unknown;
    try {
      result = call();
    } catch (error) {
      assert.fail(`${what}: threw synchronously (${String(error)}); an async API must reject`);
    }
    await assert.rejects(result as Promise<unknown>, (error: unknown) => {
      assert.ok(error instanceof LavalinkError, `${what}: a LavalinkError, got ${String(error)}`);
      assert.equal(error.code, code, what);
      if (message) assert.match(error.message, message, what);
      return true;
    }, what);
  }
}

describe('bad options and calls', () => {
  test('constructors and synchronous methods throw at once', (t) => {
    const send = (): void => {};
    const node = { id: 'a', host: '127.0.0.1', port: 2333, password: 'pw' };
    const manager = new Manager([node], { send, workers: 0 });
    t.after(() => manager.close());
    expectSync([
      ['Manager without nodes array', () => new Manager(null as never, { send }), ErrorCode.InvalidOption, /`nodes`/],
      ['Manager without options', () => new Manager([node], undefined as never), ErrorCode.InvalidOption, /`options`/],
      ['Manager with workers: -1', () => new Manager([node], { send, workers: -1 }), ErrorCode.InvalidOption, /`options.workers`/],
      ['Manager with restTimeout: 0', () => new Manager([node], { send, restTimeout: 0 }), ErrorCode.InvalidOption, /`options.restTimeout`/],
      ['Manager with a sessionStore that is not one', () => new Manager([node], { send, sessionStore: {} as never }), ErrorCode.InvalidOption, /`options.sessionStore`/],
      ['Manager with clientName with spaces', () => new Manager([node], { send, clientName: 'my bot' }), ErrorCode.InvalidOption, /`options.clientName`/],
      ['node with pingInterval: 0', () => new Manager([{ ...node, options: { pingInterval: 0 } }], { send }), ErrorCode.InvalidOption, /pingInterval/],
      ['node with maxFrameBytes: 10', () => new Manager([{ ...node, options: { maxFrameBytes: 10 } }], { send }), ErrorCode.InvalidOption, /maxFrameBytes/],
      ['node with a ca that is not PEM', () => new Manager([{ ...node, ca: 'hello' }], { send }), ErrorCode.InvalidOption, /`nodes\[0\].ca`/],
      ['init without a user id', () => manager.init(), ErrorCode.InvalidOption, /`userId`/],
      ['create with a bad guild', () => manager.create({ id: 5 } as never), ErrorCode.InvalidOption, /`guild`/],
      ['get with a bad guild', () => manager.get('x'), ErrorCode.InvalidOption, /`guild`/],
      ['FileSessionStore without a path', () => new FileSessionStore(undefined as never), ErrorCode.InvalidOption, /`path`/],
      ['LavalinkSimulator with a bad password', () => new LavalinkSimulator({ password: 5 as never }), ErrorCode.InvalidOption, /`password`/],
      ['decodeTrack of a number', () => decodeTrack(5 as never), ErrorCode.TrackBadBase64],
      ['encodeTrack without a title', () => encodeTrack({} as never), ErrorCode.TrackUnencodable],
    ]);
  });

  test('asynchronous methods reject with typed errors; calls after close() too', async (t) => {
    const sim = await startSimulator(t);
    const manager = createManager(t, 'inline', [nodeFor(sim)]);
    manager.init(USER_ID);
    const socket = manager.sockets.get('main')!;
    await socket.onReady();
    const player = manager.create(GUILD);
    await expectAsync([
      ['load of an empty identifier', () => manager.load(''), ErrorCode.InvalidOption],
      ['search of blanks', () => manager.search('   '), ErrorCode.InvalidOption],
      ['decode of a number', () => manager.decode(5 as never), ErrorCode.InvalidOption],
      ['decode of garbage by the node', () => manager.decode('!!', { rest: true }), ErrorCode.RestError],
      ['destroy of a bad guild', () => manager.destroy('nope'), ErrorCode.InvalidOption],
      ['send of an unknown op', () => socket.send({ op: 'jump' } as never), ErrorCode.BadOp],
      ['send without a guild', () => socket.send({ op: 'stop' } as never), ErrorCode.BadOp],
      ['send of a play without a track', () => socket.send({ op: 'play', guildId: GUILD } as never), ErrorCode.BadOp],
      ['rest to a missing route', () => socket.rest('GET', '/v4/nothing'), ErrorCode.RestError, /404/],
      ['play of nothing', () => player.play(null as never), ErrorCode.InvalidOption],
      ['play with a bad volume', () => player.play('QAAA', { volume: -1 }), ErrorCode.InvalidOption],
      ['play a URL instead of a track', () => player.play('https://music.example/song.mp3'), ErrorCode.InvalidOption],
      ['play a search instead of a track', () => player.play('ytsearch:lofi hip hop'), ErrorCode.InvalidOption],
      ['seek to a negative position', () => player.seek(-5), ErrorCode.InvalidOption],
      ['setVolume to 2.5', () => player.setVolume(2.5), ErrorCode.InvalidOption],
      ['setFilters of an array', () => player.setFilters([] as never), ErrorCode.InvalidOption],
      ['connect to an object without id', () => player.connect({} as never), ErrorCode.InvalidOption],
    ]);
    await manager.close();
    expectSync([
      ['init after close', () => manager.init(USER_ID), ErrorCode.ManagerClosed],
      ['create after close', () => manager.create('1000000000000000002'), ErrorCode.ManagerClosed],
      ['connect after close', () => socket.connect(USER_ID), ErrorCode.SocketClosed],
    ]);
    await expectAsync([
      ['send after close', () => socket.send({ op: 'volume', guildId: GUILD, volume: 5 }), ErrorCode.SocketClosed],
      ['rest after close', () => socket.rest('GET', '/version'), ErrorCode.SocketClosed],
      ['configureResuming after close', () => socket.configureResuming(), ErrorCode.SocketClosed],
      ['onReady after close', () => socket.onReady(), ErrorCode.SocketClosed],
      ['load after close', () => manager.load('dQw4w9WgXcQ'), ErrorCode.ManagerClosed],
    ]);
  });
});
