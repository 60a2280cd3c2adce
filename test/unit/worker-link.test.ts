/** The registry of a socket's control calls: every call settles once, and none is left behind. */
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import type { TestContext } from 'node:test';
import { describe, test } from '../helpers/node-test.js';
import * as Comlink from 'comlink';
import { ErrorCode, SocketClosedError, WorkerExitedError, type LavalinkError } from '../../src/errors.js';
import type { SocketControl, TestControl } from '../../src/ipc/control.js';
import { WorkerLink } from '../../src/transport/worker-link.js';

/** A host whose `prototypeTouched` answers at once and whose `send` never answers. */
function link(t: TestContext): { link: WorkerLink; die: (error: Error) => void; end: () => void; hostPort: MessageChannel['port2'] } {
  const { port1, port2 } = new MessageChannel();
  const host = {
    prototypeTouched: () => false,
    send: () => new Promise(() => {}),
    cancel: (guildId: string) => guildId.length,
  };
  Comlink.expose(host, port2);
  let die!: (error: Error) => void;
  let end!: () => void;
  const done = new Promise<void>((resolve, reject) => {
    die = reject;
    end = resolve;
  });
  done.catch(() => {});
  const created = new WorkerLink(port1, done, 'test');
  t.after(() => {
    port1.close();
    port2.close();
  });
  return { link: created, die, end, hostPort: port2 };
}

const never = (control: SocketControl) => control.send({ op: 'stop', guildId: '1' }, Infinity);

function code(error: unknown): string {
  return (error as LavalinkError).code;
}

describe('WorkerLink', () => {
  test('an answered call resolves and leaves nothing pending', async (t) => {
    const { link: l } = link(t);
    assert.equal(await l.call((control) => (control as TestControl).prototypeTouched(), 5000), false);
    assert.equal(await l.call((control) => control.cancel('123'), null), 3);
    assert.equal(l.pending, 0);
  });

  test('an unanswered call times out with LAVALINK_TIMEOUT and is forgotten', async (t) => {
    const { link: l } = link(t);
    await assert.rejects(l.call(never, 50, 'stop'), (error) => code(error) === ErrorCode.Timeout && /stop/.test((error as Error).message));
    assert.equal(l.pending, 0);
  });

  test('the host dying settles every call with LAVALINK_WORKER_EXITED, and later calls at once', async (t) => {
    const { link: l, die: kill } = link(t);
    const calls = [l.call(never, null), l.call(never, null), l.call(never, 60_000)];
    assert.equal(l.pending, 3);
    kill(new Error('worker exited'));
    for (const call of calls) await assert.rejects(call, WorkerExitedError);
    assert.equal(l.pending, 0);
    await assert.rejects(l.call((control) => (control as TestControl).prototypeTouched(), 5000), WorkerExitedError);
  });

  test('the host closing its port after a clean end settles what it left unanswered', async (t) => {
    const { link: l, end: finish, hostPort } = link(t);
    const call = l.call(never, null);
    finish();
    hostPort.close();
    await assert.rejects(call, SocketClosedError);
    assert.equal(l.pending, 0);
  });

  test('release settles every call with the given error and refuses new ones', async (t) => {
    const { link: l } = link(t);
    const call = l.call(never, null);
    l.release(new SocketClosedError('closed by the test'));
    await assert.rejects(call, /closed by the test/);
    await assert.rejects(l.call((control) => (control as TestControl).prototypeTouched(), 5000), /closed by the test/);
  });

  test('abandon settles the calls out but keeps the link usable', async (t) => {
    const { link: l } = link(t);
    const call = l.call(never, null);
    l.abandon(new SocketClosedError('abandoned'));
    await assert.rejects(call, /abandoned/);
    assert.equal(await l.call((control) => (control as TestControl).prototypeTouched(), 5000), false);
  });

  test('an argument that cannot be copied to the host is LAVALINK_INVALID_OPTION, and the link goes on', async (t) => {
    const { link: l } = link(t);
    const fn = (): void => {};
    await assert.rejects(
      l.call((control) => control.send({ op: 'volume', guildId: '1', volume: fn as unknown as number }, Infinity), null),
      (error) => code(error) === ErrorCode.InvalidOption,
    );
    assert.equal(l.pending, 0);
    assert.equal(await l.call((control) => (control as TestControl).prototypeTouched(), 5000), false);
  });
});
