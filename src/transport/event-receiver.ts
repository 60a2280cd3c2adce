/** The main side of the event channels: decodes batches, hands them on, acks them (ipc/acks.ts). */
import type { MessagePort } from 'node:worker_threads';
import { BatchDecoder } from '../ipc/codec.js';
import { AckBoard, type AckNudge } from '../ipc/acks.js';
import { EventKind, type EventBatch, type HostEvent } from '../ipc/events.js';
import type { EventHandler } from './transport.js';

/** What came through an event channel: batches, events (each playerUpdate of a run counted), bytes. */
export interface Traffic {
  batches: number;
  events: number;
  bytes: number;
}

export const noTraffic = (): Traffic => ({ batches: 0, events: 0, bytes: 0 });

export class EventReceiver {
  readonly #ports = new Set<MessagePort>();
  readonly #handler: EventHandler;
  readonly #onBatch: ((events: number, bytes: number) => void) | null;
  /** Every channel's traffic together, since the receiver was made. */
  readonly total = noTraffic();

  /** `onBatch`: told of each batch after its events were handled (diagnostics). */
  constructor(handler: EventHandler, onBatch: ((events: number, bytes: number) => void) | null = null) {
    this.#handler = handler;
    this.#onBatch = onBatch;
  }

  /** Takes the batches of `port`, counted into `traffic`; answers the ack board to hand its host (SocketTask.acks). */
  listen(port: MessagePort, traffic: Traffic = noTraffic()): SharedArrayBuffer {
    this.#ports.add(port);
    const acks = new AckBoard();
    const total = this.total;
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
      const events = countEvents(batch.events);
      traffic.batches++;
      traffic.events += events;
      traffic.bytes += bytes.byteLength;
      total.batches++;
      total.events += events;
      total.bytes += bytes.byteLength;
      this.#handler(batch.events);
      this.#onBatch?.(events, bytes.byteLength);
    });
    port.once('close', () => this.#ports.delete(port));
    return acks.buffer;
  }

  close(): void {
    for (const port of this.#ports) port.close();
    this.#ports.clear();
  }
}

/** Events in a batch, each playerUpdate of a columnar run counted. */
function countEvents(events: readonly HostEvent[]): number {
  let count = 0;
  for (const event of events) count += event.kind === EventKind.Updates ? event.guilds.length : 1;
  return count;
}
