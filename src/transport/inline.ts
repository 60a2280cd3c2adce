/**
 * The inline transport (`workers: 0`): the same SocketHost on the main thread, behind the same
 * ports and codec, for tests, tiny bots and as the in-thread baseline of every benchmark.
 *
 * The host (and with it `ws` and `undici`) is loaded on the first start only: a bot whose sockets
 * run in workers never loads them on its main thread.
 */
import { MessageChannel } from 'node:worker_threads';
import type { SocketHost } from '../host/socket-host.js';
import type { SocketTaskInit } from '../ipc/control.js';
import { EventReceiver } from './event-receiver.js';
import type { EventHandler, Transport } from './transport.js';
import { WorkerLink } from './worker-link.js';

export class InlineTransport implements Transport {
  readonly kind = 'inline';
  #host: Promise<SocketHost> | null = null;
  readonly #receiver: EventReceiver;

  constructor(onEvents: EventHandler) {
    this.#receiver = new EventReceiver(onEvents);
  }

  start(init: SocketTaskInit): WorkerLink {
    const control = new MessageChannel();
    const events = new MessageChannel();
    this.#receiver.listen(events.port1);
    // Calls sent meanwhile wait in the control port until the host listens to it.
    this.#host ??= import('../host/socket-host.js').then(({ SocketHost }) => new SocketHost());
    const done = this.#host.then((host) => host.run({ ...init, control: control.port2, events: events.port2 }));
    return new WorkerLink(control.port1, done, init.config.id);
  }

  close(): Promise<void> {
    this.#receiver.close();
    return Promise.resolve();
  }
}
