/**
 * What Manager and Socket share that users must not see: a symbol-keyed event entry point and
 * the manager's internals. Not exported from index.ts.
 */
import type { EventEmitter } from 'node:events';
import type { ManagerEvents } from './events.js';
import type { ResolvedManagerOptions } from './options.js';
import type { Transport } from './transport/transport.js';

export const kHandleEvent = Symbol('lavathread.handleEvent');
export const kClose = Symbol('lavathread.close');

export interface ManagerInternals {
  readonly options: ResolvedManagerOptions;
  readonly emitter: EventEmitter<ManagerEvents>;
  transport(): Transport;
  userId(): string | undefined;
  /** Removes a socket that gave up from `manager.sockets`. */
  forget(id: string): void;
}

export const internals = new WeakMap<object, ManagerInternals>();
