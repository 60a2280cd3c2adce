import assert from 'node:assert/strict';
import { once } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { describe, test } from 'node:test';
import { Batcher } from '../../src/host/batcher.js';
import { BatchDecoder, BatchEncoder } from '../../src/ipc/codec.js';
import { EventKind, type EventBatch, type HostEvent } from '../../src/ipc/events.js';
import { sharedStructures } from '../../src/ipc/structures.js';
import { toPlayerUpdate } from '../../src/protocol/v4/adapter.js';

const update = (guildId: string, position: number): HostEvent => ({
  kind: EventKind.Frame,
  socket: 's',
  frame: { op: 'playerUpdate', guildId, state: { time: 1, position, connected: true, ping: 0 } },
});
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
    assert.deepEqual(batches[0]!.events.map((e) => (e.kind === EventKind.Frame ? e.frame.op : e.kind)), ['playerUpdate', 'playerUpdate', 'event']);
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
    const kept = last.map((e) => (e.kind === EventKind.Frame ? [e.frame.op, (e.frame as any).type ?? (e.frame as any).guildId, (e.frame as any).state?.position] : []));
    assert.deepEqual(kept, [
      ['playerUpdate', '1', 97],
      ['playerUpdate', '2', 98],
      ['event', 'c', undefined],
      ['playerUpdate', '0', 1000],
    ], 'the latest update per guild, in the order they came relative to track events');
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
