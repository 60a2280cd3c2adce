/**
 * The parts of a connection, each without a socket: the send queue, v3 write confirmation and the
 * heartbeat, driven through the small interfaces they take, with a manual clock for their timers.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, LavalinkError, NoNodeError, RestError, TimeoutError } from '../../src/errors.js';
import type { Clock } from '../../src/host/clock.js';
import { Heartbeat } from '../../src/host/heartbeat.js';
import { SendQueue, type QueueHost, type QueuedOp } from '../../src/host/send-queue.js';
import { WriteConfirmation } from '../../src/host/write-confirmation.js';
import type { OutgoingOp } from '../../src/protocol/ops.js';
import { v4Adapter } from '../../src/protocol/v4/adapter.js';
import { ManualClock } from '../helpers/manual-clock.js';

/** An op with its outcome as a promise (settled by the queue, or by the test through the part under test). */
function queued(op: OutgoingOp | 'configureResuming', deadline = Infinity): { item: QueuedOp; outcome: Promise<LavalinkError | 'resolved'> } {
  let item!: QueuedOp;
  const outcome = new Promise<LavalinkError | 'resolved'>((resolve) => {
    item = { op, replay: false, tries: 0, deadline, resolve: () => resolve('resolved'), reject: (error) => resolve(error) };
  });
  return { item, outcome };
}

const volume = (guildId: string, value: number): OutgoingOp => ({ op: 'volume', guildId, volume: value });

/** A queue host whose deliveries the test answers one by one. */
class FakeHost implements QueueHost {
  open = false;
  confirm = false;
  readonly delivered: QueuedOp[] = [];
  readonly written_: QueuedOp[] = [];
  changes = 0;
  #answers: ((error?: Error) => void)[] = [];
  #waiters: (() => void)[] = [];

  usable(): boolean {
    return this.open;
  }
  deliver(item: QueuedOp): Promise<void> {
    this.delivered.push(item);
    for (const wake of this.#waiters.splice(0)) wake();
    return new Promise((resolve, reject) => this.#answers.push((error) => (error === undefined ? resolve() : reject(error))));
  }
  isRetryable(error: LavalinkError): boolean {
    return v4Adapter.isRetryable(error);
  }
  needsConfirmation(): boolean {
    return this.confirm;
  }
  written(item: QueuedOp): void {
    this.written_.push(item);
  }
  changed(): void {
    this.changes++;
  }
  expired(item: QueuedOp): LavalinkError {
    return new NoNodeError('no session', item.tries > 0);
  }
  /** Answers the oldest delivery in flight (an error rejects it). */
  answer(error?: Error): void {
    const next = this.#answers.shift();
    assert.ok(next, 'a delivery in flight');
    next(error);
  }
  /** Resolves once `n` deliveries have started. */
  async deliveries(n: number): Promise<void> {
    while (this.delivered.length < n) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
}

describe('send queue', () => {
  test('ops wait while no session is open, then go one at a time, in order', async () => {
    const host = new FakeHost();
    const queue = new SendQueue(host, { retryDelay: 100 }, new ManualClock());
    const a = queued(volume('1', 1));
    const b = queued(volume('1', 2));
    queue.add(a.item);
    queue.add(b.item);
    assert.equal(host.delivered.length, 0, 'nothing goes without a session');
    assert.equal(queue.length, 2);
    host.open = true;
    void queue.flush();
    await host.deliveries(1);
    assert.deepEqual(host.delivered, [a.item], 'one at a time');
    host.answer();
    assert.equal(await a.outcome, 'resolved');
    await host.deliveries(2);
    host.answer();
    assert.equal(await b.outcome, 'resolved');
    assert.equal(queue.length, 0);
  });

  test('an op whose deadline passes with no session is rejected; one without a deadline waits on', async () => {
    const host = new FakeHost();
    const clock = new ManualClock();
    const queue = new SendQueue(host, { retryDelay: 100 }, clock);
    const expiring = queued(volume('1', 1), 500);
    const patient = queued('configureResuming');
    queue.add(expiring.item);
    queue.add(patient.item);
    clock.advance(499);
    assert.equal(queue.length, 2);
    clock.advance(1);
    const error = await expiring.outcome;
    assert.ok(error instanceof NoNodeError);
    assert.equal(error.sent, false, 'never tried: certainly never applied');
    assert.equal(queue.length, 1);
    assert.equal(clock.pending, 0, 'no timer left for an op that waits however long');
  });

  test('a failure the node may not have seen is tried again after a growing wait; another is rejected at once', async () => {
    const host = new FakeHost();
    host.open = true;
    const clock = new ManualClock();
    const queue = new SendQueue(host, { retryDelay: 100 }, clock);
    const flaky = queued(volume('1', 1));
    const refused = queued(volume('1', 2));
    queue.add(flaky.item);
    queue.add(refused.item);
    await host.deliveries(1);
    host.answer(new RestError('busy', 503, 'PATCH', '/x', null));
    await new Promise<void>((resolve) => setImmediate(resolve)); // the catch runs in a microtask
    assert.equal(host.delivered.length, 1, 'waits before the next try');
    clock.advance(100);
    await host.deliveries(2);
    assert.equal(host.delivered[1], flaky.item, 'the same op again, first');
    host.answer(new TimeoutError('slow'));
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(flaky.item.replay, true, 'a timed-out call may have applied: a play would be checked first');
    clock.advance(200);
    await host.deliveries(3);
    host.answer();
    assert.equal(await flaky.outcome, 'resolved');
    await host.deliveries(4);
    host.answer(new RestError('bad', 400, 'PATCH', '/x', null));
    const error = await refused.outcome;
    assert.ok(error instanceof RestError && error.status === 400);
  });

  test('a delivery that fails because the session went waits for the next one, its tries not counted', async () => {
    const host = new FakeHost();
    host.open = true;
    const queue = new SendQueue(host, { retryDelay: 100 }, new ManualClock());
    const op = queued(volume('1', 1));
    queue.add(op.item);
    await host.deliveries(1);
    host.open = false;
    host.answer(new LavalinkError(ErrorCode.SocketClosed, 'gone'));
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(queue.length, 1);
    assert.equal(op.item.tries, 0);
    host.open = true;
    void queue.flush();
    await host.deliveries(2);
    host.answer();
    assert.equal(await op.outcome, 'resolved');
  });

  test('an op that needs confirmation is handed on when written, not settled', async () => {
    const host = new FakeHost();
    host.open = true;
    host.confirm = true;
    const queue = new SendQueue(host, { retryDelay: 100 }, new ManualClock());
    const op = queued(volume('1', 1));
    queue.add(op.item);
    await host.deliveries(1);
    host.answer();
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(host.written_, [op.item]);
    assert.equal(queue.length, 0);
  });

  test('cancel takes back a guild\'s waiting ops, never the one on its way', async () => {
    const host = new FakeHost();
    host.open = true;
    const queue = new SendQueue(host, { retryDelay: 100 }, new ManualClock());
    const onItsWay = queued(volume('1', 1));
    const waiting = queued(volume('1', 2));
    const other = queued(volume('2', 3));
    for (const op of [onItsWay, waiting, other]) queue.add(op.item);
    await host.deliveries(1);
    assert.equal(queue.cancel('1'), 1);
    assert.equal(await waiting.outcome, 'resolved', 'settled here: it goes to the new node instead');
    host.answer();
    assert.equal(await onItsWay.outcome, 'resolved');
    await host.deliveries(2);
    assert.equal(host.delivered[1], other.item);
    host.answer();
    await other.outcome;
  });

  test('ops given back by a closed link go first; a replayed play that a later op overrides is settled, not played', () => {
    const host = new FakeHost();
    const queue = new SendQueue(host, { retryDelay: 100 }, new ManualClock());
    const later = queued({ op: 'stop', guildId: '1' });
    queue.add(later.item);
    const play = queued({ op: 'play', guildId: '1', track: 'x' });
    const keep = queued({ op: 'play', guildId: '2', track: 'y' });
    play.item.replay = keep.item.replay = true;
    queue.putFirst([play.item, keep.item]);
    assert.deepEqual(queue.takeAll(), [keep.item, later.item]);
  });
});

describe('write confirmation (v3)', () => {
  const item = (): { replay: boolean; resolved: boolean; resolve(): void } => ({
    replay: false,
    resolved: false,
    resolve() {
      this.resolved = true;
    },
  });

  test('a written op settles once a pong for a ping sent after it comes back; one ping at a time', () => {
    const pings: string[] = [];
    let changes = 0;
    const confirmation = new WriteConfirmation<ReturnType<typeof item>>({ ping: (p) => (pings.push(p), true), changed: () => changes++ });
    const [a, b, c] = [item(), item(), item()];
    confirmation.wrote(a);
    confirmation.wrote(b);
    assert.deepEqual(pings, ['c1'], 'the second write waits for the ping out');
    assert.equal(confirmation.onPong('c1'), 'confirmation');
    assert.equal(a.resolved, true);
    assert.equal(b.resolved, false);
    assert.deepEqual(pings, ['c1', 'c2'], 'asks again for what is left');
    confirmation.wrote(c);
    assert.equal(confirmation.heartbeatPayload(), 'h3');
    assert.equal(confirmation.onPong('h3'), 'heartbeat', "a heartbeat's pong confirms as much");
    assert.equal(b.resolved && c.resolved, true);
    assert.equal(confirmation.size, 0);
    assert.equal(changes, 2);
    assert.equal(confirmation.onPong('x9'), null, 'not a ping of ours');
    assert.equal(confirmation.onPong('c'), 'confirmation');
  });

  test('a closed link gives back what it had not confirmed, in order, as replays', () => {
    let open = true;
    const confirmation = new WriteConfirmation<ReturnType<typeof item>>({ ping: () => open, changed: () => {} });
    const [a, b] = [item(), item()];
    confirmation.wrote(a);
    confirmation.wrote(b);
    open = false;
    assert.deepEqual(confirmation.takeBack(), [a, b]);
    assert.equal(a.replay && b.replay, true);
    assert.equal(confirmation.size, 0);
    assert.equal(a.resolved, false);
  });

  test('allConfirmed resolves when the node confirms, or at its bound when it does not', async () => {
    const confirmation = new WriteConfirmation<ReturnType<typeof item>>({ ping: () => true, changed: () => {} });
    await confirmation.allConfirmed(10_000); // nothing written: at once
    confirmation.wrote(item());
    const drained = confirmation.allConfirmed(60_000);
    confirmation.onPong('c1');
    await drained;
    confirmation.wrote(item());
    await confirmation.allConfirmed(1); // the node never answers: the bound ends the wait
    assert.equal(confirmation.size, 1);
  });
});

describe('heartbeat', () => {
  /** A manual clock that can also jump, as a stalled thread sees time do. */
  class StallClock implements Clock {
    readonly manual = new ManualClock();
    offset = 0;
    now = (): number => this.manual.now() + this.offset;
    setTimeout = (callback: () => void, ms: number): unknown => this.manual.setTimeout(callback, ms);
    clearTimeout = (timer: unknown): void => this.manual.clearTimeout(timer);
  }

  function start(options = { pingInterval: 100, deadAfter: 1000 }) {
    const clock = new StallClock();
    const seen = { pings: 0, terminated: 0, debug: [] as string[], open: true };
    const heartbeat = new Heartbeat({ ping: () => (seen.open ? (seen.pings++, true) : false), terminate: () => seen.terminated++, debug: (line) => seen.debug.push(line) }, options, clock);
    heartbeat.start();
    return { clock, seen, heartbeat };
  }

  test('pings every pingInterval; a pong gives the round trip', () => {
    const { clock, seen, heartbeat } = start();
    clock.manual.advance(350);
    assert.equal(seen.pings, 3);
    clock.manual.advance(7);
    assert.equal(heartbeat.ponged(), 57);
    assert.equal(heartbeat.ponged(), null, 'no ping out any more');
    heartbeat.stop();
    assert.equal(clock.manual.pending, 0, 'no timer outlives stop()');
  });

  test('a connection silent for deadAfter is ended once; anything heard keeps it', () => {
    const { clock, seen, heartbeat } = start();
    for (let i = 0; i < 9; i++) {
      clock.manual.advance(200);
      heartbeat.heard();
    }
    assert.equal(seen.terminated, 0);
    clock.manual.advance(1100);
    assert.equal(seen.terminated, 1);
    assert.match(seen.debug[0]!, /nothing heard for \d+ ms: the connection is dead/);
    clock.manual.advance(5000);
    assert.equal(seen.terminated, 1, 'ended once; the close that follows drives the rest');
  });

  test('after a stall of this thread, what the node sent is read before silence is judged', () => {
    const { clock, seen, heartbeat } = start();
    clock.manual.advance(100);
    clock.offset += 5000; // the thread was stalled for 5 s; its timers fire late
    clock.manual.advance(100);
    assert.equal(seen.terminated, 0, 'a late check does not judge');
    heartbeat.heard(); // the frames that waited are read
    clock.manual.advance(100);
    assert.equal(seen.terminated, 0);
  });
});
