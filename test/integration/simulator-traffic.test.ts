/** The simulator's realistic traffic and on-demand track changes (the bench's realistic and stall scenarios). */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { RawClient, rest, until, voice, type Frame } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const count = (frames: readonly Frame[], op: string, guildId: string): number => frames.filter((f) => f.op === op && f.guildId === guildId).length;

describe('simulator traffic', () => {
  test("traffic goes to this node's players only, and answers per guild exactly what it sent", async (t) => {
    const sim = await startSimulator(t, { record: false });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    const { sessionId } = await client.nextOp('ready');
    const guilds = ['11', '12', '13', '14'];
    for (const guildId of guilds) await rest(sim, 'PATCH', `/v4/sessions/${sessionId}/players/${guildId}`, { voice });
    await until(() => guilds.every((g) => count(client.frames, 'playerUpdate', g) === 1), 3000, 'the voice updates');
    const before = client.frames.length;

    const result = await sim.traffic({ durationMs: 400, updateIntervalMs: 100, trackMs: 200 });
    assert.equal(result.players, 4);
    assert.deepEqual(Object.keys(result.updates).sort(), guilds);
    const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
    assert.equal(total(result.updates), 16, '4 players x 400 ms / 100 ms');
    assert.equal(total(result.trackEvents), 16, '4 players x 400 ms / 200 ms x 2 events');
    await until(() => client.frames.length - before === 32, 3000, 'every frame');
    const after = client.frames.slice(before);
    for (const guildId of guilds) {
      assert.equal(count(after, 'playerUpdate', guildId), result.updates[guildId]);
      assert.equal(count(after, 'event', guildId), result.trackEvents[guildId]);
    }
    const events = after.filter((f) => f.op === 'event');
    assert.deepEqual([...new Set(events.map((e) => e.type as string))].sort(), ['TrackEndEvent', 'TrackStartEvent']);
    assert.equal(events.find((e) => e.type === 'TrackEndEvent')?.reason, 'finished');
    await assert.rejects(async () => sim.traffic({ durationMs: 0 }), { code: 'LAVALINK_INVALID_OPTION' });
  });

  test('track-change sends TrackEndEvent then TrackStartEvent to the guilds that have a player, and names the rest', async (t) => {
    const sim = await startSimulator(t, { record: false });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    const { sessionId } = await client.nextOp('ready');
    await rest(sim, 'PATCH', `/v4/sessions/${sessionId}/players/21`, { voice });
    assert.deepEqual(sim.changeTracks(['21', '22']), { changed: 1, missing: ['22'] });
    await until(() => count(client.frames, 'event', '21') === 2, 3000, 'the two events');
    assert.deepEqual(
      client.frames.filter((f) => f.op === 'event').map((f) => f.type as string),
      ['TrackEndEvent', 'TrackStartEvent'],
    );
  });

  test('a wall-clock flood carries Date.now() as each position', async (t) => {
    const sim = await startSimulator(t, { record: false });
    const client = await RawClient.open(sim);
    t.after(() => client.close());
    await client.nextOp('ready');
    const from = Date.now();
    const result = await sim.flood({ rate: 1000, guilds: 2, durationMs: 50, wallClockPosition: true });
    await until(() => client.frames.filter((f) => f.op === 'playerUpdate').length === result.frames, 3000, 'the flood');
    for (const f of client.frames.filter((x) => x.op === 'playerUpdate')) {
      const position = (f.state as { position: number }).position;
      assert.ok(position >= from && position <= Date.now(), `position ${position} is a wall-clock time`);
    }
  });
});
