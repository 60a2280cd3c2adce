/** The main side of the event channels: decodes batches, hands them on, acks them. */
import type { MessagePort } from 'node:worker_threads';
import { BatchDecoder } from '../ipc/codec.js';
import type { BatchAck, EventBatch } from '../ipc/events.js';
import type { EventHandler } from './transport.js';

export class EventReceiver {
  readonly #ports = new Set<MessagePort>();
  readonly #handler: EventHandler;

  constructor(handler: EventHandler) {
    this.#handler = handler;
  }

  listen(port: MessagePort): void {
    this.#ports.add(port);
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
      port.postMessage({ ack: batch.seq } satisfies BatchAck);
      this.#handler(batch.events);
    });
    port.once('close', () => this.#ports.delete(port));
  }

  close(): void {
    for (const port of this.#ports) port.close();
    this.#ports.clear();
  }
}
