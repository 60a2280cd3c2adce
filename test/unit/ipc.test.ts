import assert from 'node:assert/strict';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { describe, test } from '../helpers/node-test.js';
import { Batcher } from '../../src/host/batcher.js';
import { BatchDecoder, BatchEncoder } from '../../src/ipc/codec.js';
import { EventKind, type EventBatch, type HostEvent } from '../../src/ipc/events.js';
import { AckBoard, type AckNudge } from '../../src/ipc/acks.js';
import { sharedStructures } from '../../src/ipc/structures.js';
import { appendUpdate, updateFrame } from '../../src/ipc/updates.js';
import type { NodeFrame } from '../../src/protocol/frames.js';
import { toPlayerUpdate } from '../../src/protocol/v4/adapter.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { until } from '../helpers/raw-client.js';
import { overRealChannel } from '../helpers/batcher-channel.js';
import { EventReceiver } from '../../src/transport/event-receiver.js';

const update = (guildId: string, position: number): HostEvent => ({
  kind: EventKind.Frame,
  socketId: 's',
  frame: { op: 'playerUpdate', guildId, state: { time: 1, position, connected: true, ping: 0 } },
  event: null,
});
/** Batches as frames: each Updates run read back into the playerUpdates it carries. */
const frames = (events: readonly HostEvent[]): Record<string, unknown>[] =>
  events.flatMap<Record<string, unknown>>((e) => {
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
const trackEvent = (type: string): HostEvent => ({ kind: EventKind.Frame, socketId: 's', frame: { op: 'event', type, guildId: '1', track: { encoded: 'x' } }, event: null });

describe('the event codec', () => {
  test('round trips known and unknown shapes, and never grows the frozen structures', () => {
    const encoder = new BatchEncoder();
    const decoder = new BatchDecoder();
    const batch: EventBatch = {
      seq: 1,
      events: [update('1', 5), { kind: EventKind.State, socketId: 's', state: { connected: true, remaining: 3 } }, { kind: EventKind.Frame, socketId: 's', frame: { op: 'custom', nested: { a: [1, 'b', null] } }, event: null }],
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

  test('the batcher sends runs of updates as columns, and odd ones whole, in their order', async (t) => {
    const { batcher, received } = overRealChannel(t);
    const odd = { op: 'playerUpdate', guildId: '9', state: { time: 1, filters: {} } };
    const sent: NodeFrame[] = [plain[0]!, plain[1]!, odd, plain[2]!, plain[3]!, plain[4]!];
    for (const frame of sent) batcher.push({ kind: EventKind.Frame, socketId: 's', frame, event: null }, false);
    await until(() => frames(received).length >= sent.length, 5000, 'the batch');
    assert.deepEqual(frames(received), sent);
    assert.deepEqual(received.map((e) => e.kind), [EventKind.Updates, EventKind.Frame, EventKind.Updates]);
  });

  test('a plain playerUpdate joins its run straight from its bytes; any other frame is left to be parsed', async (t) => {
    const { batcher, received } = overRealChannel(t);
    const bytesOf = (frame: NodeFrame): Buffer => Buffer.from(JSON.stringify(frame));
    assert.equal(batcher.pushUpdate('s', bytesOf(plain[0]!)), true);
    batcher.push({ kind: EventKind.Frame, socketId: 's', frame: plain[1]!, event: null }, false);
    assert.equal(batcher.pushUpdate('s', bytesOf(plain[2]!)), true);
    const odd = { op: 'playerUpdate', guildId: '9', state: { time: 1, filters: {} } };
    assert.equal(batcher.pushUpdate('s', bytesOf(odd)), false, 'not a plain update: nothing taken');
    assert.equal(batcher.pushUpdate('s', Buffer.from('{"op":"event","type":"TrackStartEvent"}')), false);
    await until(() => frames(received).length >= 3, 5000, 'the batch');
    assert.deepEqual(frames(received), [plain[0], plain[1], plain[2]]);
    assert.deepEqual(received.map((e) => e.kind), [EventKind.Updates], 'bytes and parsed frames share one run');
  });

  test('a guild id travels once per port', () => {
    const encoder = new BatchEncoder();
    const decoder = new BatchDecoder();
    const guilds = Array.from({ length: 500 }, (_, i) => String(100000000000000000n + BigInt(i)));
    const run = (position: number): HostEvent => ({ kind: EventKind.Updates, socketId: 's', guilds, values: new Float64Array(guilds.length * 4).fill(position) });
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
      const bytes = encoder.encode({ seq: batch, events: [{ kind: EventKind.Updates, socketId: 's', guilds, values: new Float64Array(guilds.length * 4) }] });
      assert.deepEqual(onlyRun(decoder.decode(bytes)).guilds, guilds, `batch ${batch}`);
    }
    // An id from before the start-over is named again, not read from a stale slot.
    const again = encoder.encode({ seq: 6, events: [{ kind: EventKind.Updates, socketId: 's', guilds: ['0', '99999'], values: new Float64Array(8) }] });
    assert.deepEqual(onlyRun(decoder.decode(again)).guilds, ['0', '99999']);
  });
});

/**
 * Stands in for the Batcher's port: keeps each batch it posts, decoded, as it is posted; `ack`
 * answers the way the main thread does (its EventReceiver), through the shared ack board. With a
 * ManualClock, nothing in these tests waits on time.
 */
class RecordingPort {
  readonly batches: EventBatch[] = [];
  readonly board = new AckBoard();
  /** Nudges posted to the host: one per ack that found it waiting. */
  nudges = 0;
  readonly #decoder = new BatchDecoder();
  #onMessage: ((message: AckNudge) => void) | undefined;

  on(event: 'message', listener: (message: AckNudge) => void): this {
    assert.equal(event, 'message');
    this.#onMessage = listener;
    return this;
  }

  postMessage(bytes: Uint8Array, transfer: readonly ArrayBuffer[]): void {
    assert.deepEqual(transfer, [bytes.buffer], 'the bytes are moved, not copied');
    this.batches.push(this.#decoder.decode(bytes));
  }

  ack(seq: number): void {
    if (!this.board.ack(seq)) return;
    this.nudges++;
    this.#onMessage!({ nudge: true });
  }
}

/** Lets the microtasks queued so far run: urgent events flush in one. */
const microtasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the batcher', () => {
  function harness(flushWindowMs: number, maxUnacked = 4, urgentGapMs = 0) {
    const port = new RecordingPort();
    const clock = new ManualClock();
    const batcher = new Batcher(port as unknown as MessagePort, { flushWindowMs, maxUnacked, clock, acks: port.board, urgentGapMs });
    return { batcher, batches: port.batches, port, clock };
  }

  test('track events go at once; playerUpdates wait for the window and share a batch', async () => {
    const { batcher, batches, clock } = harness(50);
    batcher.push(update('1', 1), false);
    batcher.push(update('2', 1), false);
    clock.advance(49);
    await microtasks();
    assert.equal(batches.length, 0, 'low priority waits for the window');
    batcher.push(trackEvent('TrackStartEvent'), true);
    await microtasks();
    assert.equal(batches.length, 1, 'an urgent event flushes everything waiting, in order');
    assert.deepEqual(frames(batches[0]!.events).map((f) => f.op), ['playerUpdate', 'playerUpdate', 'event']);
    assert.equal(batches[0]!.events[0]!.kind, EventKind.Updates, 'the two updates travel as one run');
    assert.equal(clock.pending, 0, 'the window timer went with the urgent flush');
    batcher.push(update('1', 2), false);
    clock.advance(49);
    await microtasks();
    assert.equal(batches.length, 1, 'a new window starts with the next update');
    clock.advance(1);
    assert.equal(batches.length, 2, 'the window flushed');
    assert.deepEqual(frames(batches[1]!.events).map((f: any) => f.state.position), [2]);
  });

  test('when the main thread stops acking, playerUpdates coalesce per guild; track events are all kept', async () => {
    const { batcher, batches, port, clock } = harness(0, 2);
    batcher.push(trackEvent('a'), true);
    await microtasks();
    batcher.push(trackEvent('b'), true);
    await microtasks();
    assert.equal(batches.length, 2);
    // No acks: the batcher is now behind and holds what comes.
    for (let i = 0; i < 100; i++) batcher.push(update(String(i % 3), i), false);
    batcher.push(trackEvent('c'), true);
    batcher.push(update('0', 1000), false);
    clock.advance(10_000);
    await microtasks();
    assert.equal(batches.length, 2, 'nothing is sent while behind');
    assert.equal(batcher.coalesced, 98);
    port.ack(2);
    await microtasks();
    assert.equal(batches.length, 3, 'what waited goes at the ack');
    const kept = frames(batches[2]!.events).map((f: any) => [f.op, f.type ?? f.guildId, f.state?.position]);
    assert.deepEqual(kept, [
      ['playerUpdate', '1', 97],
      ['playerUpdate', '2', 98],
      ['event', 'c', undefined],
      ['playerUpdate', '0', 1000],
    ], 'the latest update per guild, in the order they came relative to track events');
  });

  test('back from a stall, updates go as they come for one window; a short spell behind changes nothing', async () => {
    const { batcher, batches, port, clock } = harness(300, 2);
    const fallBehind = async (): Promise<number> => {
      batcher.push(trackEvent('a'), true);
      await microtasks();
      batcher.push(trackEvent('b'), true);
      await microtasks();
      batcher.push(update('1', 1), false); // held: 2 unacked
      await microtasks();
      return batches.at(-1)!.seq;
    };
    // A short spell behind (load): released at the ack, then the window as usual.
    const held = batches.length;
    port.ack(await fallBehind());
    await microtasks();
    const afterLoad = batches.length;
    assert.equal(afterLoad, held + 3, 'the held update went at the ack');
    batcher.push(update('1', 2), false);
    clock.advance(299);
    await microtasks();
    assert.equal(batches.length, afterLoad, 'after load, updates wait for the window');
    clock.advance(1);
    assert.equal(batches.length, afterLoad + 1);
    // A stall (behind past 100 ms): released at the ack, then updates go at once for a window.
    const last = await fallBehind();
    clock.advance(150);
    port.ack(last);
    await microtasks();
    const afterStall = batches.length;
    batcher.push(update('1', 3), false);
    await microtasks();
    assert.equal(batches.length, afterStall + 1, 'fresh at once after a stall');
    assert.deepEqual(frames(batches.at(-1)!.events).map((f: any) => f.state.position), [3]);
    port.ack(batches.at(-1)!.seq);
    clock.advance(300);
    batcher.push(update('1', 4), false);
    await microtasks();
    assert.equal(batches.length, afterStall + 1, 'one window later, the window decides again');
    clock.advance(300);
    assert.equal(batches.length, afterStall + 2);
  });

  test('urgent events close together share one flush: at most one per gap', async () => {
    const { batcher, batches, clock } = harness(50, 4, 2);
    batcher.push(trackEvent('a'), true);
    await microtasks();
    assert.equal(batches.length, 1, 'the first goes at once');
    clock.advance(1);
    batcher.push(trackEvent('b'), true);
    await microtasks();
    assert.equal(batches.length, 1, 'one 1 ms after a flush waits out the gap');
    batcher.push(update('1', 1), false);
    batcher.push(trackEvent('c'), true);
    clock.advance(0.5);
    await microtasks();
    assert.equal(batches.length, 1);
    clock.advance(0.5);
    assert.equal(batches.length, 2, 'the gap is over: what came meanwhile goes together');
    assert.deepEqual(frames(batches[1]!.events).map((f: any) => f.type ?? f.op), ['b', 'playerUpdate', 'c']);
    assert.equal(clock.pending, 0, 'no window timer is left behind');
    clock.advance(2);
    batcher.push(trackEvent('d'), true);
    await microtasks();
    assert.equal(batches.length, 3, 'past the gap, an urgent event goes at once again');
  });

  test('acks go through shared memory; the host is posted one only while it waits for it', async () => {
    const { batcher, batches, port } = harness(0, 2);
    for (let i = 0; i < 5; i++) {
      batcher.push(trackEvent(String(i)), true);
      await microtasks();
      port.ack(batches.at(-1)!.seq);
    }
    assert.equal(batches.length, 5);
    assert.equal(port.nudges, 0, 'a main thread that keeps up posts nothing back');
    batcher.push(trackEvent('x'), true);
    await microtasks();
    batcher.push(trackEvent('y'), true);
    await microtasks();
    batcher.push(trackEvent('z'), true);
    await microtasks();
    assert.equal(batches.length, 7, 'two unacked: z waits');
    port.ack(6);
    assert.equal(port.nudges, 1, 'the ack that brings it under the limit is posted');
    await microtasks();
    assert.equal(batches.length, 8);
    assert.deepEqual(frames(batches[7]!.events).map((f: any) => f.type), ['z']);
    port.ack(7);
    assert.equal(port.nudges, 2, 'z made two unacked again: the ack that ends it is posted too');
    port.ack(8);
    assert.equal(port.nudges, 2, 'a host that does not wait is posted nothing');
  });

  test('an ack that leaves too many batches out does not let the host go: it waits for the next', async () => {
    const { batcher, batches, port } = harness(0, 2);
    for (const type of ['a', 'b', 'c', 'd']) {
      batcher.push(trackEvent(type), true);
      batcher.flush();
    }
    assert.equal(batches.length, 4, 'flush() sends even while behind (a socket ending)');
    batcher.push(trackEvent('held'), true);
    await microtasks();
    assert.equal(batches.length, 4);
    port.ack(1);
    await microtasks();
    assert.equal(batches.length, 4, 'three out: still behind');
    port.ack(2);
    await microtasks();
    assert.equal(batches.length, 4, 'two out: still behind');
    port.ack(3);
    await microtasks();
    assert.equal(batches.length, 5, 'one out: what waited goes');
    assert.deepEqual(frames(batches[4]!.events).map((f: any) => f.type), ['held']);
    assert.equal(port.nudges, 3, 'each ack that found the host waiting was posted');
  });

  test('over a real channel, a host that fell behind is woken by the ack that lets it go, and loses nothing', async (t) => {
    const { port1, port2 } = new MessageChannel();
    const received: HostEvent[] = [];
    const receiver = new EventReceiver((events) => received.push(...events));
    t.after(() => receiver.close());
    const acks = receiver.listen(port1);
    let nudges = 0;
    port2.on('message', () => nudges++);
    const batcher = new Batcher(port2, { flushWindowMs: 0, maxUnacked: 2, acks: new AckBoard(acks) });
    // Two batches out before the main side reads any: the host is behind and holds what comes.
    batcher.push(trackEvent('a'), true);
    batcher.flush();
    batcher.push(trackEvent('b'), true);
    batcher.flush();
    for (let i = 0; i < 50; i++) batcher.push(update(String(i % 5), i), false);
    batcher.push(trackEvent('c'), true);
    await until(() => frames(received).some((f: any) => f.type === 'c'), 5000, 'the held events');
    assert.deepEqual(frames(received).map((f: any) => f.type ?? `${f.guildId}:${f.state.position}`), ['a', 'b', '0:45', '1:46', '2:47', '3:48', '4:49', 'c']);
    assert.equal(nudges, 1, 'one message back: the ack that found the host waiting');
  });

  test('the ack board: a wait is owed a nudge only if the ack had not come yet', () => {
    const main = new AckBoard();
    const host = new AckBoard(main.buffer);
    assert.equal(main.ack(1), false, 'nobody waits: nothing to post');
    assert.equal(host.acked, 1);
    assert.equal(host.wait(() => false), false, 'the ack came before the wait: go on');
    assert.equal(main.ack(2), false, 'and no nudge is owed for it');
    assert.equal(host.wait(() => true), true);
    assert.equal(main.ack(3), true, 'the next ack is posted');
    assert.equal(main.ack(4), false, 'once');
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
