import assert from 'node:assert/strict';
import { once } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { describe, test } from '../helpers/node-test.js';
import { Batcher } from '../../src/host/batcher.js';
import { BatchDecoder, BatchEncoder } from '../../src/ipc/codec.js';
import { EventKind, type EventBatch, type HostEvent } from '../../src/ipc/events.js';
import { sharedStructures } from '../../src/ipc/structures.js';
import { appendUpdate, updateFrame } from '../../src/ipc/updates.js';
import { toPlayerUpdate } from '../../src/protocol/v4/adapter.js';

const update = (guildId: string, position: number): HostEvent => ({
  kind: EventKind.Frame,
  socket: 's',
  frame: { op: 'playerUpdate', guildId, state: { time: 1, position, connected: true, ping: 0 } },
});
/** Batches as frames: each Updates run read back into the playerUpdates it carries. */
const frames = (events: readonly HostEvent[]): Record<string, unknown>[] =>
  events.flatMap((e) => {
    if (e.kind === EventKind.Updates) return e.guilds.map((guildId, i) => ({ ...updateFrame(guildId, e.values, i) }));
    return e.kind === EventKind.Frame ? [e.frame] : [{ kind: e.kind }];
  });
/** The one event of a batch, which must be a run of updates. */
function onlyRun(batch: EventBatch): Extract<HostEvent, { kind: typeof EventKind.Updates }> {
  const [event] = batch.events;
  assert.equal(batch.events.length, 1);
  if (event?.kind !== EventKind.Updates) throw new Error(`not a run: ${JSON.stringify(event)}`);
  return event;
}
const trackEvent = (type: string): HostEvent => ({ kind: EventKind.Frame, socket: 's', frame: { op: 'event', type, guildId: '1', track: { encoded: 'x' } } });

describe('the event codec', () => {
  test('round trips known and unknown shapes, and never grows the frozen structures', () => {
    const encoder = new BatchEncoder();
    const decoder = new BatchDecoder();
    const batch: EventBatch = {
      seq: 1,
      events: [update('1', 5), { kind: EventKind.State, socket: 's', state: { connected: true, remaining: 3 } }, { kind: EventKind.Frame, socket: 's', frame: { op: 'custom', nested: { a: [1, 'b', null] } } }],
    };
    const count = sharedStructures.length;
    assert.deepEqual(decoder.decode(encoder.encode(batch)), batch);
    assert.deepEqual(decoder.decode(encoder.encode(batch)), batch);
    assert.equal(sharedStructures.length, count);
  });

  test('each encoding is its own exact-size buffer (pack() output is a view of a shared one)', () => {
    const encoder = new BatchEncoder();
    const a = encoder.encode({ seq: 1, events: [update('1', 1)] });
    const copy = Uint8Array.from(a);
    const b = encoder.encode({ seq: 2, events: [update('2', 2)] });
    assert.deepEqual(a, copy, 'the second encode did not overwrite the first');
    assert.equal(a.byteLength, a.buffer.byteLength);
    assert.notEqual(a.buffer, b.buffer);
  });
});

describe('playerUpdates as columns', () => {
  const plain = [
    { op: 'playerUpdate', guildId: '1', state: { time: 1700000000000, position: 1234, connected: true, ping: 12 } },
    { op: 'playerUpdate', guildId: '2', state: { time: 5, position: 0, connected: false, ping: -1 } },
    { op: 'playerUpdate', guildId: '3', state: { time: 5 } },
    { op: 'playerUpdate', guildId: '4', state: { time: 5, position: 7 } },
    { op: 'playerUpdate', guildId: '5', state: { time: 5, connected: true } },
  ];

  test('plain updates read back exactly as the node sent them, absent fields absent', () => {
    for (const frame of plain) {
      const values: number[] = [];
      const guildId = appendUpdate(frame, values);
      assert.equal(guildId, frame.guildId);
      assert.deepEqual(updateFrame(guildId, Float64Array.from(values), 0), frame);
    }
  });

  test('anything else is not taken (it travels whole, as a Frame)', () => {
    const others: Record<string, unknown>[] = [
      { op: 'playerUpdate', guildId: '1', state: { time: 1, position: 2 }, extra: true },
      { op: 'playerUpdate', guildId: '1', state: { time: 1, position: 2, volume: 100 } },
      { op: 'playerUpdate', guildId: '1', state: { position: 2 } },
      { op: 'playerUpdate', guildId: '1', state: { time: '1' } },
      { op: 'playerUpdate', guildId: '1', state: { time: 1, connected: 1 } },
      { op: 'playerUpdate', guildId: '1', state: { time: 1, ping: null } },
      { op: 'playerUpdate', guildId: 1, state: { time: 1 } },
      { op: 'playerUpdate', guildId: '1', state: null },
      { op: 'playerUpdate', guildId: '1' },
      { op: 'stats', players: 1 },
    ];
    for (const frame of others) {
      const values: number[] = [];
      assert.equal(appendUpdate(frame, values), null, JSON.stringify(frame));
      assert.equal(values.length, 0);
    }
  });

  test('the batcher sends runs of updates as columns, and odd ones whole, in their order', async () => {
    const { port1, port2 } = new MessageChannel();
    const batcher = new Batcher(port2, { flushWindowMs: 0 });
    const decoder = new BatchDecoder();
    const received: HostEvent[] = [];
    port1.on('message', (bytes: Uint8Array) => received.push(...decoder.decode(bytes).events));
    const odd = { op: 'playerUpdate', guildId: '9', state: { time: 1, filters: {} } };
    const sent: Record<string, unknown>[] = [plain[0]!, plain[1]!, odd, plain[2]!, plain[3]!, plain[4]!];
    for (const frame of sent) batcher.push({ kind: EventKind.Frame, socket: 's', frame }, false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(frames(received), sent);
    assert.deepEqual(received.map((e) => e.kind), [EventKind.Updates, EventKind.Frame, EventKind.Updates]);
    port1.close();
  });

  test('a guild id travels once per port', () => {
    const encoder = new BatchEncoder();
    const decoder = new BatchDecoder();
    const guilds = Array.from({ length: 500 }, (_, i) => String(100000000000000000n + BigInt(i)));
    const run = (position: number): HostEvent => ({ kind: EventKind.Updates, socket: 's', guilds, values: new Float64Array(guilds.length * 4).fill(position) });
    const first = encoder.encode({ seq: 1, events: [run(1)] });
    const second = encoder.encode({ seq: 2, events: [run(2)] });
    assert.ok(second.byteLength < first.byteLength - guilds.length * 18, `ids not sent again (${first.byteLength} then ${second.byteLength} bytes)`);
    for (const [bytes, position] of [[first, 1], [second, 2]] as const) {
      const event = onlyRun(decoder.decode(bytes));
      assert.deepEqual(event.guilds, guilds);
      assert.deepEqual([...event.values], new Array(guilds.length * 4).fill(position));
    }
  });

  test('the guild table starts over past 65,536 ids, on both sides together', () => {
    const encoder = new BatchEncoder();
    const decoder = new BatchDecoder();
    let next = 0;
    for (let batch = 1; batch <= 5; batch++) {
      const guilds = Array.from({ length: 20_000 }, () => String(next++));
      const bytes = encoder.encode({ seq: batch, events: [{ kind: EventKind.Updates, socket: 's', guilds, values: new Float64Array(guilds.length * 4) }] });
      assert.deepEqual(onlyRun(decoder.decode(bytes)).guilds, guilds, `batch ${batch}`);
    }
    // An id from before the start-over is named again, not read from a stale slot.
    const again = encoder.encode({ seq: 6, events: [{ kind: EventKind.Updates, socket: 's', guilds: ['0', '99999'], values: new Float64Array(8) }] });
    assert.deepEqual(onlyRun(decoder.decode(again)).guilds, ['0', '99999']);
  });
});

describe('the batcher', () => {
  function harness(flushWindowMs: number, maxUnacked = 4) {
    const { port1, port2 } = new MessageChannel();
    const batcher = new Batcher(port2, { flushWindowMs, maxUnacked });
    const decoder = new BatchDecoder();
    const batches: EventBatch[] = [];
    port1.on('message', (bytes: Uint8Array) => batches.push(decoder.decode(bytes)));
    const close = (): void => {
      port1.close();
    };
    return { batcher, batches, port1, close };
  }

  test('track events go at once; playerUpdates wait for the window and share a batch', async () => {
    const { batcher, batches, close } = harness(50);
    batcher.push(update('1', 1), false);
    batcher.push(update('2', 1), false);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(batches.length, 0, 'low priority waits for the window');
    batcher.push(trackEvent('TrackStartEvent'), true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(batches.length, 1, 'an urgent event flushes everything waiting, in order');
    assert.deepEqual(frames(batches[0]!.events).map((f) => f.op), ['playerUpdate', 'playerUpdate', 'event']);
    assert.equal(batches[0]!.events[0]!.kind, EventKind.Updates, 'the two updates travel as one run');
    batcher.push(update('1', 2), false);
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(batches.length, 2, 'the window flushed');
    close();
  });

  test('when the main thread stops acking, playerUpdates coalesce per guild; track events are all kept', async () => {
    const { batcher, batches, port1, close } = harness(0, 2);
    batcher.push(trackEvent('a'), true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    batcher.push(trackEvent('b'), true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(batches.length, 2);
    // No acks: the batcher is now behind and holds what comes.
    for (let i = 0; i < 100; i++) batcher.push(update(String(i % 3), i), false);
    batcher.push(trackEvent('c'), true);
    batcher.push(update('0', 1000), false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(batches.length, 2, 'nothing is sent while behind');
    assert.equal(batcher.coalesced, 98);
    port1.postMessage({ ack: 2 });
    await once(port1, 'message');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const last = batches.at(-1)!.events;
    const kept = frames(last).map((f: any) => [f.op, f.type ?? f.guildId, f.state?.position]);
    assert.deepEqual(kept, [
      ['playerUpdate', '1', 97],
      ['playerUpdate', '2', 98],
      ['event', 'c', undefined],
      ['playerUpdate', '0', 1000],
    ], 'the latest update per guild, in the order they came relative to track events');
    close();
  });

  test('back from a stall, updates go as they come for one window; a short spell behind changes nothing', async () => {
    const { batcher, batches, port1, close } = harness(300, 2);
    const sleep = (ms: number): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, ms));
    const fallBehind = async (): Promise<number> => {
      batcher.push(trackEvent('a'), true);
      await sleep(5);
      batcher.push(trackEvent('b'), true);
      await sleep(5);
      batcher.push(update('1', 1), false); // held: 2 unacked
      return batches.at(-1)!.seq;
    };
    // A short spell behind (load): released at the ack, then the window as usual.
    port1.postMessage({ ack: await fallBehind() });
    await sleep(20);
    const afterLoad = batches.length;
    batcher.push(update('1', 2), false);
    await sleep(20);
    assert.equal(batches.length, afterLoad, 'after load, updates wait for the window');
    await sleep(320);
    assert.equal(batches.length, afterLoad + 1);
    // A stall (behind past 100 ms): released at the ack, then updates go at once for a window.
    const last = await fallBehind();
    await sleep(150);
    port1.postMessage({ ack: last });
    await sleep(20);
    const afterStall = batches.length;
    batcher.push(update('1', 3), false);
    await sleep(20);
    assert.equal(batches.length, afterStall + 1, 'fresh at once after a stall');
    assert.deepEqual(frames(batches.at(-1)!.events).map((f: any) => f.state.position), [3]);
    port1.postMessage({ ack: batches.at(-1)!.seq });
    await sleep(320);
    batcher.push(update('1', 4), false);
    await sleep(20);
    assert.equal(batches.length, afterStall + 1, 'one window later, the window decides again');
    batcher.flush();
    close();
  });
});

describe('the v4 adapter', () => {
  test('turns each v3 op into its PATCH body (spec §5)', () => {
    assert.deepEqual(toPlayerUpdate({ op: 'play', guildId: '1', track: 'T', startTime: 10, endTime: 20, volume: 30, pause: true, noReplace: true, userData: { a: 1 } }), {
      body: { track: { encoded: 'T', userData: { a: 1 } }, position: 10, endTime: 20, volume: 30, paused: true },
      noReplace: true,
    });
    assert.deepEqual(toPlayerUpdate({ op: 'stop', guildId: '1' })!.body, { track: { encoded: null } });
    assert.deepEqual(toPlayerUpdate({ op: 'pause', guildId: '1', pause: false })!.body, { paused: false });
    assert.deepEqual(toPlayerUpdate({ op: 'seek', guildId: '1', position: 5 })!.body, { position: 5 });
    assert.deepEqual(toPlayerUpdate({ op: 'volume', guildId: '1', volume: 5 })!.body, { volume: 5 });
    assert.deepEqual(toPlayerUpdate({ op: 'filters', guildId: '1', timescale: { speed: 2 } })!.body, { filters: { timescale: { speed: 2 } } });
    assert.deepEqual(toPlayerUpdate({ op: 'equalizer', guildId: '1', bands: [{ band: 1, gain: 0.1 }] })!.body, { filters: { equalizer: [{ band: 1, gain: 0.1 }] } });
    assert.deepEqual(toPlayerUpdate({ op: 'voiceUpdate', guildId: '1', sessionId: 'S', event: { token: 'T', guild_id: '1', endpoint: 'E' }, channelId: 'C' })!.body, {
      voice: { token: 'T', endpoint: 'E', sessionId: 'S', channelId: 'C' },
    });
    assert.equal(toPlayerUpdate({ op: 'destroy', guildId: '1' }), null);
  });
});
