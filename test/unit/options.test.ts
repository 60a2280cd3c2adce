import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from '../helpers/node-test.js';
import { VERSION } from '../../src/constants.js';
import { ErrorCode, InvalidOptionError, Manager } from '../../src/index.js';

const node = { id: 'a', host: '127.0.0.1', port: 2333, password: 'pw' };
const send = (): void => {};

function rejects(nodes: unknown, options: unknown, message: string): void {
  assert.throws(
    () => new Manager(nodes as never, options as never),
    (error: unknown) => error instanceof InvalidOptionError && error.code === ErrorCode.InvalidOption && error.message.startsWith(message),
    message,
  );
}

describe('Manager and socket options', () => {
  test('wrong data or options throw at construction, saying what was expected and what came', () => {
    rejects('x', { send }, 'Expected `nodes` to be an array of nodes');
    rejects([node], {}, 'Expected `options.send` to be a function');
    rejects([node], { send, shards: 0 }, 'Expected `options.shards` to be an integer of at least 1, got `0` (number)');
    rejects([node], { send, workers: 100 }, 'Expected `options.workers` to be an integer from 0 to 64, got `100` (number)');
    rejects([node], { send, flushWindowMs: -1 }, 'Expected `options.flushWindowMs`');
    rejects([node], { send, userId: 'bot' }, 'Expected `options.userId` to be a user id');
    rejects([{ ...node, id: '' }], { send }, 'Expected `nodes[0].id` to be a non-empty string, got `""` (string)');
    rejects([node, node], { send }, 'Expected `nodes[1].id` to be an id no other node has, got `"a"` (string)');
    rejects([{ ...node, port: 70000 }], { send }, 'Expected `nodes[0].port` to be a port from 1 to 65535, got `70000` (number)');
    rejects([{ ...node, host: 'http://x' }], { send }, 'Expected `nodes[0].host` to be a host name or address');
    rejects([{ ...node, version: 5 }], { send }, "Expected `nodes[0].version` to be 3, 4 or 'auto', got `5` (number)");
    rejects([{ ...node, secure: 'yes' }], { send }, 'Expected `nodes[0].secure` to be a boolean');
    rejects([{ ...node, options: { maxTries: -2 } }], { send }, 'Expected `nodes[0].options.maxTries` to be an integer of at least -1');
    rejects([{ ...node, options: { resumeTimeout: 0.5 } }], { send }, 'Expected `nodes[0].options.resumeTimeout` to be a whole number of seconds');
    rejects([{ ...node, options: { retryDelay: 5000, maxRetryDelay: 100 } }], { send }, 'Expected `nodes[0].options.maxRetryDelay` to be at least retryDelay (5000)');
    rejects([node], { send, defaultSocketOptions: { pingInterval: 1000, deadAfter: 1000 } }, 'Expected `options.defaultSocketOptions.deadAfter` to be more than pingInterval (1000)');
  });

  test('a bad password never shows its value in the message', () => {
    assert.throws(
      () => new Manager([{ ...node, password: 12345 }] as never, { send }),
      (error: Error) => error.message === 'Expected `nodes[0].password` to be a string, got `"[hidden]"` (string)' && !error.message.includes('12345'),
    );
  });

  test('a string port is accepted and kept as a string; options merge over defaults', (t) => {
    const manager = new Manager([{ ...node, port: '2333', options: { maxTries: -1 } }], { send, defaultSocketOptions: { retryDelay: 250 } });
    t.after(() => manager.close());
    const socket = manager.sockets.get('a')!;
    assert.equal(socket.port, '2333');
    assert.equal(socket.options.maxTries, -1);
    assert.equal(socket.options.retryDelay, 250);
    assert.equal(socket.options.maxRetryDelay, 30000, 'library default');
    assert.equal(manager.transportKind, 'worker');
  });

  test('init needs a user id', (t) => {
    const manager = new Manager([node], { send, workers: 0 });
    t.after(() => manager.close());
    assert.throws(() => manager.init(), { code: ErrorCode.InvalidOption });
    assert.throws(() => manager.init('not-an-id'), { code: ErrorCode.InvalidOption });
  });

  test('VERSION is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(VERSION, pkg.version);
  });
});
