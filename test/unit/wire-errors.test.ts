/**
 * Errors a worker raises cross the thread boundary as plain data (errors.ts toWire/fromWire):
 * each comes back as its own class, with its code, message and fields, so `instanceof` works for
 * an error a worker raised as it does for one raised on the main thread. (VoiceTimeoutError and
 * the store errors are raised on the main thread only: they never cross.)
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { fromWire, toWire } from '../../src/errors.js';
import {
  AuthFailedError,
  ErrorCode,
  InvalidOptionError,
  LavalinkError,
  NoNodeError,
  PluginMissingError,
  RestError,
  SocketClosedError,
  TimeoutError,
  TrackCodecError,
  WorkerExitedError,
} from '../../src/index.js';

/** What the worker transport does to an error: plain data, structured-cloned, rebuilt. */
const across = (error: unknown): LavalinkError => fromWire(structuredClone(toWire(error)));

describe('errors across the thread boundary', () => {
  const cases: [string, LavalinkError, readonly string[]][] = [
    ['RestError', new RestError('Not Found', 404, 'GET', '/v4/info', { error: 'Not Found' }), ['status', 'method', 'path', 'body']],
    ['SocketClosedError', new SocketClosedError('closed', 4006), ['closeCode']],
    ['WorkerExitedError', new WorkerExitedError(), []],
    ['TimeoutError', new TimeoutError('took too long'), []],
    ['AuthFailedError', new AuthFailedError('main', 401), ['node', 'status']],
    ['NoNodeError', new NoNodeError('none ready', true), ['sent']],
    ['PluginMissingError', new PluginMissingError('lavasearch', 'main'), ['plugin', 'node']],
    ['TrackCodecError', new TrackCodecError(ErrorCode.TrackTruncated, 'ends early'), []],
    ['InvalidOptionError', new InvalidOptionError('options.volume', 'a number from 0 to 1000', 5000), ['option']],
  ];
  for (const [name, error, fields] of cases) {
    test(`${name} comes back as itself, with its code, message and fields`, () => {
      const back = across(error);
      assert.equal(back.constructor, error.constructor, `${name}: the same class`);
      assert.ok(back instanceof LavalinkError);
      assert.equal(back.name, name);
      assert.equal(back.code, error.code);
      assert.equal(back.message, error.message);
      for (const field of fields) assert.deepEqual((back as never)[field], (error as never)[field], `${name}.${field}`);
    });
  }

  test('an error that is not ours comes back as a LavalinkError with the connection code and its message', () => {
    const back = across(new TypeError('boom'));
    assert.equal(back.constructor, LavalinkError);
    assert.equal(back.code, ErrorCode.Connection);
    assert.equal(back.message, 'boom');
  });

  test('a code this build does not know (a newer worker file) is read as the connection code, message kept', () => {
    const back = fromWire({ name: 'LavalinkError', code: 'LAVALINK_SOMETHING_NEW', message: 'new' });
    assert.equal(back.code, ErrorCode.Connection);
    assert.equal(back.message, 'new');
  });
});
