/**
 * The inline transport (`workers: 0`): the same SocketHost on the main thread, behind the same
 * ports and codec, for tests, tiny bots and as the in-thread baseline of every benchmark.
 *
 * The host (and with it `ws` and `undici`) is loaded on the first start only: a bot whose sockets
 * run in workers never loads them on its main thread.
 */
import { MessageChannel } from 'node:worker_threads';
import { InvalidOptionError } from '../errors.js';
import type { SocketHost, SocketTask } from '../host/socket-host.js';
import type { SocketTaskInit } from '../ipc/control.js';
import { EventReceiver, noTraffic, type Traffic } from './event-receiver.js';
import type { BatchObserver, EventHandler, Transport } from './transport.js';
import { WorkerLink } from './worker-link.js';

export class InlineTransport implements Transport {
  readonly kind = 'inline';
  #host: Promise<(task: SocketTask) => Promise<void>> | null = null;
  readonly #receiver: EventReceiver;
  /** A worker entry to host the sockets instead of a SocketHost of our own (ManagerOptions.workerFile). */
  readonly #file: string | null;

  constructor(onEvents: EventHandler, file: string | null = null, onBatch: BatchObserver | null = null) {
    this.#receiver = new EventReceiver(onEvents, onBatch);
    this.#file = file;
  }

  get traffic(): Readonly<Traffic> {
    return this.#receiver.total;
  }

  start(init: SocketTaskInit): WorkerLink {
    const control = new MessageChannel();
    const events = new MessageChannel();
    const traffic = noTraffic();
    const acks = this.#receiver.listen(events.port1, traffic);
    // Calls sent meanwhile wait in the control port until the host listens to it.
    this.#host ??= this.#loadHost();
    const done = this.#host.then((run) => run({ ...init, control: control.port2, events: events.port2, acks }));
    return new WorkerLink(control.port1, done, init.config.id, traffic);
  }

  /**
   * A host of this transport's own (a host's one event channel serves one receiver): the
   * built-in SocketHost, or the one the configured worker entry's `createHost()` makes.
   */
  async #loadHost(): Promise<(task: SocketTask) => Promise<void>> {
    let host: Pick<SocketHost, 'run'>;
    if (this.#file === null) {
      const { SocketHost } = await import('../host/socket-host.js');
      host = new SocketHost();
    } else {
      const entry = (await import(this.#file)) as { createHost?: () => Pick<SocketHost, 'run'> };
      if (typeof entry.createHost !== 'function') throw new InvalidOptionError('options.workerFile', 'with workers: 0, a module that exports createHost()', this.#file);
      host = entry.createHost();
    }
    return (task) => host.run(task);
  }

  close(): Promise<void> {
    this.#receiver.close();
    return Promise.resolve();
  }
}
