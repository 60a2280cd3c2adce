/** The main side of the event channels: decodes batches, hands them on, acks them (ipc/acks.ts). */
import type { MessagePort } from 'node:worker_threads';
import { BatchDecoder } from '../ipc/codec.js';
import { AckBoard, type AckNudge } from '../ipc/acks.js';
import type { EventBatch } from '../ipc/events.js';
import type { EventHandler } from './transport.js';

export class EventReceiver {
  readonly #ports = new Set<MessagePort>();
  readonly #handler: EventHandler;

  constructor(handler: EventHandler) {
    this.#handler = handler;
  }

  /** Takes the batches of `port`; answers the ack board to hand its host (SocketTask.acks). */
  listen(port: MessagePort): SharedArrayBuffer {
    this.#ports.add(port);
    const acks = new AckBoard();
    // One decoder per port: each port's encoder keeps its own table of guild ids (ipc/codec.ts).
    const decoder = new BatchDecoder();
    port.on('message', (bytes: Uint8Array) => {
      let batch: EventBatch;
      try {
        batch = decoder.decode(bytes);
      } catch {
        return; // cannot happen for what the batcher encodes; never worth the main thread
      }
      // Ack first: the host judges how far behind we are by acks, not by our handlers.
      if (acks.ack(batch.seq)) port.postMessage({ nudge: true } satisfies AckNudge);
      this.#handler(batch.events);
    });
    port.once('close', () => this.#ports.delete(port));
    return acks.buffer;
  }

  close(): void {
    for (const port of this.#ports) port.close();
    this.#ports.clear();
  }
}
