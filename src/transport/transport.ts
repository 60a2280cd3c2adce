/**
 * Where sockets run: in piscina worker threads (pool.ts) or on the main thread (inline.ts). Both
 * hand the Manager the same thing per socket, so nothing above this layer knows which it has.
 */
import type { SocketTaskInit } from '../ipc/control.js';
import type { HostEvent } from '../ipc/events.js';
import type { Traffic } from './event-receiver.js';
import type { WorkerLink } from './worker-link.js';

export type EventHandler = (events: readonly HostEvent[]) => void;
/** Told of each batch once its events were handled: how many events, how many bytes. */
export type BatchObserver = (events: number, bytes: number) => void;

export interface Transport {
  readonly kind: 'worker' | 'inline';
  /** What every host's event channel brought, since the transport was made. */
  readonly traffic: Readonly<Traffic>;
  start(init: SocketTaskInit): WorkerLink;
  /** Releases every thread and port; call after the sockets are closed. */
  close(): Promise<void>;
}
