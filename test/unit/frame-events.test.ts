/**
 * Frame events as the host sends them: a node's frame with what it means, read once on the worker.
 * Plain playerUpdates stay columns and are never read; everything else round-trips through the
 * msgpack codec with its event; debug lines wait for a batch instead of waking the main thread.
 */
import assert from 'node:assert/strict';
import type { MessagePort } from 'node:worker_threads';
import { describe, test } from '../helpers/node-test.js';
import { Batcher } from '../../src/host/batcher.js';
import { AckBoard } from '../../src/ipc/acks.js';
import { Report, type EventSink } from '../../src/host/report.js';
import { BatchDecoder, BatchEncoder } from '../../src/ipc/codec.js';
import { EventKind, type EventBatch, type HostEvent } from '../../src/ipc/events.js';
import { parseFrame, type NodeFrame } from '../../src/protocol/frames.js';
import { v3Adapter } from '../../src/protocol/v3/adapter.js';
import { v4Adapter } from '../../src/protocol/v4/adapter.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { until } from '../helpers/raw-client.js';
import { overRealChannel } from '../helpers/batcher-channel.js';
import { LavalinkError } from '../../src/errors.js';

const ENCODED =
  'QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAB3lvdXR1YmUAAAAAAAAAAA==';

function frame(value: unknown): NodeFrame {
  const parsed = parseFrame(JSON.stringify(value));
  if (parsed instanceof LavalinkError) throw parsed;
  return parsed;
}

const frames = [
  frame({ op: 'event', type: 'TrackStartEvent', guildId: '1', track: ENCODED }),
  frame({ op: 'event', type: 'TrackEndEvent', guildId: '1', track: ENCODED, reason: 'FINISHED' }),
  frame({ op: 'stats', players: 1, playingPlayers: 1, uptime: 5, memory: { free: 1, used: 2, allocated: 3, reservable: 4 }, cpu: { cores: 2, systemLoad: 0.1, lavalinkLoad: 0.1 } }),
  frame({ op: 'event', type: 'WebSocketClosedEvent', guildId: '1' }),
  frame({ op: 'playerUpdate', guildId: '1', state: { time: 1, position: 5, filters: {} } }),
  frame({ op: 'ready', resumed: false, sessionId: 'abc' }),
  frame({ op: 'custom', nested: { a: [1, 'b', null] } }),
];

describe('Frame events', () => {
  test('round trip through the codec with their events, frames exactly as the node sent them', () => {
    const events: HostEvent[] = frames.map((f) => ({ kind: EventKind.Frame, socketId: 's', frame: f, event: v3Adapter.readEvent(f) }));
    assert.ok(events.every((e) => e.kind !== EventKind.Frame || e.frame.op === 'ready' || e.frame.op === 'custom' || e.event !== null));
    const batch: EventBatch = { seq: 1, events };
    const decoded = new BatchDecoder().decode(new BatchEncoder().encode(batch));
    assert.deepEqual(decoded, batch);
    const v4Track = frame({ op: 'event', type: 'TrackStartEvent', guildId: '1', track: { encoded: ENCODED, info: { title: 'x' }, userData: { a: 1 } } });
    const v4Batch: EventBatch = { seq: 2, events: [{ kind: EventKind.Frame, socketId: 's', frame: v4Track, event: v4Adapter.readEvent(v4Track) }] };
    assert.deepEqual(new BatchDecoder().decode(new BatchEncoder().encode(v4Batch)), v4Batch);
  });

  test('the batcher reads a frame only when it travels as a Frame event: plain playerUpdates are columns, never read', async (t) => {
    const { batcher, received } = overRealChannel(t);
    const read: NodeFrame[] = [];
    const reader = (f: NodeFrame) => {
      read.push(f);
      return v4Adapter.readEvent(f);
    };
    const plain = frame({ op: 'playerUpdate', guildId: '1', state: { time: 1, position: 2, connected: true, ping: 3 } });
    const start = frame({ op: 'event', type: 'TrackStartEvent', guildId: '1', track: { encoded: ENCODED, info: {} } });
    batcher.pushFrame('s', plain, reader, false);
    batcher.pushFrame('s', plain, reader, false);
    batcher.pushFrame('s', start, reader, true);
    await until(() => received.length >= 2, 5000, 'the batch');
    assert.deepEqual(read, [start], 'only the track event was read');
    assert.deepEqual(received.map((e) => e.kind), [EventKind.Updates, EventKind.Frame]);
    const event = received[1]!;
    assert.ok(event.kind === EventKind.Frame && event.event?.type === 'trackStart');
  });

  test('debug lines wait for the window; state, errors and the rest go at once', () => {
    const pushed: [HostEvent, boolean][] = [];
    const sink: EventSink = { push: (event, urgent) => pushed.push([event, urgent]), pushUpdate: () => false, pushFrame: () => {} };
    const report = new Report('s', sink, { connected: false, remaining: 3, resumeKey: null, sessionId: null, version: 4, ping: -1, queued: 0, resumable: true });
    report.debug('connecting');
    report.set({ connected: true, remaining: 3 });
    report.set({ connected: true });
    report.error(new Error('x'));
    assert.deepEqual(
      pushed.map(([event, urgent]) => [event.kind, urgent]),
      [
        [EventKind.State, true],
        [EventKind.Debug, false],
        [EventKind.State, true],
        [EventKind.Error, true],
      ],
    );
    assert.deepEqual((pushed[2]![0] as Extract<HostEvent, { kind: typeof EventKind.State }>).state, { connected: true, remaining: 3 }, 'a change says what changed');
  });

  test('a debug line in the batcher rides with the next window, not a wake-up of its own', async () => {
    const batches: EventBatch[] = [];
    const decoder = new BatchDecoder();
    const port = { on: () => port, postMessage: (bytes: Uint8Array) => void batches.push(decoder.decode(bytes)) };
    const clock = new ManualClock();
    const batcher = new Batcher(port as unknown as MessagePort, { flushWindowMs: 25, clock, acks: new AckBoard() });
    batcher.push({ kind: EventKind.Debug, socketId: 's', message: 'hello' }, false);
    await new Promise<void>((resolve) => setImmediate(resolve)); // an urgent event would have gone by now
    assert.equal(batches.length, 0);
    clock.advance(25);
    assert.deepEqual(batches.map((b) => b.events), [[{ kind: EventKind.Debug, socketId: 's', message: 'hello' }]]);
  });
});
