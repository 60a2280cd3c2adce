/**
 * Where sockets run: in piscina worker threads (pool.ts) or on the main thread (inline.ts). Both
 * hand the Manager the same thing per socket, so nothing above this layer knows which it has.
 */
import type { SocketTaskInit } from '../ipc/control.js';
import type { HostEvent } from '../ipc/events.js';
import type { WorkerLink } from './worker-link.js';

export type EventHandler = (events: readonly HostEvent[]) => void;

export interface Transport {
  readonly kind: 'worker' | 'inline';
  start(init: SocketTaskInit): WorkerLink;
  /** Releases every thread and port; call after the sockets are closed. */
  close(): Promise<void>;
}
