/** The Redis store's diff: what a snapshot changes of what was last written, field by field. */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { WrittenFields } from '../../src/session-store/written-fields.js';
import type { SessionSnapshot, StoredPlayer } from '../../src/index.js';

const filters = { volume: 0.5 };

function player(guildId: string, extra: Partial<StoredPlayer> = {}): StoredPlayer {
  return { guildId, socketId: 'main', channel: '2', voice: { sessionId: 's', token: 't', endpoint: 'e' }, track: 'QAAA', position: 1000, paused: false, volume: 100, filters, ...extra };
}

function snapshot(savedAt: number, players: StoredPlayer[]): SessionSnapshot {
  return { format: 1, savedAt, sessions: [{ socketId: 'main', version: 4, resumeKey: 'k', sessionId: 'k' }], players };
}

const fields = (changes: { set: (readonly [string, string])[] }): string[] => changes.set.map(([field]) => field);

describe('WrittenFields', () => {
  test('the first write carries everything; a playing player whose position only moved on with the clock is not written again', () => {
    const written = new WrittenFields();
    const first = written.changes(snapshot(10_000, [player('1'), player('2', { paused: true }), player('3', { track: null, position: 0 })]))!;
    assert.deepEqual(fields(first.sessions), ['main']);
    assert.deepEqual(fields(first.players), ['1', '2', '3']);
    written.commit(first);
    // One second later: 1 played on (position +1000), 2 is paused, 3 has nothing.
    assert.equal(written.changes(snapshot(11_000, [player('1', { position: 2000 }), player('2', { paused: true }), player('3', { track: null, position: 0 })])), null);
    // Interpolation jitter within the slack is not a change either.
    assert.equal(written.changes(snapshot(12_000, [player('1', { position: 3100 }), player('2', { paused: true }), player('3', { track: null, position: 0 })])), null);
  });

  test('a seek, a volume, a pause, new voice credentials, a removed player and a removed session are changes', () => {
    const written = new WrittenFields();
    written.commit(written.changes(snapshot(10_000, [player('1'), player('2'), player('3'), player('4'), player('5')]))!);
    const next = written.changes({
      ...snapshot(11_000, [player('1', { position: 60_000 }), player('2', { position: 2000, volume: 50 }), player('3', { position: 2000, paused: true }), player('4', { position: 2000, voice: { sessionId: 's2', token: 't', endpoint: 'e' } })]),
      sessions: [],
    })!;
    assert.deepEqual(fields(next.players), ['1', '2', '3', '4']);
    assert.deepEqual(next.players.del, ['5']);
    assert.deepEqual(next.sessions.del, ['main']);
    const stored = JSON.parse(next.players.set[0]![1]) as { position: number; at: number };
    assert.deepEqual([stored.position, stored.at], [60_000, 11_000], 'the position with the time it was read');
  });

  test('a paused player is written when its position changes at all; filters compare by content', () => {
    const written = new WrittenFields();
    written.commit(written.changes(snapshot(10_000, [player('1', { paused: true })]))!);
    assert.equal(written.changes(snapshot(11_000, [player('1', { paused: true, filters: { volume: 0.5 } })])), null, 'equal filters in a new object');
    assert.deepEqual(fields(written.changes(snapshot(11_000, [player('1', { paused: true, position: 1001 })]))!.players), ['1']);
    assert.deepEqual(fields(written.changes(snapshot(11_000, [player('1', { paused: true, filters: { volume: 0.6 } })]))!.players), ['1']);
  });

  test('what a player asked its node\'s plugins to keep is part of the player: a change is written, the same asked again is not, and it reads back', () => {
    const written = new WrittenFields();
    written.commit(written.changes(snapshot(10_000, [player('1', { paused: true })]))!);
    const asked = written.changes(snapshot(11_000, [player('1', { paused: true, plugins: { sponsorBlock: ['sponsor'] } })]))!;
    assert.deepEqual(fields(asked.players), ['1']);
    written.commit(asked);
    assert.equal(written.changes(snapshot(12_000, [player('1', { paused: true, plugins: { sponsorBlock: ['sponsor'] } })])), null, 'equal in a new object');
    const more = written.changes(snapshot(12_000, [player('1', { paused: true, plugins: { sponsorBlock: ['sponsor'], lyrics: { skipTrackSource: true } } })]))!;
    assert.deepEqual(fields(more.players), ['1']);
    assert.deepEqual(fields(written.changes(snapshot(12_000, [player('1', { paused: true })]))!.players), ['1'], 'none any more is a change too');
    const back = new WrittenFields().read({ format: '1', savedAt: '12000' }, { sessions: {}, players: Object.fromEntries(more.players.set), queues: {} })!;
    assert.deepEqual(back.players[0]!.plugins, { sponsorBlock: ['sponsor'], lyrics: { skipTrackSource: true } });
  });

  test('queues are their own fields: a queue change does not rewrite the player, nor a volume change the queue', () => {
    const written = new WrittenFields();
    const queue = { current: null, upcoming: [{ encoded: 'QAAB' }], history: [], loop: 'off' as const };
    const first = written.changes(snapshot(10_000, [player('1', { queue })]))!;
    assert.deepEqual([fields(first.players), fields(first.queues)], [['1'], ['1']]);
    assert.ok(!first.players.set[0]![1].includes('upcoming'), 'the player field has no queue');
    written.commit(first);
    const added = written.changes(snapshot(11_000, [player('1', { position: 2000, queue: { ...queue, upcoming: [{ encoded: 'QAAB' }, { encoded: 'QAAC' }] } })]))!;
    assert.deepEqual([fields(added.players), fields(added.queues)], [[], ['1']]);
    written.commit(added);
    const dropped = written.changes(snapshot(12_000, [player('1', { position: 3000, volume: 10 })]))!;
    assert.deepEqual([fields(dropped.players), dropped.queues.del], [['1'], ['1']]);
  });

  test('read: positions move on to the snapshot time, unreadable fields are left out and replaced by the next write', () => {
    const writer = new WrittenFields();
    const first = writer.changes(snapshot(10_000, [player('1'), player('2', { paused: true, position: 500 })]))!;
    const hash = (changes: { set: (readonly [string, string])[] }): Record<string, string> => Object.fromEntries(changes.set);
    const reader = new WrittenFields();
    const players = { ...hash(first.players), 3: '{not json' };
    const read = reader.read({ format: '1', savedAt: '13000' }, { sessions: hash(first.sessions), players, queues: {} })!;
    assert.equal(read.savedAt, 13_000);
    assert.deepEqual(read.players.map((p) => [p.guildId, p.position]), [['1', 4000], ['2', 500]], 'the playing one moved on 3 s; the paused one did not');
    assert.deepEqual(read.sessions.map((s) => s.resumeKey), ['k']);
    const next = reader.changes(snapshot(14_000, [player('1', { position: 5000 }), player('2', { paused: true, position: 500 })]));
    assert.deepEqual(next && [fields(next.players), next.players.del], [[], ['3']], 'only the unreadable field goes');
    assert.equal(new WrittenFields().read({}, { sessions: {}, players: {}, queues: {} }), null, 'nothing stored');
  });
});
