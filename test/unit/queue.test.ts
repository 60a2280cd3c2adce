/** The queue's data: order, loop modes, skip and previous, shuffle, snapshots, and what it never loses. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from '../helpers/node-test.js';
import { HISTORY_LIMIT, Queue } from '../../src/queue/queue.js';
import type { Track } from '../../src/protocol/rest.js';

const track = (id: string, userData: Record<string, unknown> = {}): Track => ({ encoded: `enc-${id}`, info: { identifier: id }, pluginInfo: {}, userData } as unknown as Track);
const ids = (tracks: readonly (Track | null)[]): (string | null)[] => tracks.map((t) => (t === null ? null : t.info.identifier));
const filled = (...names: string[]): Queue => {
  const queue = new Queue();
  queue.add(names.map((name) => track(name)));
  return queue;
};

describe('Queue', () => {
  test('add at the end or at a position; remove and clear take upcoming tracks only', () => {
    const queue = filled('a', 'b');
    assert.equal(queue.add(track('c'), 1), 3);
    assert.equal(queue.add([track('d'), track('e')], -5), 5, 'a position before the start is the start');
    assert.equal(queue.add(track('f'), 99), 6, 'past the end is the end');
    assert.deepEqual(ids(queue.upcoming), ['d', 'e', 'a', 'c', 'b', 'f']);
    assert.equal(queue.remove(2)?.info.identifier, 'a');
    assert.equal(queue.remove(9), undefined);
    assert.equal(queue.remove(1.5), undefined);
    queue.next();
    queue.clear();
    assert.equal(queue.size, 0);
    assert.equal(queue.current?.info.identifier, 'd', 'clear keeps what plays');
  });

  test('loop off plays through once and runs dry; loop track repeats; loop queue goes round', () => {
    const off = filled('a', 'b');
    assert.deepEqual(ids([off.next(), off.next(), off.next()]), ['a', 'b', null]);
    assert.equal(off.current, null);
    assert.deepEqual(ids(off.history), ['a', 'b']);

    const one = filled('a', 'b');
    one.next();
    one.loop = 'track';
    assert.deepEqual(ids([one.next(), one.next()]), ['a', 'a']);

    const round = filled('a', 'b', 'c');
    round.loop = 'queue';
    assert.deepEqual(ids(Array.from({ length: 7 }, () => round.next())), ['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  test('skip(n) jumps to the nth upcoming track, whatever the loop; too far changes nothing', () => {
    const queue = filled('a', 'b', 'c', 'd');
    queue.next();
    queue.loop = 'track';
    assert.equal(queue.skip(2)?.info.identifier, 'c');
    assert.deepEqual(ids(queue.history), ['a', 'b']);
    assert.equal(queue.skip(5), null);
    assert.equal(queue.skip(0), null);
    assert.equal(queue.current?.info.identifier, 'c');
    assert.deepEqual(ids(queue.upcoming), ['d']);
  });

  test('previous() plays the last track again and puts the current one next; nothing to go back to is null', () => {
    const queue = filled('a', 'b', 'c');
    assert.equal(queue.previous(), null);
    queue.next();
    queue.next();
    assert.equal(queue.previous()?.info.identifier, 'a');
    assert.deepEqual(ids(queue.upcoming), ['b', 'c']);
    const round = filled('a', 'b');
    round.loop = 'queue';
    round.next();
    round.next();
    round.previous();
    assert.deepEqual(ids([round.current, ...round.upcoming]), ['a', 'b'], 'looping the queue, no track twice');
  });

  test('the history keeps the last HISTORY_LIMIT tracks', () => {
    const queue = filled(...Array.from({ length: HISTORY_LIMIT + 10 }, (_, i) => String(i)));
    while (queue.next() !== null);
    assert.equal(queue.history.length, HISTORY_LIMIT);
    assert.equal(queue.history[0]!.info.identifier, '10');
  });

  test('a snapshot is encoded tracks with their userData and the loop mode; from() rebuilds it, dropping what does not decode', () => {
    const queue = filled('a', 'b', 'c');
    queue.add(track('d', { requester: '42' }));
    queue.next();
    queue.next();
    queue.loop = 'queue';
    const snapshot = queue.snapshot();
    assert.deepEqual(snapshot, {
      current: { encoded: 'enc-b' },
      upcoming: [{ encoded: 'enc-c' }, { encoded: 'enc-d', userData: { requester: '42' } }],
      history: [{ encoded: 'enc-a' }],
      loop: 'queue',
    });
    const back = Queue.from(JSON.parse(JSON.stringify(snapshot)), (s) => (s.encoded === 'enc-c' ? null : track(s.encoded.slice(4), s.userData)));
    assert.deepEqual([ids([back.current]), ids(back.upcoming), ids(back.history), back.loop], [['b'], ['d'], ['a'], 'queue']);
    assert.deepEqual(back.upcoming[0]!.userData, { requester: '42' });
  });

  test('a track without userData (a hand-made one) snapshots as its encoded form', () => {
    const queue = new Queue();
    queue.add({ encoded: 'enc-x', info: { identifier: 'x' } } as unknown as Track);
    assert.deepEqual(queue.snapshot().upcoming, [{ encoded: 'enc-x' }]);
  });

  test('a track that failed to load is not looped; end() puts a stopped track in the history', () => {
    const one = filled('a', 'b');
    one.next();
    one.loop = 'track';
    assert.equal(one.next(true)?.info.identifier, 'b', 'loop track moves on from a failed track');
    const round = filled('a', 'b');
    round.loop = 'queue';
    round.next();
    round.next(true);
    assert.deepEqual(ids(round.upcoming), [], 'the failed track is not put back at the end');
    round.end();
    assert.equal(round.current, null);
    assert.deepEqual(ids(round.history), ['a', 'b']);
  });

  test('looping the queue, no sequence of next, skip, previous, shuffle, add or remove loses or doubles a track it did not add or remove', () => {
    const op = fc.oneof(
      fc.constant({ kind: 'next' as const }),
      fc.record({ kind: fc.constant('skip' as const), count: fc.integer({ min: 0, max: 6 }) }),
      fc.constant({ kind: 'previous' as const }),
      fc.record({ kind: fc.constant('shuffle' as const), seed: fc.double({ min: 0, max: 0.999, noNaN: true }) }),
      fc.record({ kind: fc.constant('add' as const), at: fc.integer({ min: -2, max: 10 }) }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.integer({ min: -1, max: 10 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.array(op, { maxLength: 40 }), (start, ops) => {
        const queue = filled(...Array.from({ length: start }, (_, i) => `t${i}`));
        queue.loop = 'queue';
        const expected = new Set(queue.upcoming.map((t) => t.info.identifier));
        let made = 0;
        for (const o of ops) {
          if (o.kind === 'next') queue.next();
          else if (o.kind === 'skip') queue.skip(o.count);
          else if (o.kind === 'previous') {
            // The history may bring back a track that was removed since: it is the bot's to play.
            const back = queue.previous();
            if (back) expected.add(back.info.identifier);
          }
          else if (o.kind === 'shuffle') queue.shuffle(() => o.seed);
          else if (o.kind === 'add') {
            expected.add(`n${made}`);
            queue.add(track(`n${made++}`), o.at);
          }
          else {
            const gone = queue.remove(o.at);
            if (gone) expected.delete(gone.info.identifier);
          }
          const held = ids([queue.current, ...queue.upcoming]).filter((x) => x !== null);
          assert.equal(new Set(held).size, held.length, `a track twice after ${o.kind}: ${held.join(',')}`);
          assert.deepEqual([...held].sort(), [...expected].sort(), `after ${o.kind}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
