/**
 * The worker transport: a piscina pool whose workers host sockets, one long-lived task each.
 * Each setting below replaces a piscina default that breaks long-lived socket tasks; each has a test.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { WorkerExitedError } from '../errors.js';
import type { SocketTaskInit } from '../ipc/control.js';
import { EventReceiver, noTraffic, type Traffic } from './event-receiver.js';
import type { BatchObserver, EventHandler, Transport } from './transport.js';
import { WorkerLink } from './worker-link.js';

/** The young generation of a worker's heap, MB (see the pool's options). */
const WORKER_YOUNG_GENERATION_MB = 4;

/** dist/workers/socket-worker.js beside dist/src; run from source (tsx), the .ts file. */
function defaultWorkerFile(): string {
  // Read when a pool starts, not when this module loads: a bundle that gives its own
  // `workerFile` may not have a usable import.meta.url here at all (CommonJS output).
  const built = new URL('../../workers/socket-worker.js', import.meta.url);
  return existsSync(fileURLToPath(built)) ? built.href : new URL('../../workers/socket-worker.ts', import.meta.url).href;
}

export class PoolTransport implements Transport {
  readonly kind = 'worker';
  readonly #pool: Piscina;
  readonly #receiver: EventReceiver;
  #closing = false;

  constructor(workers: number, onEvents: EventHandler, file: string | null = null, onBatch: BatchObserver | null = null) {
    this.#receiver = new EventReceiver(onEvents, onBatch);
    this.#pool = new Piscina({
      filename: file ?? defaultWorkerFile(),
      minThreads: workers,
      maxThreads: workers,
      // A worker that runs no task must stay: its sockets' event channel lives there.
      idleTimeout: Infinity,
      // The default (sync) parks an idle worker in Atomics.wait, freezing its event loop: no
      // pings, no reconnects, no events for the sockets it still hosts.
      atomics: 'disabled',
      // V8 sizes a busy isolate's young generation up to ~48 MB. A host's garbage is short-lived
      // (frames read, batches encoded), so a small one holds it: at 100k frames/s the process RSS
      // was 167–199 MB with the default, 143–162 MB with 4 MB, at the same CPU (bench flood).
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      // Socket tasks never finish while their socket lives, so none may ever wait in the queue.
      concurrentTasksPerWorker: 1_000_000,
    });
    // A worker error also rejects the tasks it ran; that rejection is what we act on.
    this.#pool.on('error', () => {});
  }

  get traffic(): Readonly<Traffic> {
    return this.#receiver.total;
  }

  /** The threads of the pool (for tests and benchmarks). */
  get threads(): readonly { threadId: number }[] {
    return this.#pool.threads;
  }

  start(init: SocketTaskInit): WorkerLink {
    const control = new MessageChannel();
    const events = new MessageChannel();
    const traffic = noTraffic();
    const acks = this.#receiver.listen(events.port1, traffic);
    // Never an AbortSignal here: aborting a task terminates its whole worker.
    const task = this.#pool.run({ ...init, control: control.port2, events: events.port2, acks }, { transferList: [control.port2, events.port2] }) as Promise<void>;
    const done = task.then(
      () => undefined,
      (error: unknown) => {
        throw this.#closing ? error : new WorkerExitedError(`The worker hosting socket ${init.config.id} exited: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    done.catch(() => {}); // observed by the socket; never an unhandled rejection here
    return new WorkerLink(control.port1, done, init.config.id, traffic);
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#receiver.close();
    await this.#pool.destroy();
  }
}
