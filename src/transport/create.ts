/** The transport a manager's options ask for: piscina workers, or the main thread (`workers: 0`). */
import { InlineTransport } from './inline.js';
import { PoolTransport } from './pool.js';
import type { BatchObserver, EventHandler, Transport } from './transport.js';

/** `workerFile`: the module that hosts sockets (a worker entry); null = the built-in host. */
export function createTransport(workers: number, onEvents: EventHandler, workerFile: string | null, onBatch: BatchObserver | null = null): Transport {
  return workers === 0 ? new InlineTransport(onEvents, workerFile, onBatch) : new PoolTransport(workers, onEvents, workerFile, onBatch);
}
