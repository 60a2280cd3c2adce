/**
 * The inline transport (`workers: 0`): the same SocketHost on the main thread, behind the same
 * ports and codec, for tests, tiny bots and as the in-thread baseline of every benchmark.
 */
import { MessageChannel } from 'node:worker_threads';
import { SocketHost } from '../host/socket-host.js';
import type { SocketTaskInit } from '../ipc/control.js';
import { EventReceiver } from './event-receiver.js';
import type { EventHandler, Transport } from './transport.js';
import { WorkerLink } from './worker-link.js';

export class InlineTransport implements Transport {
  readonly kind = 'inline';
  readonly #host = new SocketHost();
  readonly #receiver: EventReceiver;

  constructor(onEvents: EventHandler) {
    this.#receiver = new EventReceiver(onEvents);
  }

  start(init: SocketTaskInit): WorkerLink {
    const control = new MessageChannel();
    const events = new MessageChannel();
    this.#receiver.listen(events.port1);
    const done = this.#host.run({ ...init, control: control.port2, events: events.port2 });
    return new WorkerLink(control.port1, done, init.config.id);
  }

  close(): Promise<void> {
    this.#receiver.close();
    return Promise.resolve();
  }
}
