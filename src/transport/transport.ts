/**
 * Where sockets run: in piscina worker threads (pool.ts) or on the main thread (inline.ts). Both
 * hand the Manager the same thing per socket, so nothing above this layer knows which it has.
 */
import type * as Comlink from 'comlink';
import type { SocketControl, SocketTaskInit } from '../ipc/control.js';
import type { HostEvent } from '../ipc/events.js';

export interface SocketChannel {
  readonly control: Comlink.Remote<SocketControl>;
  /** Resolves when the socket's task ended (closed for good); rejects with WorkerExitedError when its host died. */
  readonly done: Promise<void>;
  /** Closes the main side of the control port. */
  release(): void;
}

export type EventHandler = (events: readonly HostEvent[]) => void;

export interface Transport {
  readonly kind: 'worker' | 'inline';
  start(init: SocketTaskInit): SocketChannel;
  /** Releases every thread and port; call after the sockets are closed. */
  close(): Promise<void>;
}
