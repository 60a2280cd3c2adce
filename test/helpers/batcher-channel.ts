/** A Batcher over a real MessageChannel, as the unit tests of the event path use it. */
import { MessageChannel } from 'node:worker_threads';
import { Batcher } from '../../src/host/batcher.js';
import { AckBoard } from '../../src/ipc/acks.js';
import { BatchDecoder } from '../../src/ipc/codec.js';
import type { HostEvent } from '../../src/ipc/events.js';

/**
 * A batcher on a real channel and the real clock: the bytes cross a MessagePort as they do in
 * production, and `received` gets what the main side decodes.
 */
export function overRealChannel(t: { after(fn: () => void): void }): { batcher: Batcher; received: HostEvent[] } {
  const { port1, port2 } = new MessageChannel();
  t.after(() => port1.close());
  const batcher = new Batcher(port2, { flushWindowMs: 0, acks: new AckBoard() });
  const decoder = new BatchDecoder();
  const received: HostEvent[] = [];
  port1.on('message', (bytes: Uint8Array) => received.push(...decoder.decode(bytes).events));
  return { batcher, received };
}
