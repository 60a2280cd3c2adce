/** The simulator's realistic traffic, on-demand track changes and floods (the bench's realistic, stall and flood scenarios). */
import assert from 'node:assert/strict';
import { decodeTrack } from '../../src/protocol/track-codec.js';
import { FLOOD_SENT_PREFIX } from '../../src/testing/index.js';
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

  for (const protocol of [4, 3] as const) {
    test(`a v${protocol} flood with eventEvery mixes TrackStart/TrackEnd per guild in turn, stamped with the send time, and counts each kind per guild`, async (t) => {
      const sim = await startSimulator(t, { record: false, protocol });
      const client = await RawClient.open(sim);
      t.after(() => client.close());
      await client.nextOp('stats');
      const from = performance.timeOrigin + performance.now();
      // 7 guilds, every 5th frame: 5 and 7 are coprime, so the events go round every guild.
      const result = await sim.flood({ rate: 4000, guilds: 7, durationMs: 500, eventEvery: 5 });
      const to = performance.timeOrigin + performance.now();
      assert.equal(result.frames, 2000);
      await until(() => client.frames.filter((f) => f.op === 'playerUpdate' || f.op === 'event').length === result.frames, 5000, 'every flood frame');
      const flood = client.frames.filter((f) => f.op === 'playerUpdate' || f.op === 'event');
      flood.forEach((f, i) => assert.equal(f.op, (i + 1) % 5 === 0 ? 'event' : 'playerUpdate', `frame ${i + 1}`));
      const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
      assert.equal(sum(result.updates), 1600);
      assert.equal(sum(result.trackStarts) + sum(result.trackEnds), 400);
      for (const guildId of result.guildIds) {
        const events = flood.filter((f) => f.op === 'event' && f.guildId === guildId);
        assert.equal(count(flood, 'playerUpdate', guildId), result.updates[guildId], `updates of ${guildId}`);
        assert.equal(events.filter((e) => e.type === 'TrackStartEvent').length, result.trackStarts[guildId], `starts of ${guildId}`);
        assert.equal(events.filter((e) => e.type === 'TrackEndEvent').length, result.trackEnds[guildId], `ends of ${guildId}`);
        events.forEach((e, i) => assert.equal(e.type, i % 2 === 0 ? 'TrackStartEvent' : 'TrackEndEvent', `${guildId}: they alternate, starting with a start`));
      }
      for (const e of flood.filter((f) => f.op === 'event')) {
        if (e.type === 'TrackEndEvent') assert.equal(e.reason, protocol === 4 ? 'finished' : 'FINISHED');
        // v3 carries the encoded track only; v4 the track object, whose info is the encoded one's.
        const encoded = protocol === 4 ? (e.track as { encoded: string }).encoded : (e.track as string);
        const uri = decodeTrack(encoded).info.uri!;
        if (protocol === 4) assert.equal((e.track as { info: { uri: string } }).info.uri, uri);
        assert.ok(uri.startsWith(FLOOD_SENT_PREFIX), uri);
        const sent = Number(uri.slice(FLOOD_SENT_PREFIX.length));
        assert.ok(sent >= from && sent <= to, `send time ${sent} within the flood`);
      }
      assert.throws(() => sim.flood({ rate: 10, guilds: 1, durationMs: 10, eventEvery: 1.5 }), { code: 'LAVALINK_INVALID_OPTION' });
    });
  }
});
