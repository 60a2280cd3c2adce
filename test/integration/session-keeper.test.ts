/**
 * What the session keeper writes around a restart, whatever the store: nothing before the stored
 * snapshot was read, and the stored players that have not been taken back yet (their node has no
 * session yet) stay in what it writes.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, test } from '../helpers/node-test.js';
import { storeDir } from '../helpers/store-dir.js';
import { freePort } from '../../bench/harness/redis-process.js';
import { createManager, nodeFor, USER_ID } from '../helpers/manager.js';
import { startSimulator } from '../helpers/simulator.js';
import { until, within } from '../helpers/raw-client.js';
import { FileSessionStore, type SessionSnapshot, type SessionStore } from '../../src/index.js';

const TRACK = 'QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAB3lvdXR1YmUAAAAAAAAAAA==';

function stored(savedAt: number): SessionSnapshot {
  const players = Array.from({ length: 5 }, (_, i) => ({
    guildId: String(1000000000000000000n + BigInt(i)),
    socketId: 'main',
    channel: '2000000000000000002',
    voice: { sessionId: `s${i}`, token: `t${i}`, endpoint: 'e' },
    track: TRACK,
    position: 1000,
    paused: i === 0,
    volume: 100,
    filters: {},
  }));
  return { format: 1, savedAt, sessions: [{ socketId: 'main', version: 4, resumeKey: 'old', sessionId: 'old' }], players };
}

/** A port nothing listens on: the node stays down, so no stored player is taken back. */
const deadPort = freePort;

describe('session keeper', () => {
  test('a manager closed before it read its store writes nothing over the stored snapshot', async (t) => {
    const dir = await storeDir(t, 'lavathread-keeper-');
    const path = dir.path('sessions.json');
    const text = JSON.stringify(stored(Date.now()));
    await writeFile(path, text);
    const manager = dir.closesBefore(createManager(t, 'inline', [{ id: 'main', host: '127.0.0.1', port: await deadPort(), password: 'x' }], { sessionStore: new FileSessionStore(path) }));
    await manager.saveSessions();
    await manager.close();
    assert.equal(await readFile(path, 'utf8'), text, 'untouched');
  });

  test('stored players not taken back yet (their node is down) stay in the store, their positions moved on', async (t) => {
    const dir = await storeDir(t, 'lavathread-keeper-');
    const path = dir.path('sessions.json');
    const savedAt = Date.now() - 5000;
    await writeFile(path, JSON.stringify(stored(savedAt)));
    const store = new FileSessionStore(path);
    const manager = dir.closesBefore(createManager(t, 'inline', [{ id: 'main', host: '127.0.0.1', port: await deadPort(), password: 'x' }], { sessionStore: store }));
    const debug: string[] = [];
    manager.on('debug', (line) => debug.push(line));
    manager.init(USER_ID);
    await until(() => debug.some((line) => line.includes('resuming 1 sessions and 5 players')), 5000, 'the store to be read');
    manager.create('1999999999999999990'); // a player of this process, on the node that is down
    await manager.saveSessions();
    const written = (await store.load())!;
    assert.equal(manager.players.size, 1, 'none taken back');
    assert.deepEqual(written.players.map((p) => p.guildId).sort(), ['1000000000000000000', '1000000000000000001', '1000000000000000002', '1000000000000000003', '1000000000000000004', '1999999999999999990']);
    const position = (guildId: string): number => written.players.find((p) => p.guildId === guildId)!.position;
    assert.equal(position('1000000000000000000'), 1000, 'the paused one where it was');
    assert.ok(position('1000000000000000001') >= 1000 + (written.savedAt - savedAt) - 50, `the playing ones moved on to the time of the write (${position('1000000000000000001')})`);
  });

  test('a playing track whose position only moves on with the clock is written again only after 5 s; a volume, a seek, a pause at once; a reader gets the position moved on', async (t) => {
    const dir = await storeDir(t, 'lavathread-keeper-');
    const file = new FileSessionStore(dir.path('sessions.json'));
    const saves: SessionSnapshot[] = [];
    const store: SessionStore = { load: () => file.load(), save: async (snapshot) => (await file.save(snapshot), void saves.push(snapshot)) };
    // One playerUpdate, right after the play: the player's position then moves on by its clock alone.
    const sim = await startSimulator(t, { playerUpdateIntervalMs: 600_000 });
    const manager = dir.closesBefore(createManager(t, 'inline', [nodeFor(sim)], { sessionStore: store }));
    manager.init(USER_ID);
    await manager.sockets.get('main')!.onReady();
    const player = manager.create('1000000000000000001');
    const loaded = await manager.load('sim:track?length=600000&title=Long');
    assert.equal(loaded.loadType, 'track');
    const updated = new Promise((resolve) => player.once('playerUpdate', resolve));
    await player.play(loaded.track);
    await within(updated, 5000, 'the playerUpdate after the play');
    await manager.saveSessions();
    const written = saves.length;
    const lastWrite = saves.at(-1)!;
    assert.equal(lastWrite.players[0]!.track, loaded.track.encoded);
    const from = player.position;
    await until(() => player.position >= from + 1200, 5000, 'the position to move on');
    await manager.saveSessions();
    assert.equal(saves.length, written, 'the clock moved, nothing else: nothing written');
    await until(() => Date.now() - lastWrite.savedAt > 5100, 10_000, 'five seconds since the write');
    await manager.saveSessions();
    assert.equal(saves.length, written + 1, 'after 5 s the position is written again');

    const mark = Date.now();
    await player.setVolume(50);
    await manager.saveSessions();
    assert.equal(saves.length, written + 2, 'a volume is a change');
    const read = (await file.load())!;
    const readAt = Date.now();
    const stored = read.players[0]!;
    assert.equal(stored.volume, 50);
    // What a restarted process computes: the stored position moved on from the write's time.
    const now = stored.position + (readAt - read.savedAt);
    assert.ok(Math.abs(now - player.position) < 400, `the position a reader gets (${now}) against the player's (${player.position})`);
    assert.ok(read.savedAt >= mark);

    await player.seek(300_000);
    await manager.saveSessions();
    assert.equal(saves.length, written + 3, 'a seek is a change');
    assert.ok(saves.at(-1)!.players[0]!.position >= 300_000);
    await player.pause();
    await manager.saveSessions();
    assert.equal(saves.length, written + 4, 'a pause is a change');
  });
});
